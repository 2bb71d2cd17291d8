"""Expected stops (no briefs, critical data, a locked warehouse, a missing model) print their message, not a
traceback, in at most 15 lines; the traceback goes to the log file, or to the terminal with --verbose. Each
runs the real command in a process of its own, since Prefect's console handler writes to the real stderr."""

import os
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from adcraft.cli.main import MAX_LINES
from adcraft.sources.demo_shop import generate_demo_shop
from conftest import small_campaign


def adcraft(home, *args, **env) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-m", "adcraft.cli.main", *args], capture_output=True, text=True,
                          check=False, env={**os.environ, "ADCRAFT_HOME": str(home), "COLUMNS": "250", **env})
    return done.returncode, (done.stdout + done.stderr).splitlines()


def assert_explained(code: int, lines: list[str], message: str, home) -> None:
    terminal = "\n".join(lines)
    assert code == 1, terminal
    assert len(lines) <= MAX_LINES and "Traceback (most recent call last)" not in terminal, terminal
    assert message in terminal and f"The full error is in {home / 'logs' / 'adcraft.log'}" in terminal, terminal
    log = (home / "logs" / "adcraft.log").read_text()
    assert message in log and "Traceback (most recent call last)" in log


def test_a_locked_warehouse_is_explained_and_verbose_adds_the_traceback(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    holder = duckdb.connect(str(home / "warehouse.duckdb"))  # another process holds the write lock
    try:
        code, lines = adcraft(home, "quarantine", "list", ADCRAFT_LOCK_TIMEOUT_S="0.5")
        assert_explained(code, lines, "is locked by another process for over 0s", home)
        code, lines = adcraft(home, "--verbose", "quarantine", "list", ADCRAFT_LOCK_TIMEOUT_S="0.5")
        terminal = "\n".join(lines)
        assert code == 1 and "Traceback (most recent call last)" in terminal and "WarehouseLockedError" in terminal
    finally:
        holder.close()


def test_an_unexpected_error_keeps_its_traceback(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "warehouse.duckdb").write_text("not a database")
    code, lines = adcraft(home, "quarantine", "list")
    assert code == 1 and "Traceback (most recent call last)" in "\n".join(lines)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    home = tmp_path_factory.mktemp("stops") / "home"
    generate_demo_shop(home / "landing" / "demo", scale=0.02, seed=3)
    return home


@pytest.mark.slow  # nightly flows up to their stop, in processes of their own
def test_no_briefs_and_a_missing_model_stop_with_their_message(shop):
    nobody = small_campaign(shop, "nobody", per_segment=1, segments=["nobody"])
    code, lines = adcraft(shop, "run", str(nobody), "--date", "2026-11-23")
    assert_explained(code, lines, "No briefs for demo-20261123: rule top_sellers found no active", shop)
    campaign = small_campaign(shop, "one", per_segment=1, segments=["champions"], content_types=["sms"])
    code, lines = adcraft(shop, "run", str(campaign), "--date", "2026-11-23",
                          ADCRAFT_TEXT_MODEL=str(shop / "no-such-model"))
    assert_explained(code, lines, f"The text model is missing: ADCRAFT_TEXT_MODEL={shop / 'no-such-model'}", shop)


@pytest.mark.slow  # a flow run
def test_critical_data_stops_with_its_message_cut_to_fit(shop, tmp_path):
    landing = tmp_path / "exports"
    landing.mkdir()
    header = "order_id,line_number,customer_id,sku,quantity,unit_price,currency,ordered_at\n"
    for n in range(12):  # twelve broken files: a message too long for the terminal
        line = f"O{n},1,C1,A-1,1,49.00,USD,{date(2026, 1, 1)} 10:00:00\n"
        (landing / f"order_lines_{n}.csv").write_text(header + line)
    code, lines = adcraft(shop, "ingest", "--source", str(landing))
    assert_explained(code, lines, "Validation stopped the run before generation: 12 critical rule(s) failed.", shop)
    assert "more line(s) in" in lines[-2]
