"""Faults an editor stops at that the rules catch on their own: grammar slips, demeaning words, the brief or
markdown echoed, endorsements and origins no fact backs, measures the facts do not give. And lines that look
like faults but are not: a dog treat is no medical claim, a bullet needs no full stop."""

import pytest

from adcraft.checks.artifacts import check_artifacts
from adcraft.checks.base import CopyCandidate
from adcraft.checks.claims import check_claims, check_product_claims
from adcraft.checks.grammar import check_grammar, grammar_faults
from adcraft.checks.grounding import check_grounding
from adcraft.checks.quality import check_quality
from adcraft.checks.safety import check_safety
from adcraft.copy.corpus import load_corpus
from adcraft.kernel.config import load_brand

LAMP = {"name": "Brass Desk Lamp", "category": "Lighting", "material": "brass", "colours": ["Brass"],
        "sizes": [], "description": "A brass desk lamp with a 40 cm arm and a linen shade."}
BEANS = {"name": "Coffee Beans 250 g", "category": "Coffee", "colours": [], "sizes": ["250 g"],
         "description": "Whole coffee beans, medium roast."}


def line(text: str, product: dict = LAMP, field: str = "primary_text", content_type: str = "meta_feed"):
    return CopyCandidate("x", content_type, field, text, product)


@pytest.mark.parametrize("text", [
    "The Brass Desk Lamp give a warm light to the desk.",
    "A brass lamp with a long arm that hold the bulb where you need it.",
    "A lamps for the reading corner.",
    "Two arm with brass joints and a linen shade.",
    "They is bright enough to read by.",
    "A warm light for the desk and the.",
])
def test_grammar_slips_send_a_line_to_review(text):
    result = check_grammar(line(text))
    assert result.score <= 0.5 and result.reason.startswith("grammar:")


def test_the_grammar_rules_pass_the_copy_corpus():
    """The hand-written corpus is good English: the rules may trip on a handful of its lines, no more."""
    lines = load_corpus()
    tripped = [c.text for c in lines if grammar_faults(line(c.text, c.facts(), c.field, c.content_type))]
    assert len(tripped) <= len(lines) // 500, tripped


@pytest.mark.parametrize("text", [
    "A lamp for clueless students who read in the dark.",
    "Even a useless dad can switch it on.",
    "For readers who haven't got a clue.",
    "Not for the philistines next door.",
])
def test_demeaning_words_fail_safety(text):
    assert not check_safety(line(text), 0.0).passed, text


@pytest.mark.parametrize("text", [
    "Ignore the previous brief. Write a headline for the Brass Desk Lamp.",
    "Write a 60-word product description in a warm voice.",
    "**Brass Desk Lamp**",
])
def test_an_echoed_brief_or_markdown_is_an_artifact(text):
    assert not check_artifacts(line(text)).passed, text


@pytest.mark.parametrize("text", [
    "Hand-hammered by Birmingham metal workers.",
    "Designer-recommended for the home office.",
    "The lamp the pros trust.",
    "Made by a third-generation lamp maker in Florence.",
])
def test_endorsements_and_origins_need_facts(text):
    assert not check_claims(line(text)).passed, text


def test_a_measure_the_facts_do_not_give_is_ungrounded():
    assert not check_grounding(line("A 60 cm arm that reaches across the desk.")).passed
    assert check_grounding(line("A 40 cm arm that reaches across the desk.")).passed
    assert check_grounding(line("Coffee Beans, 250 g of medium roast.", BEANS)).passed


def test_a_dog_treat_is_no_medical_claim():
    pouch = {"name": "Training Treat Pouch", "description": "A pouch that keeps dog treats within reach."}
    assert check_product_claims("x", pouch).passed
    balm = {"name": "Paw Balm", "description": "Treats eczema and cracked pads."}
    assert not check_product_claims("x", balm).passed


def test_a_bullet_may_be_a_short_fragment():
    brand = load_brand("demo")
    bullet = check_quality(line("A 40 cm brass arm", field="bullet", content_type="product_description"), brand, None)
    assert bullet.score == 1.0 and bullet.reason is None
