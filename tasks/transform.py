"""Transform: bring staging up to date and rebuild the marts, as of the run's date (warehouse/models.yaml)."""

from datetime import date

from prefect import task

from adcraft.kernel.db import warehouse
from adcraft.operations.stages import TRANSIENT_RETRIES, timed_stage
from adcraft.transform.build import build_models


@task(name="transform", timeout_seconds=3600, **TRANSIENT_RETRIES)
@timed_stage
def build_marts(as_of: date) -> dict:
    """Reads raw.*, quarantine.held and ops.loads; writes staging.*, marts.* (but marts.briefs) and
    ops.staged_loads. Safe to re-run."""
    with warehouse() as con:
        return build_models(con, as_of)
