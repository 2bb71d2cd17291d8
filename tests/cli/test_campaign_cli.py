"""`adcraft campaign ...` without a server: list, validate with field-level errors, and the way out when no
Prefect server answers. tests/test_serve.py covers schedule and run-now against a real server."""

import socket

from typer.testing import CliRunner

from adcraft.cli.main import app
from adcraft.kernel.settings import PROJECT_DIR

runner = CliRunner(env={"COLUMNS": "250"})


def closed_port_api() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"  # nothing listens once the socket is closed


def test_list_shows_each_campaign_with_its_schedule_and_next_run():
    result = runner.invoke(app, ["campaign", "list"])
    assert result.exit_code == 0, result.output
    for path in (PROJECT_DIR / "campaigns").glob("*.yaml"):
        assert path.stem in result.output
    assert "Europe/Berlin" in result.output and "in sync" in result.output


def test_validate_names_the_file_the_field_and_the_fix(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Big Sale\nbrand: demo\nsegments: []\ncontent_types: [sms]\nvariants: 0\ncolour: red\n"
                   "schedule: {cron: '0 25 * *', timezone: Mars/Olympus}\n")
    result = runner.invoke(app, ["campaign", "validate", str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert all(line.startswith(f"{bad}: ") for line in lines), lines
    assert any("name:" in line and "'Big Sale'" in line and "lowercase letters" in line for line in lines)
    assert any("segments:" in line and "at least 1 item" in line for line in lines)
    assert any("variants:" in line and "greater than or equal to 1" in line for line in lines)
    assert any("colour:" in line and "remove this field" in line for line in lines)


def test_validate_checks_the_cron_the_time_zone_and_the_brand(tmp_path):
    bad = tmp_path / "sched.yaml"
    bad.write_text("name: sale\nbrand: no_such_brand\nsegments: [loyal]\ncontent_types: [sms]\n"
                   "schedule: {cron: '0 25 * *', timezone: Mars/Olympus}\n")
    result = runner.invoke(app, ["campaign", "validate", str(bad)])
    assert result.exit_code == 1
    assert "schedule.cron: '0 25 * *' is not a cron expression" in result.output
    assert "schedule.timezone: 'Mars/Olympus' is not an IANA time zone" in result.output
    assert "brand:" in result.output and "brands/no_such_brand.yaml" in result.output


def test_validate_passes_a_good_campaign(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("name: sale\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\n"
                    "schedule: {cron: '30 5 * * 1-5', timezone: America/New_York}\n")
    result = runner.invoke(app, ["campaign", "validate", str(good)])
    assert result.exit_code == 0, result.output
    assert f"{good}: ok" in result.output


def test_run_now_without_a_server_says_how_to_start_one_or_run_locally(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("name: sale\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\n")
    result = runner.invoke(app, ["campaign", "run-now", str(good), "--date", "2026-11-23",
                                 "--api-url", closed_port_api()])
    assert result.exit_code == 2
    assert "No Prefect server answers" in result.output
    assert "adcraft serve" in result.output and f"adcraft run {good} --date 2026-11-23" in result.output


def test_schedule_of_a_file_outside_campaigns_leaves_prefect_yaml_alone(tmp_path):
    before = (PROJECT_DIR / "prefect.yaml").read_bytes()
    good = tmp_path / "good.yaml"
    good.write_text("name: sale\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\n")
    result = runner.invoke(app, ["campaign", "schedule", str(good), "--api-url", closed_port_api()])
    assert result.exit_code == 2 and "left as is" in result.output and "adcraft serve" in result.output
    assert (PROJECT_DIR / "prefect.yaml").read_bytes() == before


def test_an_unknown_campaign_lists_the_known_ones():
    result = runner.invoke(app, ["campaign", "run-now", "no-such-campaign"])
    assert result.exit_code != 0 and "No campaign 'no-such-campaign'" in result.output and "demo" in result.output
