"""Checks on generated copy: is it within the channel's limits, true to the product, free of personal
data, safe, on brand and clean of model residue, is its product record clean, and how good, readable,
relevant and new is it (relevance and near-duplicates live in similarity.py).

Everything works on a whole batch at once so the profanity model runs once per batch, not per line.
Word lists live in lexicon.yaml and blocklist.txt next to this file.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path

import phonenumbers
import py3langid
import pyphen
import yaml
from profanity_check import predict_prob
from stdnum import iban, luhn
from wordfreq import zipf_frequency

from adcraft.channels import CONTENT_TYPES, FieldSpec, word_count
from adcraft.config import Brand
from adcraft.copy_formats import line_problems
from models.scorers import similarity
from models.scorers.base import CheckResult

HERE = Path(__file__).parent
LEX = yaml.safe_load((HERE / "lexicon.yaml").read_text())

PROFANITY_THRESHOLD = 0.6
"""alt-profanity-check scores some garment words near 0.5 ("merino wool jumper" 0.62 on its own), so
product words are masked before scoring and the bar sits a little above the classifier's 0.5."""
SCARCITY_MAX_STOCK = 5
PHONE_REGIONS = ("DE", "GB", "US", "FR", "NL")
SOFT_PASS = 0.5


@dataclass(frozen=True)
class CopyCandidate:
    item_id: str
    content_type: str
    field: str
    text: str
    product: dict
    link: str | None = None
    brief_id: str | None = None
    """Set for stored lines, so the format check can assemble a brief's lines into an item."""
    variant: int = 0
    from_facts: bool = False
    """The template wrote it from the product's facts ("Canvas Backpack, 141.95 EUR"); no model did."""


@dataclass(frozen=True)
class KnownPII:
    """Customers' full names ("first last") and emails, lowercased."""

    names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()


def known_pii_from_warehouse(con) -> KnownPII:
    [(names, emails)] = con.execute(
        """
        SELECT coalesce(list(DISTINCT lower(trim(name))) FILTER (WHERE trim(name) <> ''), []),
               coalesce(list(DISTINCT lower(trim(email))) FILTER (WHERE trim(email) <> ''), [])
        FROM raw.customers
        """
    ).fetchall()  # not fetchone: DuckDB 2 keeps a half-read result open and blocks the connection
    return KnownPII(frozenset(names), frozenset(emails))


# --- shared patterns --------------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-](?![sS]\b)[^\W\d_]+)*")  # O'Neil, Anne-Marie; not Jane's


def _phrases(words: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern | None:
    """One regex matching any of the words or phrases as whole words, longest first."""
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", flags)


def _word_forms(words: Iterable[str]) -> re.Pattern | None:
    """Like _phrases, and a word of five letters or more matches its other forms too ("luxury" matches
    "luxurious", "cheap" "cheapest"): a brand that bans a word bans what it says."""
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    forms = [re.escape(w[: max(5, len(w) - 1)]) + r"\w*" if " " not in w and len(w) >= 5 else re.escape(w)
             for w in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)", re.IGNORECASE)


def _any_of(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.MULTILINE)


def _fragments(pattern: re.Pattern | None, text: str) -> list[str]:
    """Distinct matched fragments, in order of appearance."""
    if pattern is None:
        return []
    return list(dict.fromkeys(m.group(0).strip() for m in pattern.finditer(text)))


def _quote(fragments: Iterable[str]) -> str:
    return ", ".join(f'"{f}"' for f in fragments)


def _mask(value: str) -> str:
    """Enough of a personal value to find it in the text, without copying it into the scores table."""
    return value[:2] + "…" + value[-2:] if len(value) > 4 else value[:1] + "…"


def _result(item: CopyCandidate, check: str, hard: bool, score: float, notes: list[str]) -> CheckResult:
    passed = not notes if hard else score >= SOFT_PASS
    return CheckResult(item.item_id, check, hard, passed, round(score, 3), "; ".join(notes) or None)


def _hard(item: CopyCandidate, check: str, problems: list[str]) -> CheckResult:
    return _result(item, check, True, 0.0 if problems else 1.0, problems)


def _without_link(item: CopyCandidate) -> str:
    """The text with the campaign link blanked: we wrote the link, so its SKU and digits are not the model's."""
    return item.text.replace(item.link, " " * len(item.link)) if item.link else item.text


def _field_spec(item: CopyCandidate) -> FieldSpec | None:
    content_type = CONTENT_TYPES.get(item.content_type)
    return content_type.field(item.field) if content_type else None


def _product_text(product: dict, *keys: str) -> str:
    """The product's values under keys as one lowercase string, lists flattened."""
    parts = []
    for key in keys:
        value = product.get(key)
        parts.extend(value if isinstance(value, list) else [value])
    return " ".join(str(p) for p in parts if p is not None).lower()


# --- channel_limits ---------------------------------------------------------------------------


def channel_limits(item: CopyCandidate) -> CheckResult:
    """The line against its field's limits, as the content type's pydantic model validates it."""
    if _field_spec(item) is None:
        return _hard(item, "channel_limits", [f'unknown field "{item.field}" for content type "{item.content_type}"'])
    return _hard(item, "channel_limits", line_problems(item.content_type, item.field, item.text))


# --- grounding --------------------------------------------------------------------------------


def _token_pattern(token: str) -> str:
    """A currency token as a regex that will not match inside a longer word."""
    pattern = re.escape(token)
    if token[0].isalpha():
        pattern = r"(?<![^\W\d_])" + pattern
    if token[-1].isalpha():
        pattern += r"(?![^\W\d_])"
    return pattern


CURRENCY: dict[str, frozenset[str]] = {  # lowercase token -> the ISO codes it may stand for
    **{s.lower(): frozenset(c) for s, c in LEX["currency_symbols"].items()},
    **{w.lower(): frozenset(c) for w, c in LEX["currency_words"].items()},
    **{c.lower(): frozenset([c]) for c in LEX["currency_codes"]},
}
SYMBOL_FOR = {codes[0]: s for s, codes in reversed(LEX["currency_symbols"].items())}
CURRENCY_TOKEN = "(?:" + "|".join(_token_pattern(t) for t in sorted(CURRENCY, key=len, reverse=True)) + ")"
NUMBER = r"\d+(?:[.,]\d{3})*(?:[.,]\d{1,2})?"
AMOUNT = re.compile(
    rf"(?P<cur1>{CURRENCY_TOKEN})\s?(?P<num1>{NUMBER})(?![\d%])"
    rf"|(?<![\d.,])(?P<num2>{NUMBER})\s?(?P<cur2>{CURRENCY_TOKEN})",
    re.IGNORECASE,
)
# Without an amount only symbols and upper-case codes count: "pound" or "cad" alone are ordinary words.
# Inside a word a symbol is no currency: "a$$hole", "$COLOUR".
CURRENCY_ALONE = re.compile(
    "|".join(rf"(?<![^\W\d_]){_token_pattern(t)}(?![^\W\d_])"
             for t in sorted([*LEX["currency_symbols"], *LEX["currency_codes"]], key=len)[::-1])
)
BARE_DECIMAL = re.compile(r"(?<![\d.,])\d+[.,]\d{2}(?![\d%]|[.,]\d)")
PROMOTION = _any_of(LEX["promotion_patterns"])
PERCENT_OF = re.compile(r"(\d+(?:[.,]\d+)?)\s?%\s*([^\W\d_]+)")
SCARCITY = _any_of(LEX["scarcity_patterns"])
STOCK_COUNT = re.compile(r"\d+")
def _claims(words: Iterable[str]) -> re.Pattern:
    """Like _phrases, and a plural names the word too ("leathers", "reds"); the word is group "base"."""
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?P<base>" + "|".join(re.escape(w) for w in words) + r")(?:e?s)?(?!\w)", re.IGNORECASE)


