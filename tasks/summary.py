"""The run summary: stage timings into the warehouse, and a markdown artifact for the Prefect UI."""

from prefect import task
from prefect.artifacts import create_markdown_artifact

from adcraft.db import sql, warehouse
from adcraft.templating import render
from tasks.publish import batch_publish_dir
from tasks.report import approval_rate


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
        "top_rejections": [{"check": r[0], "item_count": r[2], "example": r[3]} for r in reasons],
        "report": str(batch_publish_dir(batch_id) / "report.html"),
    }
    create_markdown_artifact(
        key=f"summary-{batch_id}".lower().replace("_", "-"),
        markdown=render("reports/run_summary.md.j2", **summary),
        description=f"Run summary for {batch_id}",
    )
    return summary
