"""check_grounding: is every fact a line states true of its product? Price and currency, promotions,
colours, materials, sizes, stock, what kind of thing it is, features and history only the facts may claim,
and the product's name spelt as it is (names.py)."""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from wordfreq import zipf_frequency

from adcraft.checks.base import CheckResult, CopyCandidate, hard_result, product_text, without_link
from adcraft.checks.names import fact_word_problems, name_problems
from adcraft.checks.words import LEX, WORD, any_of, claims, fold, fragments, phrases, quote

SCARCITY_MAX_STOCK = 5


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
# Thousands grouped as the locales write them: 1,234.50, 1.234,50, 1'234.50, and spaces (1 234,50), which
# copy writes as plain spaces (adcraft/kernel/prices.py).
GROUP = "[.,'’\u00a0\u202f ]"
NUMBER = rf"\d+(?:{GROUP}\d{{3}})*(?:[.,]\d{{1,2}})?"
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
PROMOTION = any_of(LEX["promotion_patterns"])
PERCENT_OF = re.compile(r"(\d+(?:[.,]\d+)?)\s?%\s*([^\W\d_]+)")
SCARCITY = any_of(LEX["scarcity_patterns"])
STOCK_COUNT = re.compile(r"\d+")


COLOUR = claims([*LEX["colours"], *LEX["colour_synonyms"]])
NOT_COLOUR = any_of(LEX["not_colour_patterns"])
MATERIAL = claims(LEX["materials"])
NOT_MATERIAL = any_of(LEX["not_material_patterns"])
COLOUR_SYNONYMS = phrases(LEX["colour_synonyms"])
COMPOUND_HEAD = 4.0
"""wordfreq Zipf frequency from which the front of a fact word is a word of its own, so the colour after it is
part of a compound: "pepper" in "Peppermint" (not "cove" in "Covered")."""
NUMBER_WORD = "(?:" + "|".join(sorted([*LEX["number_words"], "hundred", "thousand"], key=len, reverse=True)) + ")"
NUMBER_WORDS = re.compile(rf"\b{NUMBER_WORD}(?:(?:\s+and\s+|[\s-]+){NUMBER_WORD})*\b", re.IGNORECASE)
SIZE_WORD = phrases(LEX["size_words"])
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
HISTORY = any_of(LEX["history_claim_patterns"])
PRODUCT_TYPE = claims([word for words in LEX["product_types"].values() for word in words])
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


def with_digits(text: str) -> str:
    """Number words as digits, so "only three left" is checked like "only 3 left"."""
    return NUMBER_WORDS.sub(lambda m: str(_number_value(m.group(0))), text)


def _parse_amount(number: str) -> Decimal | None:
    """'1,299.00', '1.299,00', '39,90' and '39' as Decimals; a separator before 1-2 final digits is decimal."""
    match = re.fullmatch(r"(.*?)(?:[.,](\d{1,2}))?", number)
    whole, cents = match.group(1), match.group(2) or "0"
    try:
        return Decimal(re.sub(GROUP, "", whole) + "." + cents)
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
        number = m.group("num1") or m.group("num2")
        # "3 249,00 €" is 3,249.00 or a count and 249,00 ("€39 200" 39 and a count): any may be the price.
        amounts = {_parse_amount(number), _parse_amount(number.rsplit(" ", 1)[-1]),
                   _parse_amount(number.split(" ", 1)[0])}
        if currency not in CURRENCY[token] or price is None or price not in amounts:
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
    """A share the product record gives is a fact, not a promotion: "100% cotton", "95% linen" (material),
    "70% cocoa" or "4.8% ABV" (description). The record must give the same figure of the same thing."""
    of = PERCENT_OF.match(text, match.start())
    if of is None:
        return False
    percent, word = of.group(1), of.group(2).lower()
    named = fragments(MATERIAL, product_text(product, "material"))
    if percent == "100" and [n.lower() for n in named] == [word]:
        return True
    facts = product_text(product, "name", "category", "material", "description")
    figure, thing = rf"(?<![\d.,]){re.escape(percent)}\s?%", rf"(?<!\w){re.escape(word)}(?!\w)"
    between = r"[\s,]*(?:[^\W\d_]+\s+){0,2}"
    return bool(re.search(figure + between + thing, facts) or re.search(thing + between + figure, facts))


def _promotion_problems(text: str, product: dict) -> list[str]:
    claims = [m.group(0).strip() for m in PROMOTION.finditer(text) if not _grounded_percent(m, text, product)]
    return [f'claims a promotion ({quote(dict.fromkeys(claims))}) but none is running'] if claims else []


def _unlisted_words(pattern: re.Pattern, text: str, grounded: Callable[[str], bool], listed: str) -> list[str]:
    """Words of pattern in text that are not grounded (grounded(canonical word) says whether the facts name
    it). A word right after one of the listed values is the second half of a compound ("forest green" for a
    forest jumper), not a claim of its own."""
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
        if not grounded(canonical):
            unlisted.append(word)
    return list(dict.fromkeys(unlisted))


