"""Best-of-N selection on real gate results: failures lose, repeats make room for different lines."""

from adcraft.checks.base import CopyCandidate
from adcraft.checks.gate import HARD_FAIL, check_copy, gate_scores
from adcraft.generation.best_of_n import distinct_2, overlap, select
from adcraft.kernel.config import load_brand

PRODUCT = {
    "sku": "NW-SHIRT-01", "name": "Linen Shirt", "category": "shirts", "brand": "Northwind", "price": 39,
    "currency": "EUR", "material": "100% linen", "colours": ["navy", "sand"], "sizes": ["S", "M", "L"],
    "stock": 40, "description": "A relaxed shirt in washed linen.",
}
CANDIDATES = [
    "Cheap linen shirt, guaranteed to last",  # banned words: a hard failure
    "Meet the Linen Shirt in navy and sand",
    "Meet the Linen Shirt in navy and sand",  # an exact repeat of the line above
    "Your new everyday linen shirt is here",
]


def test_the_best_diverse_candidates_are_kept_and_hard_failures_are_not():
    items = [CopyCandidate(str(i), "email", "subject", t, PRODUCT) for i, t in enumerate(CANDIDATES)]
    scores = gate_scores(check_copy(items, load_brand("demo")))
    assert scores["0"] == HARD_FAIL and scores["1"] > 0.5 and scores["3"] > 0.5

    assert sorted(select(CANDIDATES, [scores[str(i)] for i in range(4)], keep=2)) == [1, 3]


def test_a_repeat_is_not_kept_while_a_different_line_remains():
    assert select(["same line here", "same line here", "other words"], [0.9, 0.9, 0.6], keep=2) == [0, 2]


def test_overlap_and_distinct_2():
    assert overlap("a b c", "a b c") == 1.0 and overlap("a b c", "x y z") == 0.0
    assert distinct_2(["a b c", "a b c"]) == 0.5 and distinct_2(["a b", "c d"]) == 1.0


def test_selection_keeps_at_most_what_there_is():
    assert select(["only one"], [0.9], keep=3) == [0]
