"""What the gate's tests share: a demo product, its brand and known customers, and `check`, which runs the whole
gate on one line and returns its results by check name."""

from adcraft.checks.base import CopyCandidate, KnownPII
from adcraft.checks.gate import check_copy
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_brand

BRAND = load_brand("demo")
PRODUCT = {
    "sku": "NW-SHIRT-01", "name": "Linen Shirt", "category": "shirts", "brand": "Northwind", "price": 39,
    "currency": "EUR", "material": "100% linen", "colours": ["navy", "sand"], "sizes": ["S", "M", "L"],
    "stock": 40, "description": "A relaxed shirt in washed linen.",
}
LINK = "https://example.com/p/NW-SHIRT-01"
PII = KnownPII(names=frozenset({"jane doe", "anne-marie o'neil"}), emails=frozenset({"jane.doe@example.com"}))
HARD = ("product_data", "channel_limits", "grounding", "pii", "safety", "brand_rules", "artifacts")


def check(text, content_type="meta_feed", product=None, field=None, **kwargs) -> dict:
    field = field or CONTENT_TYPES[content_type].fields[0].name
    item = CopyCandidate("c1", content_type, field, text, {**PRODUCT, **(product or {})}, LINK)
    return {r.check_name: r for r in check_copy([item], BRAND, PII, **kwargs)}


def assert_fails(check_name: str, content_type: str, text: str, reason: str) -> None:
    """The hard check fails the line, with a reason that says `reason`."""
    result = check(text, content_type)[check_name]
    assert result.hard and not result.passed and result.score == 0
    assert reason.lower() in result.reason.lower()
