"""Grounding reads a price however a brand's locale writes it (Babel: "$18.00", "18,00 €", "CHF 1'234.50",
"1 234,50 $US"), and still fails a wrong amount or a currency the product is not priced in."""

import pytest

from adcraft.checks.base import CopyCandidate
from adcraft.checks.grounding import check_grounding
from adcraft.kernel.config import load_brand

BRAND = load_brand("demo")
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "de_CH", "nl_NL", "sv_SE", "pl_PL", "ja_JP", "pt_BR", "en_IN"]
CURRENCIES = {"USD": "1234.50", "EUR": "18.00", "GBP": "5.50", "CHF": "1234.50", "SEK": "249.00", "JPY": "1800",
              "CAD": "42.00", "BRL": "99.90"}


def grounded(text: str, price: str, currency: str):
    item = CopyCandidate("c1", "meta_feed", "headline", text, {"name": "Camp Mug", "price": price,
                                                               "currency": currency})
    return check_grounding(item)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_price_written_the_locales_way_is_the_products_price(locale):
    brand = BRAND.model_copy(update={"locale": locale})
    for currency, price in CURRENCIES.items():
        text = f"Camp Mug, {brand.price(price, currency)}"
        assert grounded(text, price, currency).passed, (locale, text)
        wrong = grounded(text, str(float(price) + 1), currency)
        assert not wrong.passed and "mentions" in wrong.reason, (locale, text)


def test_a_usd_price_is_never_passed_as_euros():
    assert not grounded("Camp Mug, 18.00 EUR", "18.00", "USD").passed
    assert not grounded("Camp Mug, 18,00 €", "18.00", "USD").passed
    assert grounded("Camp Mug, $18.00", "18.00", "USD").passed
    assert grounded("Camp Mug, 18.00 USD", "18.00", "USD").passed  # the brand's `price_format: code`
    result = grounded("Camp Mug, €18.00", "18.00", "USD")
    assert 'mentions "€18.00" but the product costs $18.00' in result.reason