COLOUR = _claims([*LEX["colours"], *LEX["colour_synonyms"]])
MATERIAL = _claims(LEX["materials"])
NOT_MATERIAL = _any_of(LEX["not_material_patterns"])
COLOUR_SYNONYMS = _phrases(LEX["colour_synonyms"])
NUMBER_WORD = "(?:" + "|".join(sorted([*LEX["number_words"], "hundred", "thousand"], key=len, reverse=True)) + ")"
NUMBER_WORDS = re.compile(rf"\b{NUMBER_WORD}(?:(?:\s+and\s+|[\s-]+){NUMBER_WORD})*\b", re.IGNORECASE)
SIZE_WORD = _phrases(LEX["size_words"])
SIZE_NUMBERS = re.compile(r"\bsizes?\s+(?:up to\s+|from\s+)?(\d{1,2})(?:\s*(?:to|-|–)\s*(\d{1,2}))?\b", re.IGNORECASE)
SIZE_COUNT = re.compile(r"\b(\d+)\s+(?:different\s+|available\s+)?sizes\b", re.IGNORECASE)
EVERY_SIZE = re.compile(r"\b(?:all|every|any)\s+sizes?\b", re.IGNORECASE)


def _run_together(phrase: str) -> str:
    return re.sub(r"[\s-]+", "", phrase.lower())


