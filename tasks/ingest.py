"""Ingest: land a source's exports (sources/<name>.yaml) in the raw tables as canonical text, once each.

An export is identified by its entity and checksum, so a re-run (or the same file under another name) is
skipped instead of loading its rows twice. Rows keep their 1-based position in the file as _row_number, so
validation can point a person at the exact line, and their load as _load_id. Staging later keeps the newest
row per key, so a changed row in a later export replaces the old one (warehouse/models/staging).

A CSV is read on one thread (adcraft/sources/mapping.py), so the entities are landed side by side, each on its own
connection and thread; an entity's files are landed one after the other, in order.
"""

from concurrent.futures import ThreadPoolExecutor

from prefect import task

from adcraft.kernel.db import uncompressed_text, warehouse
from adcraft.operations.stages import TRANSIENT_RETRIES, timed_stage
from adcraft.sources.landing import land_entity
from adcraft.sources.mapping import ENTITIES, inputs
from adcraft.sources.spec import load_source


@task(name="ingest", timeout_seconds=3600, **TRANSIENT_RETRIES)
@timed_stage
def ingest_source(source_ref: str) -> dict:
    """Load every new export of a source: a name in sources/, a source YAML path, or a landing folder. Reads the
    exports; writes raw.*, ops.loads and quarantine.rows (lines the reader could not parse)."""
    source = load_source(source_ref)
    base = source.base_dir()
    if not any(spec.table for spec in source.entities.values()) and not base.is_dir():
        raise FileNotFoundError(f"Landing folder {base} of source {source.name!r} does not exist. "
                                "Generate it with `adcraft demo`, or fix `folder:` in the source's YAML.")
    items = inputs(source)
    by_entity = {entity: [item for item in items if item.entity == entity] for entity in ENTITIES}
    by_entity = {entity: found for entity, found in by_entity.items() if found}
    with warehouse() as con, uncompressed_text(con):
        with ThreadPoolExecutor(max_workers=max(len(by_entity), 1), thread_name_prefix="ingest") as pool:
            landing = [pool.submit(land_entity, con.cursor(), found, source) for found in by_entity.values()]
            outcomes = [item for future in landing for item in future.result()]  # raises the first error
    rows_loaded = dict.fromkeys(ENTITIES, 0)
    load_ids, skipped = [], []
    for item, load_id, rows in outcomes:
        if load_id is None:
            skipped.append(item.label.rsplit("/", 1)[-1])
        else:
            rows_loaded[item.entity] += rows
            load_ids.append(load_id)
    return {"source": source.name, "rows": sum(rows_loaded.values()), "rows_loaded": rows_loaded,
            "load_ids": load_ids, "skipped": skipped}
