"""The whole gate: good lines of every field pass every check, fact lines are checked as facts, and the gate
meets its targets on the labelled evaluation set."""

import pytest

from adcraft.checks.base import CopyCandidate
from adcraft.checks.gate import check_copy
from adcraft.kernel.channels import CONTENT_TYPES
from gate_helpers import BRAND, HARD, LINK, PII, PRODUCT, check

PARAGRAPH = (
    "The Linen Shirt is made of 100% linen and comes in navy and sand. It feels light and cool on the skin, even "
    "on the warmest afternoons. Wear it open over a tee at the beach, or buttoned up for a summer dinner in town. "
    "The washed linen is cut loose, with a soft collar and a curved hem. It only gets softer with every wash, so "
    "it stays a favourite for years. It costs 39.00 EUR."
)


GOOD = [
    ("google_rsa", "Linen Shirt for Summer"),
    ("google_rsa", "Soft Linen, Made to Last"),
    ("email", "Your new everyday linen shirt is here"),
    ("email", "Meet the Linen Shirt in navy and sand"),
    ("meta_feed", "Meet the Linen Shirt in navy: soft 100% linen, made for long summer days. Now €39."),
    ("meta_feed", "Built to last, easy to love. The Linen Shirt, 39 EUR, in sand or navy."),
    ("meta_feed", "Our washed linen shirt keeps you cool from the morning commute to the evening walk home."),
    ("sms", f"Northwind: the Linen Shirt in navy is here, €39.00. Easy care, built to last. {LINK}"),
    ("sms", f"The Linen Shirt is back in sand. Crafted for everyday summer days: {LINK}"),
]


FIELDS = [  # (content type, field, text): the fields after each content type's first
    ("google_rsa", "description", "Breathable washed linen in navy and sand, made for long summer days."),
    ("meta_feed", "headline", "The Linen Shirt is here"),
    ("email", "preheader", "Soft washed linen in navy and sand, made for long summer days."),
    ("product_description", "paragraph", PARAGRAPH),
]


@pytest.mark.parametrize("content_type,text", GOOD)
def test_good_lines_pass_every_check(content_type, text):
    assert_passes(content_type, CONTENT_TYPES[content_type].fields[0].name, text)


@pytest.mark.parametrize("content_type,field,text", FIELDS)
def test_good_lines_of_every_field_pass_every_check(content_type, field, text):
    assert_passes(content_type, field, text)


def assert_passes(content_type, field, text):
    results = check(text, content_type, field=field)
    for name in HARD:
        assert results[name].passed, (name, results[name].reason)
    assert results["quality"].score >= 0.75, results["quality"].reason
    assert results["repetition"].passed and results["language"].passed


def test_fact_lines_are_checked_as_facts_not_as_ad_lines():
    def fact(text: str, product: dict) -> dict:
        item = CopyCandidate("f", "product_description", "bullet", text, product, from_facts=True)
        return {r.check_name: r for r in check_copy([item], BRAND, PII)}

    bullets = fact("Price: 39.00 EUR", PRODUCT)
    assert {"quality", "relevance", "near_duplicate", "editor"}.isdisjoint(bullets)  # it need not name the product
    assert all(r.passed for r in bullets.values()), bullets
    # Still facts from untrusted product data: a banned word in the record fails the line.
    assert not fact("Material: luxury linen", {**PRODUCT, "material": "luxury linen"})["brand_rules"].passed


def test_a_line_written_from_facts_is_checked_as_a_fact_not_as_an_ad_line():
    text = "Linen Shirt, 39.00 EUR"
    fact = CopyCandidate("f1", "google_rsa", "headline", text, PRODUCT, LINK, "b1", 0, from_facts=True)
    model = CopyCandidate("m1", "google_rsa", "headline", text, PRODUCT, LINK, "b1", 1)
    results = check_copy([fact, model], BRAND, PII, recent=[text])  # published yesterday, word for word
    by_item = {(r.item_id, r.check_name): r for r in results}
    assert ("f1", "near_duplicate") not in by_item and by_item[("f1", "grounding")].passed
    assert not by_item[("m1", "near_duplicate")].passed  # the model's line must say something new

def test_the_gate_meets_its_targets_on_the_evaluation_set():
    from bench.gate_eval import evaluate, meets_targets

    report = evaluate()
    assert report["lines"] >= 300 and report["good"]["lines"] >= 100
    assert all(row["lines"] > 0 for row in report["categories"].values())
    assert meets_targets(report) == [], report["categories"]