def _colour_facts(product: dict) -> str:
    """Where a colour may come from: the listed colours, and what the name, category and material call the
    product ("Black Tea", "Peppermint Creams", "sterling silver"). A product that lists no colours may also be
    described by its description ("pink in the glass", "black liquorice"); one that lists them comes in those."""
    keys = ["colours", "name", "category", "material"] + ([] if product.get("colours") else ["description"])
    facts = product_text(product, *keys)
    return COLOUR_SYNONYMS.sub(lambda m: LEX["colour_synonyms"][m.group(0).lower()], facts)


def _names_colour(colour: str, facts: str) -> bool:
    """The facts name the colour: as a word, a plural or adjective of it ("Creams"), or the end of a compound
    whose front is a common word ("mint" in "Peppermint"; never a three-letter colour: "kindred" is no red)."""
    if re.search(rf"(?<!\w){re.escape(colour)}(?!\w)", facts):
        return True
    for word in WORD.findall(facts):
        if word in (colour + "s", colour + "es", colour + "y", colour + "ish"):
            return True
        head = word[: -len(colour)]
        if (len(colour) >= 4 and word.endswith(colour) and len(head) >= 4
                and zipf_frequency(head, "en") >= COMPOUND_HEAD):
            return True
    return False


MATERIAL_ENDINGS = ("", "s", "es", "en", "len")
"""A fact word names a material in any of these forms: "Wooden" names wood, "Glasses" glass, "woollen" wool
(not "steely" or "silky": like steel, like silk)."""


def _names_material(material: str, facts: str) -> bool:
    if re.search(rf"(?<!\w){re.escape(material)}(?!\w)", facts):
        return True
    words = {fold(w) for w in WORD.findall(facts)}
    if " " in material or "-" in material:
        return False
    return any(fold(material) + e in words for e in MATERIAL_ENDINGS) or any(
        fold(material) == w + e for w in words for e in MATERIAL_ENDINGS if e
    )


def _size_problems(text: str, product: dict) -> list[str]:
    # "L/XL" is one size that is both L and XL.
    sizes = {part.strip() for s in product.get("sizes") or [] for part in [str(s).lower(), *str(s).lower().split("/")]}
    listed = ", ".join(str(s) for s in product.get("sizes") or []) or "no listed size"
    claimed = fragments(SIZE_WORD, text)
    for m in SIZE_NUMBERS.finditer(text):
        claimed += [n for n in m.groups() if n]
    unlisted = list(dict.fromkeys(c for c in claimed if c.lower() not in sizes))
    problems = [f"names the size {quote(unlisted)} but the product comes in {listed}"] if unlisted else []
    # "3 different sizes", "in every size": a claim about how many there are.
    counts = [m.group(0) for m in SIZE_COUNT.finditer(text) if int(m.group(1)) != len(sizes)]
    counts += [m.group(0) for m in EVERY_SIZE.finditer(text) if len(sizes) <= 1]
    if counts:
        problems.append(f"says {quote(dict.fromkeys(counts))} but the product comes in {listed}")
    return problems


