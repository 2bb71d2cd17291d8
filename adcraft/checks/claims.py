"""check_claims: claims a line may make only when the product's facts back them (adcraft/checks/claims.yaml):
awards and rankings, origin, maker or process, newness, luxury, and environmental claims. Health and medical
claims are never made, whatever the facts say. A claim is backed when its key words (any form) are in the
product's name, category, material or description; newness also when the campaign picked the product as a new
arrival. Discounts are the grounding check's (promotions the campaign does not list).

check_product_claims reads the product record itself: a record that makes a health or medical claim sends
the product's items to a person, with the reason.
"""

import re
import unicodedata
from functools import cache

import yaml

from adcraft.checks.base import CheckResult, CopyCandidate, hard_result, product_text, without_link
from adcraft.checks.words import HERE, STOPWORDS, quote

KINDS = {  # claims.yaml section -> how a reason says what the line does
    "awards": "claims an award, ranking or fame",
    "origin": "names an origin, maker or process",
    "newness": "says it is new",
    "luxury": "calls it luxury or premium",
    "environment": "makes an environmental claim",
    "health": "makes a health or medical claim",
}
GENERIC = frozenset({
    "made", "crafted", "grown", "brewed", "roasted", "woven", "knitted", "designed", "sourced", "produced",
    "distilled", "harvested", "baked", "built", "printed", "rolled", "picked", "hammered", "forged", "blown", "carved",
    "fired", "aged", "smoked", "cured", "dyed", "spun", "milled", "blended", "bottled", "packed", "assembled", "from",
    "straight", "fresh", "direct", "directly",
    "our", "own", "new", "this", "for", "is", "are", "now", "just",
})
"""Words of a claim that say how, not what: "made in Portugal" is backed by Portugal, not by "made"."""
PRODUCT_REVIEW_SCORE = 0.5
"""Between the demo policy's review and approval bars: a person looks before anything is approved."""


@cache
def _lists() -> dict:
    return yaml.safe_load((HERE / "claims.yaml").read_text())


@cache
def _patterns() -> dict[str, re.Pattern]:
    return {kind: re.compile(r"(?<![\w#])(?:" + "|".join(f"(?:{p})" for p in _lists()[kind]) + r")(?!\w)",
                             re.IGNORECASE | re.MULTILINE) for kind in KINDS}


@cache
def _product_health() -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in _lists()["health_in_product_data"]) + r")(?!\w)",
                      re.IGNORECASE)


def _letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if c.isalnum() or c == " ")


def _backed(claim: str, facts: str) -> bool:
    """Every key word of the claim, in some form, is in the facts."""
    words = [w for w in re.findall(r"[^\W\d_]+", claim.lower()) if w not in STOPWORDS and w not in GENERIC]
    if not words:
        return False
    squashed = facts.replace(" ", "")
    return all(w[: max(4, len(w) - 3)] in facts or w in squashed for w in words)


def check_claims(item: CopyCandidate) -> CheckResult:
    text = without_link(item)
    facts = _letters(product_text(item.product, "name", "category", "material", "description"))
    not_places = {p.lower() for p in _lists()["not_places"]}
    problems = []
    for kind, pattern in _patterns().items():
        found = []
        for m in pattern.finditer(text):
            claim = m.group(0).strip()
            if kind == "origin" and claim.split()[-1].lower() in not_places:
                continue
            if kind == "newness" and item.product.get("selection") == "new_arrivals":
                continue
            if kind != "health" and _backed(claim, facts):
                continue
            found.append(claim)
        if found:
            backing = "copy never makes one" if kind == "health" else "the product's facts do not back it"
            problems.append(f"{KINDS[kind]} ({quote(dict.fromkeys(found))}), but {backing}")
    return hard_result(item, "claims", problems)


def check_product_claims(item_id: str, product: dict) -> CheckResult:
    """A soft check on the product record: a health or medical claim in it (vitamins that "prevent COVID-19")
    sends the product's items to review, whatever the copy says."""
    text = f"{product.get('name') or ''}. {product.get('description') or ''}"
    found = list(dict.fromkeys(m.group(0) for m in _product_health().finditer(text)))
    if not found:
        return CheckResult(item_id, "product_claims", False, True, 1.0, None)
    return CheckResult(item_id, "product_claims", False, False, PRODUCT_REVIEW_SCORE,
                       f"the product record makes a health or medical claim ({quote(found)}): a person must check "
                       "that it may be advertised, and what the copy may say")
