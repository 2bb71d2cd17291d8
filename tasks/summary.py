"""The run summary: stage timings into the warehouse, and artifacts for the Prefect UI: a markdown summary
(counts per stage, approval rate, top reasons, links to the report and the review page) and tables."""

import html
import re

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from adcraft.db import sql, warehouse
from adcraft.settings import get_settings
from adcraft.templating import render
from tasks.publish import batch_publish_dir
from tasks.report import approval_rate

REVIEW_PAGE = "{review_url}/batches/{batch_id}"
"""The review app's page for one batch."""


def _cell(text: object, limit: int = 160) -> str:
    """Untrusted text (a reason quotes product data) made inert for one markdown table cell or line."""
    text = re.sub(r"\s+", " ", str(text or ""))[:limit]
    return html.escape(text).replace("|", "\\|").replace("`", "'").replace("[", "\\[")


def _key(kind: str, batch_id: str) -> str:
    """Artifact keys take lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{kind}-{batch_id}".lower())


def summary_links(batch_id: str) -> dict:
    report = batch_publish_dir(batch_id) / "report.html"
    review = REVIEW_PAGE.format(review_url=get_settings().review_url.rstrip("/"), batch_id=batch_id)
    return {"report": str(report), "report_url": report.resolve().as_uri(), "review_url": review}


@task(name="summarise")
def summarise_run(batch_id: str, stages: dict[str, dict]) -> dict:
    with warehouse() as con:
        con.execute("DELETE FROM ops.stage_runs WHERE batch_id = ?", [batch_id])
        con.executemany(
            "INSERT INTO ops.stage_runs (batch_id, seq, stage, seconds, rows_out) VALUES (?, ?, ?, ?, ?)",
            [(batch_id, i, name, s["seconds"], s.get("rows", 0)) for i, (name, s) in enumerate(stages.items())],
        )
        decisions: dict[str, dict[str, int]] = {}
        for kind, decision, items in con.execute(sql("reports/decision_counts"), [batch_id]).fetchall():
            decisions.setdefault(kind, {})[decision] = items
        reasons = con.execute(sql("reports/rejection_reasons"), [batch_id]).fetchall()[:5]
    summary = {
        "batch_id": batch_id,
        "stages": {name: {"rows": s.get("rows", 0), "seconds": s["seconds"]} for name, s in stages.items()},
        "decisions": decisions,
        "approval_rate": approval_rate(decisions),
        "top_rejections": [{"check": r[0], "decision": r[1], "item_count": r[2], "example": r[3]} for r in reasons],
        **summary_links(batch_id),
    }
    _publish_artifacts(summary)
    return summary


def _publish_artifacts(summary: dict) -> None:
    batch_id = summary["batch_id"]
    reasons = [{**r, "example": _cell(r["example"])} for r in summary["top_rejections"]]
    create_markdown_artifact(
        key=_key("summary", batch_id),
        markdown=render("reports/run_summary.md.j2", **{**summary, "top_rejections": reasons}),
        description=f"Run summary for {batch_id}",
    )
    create_table_artifact(
        key=_key("stages", batch_id),
        table=[{"stage": name, **s} for name, s in summary["stages"].items()],
        description=f"Rows out and seconds per stage, {batch_id}",
    )
    create_table_artifact(
        key=_key("decisions", batch_id),
        table=[{"kind": kind, "approved": c.get("approved", 0), "needs_review": c.get("needs_review", 0),
                "rejected": c.get("rejected", 0)} for kind, c in summary["decisions"].items()],
        description=f"Decisions per item kind, {batch_id}",
    )
