"""check_artifacts: no leftover model, prompt or template text, and no SKU echoed from the prompt."""

import re

from adcraft.checks.base import CheckResult, CopyCandidate, hard_result, product_text, without_link
from adcraft.checks.words import LEX, any_of, fragments, quote

ARTIFACT = any_of(LEX["artifact_patterns"])


def check_artifacts(item: CopyCandidate) -> CheckResult:
    problems = []
    product_data = product_text(item.product, "name", "description")
    found = fragments(ARTIFACT, item.text)
    if found:
        injected = [f for f in found if f.lower() in product_data]
        source = f" ({quote(injected)} copied from the product data: a likely prompt injection)" if injected else ""
        problems.append(f"contains leftover model, prompt or template text: {quote(found)}{source}")
    sku = str(item.product.get("sku") or "")
    if sku and re.search(rf"(?<!\w){re.escape(sku)}(?!\w)", without_link(item), re.IGNORECASE):
        problems.append(f'echoes the SKU "{sku}" from the prompt')
    return hard_result(item, "artifacts", problems)

