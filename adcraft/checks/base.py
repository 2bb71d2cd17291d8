"""What every check takes and returns: a candidate line (CopyCandidate) and a CheckResult."""

from dataclasses import dataclass

from adcraft.kernel.channels import CONTENT_TYPES, FieldSpec

SOFT_PASS = 0.5
"""A soft check passes at this score or above; the decision policy weighs its score either way."""


@dataclass(frozen=True)
class CheckResult:
    item_id: str
    check_name: str
    hard: bool
    """A failed hard check rejects the item whatever its other scores."""
    passed: bool
    score: float
    """0..1, higher is better; soft checks are averaged into the item's quality."""
    reason: str | None = None
    """Why it failed (or a note when it passed), in words an analyst can act on."""
    model_version: str | None = None
    """The model that gave the score (the editor judge); None for a rule."""


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


def result(item: CopyCandidate, check: str, hard: bool, score: float, notes: list[str]) -> CheckResult:
    passed = not notes if hard else score >= SOFT_PASS
    return CheckResult(item.item_id, check, hard, passed, round(score, 3), "; ".join(notes) or None)


def hard_result(item: CopyCandidate, check: str, problems: list[str]) -> CheckResult:
    return result(item, check, True, 0.0 if problems else 1.0, problems)


def without_link(item: CopyCandidate) -> str:
    """The text with the campaign link blanked: we wrote the link, so its SKU and digits are not the model's."""
    return item.text.replace(item.link, " " * len(item.link)) if item.link else item.text


def field_spec(item: CopyCandidate) -> FieldSpec | None:
    content_type = CONTENT_TYPES.get(item.content_type)
    return content_type.field(item.field) if content_type else None


def from_facts(item: CopyCandidate) -> bool:
    """Written by the template from the product's facts, not by a model."""
    spec = field_spec(item)
    return item.from_facts or (spec is not None and spec.from_facts)


def product_text(product: dict, *keys: str) -> str:
    """The product's values under keys as one lowercase string, lists flattened."""
    parts = []
    for key in keys:
        value = product.get(key)
        parts.extend(value if isinstance(value, list) else [value])
    return " ".join(str(p) for p in parts if p is not None).lower()