MEASURE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s?(ml|cl|l|g|kg|cm|mm|m|oz|lb|w|v|mah|lumens|°c|°f|litres?|"
                     r"grams|metres?|watts?)(?!\w)", re.IGNORECASE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def number_set(text: str) -> set[str]:
    """Numbers as values: "0.50" and "0,5" are "0.5"."""
    return {n.replace(",", ".").rstrip("0").rstrip(".") if "." in n or "," in n else n for n in NUMBER.findall(text)}


def _measure_problems(text: str, product: dict) -> list[str]:
    """A measure the facts do not give: "750 ml" for a 500 ml mister, "a 30 m line"."""
    known = number_set(product_text(product, "name", "category", "material", "description", "sizes"))
    unknown = [m.group(0) for m in MEASURE.finditer(text) if number_set(m.group(1)) - known]
    return [f"gives {quote(dict.fromkeys(unknown))}, which the product's facts do not"] if unknown else []


GOES_WITH = re.compile(r"\b(?:in|into|your|for)\s+(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
"""A bag a few words after one of these is where the product goes, not what it is: "in the changing bag",
"in your make-up bag", "a loop for hooks and bags". (A garment there is still a claim: "look sharp in the
jacket" calls a shirt a jacket.)"""


def _type_problems(text: str, product: dict) -> list[str]:
    """Words for another kind of product: "Sleek corduroy tshirt" about cargo pants. Only for a product whose
    name or category is one of the kinds the list knows (garments, shoes, bags, home textiles): a lip balm's
    "coat", a tea's "bag" or a pet's "coat" are other things. What the product goes with is no claim about it:
    "pairs with shorts or chinos", "layer it over a shirt", "keep it in your bag"."""
    groups = {g for m in PRODUCT_TYPE.finditer(product_text(product, "name", "category"))
              for g in TYPE_GROUPS[m.group("base").lower()]}
    if not groups:
        return []
    own = product_text(product, "name", "category", "material", "description")
    wrong = [m.group(0) for m in PRODUCT_TYPE.finditer(text)
             if not re.search(rf"(?<!\w){re.escape(m.group('base').lower())}(?:e?s)?(?!\w)", own)
             and not TYPE_GROUPS[m.group("base").lower()] & groups
             and not PAIRED.search(re.split(r"[.!?;:]", text[:m.start()])[-1])
             and not ("bags" in TYPE_GROUPS[m.group("base").lower()] and GOES_WITH.search(text[:m.start()]))]
    if not wrong:
        return []
    return [f"calls the product {quote(dict.fromkeys(wrong))}, but it is \"{product.get('name')}\" "
            f"({product.get('category') or 'no category'})"]


def _phrase_stems(phrase: str) -> re.Pattern:
    """Any form of each word of the phrase, its words apart by spaces or hyphens: "recycled" finds
    "recycling", "eco-friendly" "eco friendly", "sustainability" "sustainably"."""
    words = re.split(r"[\s-]+", phrase.lower())
    stems = [re.escape(w[: min(9, max(5, len(w) - 2))]) + r"\w*" for w in words]
    return re.compile(r"(?<!\w)" + r"[\s-]*".join(stems), re.IGNORECASE)


def _history_in(claim: str, facts: str) -> bool:
    """The facts give the history: the same words, or the same span ("aged for 10 years" where the description
    says "ten years in oak", the name "10 Year"; "est. 1921" where it says "since 1921")."""
    if claim.lower() in facts:
        return True
    span = re.search(r"(\d+)(?: (year|decade|centur|generation)\w*)?", claim.lower())
    number, unit = span.group(1), span.group(2)
    said = r"(?<![\d.,])" + number + (rf"[\s-]+{unit}" if unit else r"(?![\d.,]\d)")
    return bool(re.search(said, with_digits(facts)))


def _feature_problems(text: str, product: dict) -> list[str]:
    """Claims only the product's own facts can make ("waterproof", "organic", "handmade", "since 1921")."""
    facts = product_text(product, "name", "category", "material", "description")
    unsupported = [claim for claim in fragments(FEATURE, text)
                   if not _phrase_stems(FEATURE_CLAIMS[_run_together(claim)]).search(facts)]
    unsupported += [claim for claim in fragments(HISTORY, text) if not _history_in(claim, facts)]
    if not unsupported:
        return []
    return [f"claims {quote(unsupported)}, which the product's facts do not say"]


def _scarcity_problems(text: str, product: dict) -> list[str]:
    stock = product.get("stock")
    problems = []
    for claim in fragments(SCARCITY, text):
        count = STOCK_COUNT.search(claim)
        if stock is None or stock > SCARCITY_MAX_STOCK:
            problems.append(f'claims scarcity ("{claim}") but {stock if stock is not None else "unknown"} are in stock')
        elif count and int(count.group(0)) != stock:
            problems.append(f'says "{claim}" but {stock} are in stock')
    return problems


def check_grounding(item: CopyCandidate, allowed_promotions: re.Pattern | None = None) -> CheckResult:
    text = without_link(item)
    text = allowed_promotions.sub(" ", text) if allowed_promotions else text
    said, text = text, with_digits(text)
    product = item.product
    problems = _price_problems(text, product) + _promotion_problems(text, product)
    colour_facts = _colour_facts(product)
    colours = _unlisted_words(
        COLOUR, NOT_COLOUR.sub(" ", text), lambda c: _names_colour(c, colour_facts), product_text(product, "colours")
    )
    if colours:
        listed = ", ".join(product.get("colours") or []) or "no listed colour"
        problems.append(f"names the colour {quote(colours)} but the product comes in {listed}")
    material_facts = product_text(product, "material", "name", "category", "description")
    materials = _unlisted_words(
        MATERIAL, NOT_MATERIAL.sub(" ", text), lambda m: _names_material(m, material_facts),
        product_text(product, "material"),
    )
    if materials:
        made_of = product.get("material") or "an unlisted material"
        problems.append(f"names {quote(materials)} but the product is made of {made_of}")
    problems += _scarcity_problems(text, product) + _size_problems(text, product) + name_problems(said, product)
    problems += _measure_problems(said, product)
    problems += _feature_problems(text, product) + _type_problems(said, product) + fact_word_problems(said, product)
    if problems and text != said:
        problems.append("(number words were read as digits)")
    return hard_result(item, "grounding", problems)

