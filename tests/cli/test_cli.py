import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from adcraft.cli.main import app

# A wide terminal, so rich never wraps an error message in the middle of the words a test looks for.
runner = CliRunner(env={"COLUMNS": "250"})


@pytest.mark.parametrize(
    "command",
    [[], ["demo"], ["ingest"], ["run"], ["report"], ["sources"], ["sources", "check"], ["sources", "init"],
     ["quarantine"], ["quarantine", "list"], ["quarantine", "release"], ["train"], ["train", "image"]],
)
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_the_console_script_starts_without_heavy_imports():
    code = ("import sys; from adcraft.cli.main import app; "
            "print(sorted(m for m in ('torch', 'prefect', 'great_expectations') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_bad_date_is_explained(tmp_path):
    result = runner.invoke(app, ["run", "campaigns/demo.yaml", "--date", "23/11/2026"])
    assert result.exit_code != 0 and "use YYYY-MM-DD" in result.output


def test_a_bad_campaign_is_explained(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n")
    result = runner.invoke(app, ["run", str(bad)])
    assert result.exit_code != 0 and "brand: Field required" in result.output


def test_a_missing_source_is_explained_without_a_traceback(adcraft_home):
    result = runner.invoke(app, ["ingest", "--source", "no-such-shop"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert any(line.startswith("Error: Source 'no-such-shop' does not exist: no file")
               for line in result.output.splitlines())
    assert "Declare it in sources/<name>.yaml" in result.output


@pytest.mark.slow  # a flow run, and Prefect's API logs read back
def test_a_failed_ingest_prints_its_reason_once_and_the_prefect_logs_keep_the_traceback(adcraft_home, tmp_path):
    from prefect import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterLevel, LogFilterTimestamp

    landing = tmp_path / "exports"
    landing.mkdir()
    order = f"O-{uuid.uuid4().hex}"  # a new checksum, so the load's id finds this run's logs
    (landing / "order_lines.csv").write_text(
        "order_id,line_number,customer_id,sku,quantity,unit_price,currency,ordered_at\n"
        f"{order},1,C1,A-1,1,49.00,USD,2026-11-03 10:15:00\n")
    started = datetime.now(UTC)
    # In a process of its own: Prefect's console handler writes to the real stderr, which CliRunner cannot see.
    done = subprocess.run([sys.executable, "-m", "adcraft.cli.main", "ingest", "--source", str(landing)],
                          capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "250"})
    terminal = done.stdout + done.stderr
    assert done.returncode == 1, terminal
    assert "Traceback" not in terminal
    assert terminal.count("rule currency_known on column currency failed on 1 of 1 rows") == 1, terminal
    assert "validate failed after" in terminal and f"re-run: adcraft ingest --source {landing}" in terminal
    load = re.search(r"load (order_lines-[0-9a-f]+)", terminal).group(1)
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(level=LogFilterLevel(ge_=40), timestamp=LogFilterTimestamp(after_=started)))
    assert any(load in log.message and "Traceback" in log.message for log in logs), [log.message for log in logs]


@pytest.mark.parametrize("command", [["report"], ["publish", "batch"]])
def test_an_unknown_batch_is_explained_without_a_traceback(adcraft_home, command):
    from adcraft.kernel.db import warehouse

    with warehouse():  # an empty warehouse
        pass
    result = runner.invoke(app, [*command, "nope-20261205"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Error: There is no batch 'nope-20261205'. List batches with `adcraft report`." in result.output
    assert "re-run" not in result.output  # a stage's re-run command cannot help here


def test_reports_on_a_fresh_home_say_there_is_no_warehouse_yet(adcraft_home):
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"Error: There is no warehouse at {adcraft_home / 'warehouse.duckdb'} yet. Load data first" in result.output
