"""The real default model (SmolLM2-135M-Instruct), converted once into the test model cache."""

import pytest
import torch
from transformers.cache_utils import DynamicLayer

from adcraft.kernel.db import warehouse
from adcraft.kernel.settings import get_settings
from models.text_generator import (
    SamplingConfig,
    TextGenerator,
    _pad_after,
    _ReservedLayer,
    _shared_prefix,
    default_model_dir,
    load_text_generator,
    pick_device,
)

pytestmark = pytest.mark.slow  # loads the real text model

CONVERSATION = [
    {"role": "system", "content": "You write short ad copy. Reply with the ad text only."},
    {"role": "user",
     "content": "<product>Linen Shirt | shirts | linen | navy | 39.00 EUR</product>\nWrite a headline."},
]


@pytest.fixture(scope="module")
def generator() -> TextGenerator:
    return TextGenerator(default_model_dir(get_settings().models_dir))


def test_the_default_model_is_converted_once_and_versioned(generator):
    model_dir = default_model_dir(get_settings().models_dir)
    assert (model_dir / "config.json").exists() and (model_dir / "adcraft_source.json").exists()
    assert generator.version.startswith("smollm2-135m-instruct@")
    assert generator.device == pick_device("auto") == "cpu"


def test_a_batch_gives_one_reply_per_conversation_and_the_same_seed_repeats_it(generator):
    other = [CONVERSATION[0], {"role": "user", "content": "Write one word."}]
    first = generator.generate([CONVERSATION, other, CONVERSATION], max_new_tokens=12, seed=3)
    again = generator.generate([CONVERSATION, other, CONVERSATION], max_new_tokens=12, seed=3)
    assert len(first) == 3 and all(isinstance(text, str) and text.strip() for text in first)
    assert first == again


def test_prompts_are_padded_on_the_left_so_every_reply_starts_at_the_right_edge(generator):
    encoded = generator.tokenizer(["short", "a much longer prompt than the other one"], padding=True)
    assert encoded["attention_mask"][0][0] == 0 and encoded["attention_mask"][0][-1] == 1


def test_a_configured_model_directory_must_be_a_hugging_face_model(tmp_path):
    with pytest.raises(RuntimeError, match="not a Hugging Face model directory"):
        load_text_generator(tmp_path, override=tmp_path)


def test_without_a_promoted_champion_the_loader_uses_the_base_model(adcraft_home):
    """Models generation merely used are registered too (tasks/generate.py), but only promotion makes a
    champion (tests/models/test_text_finetune.py loads a promoted one, and the shipped one)."""
    with warehouse() as con:
        con.execute("INSERT INTO ops.model_registry (model_version, kind, source, path) "
                    "VALUES ('elsewhere@1', 'text', 'configured', '/elsewhere')")
    assert load_text_generator(get_settings().models_dir).version.startswith("smollm2-135m-instruct@")


def test_on_first_use_generation_writes_with_the_shipped_copy_model(adcraft_home):
    from adcraft.generation.plan import TextModel

    model = TextModel.configured(get_settings())
    assert model.corpus_trained and model.examples == 0 and "+lora@" in model.version
    assert model.champion["model_version"] == model.version  # registered and promoted in the warehouse
    assert model.load(get_settings()).version == model.version


def test_with_a_one_token_nucleus_generation_writes_what_transformers_generate_does(generator):
    """With top_p so small that only the likeliest token is left, sampling is deterministic, so the whole
    path (the shared opening run once, a repeated prompt run once, the reserved cache, the decoding loop, the
    repetition penalty over the prompt, padding once a row has ended) must give token for token what
    transformers' generate gives for plain left-padded prompts."""
    other = [CONVERSATION[0], {"role": "user", "content": "Say yes."}]  # a reply that ends early
    conversations = [CONVERSATION, other, CONVERSATION, other, other]
    sampling = SamplingConfig(top_p=1e-6, repetition_penalty=1.15)
    ours = generator.generate(conversations, max_new_tokens=24, seed=5, sampling=sampling)

    tokenizer = generator.tokenizer
    texts = [tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True) for c in conversations]
    encoded = tokenizer(texts, return_tensors="pt", padding=True)
    with torch.inference_mode():
        output = generator.model.generate(
            **encoded, max_new_tokens=24, do_sample=True, temperature=sampling.temperature, top_p=sampling.top_p,
            repetition_penalty=sampling.repetition_penalty, pad_token_id=tokenizer.pad_token_id,
        )
    new_tokens = output[:, encoded["input_ids"].shape[1]:]
    assert (new_tokens == tokenizer.pad_token_id).any(), "some reply must end before the budget"
    assert ours == tokenizer.batch_decode(new_tokens, skip_special_tokens=True)


def test_padding_goes_between_the_shared_opening_and_each_prompts_own_tail():
    ids = [[5, 6, 7, 8], [5, 6, 9]]
    assert _shared_prefix(ids) == 2
    rows, mask = _pad_after(ids, 2, pad_id=0)
    assert rows.tolist() == [[5, 6, 7, 8], [5, 6, 0, 9]] and mask.tolist() == [[1, 1, 1, 1], [1, 1, 0, 1]]
    assert _shared_prefix([[1, 2], [1, 2]]) == 1  # each prompt keeps a token of its own


def test_the_reserved_cache_layer_holds_what_concatenation_would_as_it_grows_and_is_reselected():
    """Past its room, after batch_select_indices and after batch_repeat_interleave, the reserved layer
    returns exactly the keys and values a concatenating DynamicLayer does."""
    reserved, plain = _ReservedLayer(), DynamicLayer()
    generator = torch.Generator().manual_seed(0)
    for i in range(_ReservedLayer.ROOM + 4):  # a 5-token prompt, then one token a step, past the room
        if i == 40:
            for layer in (reserved, plain):
                layer.batch_select_indices(torch.tensor([1, 0]))  # same size: only the data moved
        if i == 80:
            for layer in (reserved, plain):
                layer.batch_repeat_interleave(2)
        rows, tokens = (reserved.keys.shape[0], 1) if i else (2, 5)
        new = [torch.randn(rows, 3, tokens, 4, generator=generator) for _ in range(2)]
        got, expected = reserved.update(*new), plain.update(*new)
        assert all(torch.equal(a, b) for a, b in zip(got, expected))
    assert reserved.get_seq_length() == plain.get_seq_length() == 5 + _ReservedLayer.ROOM + 3
