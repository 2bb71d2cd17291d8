"""Score an edited copy line again, with the checks the nightly score stage runs (tasks/score.py).

The line gets every copy check (check_copy) on its new text. Its brief's format check is worked out again
too: whether the brief's lines still make a valid item of its content type depends on every line.
"""

import json

from adcraft.checks.base import CheckResult, CopyCandidate, KnownPII
from adcraft.checks.formats import check_formats
from adcraft.checks.gate import check_copy
from adcraft.kernel.config import load_brand


def rescore(lines: list[dict], item_id: str, new_text: str, others_failed: list[dict], known_pii: KnownPII,
            recent: list[str]) -> list[CheckResult]:
    """New results for the edited line, and the format result of every line of its brief.

    lines: the brief's lines (warehouse/queries/review/brief_lines.sql); others_failed: the other lines' failed
    hard checks (brief_hard_failures.sql); recent: texts published lately, which a line must not repeat."""
    brand = load_brand(lines[0]["brand"])
    candidates = [
        CopyCandidate(
            line["item_id"], line["content_type"], line["field"],
            new_text if line["item_id"] == item_id else line["text"], json.loads(line["product"]),
            line["link_template"].format(sku=line["sku"]) if line["link_template"] else None,
            brief_id=line["brief_id"], variant=line["variant"],
        )
        for line in lines
    ]
    edited = [c for c in candidates if c.item_id == item_id]
    results = check_copy(edited, brand, known_pii, recent=recent)
    failed_before = [CheckResult(**row) for row in others_failed]
    return results + check_formats(candidates, results + failed_before)
