"""Ingest on its own: load new exports and validate them, without generating anything."""

from prefect import flow

from tasks.ingest import ingest_landing
from tasks.validate import validate_loads


@flow(name="ingest")
def ingest_and_validate(source_dir: str) -> dict:
    return {"ingest": ingest_landing(source_dir), "validate": validate_loads()}
