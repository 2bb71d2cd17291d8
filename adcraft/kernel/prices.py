"""Prices as a brand writes them: the locale's way with Babel ("$18.00", "18,00 €" for de_DE, "£5.50"), or as
an amount and ISO code ("18.00 EUR"). Copy, banners and the gate's messages all write prices here."""

from decimal import Decimal, InvalidOperation
from typing import Literal

DEFAULT_LOCALE = "en"
Style = Literal["locale", "code"]
# Copy and banners use plain spaces: an SMS has no no-break space (GSM-7), and not every font draws U+202F.
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def format_price(amount, currency: str | None, locale: str | None = None, style: Style = "locale") -> str:
    """'$18.00' (en_US), '18,00 €' (de_DE), or '18.00 EUR' with style 'code'; '' when the amount is missing or
    no number. A currency Babel does not know is written with its code."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return ""
    if not value.is_finite():
        return ""
    code = str(currency or "").strip().upper()
    if style == "code" or not code:
        return f"{value:.2f} {code}".strip()
    from babel.numbers import UnknownCurrencyError, format_currency

    try:
        return format_currency(value, code, locale=locale or DEFAULT_LOCALE).translate(SPACES)
    except UnknownCurrencyError:
        return f"{value:,.2f} {code}"


def known_locale(name: str) -> str:
    """A Babel locale name as Babel writes it ('en-US' -> 'en_US'); ValueError for one it does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(name.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"{name!r} is not a locale Babel knows; write it as en_US, de_DE or fr_CH") from None
