"""Ingest on its own: load a source's new exports and validate them, without generating anything.

Validation raises CriticalDataError when a critical rule fails, so this flow fails with the files, rules
and what to do; warnings are in the returned results and the validation report.
"""

from prefect import flow

from tasks.ingest import ingest_source
from tasks.validate import validate_loads


@flow(name="ingest")
def ingest_and_validate(source: str) -> dict:
    """source: a name in sources/, a source YAML path, or a landing folder in the demo's layout."""
    return {"ingest": ingest_source(source), "validate": validate_loads()}
