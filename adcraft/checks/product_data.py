"""check_product_data: the product's own record. Product data is untrusted input: copy about a product
whose record carries an injection, markup, slurs or someone's personal data is never approved, however clean
the copy looks, because the model read it."""

from adcraft.checks.artifacts import ARTIFACT
from adcraft.checks.base import CheckResult, CopyCandidate, KnownPII
from adcraft.checks.pii import NameIndex, check_pii
from adcraft.checks.safety import BLOCKED, HARMFUL, plain
from adcraft.checks.words import fragments, quote


def _product_problems(product: dict, names: NameIndex) -> list[str]:
    text = f"{product.get('name') or ''}. {product.get('description') or ''}"
    problems = []
    if found := fragments(ARTIFACT, text):
        problems.append(f"a likely prompt injection or markup ({quote(found)})")
    words = plain(text)
    offensive = fragments(BLOCKED, words) + [f for p in HARMFUL.values() for f in fragments(p, words)]
    if offensive:
        problems.append(f"offensive words ({quote(dict.fromkeys(offensive))})")
    personal = check_pii(CopyCandidate("product", "", "", text, product), names)
    if not personal.passed:
        problems.append(f"personal data: it {personal.reason}")
    return [f"the product record (name or description) carries {p}; fix the product data before advertising it"
            for p in problems]


def check_product_data(pairs: list[tuple[str, dict]], known_pii: KnownPII = KnownPII()) -> list[CheckResult]:
    """A hard product_data check for each (item_id, product); each distinct product is read once."""
    names = NameIndex(known_pii)
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

