"""The HTML batch report an analyst opens in a browser: outcome, reasons, quarantine, banners, copy."""

import os
from datetime import UTC, datetime
from pathlib import Path

from adcraft.kernel.db import records, sql, warehouse
from adcraft.kernel.errors import UnknownBatchError
from adcraft.kernel.templating import render
from adcraft.publishing.run import publish_dir


def approval_rate(decisions: dict[str, dict[str, int]]) -> float:
    counts = decisions.get("copy", {})
    total = sum(counts.values())
    return counts.get("approved", 0) / total if total else 0.0


def decision_counts(con, batch_id: str) -> dict[str, dict[str, int]]:
    """Items per kind ('copy', 'banner') and decision."""
    decisions: dict[str, dict[str, int]] = {}
    for row in records(con, sql("reports/decision_counts"), {"batch_id": batch_id}):
        decisions.setdefault(row["item_kind"], {})[row["decision"]] = row["items"]
    return decisions


def report_context(batch_id: str, report_dir: Path) -> dict:
    params = {"batch_id": batch_id}
    with warehouse(read_only=True) as con:
        batch = records(con, sql("reports/batch"), params)
        if not batch:
            raise UnknownBatchError(f"There is no batch {batch_id!r}. List batches with `adcraft report`.")
        decisions = decision_counts(con, batch_id)
        banners = records(con, sql("reports/banners"), params)
        for banner in banners:
            banner["src"] = os.path.relpath(banner["path"], report_dir)
        return {
            "batch": batch[0],
            "decisions": decisions,
            "approval_rate": approval_rate(decisions),
            "stages": records(con, sql("reports/stage_runs"), params),
            "rejections": records(con, sql("reports/rejection_reasons"), params),
            "quarantine": records(con, sql("reports/quarantine_summary")),
            "banners": banners,
            "copy": records(con, sql("reports/copy_items"), params),
            "written_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }


def write_report(batch_id: str) -> Path:
    """Write the batch's report.html into its publish folder; returns its path."""
    out = publish_dir(batch_id)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.html"
    path.write_text(render("reports/batch.html.j2", **report_context(batch_id, out)))
    return path