# A phrase's words may also come hyphenated or run together ("EcoFriendly"): the claim is the same, so the
# list's spellings of one claim ("eco-friendly", "eco friendly") make one pattern.
FEATURE_CLAIMS = {_run_together(claim): claim for claim in LEX["feature_claims"]}
FEATURE = re.compile(
    r"(?<!\w)(?:" + "|".join(r"[\s-]?".join(map(re.escape, re.split(r"[\s-]+", claim)))
                             for claim in sorted(FEATURE_CLAIMS.values(), key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
HISTORY = _any_of(LEX["history_claim_patterns"])
PRODUCT_TYPE = _claims([word for words in LEX["product_types"].values() for word in words])
PAIRED = re.compile(r"\b(?:with|over|under|underneath|beneath|into|alongside|beside)\b", re.IGNORECASE)
TYPE_GROUPS = {  # word -> the groups it belongs to
    word: {group for group, words in LEX["product_types"].items() if word in words}
    for words in LEX["product_types"].values() for word in words
}


def _number_value(words: str) -> int:
    """'one hundred and nine' -> 109, 'ninety-nine' -> 99."""
    total, current = 0, 0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        elif word != "and":
            current += LEX["number_words"][word]
    return total + current


def _digits(text: str) -> str:
    """Number words as digits, so "only three left" is checked like "only 3 left"."""
    return NUMBER_WORDS.sub(lambda m: str(_number_value(m.group(0))), text)


def _parse_amount(number: str) -> Decimal | None:
    """'1,299.00', '1.299,00', '39,90' and '39' as Decimals; a separator before 1-2 final digits is decimal."""
    match = re.fullmatch(r"(.*?)(?:[.,](\d{1,2}))?", number)
    whole, cents = match.group(1), match.group(2) or "0"
    try:
        return Decimal(re.sub(r"[.,]", "", whole) + "." + cents)
    except InvalidOperation:
        return None


def _price(product: dict) -> tuple[Decimal | None, str]:
    currency = str(product.get("currency") or "").upper()
    try:
        return Decimal(str(product["price"])).quantize(Decimal("0.01")), currency
    except (KeyError, InvalidOperation, TypeError, ValueError):
        return None, currency


def _format_price(price: Decimal, currency: str) -> str:
    symbol = SYMBOL_FOR.get(currency)
    return f"{symbol}{price}" if symbol else f"{price} {currency}"


def _price_problems(text: str, product: dict) -> list[str]:
    price, currency = _price(product)
    costs = f"the product costs {_format_price(price, currency)}" if price is not None else "the product has no price"
    problems, covered = [], []
    for m in AMOUNT.finditer(text):
        covered.append(m.span())
        token = (m.group("cur1") or m.group("cur2")).lower()
        amount = _parse_amount(m.group("num1") or m.group("num2"))
        if currency not in CURRENCY[token] or price is None or amount != price:
            problems.append(f'mentions "{m.group(0)}" but {costs}')
    for m in CURRENCY_ALONE.finditer(text):
        if not any(a <= m.start() < b for a, b in covered) and currency not in CURRENCY[m.group(0).lower()]:
            priced_in = currency or "no currency"
            problems.append(f'mentions the currency "{m.group(0)}" but the product is priced in {priced_in}')
    for m in BARE_DECIMAL.finditer(text):
        if not any(a <= m.start() < b for a, b in covered) and _parse_amount(m.group(0)) != price:
            problems.append(f'mentions "{m.group(0)}" but {costs}')
    return problems


def _grounded_percent(match: re.Match, text: str, product: dict) -> bool:
    """'100% cotton' is a material fact, not a promotion, when the product record says so."""
    of = PERCENT_OF.match(text, match.start())
    if of is None:
        return False
    percent, word = of.group(1), of.group(2).lower()
    material = _product_text(product, "material")
    named = _fragments(MATERIAL, material)
    if f"{percent}%" in material.replace(" %", "%") and word in material:
        return True
    return percent == "100" and [n.lower() for n in named] == [word]


def _promotion_problems(text: str, product: dict) -> list[str]:
    claims = [m.group(0).strip() for m in PROMOTION.finditer(text) if not _grounded_percent(m, text, product)]
    return [f'claims a promotion ({_quote(dict.fromkeys(claims))}) but none is running'] if claims else []


def _unlisted_words(pattern: re.Pattern, text: str, allowed: str, listed: str) -> list[str]:
    """Words of pattern in text that allowed does not name. A word right after one of the listed values
    is the second half of a compound ("forest green" for a forest jumper), not a claim of its own."""
    allowed = COLOUR_SYNONYMS.sub(lambda m: LEX["colour_synonyms"][m.group(0).lower()], allowed)
    listed_words = set(WORD.findall(listed))
    unlisted = []
    for m in pattern.finditer(text):
        word = m.group(0)
        base = m.group("base").lower()
        canonical = LEX["colour_synonyms"].get(base, base)
        # Only a compound when nothing but a space separates them: "slate! Gold." is two claims.
        before = re.search(r"(\w+)\s+$", text[: m.start()].lower())
        if before and before.group(1) in listed_words:
            continue
        if not re.search(rf"(?<!\w){re.escape(canonical)}(?!\w)", allowed):
            unlisted.append(word)
    return list(dict.fromkeys(unlisted))


def _size_problems(text: str, product: dict) -> list[str]:
    sizes = {str(s).lower() for s in product.get("sizes") or []}
    listed = ", ".join(str(s) for s in product.get("sizes") or []) or "no listed size"
    claimed = _fragments(SIZE_WORD, text)
    for m in SIZE_NUMBERS.finditer(text):
        claimed += [n for n in m.groups() if n]
    unlisted = list(dict.fromkeys(c for c in claimed if c.lower() not in sizes))
    problems = [f"names the size {_quote(unlisted)} but the product comes in {listed}"] if unlisted else []
    # "3 different sizes", "in every size": a claim about how many there are.
    counts = [m.group(0) for m in SIZE_COUNT.finditer(text) if int(m.group(1)) != len(sizes)]
    counts += [m.group(0) for m in EVERY_SIZE.finditer(text) if len(sizes) <= 1]
    if counts:
        problems.append(f"says {_quote(dict.fromkeys(counts))} but the product comes in {listed}")
    return problems


def _type_problems(text: str, product: dict) -> list[str]:
    """Words for another kind of product: "Sleek corduroy tshirt" about cargo pants. What the product goes
    with is no claim about it: "pairs with shorts or chinos", "layer it over a shirt"."""
    own = _product_text(product, "name", "category", "description")
    groups = {g for m in PRODUCT_TYPE.finditer(_product_text(product, "name", "category"))
              for g in TYPE_GROUPS[m.group("base").lower()]}
    wrong = [m.group(0) for m in PRODUCT_TYPE.finditer(text)
             if not re.search(rf"(?<!\w){re.escape(m.group(0).lower())}(?!\w)", own)
             and not TYPE_GROUPS[m.group("base").lower()] & groups
             and not PAIRED.search(re.split(r"[.!?;:]", text[:m.start()])[-1])]
    if not wrong:
        return []
    return [f"calls the product {_quote(dict.fromkeys(wrong))}, but it is \"{product.get('name')}\" "
            f"({product.get('category') or 'no category'})"]


def _phrase_stems(phrase: str) -> re.Pattern:
    """Any form of each word of the phrase, its words apart by spaces or hyphens: "recycled" finds
    "recycling", "eco-friendly" "eco friendly", "sustainability" "sustainably"."""
    words = re.split(r"[\s-]+", phrase.lower())
    stems = [re.escape(w[: min(9, max(5, len(w) - 2))]) + r"\w*" for w in words]
    return re.compile(r"(?<!\w)" + r"[\s-]*".join(stems), re.IGNORECASE)


def _feature_problems(text: str, product: dict) -> list[str]:
    """Claims only the product's own facts can make ("waterproof", "organic", "handmade", "since 1921")."""
    facts = _product_text(product, "name", "category", "material", "description")
    unsupported = [claim for claim in _fragments(FEATURE, text)
                   if not _phrase_stems(FEATURE_CLAIMS[_run_together(claim)]).search(facts)]
    unsupported += [claim for claim in _fragments(HISTORY, text) if claim.lower() not in facts]
    if not unsupported:
        return []
    return [f"claims {_quote(unsupported)}, which the product's facts do not say"]


def _scarcity_problems(text: str, product: dict) -> list[str]:
    stock = product.get("stock")
    problems = []
    for claim in _fragments(SCARCITY, text):
        count = STOCK_COUNT.search(claim)
        if stock is None or stock > SCARCITY_MAX_STOCK:
            problems.append(f'claims scarcity ("{claim}") but {stock if stock is not None else "unknown"} are in stock')
        elif count and int(count.group(0)) != stock:
            problems.append(f'says "{claim}" but {stock} are in stock')
    return problems


NAME_NEIGHBOUR_SIMILARITY = 0.7
NAME_LOOKALIKE_SIMILARITY = 0.75
"""How alike (difflib ratio) a word must be to a word of the product's name to count as a misspelling of it:
next to the rest of the name ("Softshell Glettle") a looser match is enough than for a capitalised word on
its own ("Kester" for "Kestrel")."""


RENAMING_WORD = 4.0
"""wordfreq Zipf frequency under which a word in front of the rest of the name renames the product; common
words ("Shop Felt Loafers", "Classic Felt Loafers") only describe it."""


SINGULAR_GAP = 1.5
"""Zipf frequency a name's word minus its final s may fall below the word and still be its singular ("Loafer"
for "Loafers"); rarer, it is the word cut short ("Canva" for "Canvas")."""


def _misspells(word: str, target: str, similarity: float) -> bool:
    return (
        word[0] == target[0] and not _same_word(word, target)
        and SequenceMatcher(None, word, target).ratio() >= similarity
    )


def _same_word(word: str, target: str) -> bool:
    """The word, or its singular or plural."""
    if _stem(word) != _stem(target):
        return False
    shorter, longer = sorted((word, target), key=len)
    return shorter == longer or zipf_frequency(shorter, "en") >= zipf_frequency(longer, "en") - SINGULAR_GAP


def _name_problems(text: str, product: dict) -> list[str]:
    """Words that garble the product's name: small models mangle names they have not seen ("Skerry
    Softshell Glet" for "Gilet", "Kester" for "Kestrel"), and a wrong name is a wrong fact."""
    written_name = NAME_WORD.findall(str(product.get("name") or ""))
    name = [w.lower() for w in written_name]
    known = set(WORD.findall(_product_text(product, "name", "brand", "category", "material", "colours",
                                           "description")))
    words = NAME_WORD.findall(text)
    garbled = []
    for i, word in enumerate(words):
        lower = word.lower()
        # A word of the name begun, then written whole: "The Kestrel can canvas pack" for "Canvas Backpack".
        # Checked before the common words are let through, since the start ("can") usually is one.
        if i + 1 < len(words) and any(n.startswith(lower) and n != lower and _same_word(words[i + 1].lower(), n)
                                      for n in name):
            garbled.append(word)
            continue
        if lower in known or lower in STOPWORDS or len(lower) < 3:
            continue
        # Beside a word of the name, where the name's next (or previous) word belongs.
        neighbours = [name[k + step] for k in range(len(name)) for step in (1, -1)
                      if 0 <= k + step < len(name) and 0 <= i - step < len(words)
                      and _stem(words[i - step].lower()) == _stem(name[k])]
        lookalike = word[0].isupper() and len(lower) >= 4 and any(
            len(n) >= 4 and not (n.startswith(lower) or lower.startswith(n))
            and _misspells(lower, n, NAME_LOOKALIKE_SIMILARITY) for n in name
        )
        # A rare word where the name's first word belongs: "Ember Felt Loafers" for "Evergreen Felt Loafers".
        renamed = (
            len(name) >= 3 and word[0].isupper() and lower not in name and i + 2 < len(words)
            and [w.lower() for w in words[i + 1:i + len(name)]] == name[1:]
            and zipf_frequency(lower, "en") < RENAMING_WORD
        )
        # The name's opening words, then a word of its own: "Kestrel Nubuck Sleek Cloak" for "Kestrel Nubuck
        # Slippers". In lower case, only where the opening words lost the name's capitals too and the word is
        # begun like the one it replaces ("Canyon corduroy corsage pants" for "Canyon Corduroy Cargo Pants"):
        # after the name as written, a lower-case word is usually the sentence going on ("gets you through").
        cut_short = not any(_same_word(lower, n) for n in name) and any(
            i >= k and [w.lower() for w in words[i - k:i]] == name[:k]
            and (word[0].isupper() or (lower[0] == name[k][0] and words[i - k:i] != written_name[:k]))
            for k in range(2, len(name))
        )
        # A rare word begun like the name's word it stands in for: "Everglow Felt" for "Evergreen Felt".
        same_start = word[0].isupper() and zipf_frequency(lower, "en") < RENAMING_WORD and any(
            lower[:3] == n[:3] and not _same_word(lower, n) for n in neighbours
        )
        if lookalike or renamed or cut_short or same_start or any(
            _misspells(lower, n, NAME_NEIGHBOUR_SIMILARITY) for n in neighbours
        ):
            garbled.append(word)
    if not garbled:
        return []
    return [f"misspells the product name: {_quote(dict.fromkeys(garbled))} (it is \"{product.get('name')}\")"]


RARE_WORD = 2.0
"""wordfreq Zipf frequency under which a word that looks like one of the product's category or material words
is that word misspelt ("footware" for "Footwear"); commoner lookalikes are words of their own."""


def _fact_word_problems(text: str, product: dict) -> list[str]:
    """Rare words that are the product's category or material misspelt: a wrong word for a fact."""
    facts = {w for w in WORD.findall(_product_text(product, "category", "material")) if len(w) >= 5}
    found = {}
    for word in WORD.findall(text):
        lower = word.lower()
        if lower in facts or zipf_frequency(lower, "en") >= RARE_WORD:
            continue
        target = next((f for f in sorted(facts) if _misspells(lower, f, NAME_LOOKALIKE_SIMILARITY)), None)
        if target:
            found[word] = target
    return [f'misspells "{target}" as "{word}"' for word, target in found.items()]


def grounding(item: CopyCandidate, allowed_promotions: re.Pattern | None = None) -> CheckResult:
    text = _without_link(item)
    text = allowed_promotions.sub(" ", text) if allowed_promotions else text
    said, text = text, _digits(text)
    product = item.product
    problems = _price_problems(text, product) + _promotion_problems(text, product)
    colours = _unlisted_words(
        COLOUR, text, _product_text(product, "colours", "name"), _product_text(product, "colours")
    )
    if colours:
        listed = ", ".join(product.get("colours") or []) or "no listed colour"
        problems.append(f"names the colour {_quote(colours)} but the product comes in {listed}")
    materials = _unlisted_words(
        MATERIAL, NOT_MATERIAL.sub(" ", text),
        _product_text(product, "material", "name", "category", "description"), _product_text(product, "material"),
    )
    if materials:
        made_of = product.get("material") or "an unlisted material"
        problems.append(f"names {_quote(materials)} but the product is made of {made_of}")
    problems += _scarcity_problems(text, product) + _size_problems(text, product) + _name_problems(said, product)
    problems += _feature_problems(text, product) + _type_problems(said, product) + _fact_word_problems(said, product)
    if problems and text != said:
        problems.append("(number words were read as digits)")
    return _hard(item, "grounding", problems)


# --- pii --------------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "anna [at] example [dot] com", "john.doe(at)example.com": written out to dodge a filter, still an address.
SPELLED_EMAIL = re.compile(
    r"[\w.+-]+\s*[\[(]\s*at\s*[\])]\s*[\w-]+(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[\w-]+)+", re.IGNORECASE
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
CARD = re.compile(r"(?<![\d.,])(?:\d[ -]?){12,18}\d(?![\d.,])")
DIGIT_RUN = re.compile(r"(?<![\w.,])\+?\d(?:[\s().\-/]{0,2}\d){8,}(?![\w])")


class _NameIndex:
    """Customer names split into words, so a text is searched with a few set lookups, not one per name."""

    def __init__(self, pii: KnownPII):
        self.names = {" ".join(NAME_WORD.findall(n.lower())) for n in pii.names}
        self.names = {n for n in self.names if " " in n}  # a lone first name would match ordinary words
        self.longest = max((n.count(" ") + 1 for n in self.names), default=0)
        self.emails = {e.lower() for e in pii.emails}

    def find(self, text: str) -> list[tuple[int, str]]:
        words = [(m.start(), m.group(0).lower()) for m in NAME_WORD.finditer(text)]
        found = []
        for i in range(len(words)):
            for n in range(2, min(self.longest, len(words) - i) + 1):
                candidate = " ".join(w for _, w in words[i : i + n])
                if candidate in self.names:
                    found.append((words[i][0], candidate))
        return found


def _valid_iban(candidate: str) -> str | None:
    """The longest valid IBAN at the start of candidate: the regex may run into a following word."""
    parts = candidate.split(" ")
    for end in range(len(parts), 0, -1):
        value = " ".join(parts[:end])
        if iban.is_valid(value):
            return value
    return None


def pii(item: CopyCandidate, names: _NameIndex) -> CheckResult:
    text = _without_link(item)
    problems, taken = [], []

    def report(start: int, end: int, what: str) -> None:
        if not any(a < end and start < b for a, b in taken):
            taken.append((start, end))
            problems.append(f"contains {what} ({_mask(text[start:end])} at character {start})")

    for m in EMAIL.finditer(text):
        known = m.group(0).lower() in names.emails
        report(*m.span(), "a customer's email address" if known else "an email address")
    for m in SPELLED_EMAIL.finditer(text):
        report(*m.span(), "an email address written out")
    for m in IBAN.finditer(text):
        if value := _valid_iban(m.group(0)):
            report(m.start(), m.start() + len(value), "an IBAN")
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            report(*m.span(), "a card number")
    if sum(c.isdigit() for c in text) >= 7:  # the matcher is the slow part; short digit runs are no phone
        for region in PHONE_REGIONS:
            for m in phonenumbers.PhoneNumberMatcher(text, region):
                report(m.start, m.end, "a phone number")
        for m in DIGIT_RUN.finditer(text):
            report(*m.span(), "a long number that may be a phone or account number")
    for start, name in names.find(text):
        report(start, start + len(name), "a customer's name")
    return _hard(item, "pii", problems)


# --- safety -----------------------------------------------------------------------------------

LEET: dict[str, str] = LEX["leet"]
CONFUSABLES = str.maketrans(LEX["confusables"])


LETTER_GAP = r"(?:[._*-]|(?<=\b\w) (?=\S\b))?"
"""Between two letters of a blocked word: one dot, star or dash, or a space between single letters
(f u c k), never a space inside a real word ("it's hit" is no "shit")."""


def _leet_pattern(word: str) -> str:
    """'shit' as a pattern for sh1t, sh!t, shiiit, s.h.i.t, s h i t and friends."""
    letters = (f"[{re.escape(LEET.get(c, c))}]+" for c in word)
    return r"(?<![a-z])" + LETTER_GAP.join(letters) + r"s?(?![a-z])"


def _blocklist() -> re.Pattern:
    lines = (HERE / "blocklist.txt").read_text().splitlines()
    words = [w.strip().lower() for w in lines if w.strip() and not w.startswith("#")]
    return re.compile("|".join(_leet_pattern(w) for w in sorted(words, key=len, reverse=True)))


def _plain(text: str) -> str:
    """Lowercase text with accents and look-alike letters undone: 'Fück' -> 'fuck'."""
    text = unicodedata.normalize("NFKD", text.lower().translate(CONFUSABLES))
    return "".join(c for c in text if not unicodedata.combining(c))


BLOCKED = _blocklist()
RISKY_CLAIM = _any_of(LEX["risky_claim_patterns"])
HARMFUL = {  # what the reason calls it -> its pattern; all of them fail the safety check
    "singles out a group of people": _phrases(LEX["protected_groups"]),
    "hateful or demeaning language": _any_of(LEX["hate_patterns"]),
    "violent language": _any_of(LEX["violence_patterns"]),
    "sexual or drug content": _any_of(LEX["sexual_patterns"]),
}


def _mask_product_words(item: CopyCandidate) -> str:
    """The text without the product's own words, which the classifier sometimes misreads (a 'bra')."""
    own = set(WORD.findall(_product_text(item.product, "name", "category", "material")))
    return WORD.sub(lambda m: "" if m.group(0).lower() in own else m.group(0), item.text)


def profanity_probabilities(items: list[CopyCandidate]) -> list[float]:
    """One classifier call for the whole batch."""
    if not items:
        return []
    return [float(p) for p in predict_prob([_mask_product_words(i) for i in items])]


def safety(item: CopyCandidate, profanity: float) -> CheckResult:
    problems = []
    if profanity >= PROFANITY_THRESHOLD:
        problems.append(f"reads as profane or offensive (classifier probability {profanity:.2f})")
    plain = _plain(item.text)
    blocked = _fragments(BLOCKED, plain)
    if blocked:
        problems.append(f"contains the blocked word {_quote(blocked)}")
    for what, pattern in HARMFUL.items():
        if found := _fragments(pattern, plain):
            problems.append(f"{what}: {_quote(found)}")
    claims = _fragments(RISKY_CLAIM, item.text)
    if claims:
        problems.append(f"makes a claim an ad may not make: {_quote(claims)}")
    return _hard(item, "safety", problems)


# --- brand_rules, artifacts -------------------------------------------------------------------


OTHER_SELLER = _phrases(LEX["other_sellers"])
SMS_SENDER = re.compile(r"\s*([^:\n]{1,40}?):\s")
COMPANY = re.compile(
    r"\b([A-Z][\w'&]*)\s+(?:" + "|".join(re.escape(s) for s in LEX["company_suffixes"]) + r")\b")
PROPER_NAME = re.compile(r"\b[A-Z][a-z]+(?:['’-][A-Za-z]+)?(?:\s+[A-Z][a-z]+(?:['’-][A-Za-z]+)?)+\b")
PROPER_NAME_WORD = 3.0
"""wordfreq Zipf frequency under which every word of a run of capitalised words makes it a name ("Mohamad
Mahathir"); runs with a common word ("New Season", "Black Friday") are ordinary words in title case."""


def brand_rules(item: CopyCandidate, banned: re.Pattern | None, own_names: frozenset[str] = frozenset()) -> CheckResult:
    """Banned words, and companies and people that are neither our brand's nor in the product's facts
    (own_names: the brand kit's words, lower case): a small model invents them ("Norden Beauty", "Keskirk
    International", "Mohamad Mahathir")."""
    words = _fragments(banned, item.text)
    problems = [f"uses the brand's banned word {_quote(words)}"] if words else []
    own = own_names | set(WORD.findall(_product_text(item.product, "name", "brand", "category")))
    others = [m.group(0) for m in COMPANY.finditer(item.text) if m.group(1).lower() not in own]
    others += [name for name in _fragments(OTHER_SELLER, item.text) if name.lower() not in own]
    if others:
        problems.append(f"names a company that is neither the brand nor the product's: {_quote(dict.fromkeys(others))}")
    # Someone or something the facts do not name: a small model invents people and places ("a masterful wig
    # from the legendary Mohamad Mahathir").
    known = own | set(WORD.findall(_product_text(item.product, "description", "material", "colours")))
    names = [m.group(0) for m in PROPER_NAME.finditer(item.text)
             if m.group(0) not in others and all(
                 w.lower() not in known and zipf_frequency(w, "en") < PROPER_NAME_WORD for w in WORD.findall(m.group(0)))]
    if names:
        problems.append(f"names someone or something the product's facts do not: {_quote(dict.fromkeys(names))}")
    # An SMS opens with its sender, as the prompt's example does: "Tokyo, Japan: ..." is not the brand
    # ("New in: ..." is no sender's name).
    sender = SMS_SENDER.match(item.text) if item.content_type == "sms" else None
    label = WORD.findall(sender.group(1)) if sender else []
    if label and all(w[0].isupper() for w in label) and not {w.lower() for w in label} <= own:
        problems.append(f'opens with the sender "{sender.group(1)}", which is not the brand')
    return _hard(item, "brand_rules", problems)


ARTIFACT = _any_of(LEX["artifact_patterns"])


def artifacts(item: CopyCandidate) -> CheckResult:
    problems = []
    product_data = _product_text(item.product, "name", "description")
    fragments = _fragments(ARTIFACT, item.text)
    if fragments:
        injected = [f for f in fragments if f.lower() in product_data]
        source = f" ({_quote(injected)} copied from the product data: a likely prompt injection)" if injected else ""
        problems.append(f"contains leftover model, prompt or template text: {_quote(fragments)}{source}")
    sku = str(item.product.get("sku") or "")
    if sku and re.search(rf"(?<!\w){re.escape(sku)}(?!\w)", _without_link(item), re.IGNORECASE):
        problems.append(f'echoes the SKU "{sku}" from the prompt')
    return _hard(item, "artifacts", problems)


# --- product_data -----------------------------------------------------------------------------
# Product data is untrusted input. Copy about a product whose own record carries an injection, markup,
# slurs or someone's personal data is never approved, however clean the copy looks: the model read it.


def _product_problems(product: dict, names: _NameIndex) -> list[str]:
    text = f"{product.get('name') or ''}. {product.get('description') or ''}"
    problems = []
    if found := _fragments(ARTIFACT, text):
        problems.append(f"a likely prompt injection or markup ({_quote(found)})")
    plain = _plain(text)
    offensive = _fragments(BLOCKED, plain) + [f for p in HARMFUL.values() for f in _fragments(p, plain)]
    if offensive:
        problems.append(f"offensive words ({_quote(dict.fromkeys(offensive))})")
    personal = pii(CopyCandidate("product", "", "", text, product), names)
    if not personal.passed:
        problems.append(f"personal data: it {personal.reason}")
    return [f"the product record (name or description) carries {p}; fix the product data before advertising it"
            for p in problems]


def check_product_data(pairs: list[tuple[str, dict]], known_pii: KnownPII = KnownPII()) -> list[CheckResult]:
    """A hard product_data check for each (item_id, product); each distinct product is read once."""
    names = _NameIndex(known_pii)
    seen: dict[str, list[str]] = {}
    results = []
    for item_id, product in pairs:
        key = repr(sorted(product.items()))
        if key not in seen:
            seen[key] = _product_problems(product, names)
        problems = seen[key]
        results.append(CheckResult(item_id, "product_data", True, not problems, 0.0 if problems else 1.0,
                                   "; ".join(problems) or None))
    return results


# --- soft checks ------------------------------------------------------------------------------

STOPWORDS = frozenset(LEX["stopwords"])
DANGLING = frozenset(LEX["dangling_words"])
CHAR_RUN = re.compile(r"([^\d\s])\1{3,}")
URL_AT_END = re.compile(r"https?://\S+$")
CLEAN_END = tuple(".!?)\"'”’")
CUT_END = tuple(",:;-–—…/&+(")


def repetition(item: CopyCandidate) -> CheckResult:
    words = [w.lower() for w in WORD.findall(item.text)]
    if not words:
        return _result(item, "repetition", False, 0.0, ["has no words"])
    notes = []
    counts = Counter(w for w in words if w not in STOPWORDS and len(w) > 1)
    repeats = {w: n for w, n in counts.items() if n > 1}
    word_rate = sum(n - 1 for n in repeats.values()) / max(sum(counts.values()), 1)
    if repeats:
        notes.append("repeats " + ", ".join(f'"{w}" ×{n}' for w, n in repeats.items()))
    grams = list(zip(words, words[1:], words[2:]))
    gram_repeats = [g for g, n in Counter(grams).items() if n > 1]
    gram_rate = (len(grams) - len(set(grams))) / len(grams) if grams else 0.0
    if gram_repeats:
        notes.append("repeats the phrase " + _quote(" ".join(g) for g in gram_repeats))
    score = max(0.0, 1.0 - word_rate - 1.5 * gram_rate)
    if run := CHAR_RUN.search(item.text):
        notes.append(f'has "{run.group(0)}", a run of one character')
        score = min(score, 0.3)
    return _result(item, "repetition", False, score, notes)


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _mention_score(item: CopyCandidate) -> tuple[float, str | None]:
    name = str(item.product.get("name") or "")
    category = str(item.product.get("category") or "")
    text = item.text.lower()
    if name and name.lower() in text:
        return 1.0, None
    said = {_stem(w) for w in WORD.findall(text)}
    name_words = [_stem(w) for w in WORD.findall(name.lower()) if w not in STOPWORDS and len(w) > 2]
    category_words = {_stem(w) for w in WORD.findall(category.lower())}
    # The last word of a name is what the product is ("Boots", "Parka"): naming it names the product.
    names_it = bool(name_words) and (name_words[-1] in said or len(set(name_words) & said) * 2 >= len(name_words))
    if category_words & said or names_it:
        return 0.7, None
    return 0.0, f'does not mention the product ("{name}") or its category ("{category}")'


def _ending_score(item: CopyCandidate, spec: FieldSpec | None) -> tuple[float, str | None]:
    text = item.text.rstrip()
    if not text:
        return 0.0, "is empty"
    if URL_AT_END.search(text):
        return 1.0, None
    if text.endswith(CUT_END) or text.endswith(".."):
        return 0.0, f'ends with "{text[-1]}", so it looks cut off'
    if text.endswith(CLEAN_END):
        return 1.0, None
    last = WORD.findall(text.lower())[-1:]
    if last and last[0] in DANGLING and text[-1].isalpha():
        return 0.0, f'ends on "{last[0]}", so it looks cut off'
    if spec is not None and spec.max_chars > 50:  # headlines and subjects may end without a stop
        return 0.5, "does not end with a full stop or other closing punctuation"
    return 1.0, None


def _fit_score(item: CopyCandidate, spec: FieldSpec) -> tuple[float, str | None]:
    """Room used: half the limit or more scores 1. A field limited in words is measured in words."""
    used, limit, unit = len(item.text), spec.max_chars, "characters"
    if spec.max_words is not None:
        used, limit, unit = word_count(item.text), spec.max_words, "words"
    ratio = used / limit
    fit = 0.0 if ratio > 1 else min(1.0, ratio / 0.5)
    return fit, None if fit >= 1 else f"uses {used} of {limit} {unit}"


def _shouting(item: CopyCandidate, brand: Brand) -> list[str]:
    own = set(WORD.findall(f"{brand.name} {brand.logo_text} {item.product.get('name') or ''}".upper()))
    return [w for w in WORD.findall(item.text) if len(w) >= 3 and w.isupper() and w not in own]


FIRST_PERSON = re.compile(r"(?<!\w)(?:I|I['’](?:m|ve|ll|d)|myself)(?!\w)")
"""Copy speaks for the brand ("we", or no one); a small model slips into "I'm happy to craft your shoes!"."""
FIRST_PERSON_SCORE = 0.6


def quality(item: CopyCandidate, brand: Brand, avoided: re.Pattern | None) -> CheckResult:
    spec = _field_spec(item)
    parts: list[tuple[float, float, str | None]] = []  # (weight, score 0..1, note)
    if spec is None or spec.names_product:
        parts.append((0.3, *_mention_score(item)))
    parts.append((0.2, *_ending_score(item, spec)))
    if spec is not None:
        parts.append((0.15, *_fit_score(item, spec)))
    avoid = _fragments(avoided, item.text)
    parts.append((0.15, 0.0, f"uses words the brand voice avoids: {_quote(avoid)}") if avoid else (0.15, 1.0, None))
    shouted, bangs = _shouting(item, brand), item.text.count("!")
    loud = []
    if len(shouted) >= 2:
        loud.append(f"shouts in capitals ({_quote(shouted)})")
    if bangs >= 2:
        loud.append(f"uses {bangs} exclamation marks")
    parts.append((0.1, 0.0 if loud else 1.0, "; ".join(loud) or None))
    if spec is not None and spec.link:
        linked = bool(item.link) and item.link in item.text
        parts.append((0.1, 1.0 if linked else 0.0, None if linked else "has no link to the product page"))
    score = sum(w * s for w, s, _ in parts) / sum(w for w, _, _ in parts)
    notes = [n for _, _, n in parts if n]
    if speaker := _fragments(FIRST_PERSON, item.text):  # a person talking is not the brand: never approved
        score = min(score, FIRST_PERSON_SCORE)
        notes.append(f"speaks as a person ({_quote(speaker)}), not as the brand")
    return _result(item, "quality", False, score, notes)


LANGUAGE_ID = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)
LANGUAGE_ID.set_languages(LEX["languages"])
FOREIGN_CONFIDENCE = 0.8
"""Short English lines often score low for every language; only a confident other language counts."""
URL = re.compile(r"https?://\S+")


UNKNOWN_WORD = 1.0
"""wordfreq's Zipf frequency below which a word is no English word: 'kerbazle', 'Gletesleh' (a garbled name)."""
UNKNOWN_WORD_SCORE = 0.2
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


def language(item: CopyCandidate, own_names: frozenset[str] = frozenset()) -> CheckResult:
    """English, and made of English words: the product's and the brand's own names aside ("Saltkråka" is a
    name, not Swedish; "Havbris" is no typo)."""
    own = own_names | set(WORD.findall(_product_text(item.product, "name", "brand", "category", "material",
                                                     "colours", "description")))
    words = [w for w in WORD.findall(URL.sub(" ", item.text)) if POSSESSIVE.sub("", w.lower()) not in own]
    unknown = list(dict.fromkeys(
        w for w in words if len(w) >= 3 and zipf_frequency(POSSESSIVE.sub("", w), "en") < UNKNOWN_WORD))
    score, notes = 1.0, []
    if unknown:
        score, notes = UNKNOWN_WORD_SCORE, [f"uses words that are not English: {_quote(unknown)}"]
    if len(words) >= 3:
        lang, confidence = LANGUAGE_ID.classify(" ".join(words))
        if lang != "en" and confidence >= FOREIGN_CONFIDENCE:
            score = min(score, 1 - confidence)
            notes.insert(0, f'reads as "{lang}", not English (confidence {confidence:.2f}), e.g. {_quote(words[:3])}')
    return _result(item, "language", False, score, notes)


HYPHENATOR = pyphen.Pyphen(lang="en_US")
READABILITY_MIN_WORDS = 8
"""Below this a sentence-length formula says nothing: a headline of three long words is not hard to read."""
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def _syllables(word: str) -> int:
    return max(1, HYPHENATOR.inserted(word).count("-") + 1)


def readability(item: CopyCandidate) -> CheckResult:
    """Flesch reading ease, mapped so plain ad copy (40 and up) scores 1 and dense prose (under 10) fails."""
    text = URL.sub(" ", item.text)
    words = WORD.findall(text)
    if len(words) < READABILITY_MIN_WORDS:
        return _result(item, "readability", False, 1.0, [])
    sentences = max(1, len(SENTENCE_END.findall(text.strip())))
    ease = 206.835 - 1.015 * len(words) / sentences - 84.6 * sum(_syllables(w) for w in words) / len(words)
    score = min(1.0, max(0.0, (ease + 20) / 60))
    note = [] if score >= 1 else [f"Flesch reading ease {ease:.0f}: long words or sentences make it hard to read"]
    return _result(item, "readability", False, score, note)


# --- the batch --------------------------------------------------------------------------------


def check_copy(
    items: list[CopyCandidate],
    brand: Brand,
    known_pii: KnownPII = KnownPII(),
    allowed_promotions: Iterable[str] = (),
    recent: Iterable[str] = (),
) -> list[CheckResult]:
    """Every check on every item, in item order. allowed_promotions: phrases ("20% off") that are true;
    recent: texts published lately, which a new item must not repeat."""
    names = _NameIndex(known_pii)
    banned = _word_forms(brand.banned_words)
    avoided = _word_forms(brand.voice.avoid)
    # Our brand, and the brands of the products in the batch: names the shop itself uses.
    shop_brands = " ".join(str(i.product.get("brand") or "") for i in items)
    own_names = frozenset(WORD.findall(f"{brand.name} {brand.logo_text} {shop_brands}".lower()))
    promotions = _phrases(allowed_promotions)
    similar = similarity.score(items, recent)
    product_data = check_product_data([(i.item_id, i.product) for i in items], known_pii)
    results = []
    for item, profanity, (relevance, duplicate), source in zip(
        items, profanity_probabilities(items), similar, product_data, strict=True
    ):
        results += [
            source,
            channel_limits(item),
            grounding(item, promotions),
            pii(item, names),
            safety(item, profanity),
            brand_rules(item, banned, own_names),
            artifacts(item),
            repetition(item),
            language(item, own_names),
            readability(item),
        ]
        # A line written from product facts ("Price: 59.00 EUR") is no ad line: it need not name the product,
        # sound like its description, or differ from another product's same fact or yesterday's same line.
        if not _from_facts(item):
            results += [quality(item, brand, avoided), relevance, duplicate]
    return results


def _from_facts(item: CopyCandidate) -> bool:
    spec = _field_spec(item)
    return item.from_facts or (spec is not None and spec.from_facts)
