"""Short-lived DuckDB connections, SQL files and schema migrations.

DuckDB lets one process write at a time, and flows and the review app are separate processes, so every
caller opens a connection for one unit of work and closes it, and waits politely for the lock.
"""

import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from adcraft.settings import SQL_DIR, get_settings


class WarehouseLockedError(RuntimeError):
    pass


class UnknownBatchError(LookupError):
    """A batch id the warehouse holds no batch for; the message says how to list them."""


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


def sql(name: str) -> str:
    """The text of warehouse/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text()


def records(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list[dict]:
    """A query's rows as dicts keyed by column name."""
    cursor = con.execute(query, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply warehouse/sql/schema/NNN_*.sql files newer than the recorded version, in order."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    done = {v for (v,) in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sorted((SQL_DIR / "schema").glob("[0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:3])
        if version in done:
            continue
        con.execute("BEGIN")
        con.execute(path.read_text())
        con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, path.stem])
        con.execute("COMMIT")
        applied.append(path.stem)
    return applied


@contextmanager
def warehouse(read_only: bool = False):
    """A connection to the warehouse with the schema up to date."""
    with connect(read_only=read_only) as con:
        if not read_only:
            migrate(con)
        yield con
