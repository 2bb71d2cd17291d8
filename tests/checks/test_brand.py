"""check_brand_rules: the brand's banned words, and no company or person the facts do not name."""

import pytest

from gate_helpers import assert_fails, check

BAD = [
    # brand_rules
    ("meta_feed", "The Linen Shirt in navy: luxury linen, made for long summer days. Easy care.",
     '"luxury"'),
    ("meta_feed", "The Linen Shirt in navy ships FREE, made for long summer days. Easy care.", '"FREE"'),
]

@pytest.mark.parametrize("content_type,text,reason", BAD)
def test_bad_lines_fail_brand_rules_with_a_reason(content_type, text, reason):
    assert_fails("brand_rules", content_type, text, reason)

def test_another_company_s_name_breaks_the_brand_rules():
    result = check("Loved by Keskirk International and Norden Beauty: the Linen Shirt.")["brand_rules"]
    assert not result.passed and '"Keskirk International", "Norden Beauty"' in result.reason
    assert check("Northwind Outfitters brings you the Linen Shirt in navy.")["brand_rules"].passed
    elsewhere = check("The Linen Shirt in navy, now available on Amazon.")["brand_rules"]
    assert not elsewhere.passed and '"Amazon"' in elsewhere.reason

def test_a_name_the_facts_do_not_give_breaks_the_brand_rules():
    result = check("A masterful Linen Shirt from the legendary Mohamad Mahathir.")["brand_rules"]
    assert not result.passed
    assert 'names someone or something the product\'s facts do not: "Mohamad Mahathir"' in result.reason
    designed = {"name": "Linen Shirt", "description": "Designed by Mohamad Mahathir."}
    assert check("The Linen Shirt, by Mohamad Mahathir.", product=designed)["brand_rules"].passed
    # Title case of everyday words, and the product's own names, are no one's name.
    assert check("Black Friday: the Harbour Linen Shirt in Navy.", product={"name": "Harbour Linen Shirt"}
                 )["brand_rules"].passed

def test_a_banned_word_is_banned_in_every_form():
    result = check("A luxurious Linen Shirt, cheaper than ever.")["brand_rules"]
    assert not result.passed and '"luxurious", "cheaper"' in result.reason
    assert "luxurious" in check("A luxurious linen shirt in navy.")["quality"].reason  # the voice avoids it too
