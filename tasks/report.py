"""Report: the batch's HTML report, for analysts (adcraft/reporting/batch_report.py)."""

from prefect import task

from adcraft.operations.stages import TRANSIENT_RETRIES, timed_stage
from adcraft.reporting.batch_report import write_report as write_batch_report


@task(name="report", **TRANSIENT_RETRIES)
@timed_stage
def write_report(batch_id: str) -> dict:
    """Reads content.*, marts.briefs, ops.stage_runs and quarantine.rows; writes report.html in the batch's
    publish folder."""
    return {"rows": 1, "path": str(write_batch_report(batch_id))}
