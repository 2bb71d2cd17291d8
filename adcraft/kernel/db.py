"""Short-lived DuckDB connections, SQL files and schema migrations.

DuckDB lets one process write at a time, and flows and the review app are separate processes, so every
caller opens a connection for one unit of work and closes it, and waits politely for the lock.

SQL lives in warehouse/queries/<area>/<name>.sql. Values always travel as named parameters ($batch_id). A few
statements work over any entity or over SQL generated from a mapping or a rules file; those take their
identifiers and fragments as {{ placeholders }}, filled by `sql(name, **fragments)`.
"""

import re
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from adcraft.kernel.errors import WarehouseLockedError
from adcraft.kernel.settings import MIGRATIONS_DIR, QUERIES_DIR, get_settings


@contextmanager
def connect(path: Path | None = None, read_only: bool = False):
    settings = get_settings()
    path = Path(path or settings.warehouse)
    if read_only and not path.exists():
        raise FileNotFoundError(f"There is no warehouse at {path} yet. Load data first (`adcraft demo`, `adcraft "
                                "ingest` or `adcraft run`), or set ADCRAFT_HOME to the folder that holds it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + settings.lock_timeout_s
    delay = 0.1
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only,
                                 config={"memory_limit": settings.duckdb_memory_limit})
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() > deadline:
                raise WarehouseLockedError(
                    f"The warehouse {path} is locked by another process for over "
                    f"{settings.lock_timeout_s:.0f}s. Wait for the running flow or app to finish, "
                    f"or raise ADCRAFT_LOCK_TIMEOUT_S."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    try:
        yield con
    finally:
        con.close()


PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")
PARAMETER = re.compile(r"\$([a-z_]\w*)")


def sql(name: str, **fragments: str) -> str:
    """The text of warehouse/queries/<name>.sql, with its {{ placeholders }} filled from fragments."""
    text = (QUERIES_DIR / f"{name}.sql").read_text()
    return PLACEHOLDER.sub(lambda m: str(fragments[m.group(1)]), text)


def parameters(query: str, **values) -> dict:
    """The values the query names as $parameters: DuckDB refuses a named value the query does not use."""
    return {name: values[name] for name in dict.fromkeys(PARAMETER.findall(query))}


@contextmanager
def transaction(con):
    """BEGIN, then COMMIT, or ROLLBACK if the block raised."""
    con.execute("BEGIN")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def uncompressed_text(con):
    """Write text without DuckDB's string compression (FSST, dictionary) for the duration: the big writes
    (raw rows, staged customers and order lines) take about half the time, for about 1.5 times the disk
    (bench/report.md). The setting holds for every connection to the warehouse in this process."""
    con.execute("SET disabled_compression_methods = 'fsst,dictionary'")
    try:
        yield
    finally:
        con.execute("RESET disabled_compression_methods")


def records(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list[dict]:
    """A query's rows as dicts keyed by column name."""
    cursor = con.execute(query, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply warehouse/migrations/NNN_*.sql files newer than the recorded version, in order."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    done = {v for (v,) in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:3])
        if version in done:
            continue
        with transaction(con):
            con.execute(path.read_text())
            con.execute("INSERT INTO schema_migrations (version, name) VALUES ($version, $name)",
                        {"version": version, "name": path.stem})
        applied.append(path.stem)
    return applied


@contextmanager
def warehouse(read_only: bool = False):
    """A connection to the warehouse with the schema up to date."""
    with connect(read_only=read_only) as con:
        if not read_only:
            migrate(con)
        yield con
