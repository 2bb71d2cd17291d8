"""Warehouse access for the review app: short-lived connections, one at a time in this process.

DuckDB lets one process write, and refuses a read-only and a read-write connection to the same file open
at once in one process, so every request takes the process's lock before it connects. Both waits (for
this lock and for another process's write lock, in adcraft.kernel.db.connect) end after ADCRAFT_LOCK_TIMEOUT_S
with WarehouseLockedError, which the app shows as a friendly 503 page.
"""

import threading
from contextlib import contextmanager

import duckdb

from adcraft.kernel.db import connect, migrate, records, sql, transaction
from adcraft.kernel.errors import WarehouseLockedError
from adcraft.kernel.settings import get_settings

_lock = threading.Lock()


class WarehouseBusy(WarehouseLockedError):
    """Another request of this app, or another process, kept the warehouse past the lock timeout."""


@contextmanager
def exclusive():
    """Hold the process's warehouse turn, e.g. around code that opens its own connections (publishing)."""
    if not _lock.acquire(timeout=get_settings().lock_timeout_s):
        raise WarehouseBusy("The review app's other requests kept the warehouse past the lock timeout.")
    try:
        yield
    finally:
        _lock.release()


@contextmanager
def reading():
    with exclusive(), connect(read_only=True) as con:
        yield con


@contextmanager
def writing():
    """A read-write connection in a transaction: committed when the block ends, rolled back on an error."""
    with exclusive(), connect() as con, transaction(con):
        yield con


def ensure_schema() -> list[str]:
    """Bring the warehouse schema up to date (the app's own tables included); creates an empty warehouse."""
    with exclusive(), connect() as con:
        return migrate(con)


def query(con: duckdb.DuckDBPyConnection, name: str, **params) -> list[dict]:
    """Rows of warehouse/queries/review/<name>.sql as dicts."""
    return records(con, sql(f"review/{name}"), params)


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> None:
    con.execute(sql(f"review/{name}"), params)
