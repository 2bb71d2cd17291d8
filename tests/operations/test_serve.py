"""The real local stack: `adcraft serve` starts a Prefect server, pools, deployments and a worker; a deployment
run goes through the worker; `campaign schedule` and `run-now` talk to that server; SIGINT stops it all.
About a minute and a half on two busy cores."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from adcraft.cli.main import app
from adcraft.kernel.settings import PROJECT_DIR
from adcraft.review.users import add_user

pytestmark = pytest.mark.slow  # a Prefect server, work pools and a worker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    home = tmp_path_factory.mktemp("serve") / "home"
    add_user(home / "reviewers.yaml", "alice", "reviewer", "alice-secret-1")
    port, review_port = free_port(), free_port()
    env = {**os.environ, "ADCRAFT_HOME": str(home), "PREFECT_HOME": str(home / "prefect"),
           "PREFECT_LOGGING_LEVEL": "INFO", "PREFECT_WORKER_QUERY_SECONDS": "1",
           "ADCRAFT_REVIEW_URL": f"http://127.0.0.1:{review_port}"}
    env.pop("PREFECT_API_URL", None)
    env.pop("ADCRAFT_REVIEW_USERS_FILE", None)
    proc = subprocess.Popen([sys.executable, "-m", "adcraft.cli.main", "serve", "--port", str(port)],
                            env=env, cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 240
    while not any(line.startswith("Ready.") for line in lines):
        assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)
        time.sleep(0.5)
    api = f"http://127.0.0.1:{port}/api"
    from prefect.settings import PREFECT_API_URL, temporary_settings

    try:
        with temporary_settings(updates={PREFECT_API_URL: api}):
            yield {"api": api, "review": env["ADCRAFT_REVIEW_URL"], "home": home, "proc": proc, "lines": lines,
                   "reader": reader}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(90)


def test_serve_creates_pools_the_gpu_limit_and_every_deployment(served):
    from prefect import get_client

    with get_client(sync_client=True) as client:
        pools = {p.name: p for p in client.read_work_pools()}
        names = {d.name for d in client.read_deployments()}
        gpu = client.read_global_concurrency_limit_by_name("gpu")
    assert pools["adcraft-process"].type == "process" and pools["adcraft-gpu"].concurrency_limit == 1
    assert gpu.limit == 1
    assert {"demo-nightly", "ingest", "train-image"} <= names
    output = "".join(served["lines"])
    assert f"Prefect UI          {served['api'].removesuffix('/api')}" in output
    assert f"review app          {served['review']}" in output
    # A fresh home gets the demo shop's exports, so that demo-nightly has something to read.
    assert "demo shop: wrote its exports to" in output
    assert {p.name for p in (served["home"] / "landing" / "demo").iterdir()} >= {"products.csv", "customers.csv"}


def test_serve_starts_the_review_app(served):
    import httpx

    login = httpx.get(f"{served['review']}/login")
    assert login.status_code == 200 and "Log in" in login.text
    assert httpx.get(f"{served['review']}/batches", follow_redirects=False).status_code == 303  # needs a login


def test_a_deployment_runs_on_the_worker_and_logs_its_stages(served):
    from prefect import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.deployments import run_deployment

    flow_run = run_deployment("ingest/ingest", timeout=180)
    assert flow_run.state.is_completed(), flow_run.state
    assert flow_run.work_pool_name == "adcraft-process" and flow_run.infrastructure_pid
    with get_client(sync_client=True) as client:
        logs = [log.message for log in client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run.id])))]
    assert any(m.startswith("[source demo] ingest: ") and "rows in" in m for m in logs), logs
    assert any(m.startswith("[source demo] validate: ") for m in logs), logs


def test_schedule_and_run_now_talk_to_the_server(served, tmp_path):
    from prefect import get_client
    from prefect.states import Cancelled

    before = (PROJECT_DIR / "prefect.yaml").read_bytes()
    campaign = tmp_path / "flash.yaml"
    campaign.write_text("name: flash\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\n"
                        "schedule: {cron: '15 6 * * 1-5', timezone: America/New_York}\n")
    runner = CliRunner(env={"COLUMNS": "250"})
    scheduled = runner.invoke(app, ["campaign", "schedule", str(campaign), "--api-url", served["api"]])
    assert scheduled.exit_code == 0, scheduled.output
    assert (PROJECT_DIR / "prefect.yaml").read_bytes() == before  # not a file in campaigns/
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("nightly-campaign/flash-nightly")
        [schedule] = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone) == ("15 6 * * 1-5", "America/New_York")
        assert deployment.parameters == {"campaign_file": str(campaign)}

        started = runner.invoke(app, ["campaign", "run-now", str(campaign), "--date", "2026-11-23",
                                      "--api-url", served["api"]])
        assert started.exit_code == 0, started.output
        url = started.output.strip().splitlines()[-1]
        assert url.startswith(served["api"].removesuffix("/api") + "/runs/flow-run/")
        flow_run = client.read_flow_run(url.rsplit("/", 1)[1])
        assert flow_run.deployment_id == deployment.id and str(flow_run.parameters["run_date"]) == "2026-11-23"
        client.set_flow_run_state(flow_run.id, Cancelled(), force=True)  # a whole nightly is not this test's job


def test_sigint_stops_every_process(served):
    proc = served["proc"]
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(90) == 0
    served["reader"].join(10)
    output = "".join(served["lines"])
    assert all(f"stopping {name}" in output for name in ("review", "worker-adcraft-process", "server"))
    assert output.endswith("stopped\n")
    from adcraft.operations.serve import api_reachable

    assert not api_reachable(served["api"])
