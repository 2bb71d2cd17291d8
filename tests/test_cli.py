import subprocess
import sys

import pytest
from typer.testing import CliRunner

from adcraft.cli import app

# A wide terminal, so rich never wraps an error message in the middle of the words a test looks for.
runner = CliRunner(env={"COLUMNS": "250"})


@pytest.mark.parametrize(
    "command",
    [[], ["demo"], ["ingest"], ["run"], ["report"], ["sources"], ["sources", "check"], ["quarantine"],
     ["quarantine", "list"], ["quarantine", "release"], ["train"], ["train", "image"]],
)
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_the_console_script_starts_without_heavy_imports():
    code = "import sys; from adcraft.cli import app; print(sorted(m for m in ('torch', 'prefect', 'great_expectations') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


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
