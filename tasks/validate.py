"""Validate: check every new load with a Great Expectations suite, and quarantine the rows that break a rule
(adcraft/sources/validation.py). A failed critical rule on the newest load of a file stops the run, on this
run and on every re-run, until the file is replaced or the rows are released."""

from prefect import task

from adcraft.kernel.errors import CriticalDataError
from adcraft.operations.stages import timed_stage
from adcraft.sources.validation import validate_pending
from adcraft.sources.validation_report import blocking_message


@task(name="validate")
@timed_stage
def validate_loads() -> dict:
    """Reads raw.* and ops.loads; writes quarantine.rows, ops.validation_results and the validation report.
    Stops on critical failures (CriticalDataError)."""
    entities, loads, blocking, report = validate_pending()
    if blocking:
        raise CriticalDataError(blocking_message(blocking, report))
    return {"rows": sum(e["rows_checked"] for e in entities.values()), "loads": loads,
            "entities": entities, "report": str(report)}
