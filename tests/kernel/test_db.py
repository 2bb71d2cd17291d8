import multiprocessing
import time

import duckdb
import pytest

from adcraft.kernel.db import connect, migrate, warehouse
from adcraft.kernel.errors import WarehouseLockedError
from adcraft.kernel.settings import get_settings


def _hold_lock(path: str, seconds: float, ready) -> None:
    con = duckdb.connect(path)
    ready.set()
    time.sleep(seconds)
    con.close()


def test_migrations_apply_once(adcraft_home):
    with warehouse() as con:
        assert migrate(con) == []  # warehouse() already applied them
        versions = con.execute("SELECT version FROM schema_migrations").fetchall()
    assert versions and versions[0][0] == 1


def test_a_locked_warehouse_is_waited_for(adcraft_home):
    with warehouse():
        pass
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(str(get_settings().warehouse), 2.0, ready))
    holder.start()
    ready.wait(10)
    started = time.monotonic()
    with connect() as con:
        assert con.execute("SELECT 1").fetchall() == [(1,)]
    holder.join()
    assert time.monotonic() - started > 0.5


def test_a_lock_held_too_long_gives_a_clear_error(adcraft_home, monkeypatch):
    with warehouse():
        pass
    monkeypatch.setenv("ADCRAFT_LOCK_TIMEOUT_S", "1")
    get_settings.cache_clear()
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(str(get_settings().warehouse), 4.0, ready))
    holder.start()
    ready.wait(10)
    with pytest.raises(WarehouseLockedError, match="locked by another process.*ADCRAFT_LOCK_TIMEOUT_S"):
        with connect():
            pass
    holder.join()
