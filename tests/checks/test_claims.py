"""check_claims: awards, origin, newness, luxury and green claims only when the facts back them; health claims
never. check_product_claims: a product record that makes a health claim sends its items to review."""

import pytest

from adcraft.checks.base import CopyCandidate
from adcraft.checks.claims import check_claims, check_product_claims

TEA = {"sku": "T-1", "name": "Assam Breakfast Tea", "category": "Black Tea", "material": None, "colours": [],
       "sizes": ["250 g"], "description": "Loose-leaf Assam black tea, strong and malty; takes milk well."}


def claims(text: str, product: dict = TEA):
    return check_claims(CopyCandidate("c1", "meta_feed", "primary_text", text, product))


@pytest.mark.parametrize("text,reason", [
    ("Beverage of the Year, in your cup every morning.", 'claims an award, ranking or fame ("of the Year")'),
    ("Chai, the world's top drinker!", "the world's"),
    ("Award-winning Assam for strong mornings.", '"Award-winning"'),
    ("The best-selling tea in our shop.", '"best-selling"'),
    ("Hand-picked by skilled artisans in the hills.", 'names an origin, maker or process ("Hand-picked", "artisans"'),
    ("Straight from Kyoto to your kitchen.", '"Straight from Kyoto"'),
    ("Made in Italy, the way tea should be.", '"Made in Italy"'),
    ("A family recipe since 1921.", '"family recipe", "since 1921"'),
    ("One of our newest additions to the menu.", 'says it is new ("newest")'),
    ("Just landed: Assam Breakfast Tea.", '"Just landed"'),
    ("It's a luxury item for your morning.", 'calls it luxury or premium ("luxury")'),
    ("Premium Assam, strong and malty.", '"Premium"'),
    ("Boosts immunity with every cup.", 'makes a health or medical claim ("immunity")'),
    ("A healthy start to a busy day.", '"healthy"'),
    ("Soothes and relieves a sore throat.", '"Soothes", "relieves"'),
    ("Prevents colds all winter long.", '"Prevents colds"'),
    ("Eco-friendly tea that is kind to the planet.",
     'makes an environmental claim ("Eco-friendly", "kind to the planet")'),
    ("Organic leaves, strong and malty.", '"Organic"'),
])
def test_an_unbacked_claim_fails(text, reason):
    result = claims(text)
    assert result.hard and not result.passed and reason in result.reason, result.reason


@pytest.mark.parametrize("text", [
    "Malty, strong and ready for milk.",
    "Your new favourite morning cup.",  # "your new" is the buyer's, not a launch
    "From Monday to Friday, one strong cup of Assam.",
    "Straight from the kettle to your cup.",
    "Loose-leaf Assam that takes milk well.",
    "Prevents spills with a snug lid.",  # not a health claim
])
def test_ordinary_words_are_no_claims(text):
    result = claims(text)
    assert result.passed, result.reason


def test_a_claim_the_facts_make_passes():
    facts = {**TEA, "description": "Organic Assam, hand-picked and made in India by a family-run estate."}
    for text in ("Organic Assam, hand-picked.", "Made in India by a family-run estate.", "Grown in India."):
        assert claims(text, facts).passed, claims(text, facts).reason
    award = {**TEA, "description": "Winner of a Great Taste award, 2024."}
    assert claims("Award-winning Assam, strong and malty.", award).passed


def test_newness_needs_the_campaign_to_pick_a_new_arrival():
    assert not claims("Just in: Assam Breakfast Tea.").passed
    assert claims("Just in: Assam Breakfast Tea.", {**TEA, "selection": "new_arrivals"}).passed


def test_a_health_claim_fails_even_when_the_facts_make_it():
    gummies = {**TEA, "name": "Kids' Vitamin Gummies", "description": "Prevents COVID-19 and raises IQ."}
    assert not claims("Prevents COVID-19 in every chewy bite.", gummies).passed


def test_a_product_record_with_a_health_claim_goes_to_review():
    gummies = {**TEA, "name": "Kids' Vitamin Gummies", "description": "Gelatin gummies that prevent COVID-19 and "
                                                                      "raise IQ."}
    result = check_product_claims("c1", gummies)
    assert not result.hard and not result.passed and result.score == 0.5
    assert '"prevent"' in result.reason and '"IQ"' in result.reason and "a person must check" in result.reason
    assert check_product_claims("c2", TEA).passed
