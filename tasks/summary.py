"""Summarise a run: stage timings into the warehouse, and artifacts for the Prefect UI (a markdown summary
and tables), from adcraft/reporting/run_summary.py."""

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from adcraft.reporting.run_summary import artifact_key, record_run, summary_markdown


@task(name="summarise")
def summarise_run(batch_id: str, stages: dict[str, dict]) -> dict:
    """Reads content.decisions and content.scores; writes ops.stage_runs and the run's Prefect artifacts."""
    summary = record_run(batch_id, stages)
    create_markdown_artifact(key=artifact_key("summary", batch_id), markdown=summary_markdown(summary),
                             description=f"Run summary for {batch_id}")
    create_table_artifact(
        key=artifact_key("stages", batch_id),
        table=[{"stage": name, **s} for name, s in summary["stages"].items()],
        description=f"Rows out and seconds per stage, {batch_id}",
    )
    create_table_artifact(
        key=artifact_key("decisions", batch_id),
        table=[{"kind": kind, "approved": c.get("approved", 0), "needs_review": c.get("needs_review", 0),
                "rejected": c.get("rejected", 0)} for kind, c in summary["decisions"].items()],
        description=f"Decisions per item kind, {batch_id}",
    )
    return summary
