"""Scale-out: the nightly flow on Dask (prefect-dask, a LocalCluster of two process workers, every sharded stage
cut in two) writes what the default path writes, and re-running an unchanged batch reads its generations
from the cache instead of running the model."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from prefect import flow, get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect_dask import DaskTaskRunner
from pydantic import ValidationError

from adcraft.kernel.config import load_campaign
from adcraft.kernel.db import warehouse
from adcraft.kernel.settings import MAX_SHARDS, Settings, get_settings
from adcraft.operations.task_runners import split, task_runner
from adcraft.sources.demo_shop import generate_demo_shop
from conftest import small_campaign
from flows.nightly import nightly_campaign
from tasks.generate import generate_copy

pytestmark = pytest.mark.slow  # a Dask cluster and a nightly run with the real model

RUN_DATE = date(2026, 11, 23)
BATCH = "demo-20261123"
SHARD_TASKS = ("generate-shard", "banner-shard", "score-shard")


def outputs(home: Path) -> dict:
    """What a run wrote that must not depend on where its tasks ran."""
    with warehouse(read_only=True) as con:
        banners = con.execute("SELECT path FROM content.banners ORDER BY path").fetchall()
        return {
            "copy": con.execute("SELECT item_id, text, seed FROM content.copy_items ORDER BY item_id").fetchall(),
            "scores": con.execute(
                "SELECT item_id, check_name, passed, score, reason FROM content.scores ORDER BY item_id, check_name"
            ).fetchall(),
            "decisions": con.execute(
                "SELECT item_id, decision, quality, reasons FROM content.decisions ORDER BY item_id"
            ).fetchall(),
            "banners": {Path(p).name: hashlib.sha256(Path(p).read_bytes()).hexdigest() for (p,) in banners},
        }


def shard_runs(flow_run_id) -> dict[str, list[str]]:
    """State names of each shard task's runs in one flow run."""
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {name: [r.state_name for r in runs if r.name.startswith(f"{name}-")] for name in SHARD_TASKS}


@flow(name="regenerate")
def regenerate(campaign_file: str) -> dict:
    campaign = load_campaign(campaign_file)
    return generate_copy(BATCH, campaign.brand, campaign.variants, campaign.link, campaign.candidates)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same small campaign (4 sms and 4 email briefs, generated in chunks of 4) run once with the default
    runner and once on Dask, each in its own ADCRAFT_HOME."""
    results = {}
    for name, env in {"default": {}, "dask": {"ADCRAFT_TASK_RUNNER": "dask", "ADCRAFT_DASK_WORKERS": "2"}}.items():
        home = tmp_path_factory.mktemp(name) / "home"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("ADCRAFT_HOME", str(home))
            mp.setenv("ADCRAFT_GENERATION_BATCH_SIZE", "4")  # several chunks, so that generation has shards
            for key, value in env.items():
                mp.setenv(key, value)
            get_settings.cache_clear()
            generate_demo_shop(home / "landing" / "demo", scale=0.1, seed=7)
            campaign = small_campaign(home, name, per_segment=2, banner_sizes=["300x250"],
                                      segments=["champions", "loyal"], content_types=["sms", "email"], variants=1,
                                      candidates=None)
            state = nightly_campaign.with_options(task_runner=task_runner())(str(campaign), RUN_DATE,
                                                                            return_state=True)
            results[name] = {"home": home, "campaign": campaign, "state": state, "outputs": outputs(home)}
        get_settings.cache_clear()
    yield results


def test_the_dask_runner_writes_what_the_default_runner_writes(runs):
    default, dask = runs["default"], runs["dask"]
    assert default["state"].is_completed() and dask["state"].is_completed()
    assert dask["outputs"]["copy"] and len(dask["outputs"]["banners"]) == 4
    for kind in ("copy", "scores", "decisions", "banners"):
        assert dask["outputs"][kind] == default["outputs"][kind], kind
    # The work really was cut: one shard per stage by default, two on Dask.
    assert {k: len(v) for k, v in shard_runs(default["state"].state_details.flow_run_id).items()} == dict.fromkeys(
        SHARD_TASKS, 1)
    assert {k: len(v) for k, v in shard_runs(dask["state"].state_details.flow_run_id).items()} == dict.fromkeys(
        SHARD_TASKS, 2)


def test_an_unchanged_batch_is_not_generated_again(runs, monkeypatch):
    run = runs["default"]
    monkeypatch.setenv("ADCRAFT_HOME", str(run["home"]))
    monkeypatch.setenv("ADCRAFT_GENERATION_BATCH_SIZE", "4")
    get_settings.cache_clear()
    state = regenerate(str(run["campaign"]), return_state=True)
    assert state.is_completed()
    assert shard_runs(state.state_details.flow_run_id)["generate-shard"] == ["Cached"]
    assert outputs(run["home"])["copy"] == run["outputs"]["copy"]
    # A changed input (another seed) misses the cache and runs the model.
    monkeypatch.setenv("ADCRAFT_SEED", "8")
    get_settings.cache_clear()
    state = regenerate(str(run["campaign"]), return_state=True)
    assert shard_runs(state.state_details.flow_run_id)["generate-shard"] == ["Completed"]
    get_settings.cache_clear()


def test_the_settings_pick_the_runner_and_bound_the_shards(monkeypatch):
    monkeypatch.setenv("ADCRAFT_TASK_RUNNER", "dask")
    monkeypatch.setenv("ADCRAFT_DASK_WORKERS", "3")
    get_settings.cache_clear()
    runner = task_runner()
    assert isinstance(runner, DaskTaskRunner) and runner.cluster_kwargs["n_workers"] == 3
    assert get_settings().shard_count == 3
    monkeypatch.setenv("ADCRAFT_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    get_settings.cache_clear()
    assert task_runner().address == "tcp://10.0.0.5:8786"
    get_settings.cache_clear()
    assert Settings(task_runner="thread").shard_count == 1
    with pytest.raises(ValidationError):
        Settings(shards=MAX_SHARDS + 1)


def test_shards_keep_groups_whole_and_in_order():
    assert split([[1, 2], [3], [4, 5, 6], [7]], 2) == [[1, 2, 3], [4, 5, 6, 7]]
    assert split([[1], [2]], 5) == [[1], [2]]
    assert split([[], [1, 2, 3]], 3) == [[1, 2, 3]]
    assert split([[1], [2], [3]], 2) == [[1, 2], [3]]
    assert split([], 4) == []
