"""What a run leaves in Prefect (ephemeral API, real flows): a bounded number of task runs whatever the
number of briefs, the summary and table artifacts, and a failed stage that names its cause and the re-run
command."""

from collections import Counter
from datetime import date

import pytest
from prefect import flow, get_client, task
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    FlowRunFilter,
    FlowRunFilterId,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.logging.handlers import APILogWorker

from adcraft.kernel.db import warehouse
from adcraft.operations.stages import timed_stage
from adcraft.sources.demo_shop import generate_demo_shop
from conftest import small_campaign
from flows.nightly import nightly_campaign

pytestmark = pytest.mark.slow  # nightly runs and Prefect's API logs

RUN_DATE = date(2026, 11, 23)
MAX_TASK_RUNS = 100


@pytest.fixture(scope="module")
def nightly(tmp_path_factory):
    """One small nightly run (batch demo-20261123): 2 segments x 2 products x 1 content type, so 4 briefs."""
    home = tmp_path_factory.mktemp("observe") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADCRAFT_HOME", str(home))
        mp.setenv("ADCRAFT_REVIEW_URL", "http://review.test:8000/")
        from adcraft.kernel.settings import get_settings

        get_settings.cache_clear()
        generate_demo_shop(home / "landing" / "demo", scale=0.1, seed=7)
        campaign = small_campaign(home, "observe", per_segment=2, banner_sizes=["300x250"],
                                  segments=["champions", "loyal"], content_types=["sms"], variants=1, candidates=None)
        state = nightly_campaign(str(campaign), RUN_DATE, return_state=True)
        with warehouse(read_only=True) as con:
            [(briefs,)] = con.execute("SELECT count(*) FROM marts.briefs WHERE batch_id = 'demo-20261123'").fetchall()
        yield {"state": state, "summary": state.result(), "briefs": briefs}
        get_settings.cache_clear()


def test_a_nightly_run_makes_a_bounded_number_of_task_runs(nightly):
    run_id = nightly["state"].state_details.flow_run_id
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
    per_task = Counter(run.task_key for run in runs)
    assert nightly["briefs"] >= 4
    assert 0 < len(runs) <= MAX_TASK_RUNS
    # No task runs once per brief or item: each stage is one task run (a batch), so the count cannot grow.
    assert max(per_task.values()) < nightly["briefs"], per_task


def test_the_summary_artifact_has_counts_rates_reasons_and_links(nightly):
    run_id = nightly["state"].state_details.flow_run_id
    with get_client(sync_client=True) as client:
        artifacts = {a.key: a for a in client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))}
    summary = artifacts["summary-demo-20261123"].data
    assert "## Counts per stage" in summary and "| generate |" in summary and "| score |" in summary
    assert "- Approval rate (copy): **" in summary and "## Top reasons items were held back" in summary
    assert "[review page](http://review.test:8000/batches/demo-20261123)" in summary
    assert "[batch report](file://" in summary and "adcraft report demo-20261123" in summary
    assert artifacts["stages-demo-20261123"].type == "table"
    assert artifacts["decisions-demo-20261123"].type == "table"
    assert "generate" in artifacts["stages-demo-20261123"].data


@task(name="explode")
@timed_stage
def explode(batch_id: str) -> dict:
    raise OSError("disk full")


@flow(name="failing-nightly")
def failing_nightly(campaign_file: str, run_date: date) -> dict:
    return explode("demo-20261123")


def test_a_failed_stage_names_its_cause_and_the_re_run_command():
    state = failing_nightly("campaigns/demo.yaml", RUN_DATE, return_state=True)
    assert state.is_failed()
    with pytest.raises(OSError, match="disk full") as raised:
        state.result()
    expected = "[demo/demo-20261123] explode failed after"
    rerun = "re-run: adcraft run campaigns/demo.yaml --date 2026-11-23"
    assert any(expected in note and rerun in note for note in raised.value.__notes__), raised.value.__notes__
    APILogWorker.drain_all(timeout=10)  # logs are sent in the background
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id])))
    assert any(expected in log.message and "OSError: disk full" in log.message and rerun in log.message
               for log in logs), [log.message for log in logs]
