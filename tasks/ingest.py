"""Ingest: land a source's exports (sources/<name>.yaml) in the raw tables as canonical text, once each.

An export is identified by its entity and checksum, so a re-run (or the same file under another name) is
skipped instead of loading its rows twice. Rows keep their 1-based position in the file as _row_number, so
validation can point a person at the exact line, and their load as _load_id. Staging later keeps the newest
row per key, so a changed row in a later export replaces the old one (warehouse/sql/staging).
"""

import logging

from prefect import task

from adcraft.config import load_source
from adcraft.db import warehouse
from adcraft.landing import checksum, land, prepare
from adcraft.mapping import ENTITIES, inputs
from adcraft.stages import TRANSIENT_RETRIES, timed_stage

log = logging.getLogger(__name__)


@task(name="ingest", timeout_seconds=3600, **TRANSIENT_RETRIES)
@timed_stage
def ingest_source(source_ref: str) -> dict:
    """Load every new export of a source: a name in sources/, a source YAML path, or a landing folder."""
    source = load_source(source_ref)
    base = source.base_dir()
    if not any(spec.table for spec in source.entities.values()) and not base.is_dir():
        raise FileNotFoundError(f"Landing folder {base} of source {source.name!r} does not exist. "
                                "Generate it with `adcraft demo`, or fix `folder:` in the source's YAML.")
    rows_loaded = dict.fromkeys(ENTITIES, 0)
    load_ids, skipped = [], []
    with warehouse() as con:
        for item in inputs(source):
            prepare(con, item)
            digest = checksum(con, item)
            seen = con.execute("SELECT load_id FROM ops.loads WHERE entity = ? AND checksum = ?",
                               [item.entity, digest]).fetchone()
            if seen:
                log.info("skipping %s: already loaded as %s", item.label, seen[0])
                skipped.append(item.label.rsplit("/", 1)[-1])
                continue
            load_id = f"{item.entity}-{digest[:12]}"
            rows_loaded[item.entity] += land(con, item, source, load_id, digest)
            load_ids.append(load_id)
    return {"source": source.name, "rows": sum(rows_loaded.values()), "rows_loaded": rows_loaded,
            "load_ids": load_ids, "skipped": skipped}
