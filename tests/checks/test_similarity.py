"""check_similarity: relevance to the product, and near-duplicates in the batch and of published lines."""

from adcraft.checks.base import CopyCandidate
from adcraft.checks.gate import check_copy
from adcraft.kernel.channels import CONTENT_TYPES
from gate_helpers import BRAND, LINK, PII, PRODUCT, check


def test_relevance_tells_an_on_topic_line_from_an_off_topic_one():
    on = check("Meet the Linen Shirt in navy: breathable linen for long summer days.")["relevance"]
    off = check("Our quarterly earnings call is on Tuesday; shareholders can dial in early.")["relevance"]
    assert on.score == 1 and on.reason is None
    assert off.score < 0.5 and not off.passed and "Linen Shirt" in off.reason

def test_near_duplicates_within_the_batch_and_against_published_lines():
    text = "Meet the Linen Shirt in navy: breathable linen for long summer days."
    lines = [text, text + " " + LINK, "The Linen Shirt in navy: easy to care for and made to last.",
             "Meet the Linen Shirt in navy: breathable linen for long summer days."]
    items = [CopyCandidate(f"c{i}", ct, CONTENT_TYPES[ct].fields[0].name, t, PRODUCT, LINK)
             for i, (t, ct) in enumerate(zip(lines, ["meta_feed"] * 3 + ["email"]))]
    published = ["Built to last and easy care: the Linen Shirt in navy."]
    results = {(r.item_id, r.check_name): r for r in check_copy(items, BRAND, PII, recent=published)}
    duplicate = {item_id: r for (item_id, name), r in results.items() if name == "near_duplicate"}
    assert duplicate["c0"].score == 1  # the first of two twins stays
    assert duplicate["c1"].score == 0 and "repeats item c0 in this batch" in duplicate["c1"].reason
    assert duplicate["c2"].score == 0.5 and "recently published" in duplicate["c2"].reason
    assert duplicate["c3"].score == 1  # another content type may say the same
