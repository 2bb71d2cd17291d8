"""Ingest: land the shop's export files in the raw tables as text, once each.

A file is identified by its entity and SHA-256, so a re-run (or the same file under another name) is
skipped instead of loading its rows twice. Rows keep their 1-based position in the file as _row_number, so
validation can point a person at the exact line.
"""

import hashlib
import logging
import re
from pathlib import Path

from prefect import task

from adcraft.db import sql, warehouse
from adcraft.stages import timed_stage

log = logging.getLogger(__name__)

ENTITIES = ("products", "customers", "order_lines")
FILE_PATTERN = re.compile(rf"^({'|'.join(ENTITIES)}).*\.(csv|parquet)$")
# How DuckDB reads each format as text, and how it numbers rows in file order.
READERS = {
    "csv": ("read_csv($file, header = true, all_varchar = true) WITH ORDINALITY", "ordinality"),
    "parquet": ("read_parquet($file, file_row_number = true)", "file_row_number + 1"),
}


class MissingColumnError(ValueError):
    pass


@task(name="ingest")
@timed_stage
def ingest_landing(source_dir: str) -> dict:
    """Load every new products*/customers*/order_lines* file (CSV or Parquet) in source_dir into raw.*."""
    source = Path(source_dir)
    if not source.is_dir():
        raise FileNotFoundError(f"Landing folder {source} does not exist. Generate it with `adcraft demo`.")
    rows_loaded = dict.fromkeys(ENTITIES, 0)
    load_ids, skipped = [], []
    with warehouse() as con:
        for path in sorted(source.iterdir()):
            match = FILE_PATTERN.match(path.name)
            if not match:
                continue
            entity, fmt = match.groups()
            checksum = _sha256(path)
            seen = con.execute(
                "SELECT load_id FROM ops.loads WHERE entity = ? AND checksum = ?", [entity, checksum]
            ).fetchone()
            if seen:
                log.info("skipping %s: already loaded as %s", path.name, seen[0])
                skipped.append(path.name)
                continue
            load_id = f"{entity}-{checksum[:12]}"
            rows_loaded[entity] += _load_file(con, path, entity, fmt, load_id, checksum)
            load_ids.append(load_id)
    return {"rows": sum(rows_loaded.values()), "rows_loaded": rows_loaded, "load_ids": load_ids,
            "skipped": skipped}


def _load_file(con, path: Path, entity: str, fmt: str, load_id: str, checksum: str) -> int:
    """Insert one file's rows and its ops.loads record in one transaction, so a failure leaves neither."""
    source, row_number = READERS[fmt]
    params = {"file": str(path)}
    present = {name for name, *_ in con.execute(f"DESCRIBE SELECT * FROM {source}", params).fetchall()}
    required = [name for (name,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? "
        "AND NOT starts_with(column_name, '_') ORDER BY column_index", [entity]).fetchall()]
    missing = [name for name in required if name not in present]
    if missing:
        raise MissingColumnError(
            f"{path} has no column {', '.join(repr(m) for m in missing)}, which {entity} files must have "
            f"(expected: {', '.join(required)})."
        )
    columns = ", ".join(f'CAST("{name}" AS VARCHAR) AS "{name}"' for name in required)
    insert = sql("ingest/insert_raw").format(entity=entity, columns=columns, source=source, row_number=row_number)
    con.execute("BEGIN")
    try:
        (count,) = con.execute(insert, {**params, "load_id": load_id}).fetchone()
        con.execute(
            "INSERT INTO ops.loads (load_id, entity, source_file, checksum, row_count) VALUES (?, ?, ?, ?, ?)",
            [load_id, entity, str(path), checksum, count],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    log.info("loaded %s rows of %s as %s", count, path.name, load_id)
    return count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
