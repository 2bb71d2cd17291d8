"""The run summary: stage timings into the warehouse, and what the terminal and the Prefect UI show of a run
(counts per stage, approval rate, top reasons, links to the report and the review page)."""

import html
import re

from adcraft.kernel.db import sql, transaction, warehouse
from adcraft.kernel.settings import get_settings
from adcraft.kernel.templating import render
from adcraft.publishing.run import publish_dir
from adcraft.reporting.batch_report import approval_rate, decision_counts

REVIEW_PAGE = "{review_url}/batches/{batch_id}"
"""The review app's page for one batch."""


def cell(text: object, limit: int = 160) -> str:
    """Untrusted text (a reason quotes product data) made inert for one markdown table cell or line."""
    text = re.sub(r"\s+", " ", str(text or ""))[:limit]
    return html.escape(text).replace("|", "\\|").replace("`", "'").replace("[", "\\[")


def artifact_key(kind: str, batch_id: str) -> str:
    """Prefect artifact keys take lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{kind}-{batch_id}".lower())


def summary_links(batch_id: str) -> dict:
    report = publish_dir(batch_id) / "report.html"
    review = REVIEW_PAGE.format(review_url=get_settings().review_url.rstrip("/"), batch_id=batch_id)
    return {"report": str(report), "report_url": report.resolve().as_uri(), "review_url": review}


def record_run(batch_id: str, stages: dict[str, dict]) -> dict:
    """Store each stage's time and rows in ops.stage_runs, and return the run's summary."""
    with warehouse() as con:
        with transaction(con):
            con.execute("DELETE FROM ops.stage_runs WHERE batch_id = $batch_id", {"batch_id": batch_id})
            con.executemany(sql("reports/record_stage_run"), [
                {"batch_id": batch_id, "seq": i, "stage": name, "seconds": s["seconds"], "rows_out": s.get("rows", 0)}
                for i, (name, s) in enumerate(stages.items())])
        decisions = decision_counts(con, batch_id)
        reasons = con.execute(sql("reports/rejection_reasons"), {"batch_id": batch_id}).fetchall()[:5]
    return {
        "batch_id": batch_id,
        "stages": {name: {"rows": s.get("rows", 0), "seconds": s["seconds"]} for name, s in stages.items()},
        "decisions": decisions,
        "approval_rate": approval_rate(decisions),
        "top_rejections": [{"check": r[0], "decision": r[1], "item_count": r[2], "example": r[3]} for r in reasons],
        **summary_links(batch_id),
    }


def summary_markdown(summary: dict) -> str:
    reasons = [{**r, "example": cell(r["example"])} for r in summary["top_rejections"]]
    return render("reports/run_summary.md.j2", **{**summary, "top_rejections": reasons})
