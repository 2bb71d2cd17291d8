"""The real default model (SmolLM2-135M-Instruct), converted once into the test model cache."""

import pytest

from adcraft.settings import get_settings
from models.text_generator import TextGenerator, default_model_dir, load_text_generator, pick_device

CONVERSATION = [
    {"role": "system", "content": "You write short ad copy. Reply with the ad text only."},
    {"role": "user", "content": "<product>Linen Shirt | shirts | linen | navy | 39.00 EUR</product>\nWrite a headline."},
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
