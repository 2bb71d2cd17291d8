"""The HTML batch report an analyst opens in a browser: outcome, reasons, quarantine, banners, copy."""

import os
from datetime import datetime, timezone
from pathlib import Path

from prefect import task

from adcraft.db import UnknownBatchError, records, sql, warehouse
from adcraft.templating import render
from adcraft.stages import TRANSIENT_RETRIES, timed_stage
from tasks.publish import batch_publish_dir


def approval_rate(decisions: dict[str, dict[str, int]]) -> float:
    counts = decisions.get("copy", {})
    total = sum(counts.values())
    return counts.get("approved", 0) / total if total else 0.0


def report_context(batch_id: str, report_dir: Path) -> dict:
    with warehouse(read_only=True) as con:
        batch = con.execute(
            "SELECT batch_id, campaign, brand, run_date FROM content.batches WHERE batch_id = ?", [batch_id]
        ).fetchone()
        if batch is None:
            raise UnknownBatchError(f"There is no batch {batch_id!r}. List batches with `adcraft report`.")
        decisions: dict[str, dict[str, int]] = {}
        for row in records(con, sql("reports/decision_counts"), [batch_id]):
            decisions.setdefault(row["item_kind"], {})[row["decision"]] = row["items"]
        banners = records(con, sql("reports/banners"), [batch_id])
        for banner in banners:
            banner["src"] = os.path.relpath(banner["path"], report_dir)
        return {
            "batch": dict(zip(["batch_id", "campaign", "brand", "run_date"], batch)),
            "decisions": decisions,
            "approval_rate": approval_rate(decisions),
            "stages": records(con, sql("reports/stage_runs"), [batch_id]),
            "rejections": records(con, sql("reports/rejection_reasons"), [batch_id]),
            "quarantine": records(con, sql("reports/quarantine_summary")),
            "banners": banners,
            "copy": records(con, sql("reports/copy_items"), [batch_id]),
            "written_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        }


@task(name="report", **TRANSIENT_RETRIES)
@timed_stage
def write_report(batch_id: str) -> dict:
    out = batch_publish_dir(batch_id)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.html"
    html = render("reports/batch.html.j2", **report_context(batch_id, out))
    path.write_text(html)
    return {"rows": 1, "path": str(path)}
