"""Packed training is exact: the examples of a step packed as prefix trees give the same loss as the same
examples one by one, for fewer tokens."""

import pytest
import torch
from tiny_llama import tiny_llama
from transformers import AutoModelForCausalLM, AutoTokenizer

from models.text_finetune import Forest, _collate, answer_loss, encode, pack, packed_loss

SYSTEM = {"role": "system", "content": "You write ad copy for Lark Lane. Voice: bright and brief."}
TEA = "<product>\nName: Assam Breakfast Tea\nCategory: Black Tea\nSizes: 250 g\n</product>\n"
COFFEE = "<product>\nName: Lungo Capsules\nCategory: Coffee\n</product>\n"
EXAMPLES = [  # one product's lines share their opening; the same request twice has two answers
    ([SYSTEM, {"role": "user", "content": TEA + "Write a search ad headline."}], "Malty Assam, 250 g"),
    ([SYSTEM, {"role": "user", "content": TEA + "Write a search ad headline."}], "A Proper Breakfast Cup"),
    ([SYSTEM, {"role": "user", "content": TEA + "Write an email subject line."}], "Your first cup, sorted"),
    ([SYSTEM, {"role": "user", "content": COFFEE + "Write an SMS."}], "Lark Lane: Lungo capsules are back."),
]


@pytest.fixture(scope="module")
def model_and_examples(tmp_path_factory):
    folder = tiny_llama(tmp_path_factory.mktemp("tiny") / "llama", initializer_range=0.5)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float64, attn_implementation="sdpa").eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    return model, [encode(tokenizer, conversation, answer) for conversation, answer in EXAMPLES], tokenizer


def one_by_one(model, encoded, pad_id: int) -> torch.Tensor:
    return answer_loss(model, *_collate(encoded, pad_id, "cpu"))


def test_one_forest_gives_the_loss_of_the_examples_one_by_one(model_and_examples):
    model, encoded, tokenizer = model_and_examples
    [forest] = pack(encoded, 1024)
    assert forest.examples == 4 and len(forest.ids) < 0.6 * sum(len(ids) for ids, _ in encoded)
    assert len(forest.targets) == sum(label != -100 for _, labels in encoded for label in labels)
    with torch.no_grad():
        packed = packed_loss(model, forest, "cpu")
        reference = one_by_one(model, encoded, tokenizer.eos_token_id)
    assert packed.item() == pytest.approx(reference.item(), rel=1e-6)
    # The mask matters: with plain causal attention over the packed tokens the loss is another.
    leaky = Forest(forest.ids, forest.positions, list(range(-1, len(forest.ids) - 1)), forest.targets, 4)
    with torch.no_grad():
        assert abs(packed_loss(model, leaky, "cpu").item() - reference.item()) > 1e-3


def test_small_forests_together_give_the_same_loss(model_and_examples):
    model, encoded, tokenizer = model_and_examples
    forests = pack(encoded, max(len(ids) for ids, _ in encoded))
    assert len(forests) > 1 and sum(f.examples for f in forests) == len(encoded)
    with torch.no_grad():
        total = sum(packed_loss(model, f, "cpu").item() * len(f.targets) for f in forests)
        reference = one_by_one(model, encoded, tokenizer.eos_token_id).item()
    assert total / sum(len(f.targets) for f in forests) == pytest.approx(reference, rel=1e-6)


def test_a_token_sees_only_its_own_example():
    forest = pack([([1, 2, 3], [-100, -100, 3]), ([1, 2, 4, 5], [-100, -100, 4, 5])], 64)[0]
    assert forest.ids == [1, 2, 3, 4, 5] and forest.positions == [0, 1, 2, 2, 3]
    mask = forest.mask()
    assert mask[4].tolist() == [True, True, False, True, True]  # 5 follows 1 2 4, never 3
    assert forest.targets == [(1, 3), (1, 4), (3, 5)]
