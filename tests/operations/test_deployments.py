"""prefect.yaml: every deployment names a real flow and only its parameters, every campaign has its nightly
deployment with the campaign's own cron and time zone, and those schedules are DST-safe."""

import asyncio
import importlib
import inspect
from collections import Counter
from datetime import UTC, datetime

import pytest
import yaml

from adcraft.kernel.config import Campaign, load_campaign
from adcraft.kernel.settings import PROJECT_DIR
from adcraft.operations.deployments import GPU_POOL, PROCESS_POOL, nightly_deployment, nightly_name, upsert

PROJECT = yaml.safe_load((PROJECT_DIR / "prefect.yaml").read_text())
DEPLOYMENTS = {d["name"]: d for d in PROJECT["deployments"]}
CAMPAIGNS = sorted((PROJECT_DIR / "campaigns").glob("*.yaml"))


def flow_of(entrypoint: str):
    path, function = entrypoint.split(":")
    return getattr(importlib.import_module(path.removesuffix(".py").replace("/", ".")), function)


@pytest.mark.parametrize("name", sorted(DEPLOYMENTS))
def test_every_deployment_names_a_flow_and_only_its_parameters(name):
    deployment = DEPLOYMENTS[name]
    flow = flow_of(deployment["entrypoint"])
    parameters = inspect.signature(flow.fn).parameters
    assert set(deployment.get("parameters", {})) <= set(parameters)
    # A run needs every required parameter: from the deployment, or (manual deployments) from the caller.
    required = {p for p, v in parameters.items() if v.default is inspect.Parameter.empty}
    assert required - set(deployment.get("parameters", {})) <= {"batch_id"}
    assert deployment["work_pool"]["name"] in {PROCESS_POOL, GPU_POOL}


def test_the_expected_deployments_exist_on_the_right_pools():
    assert {"ingest", "train-text-weekly", "train-image", "publish"} <= set(DEPLOYMENTS)
    assert DEPLOYMENTS["train-text-weekly"]["entrypoint"] == "flows/train_text.py:train_text"
    assert [s["cron"].split()[-1] for s in DEPLOYMENTS["train-text-weekly"]["schedules"]] != ["*"]  # weekly
    assert DEPLOYMENTS["train-image"]["entrypoint"] == "flows/train_image.py:train_image"
    assert DEPLOYMENTS["publish"]["entrypoint"] == "flows/publish.py:publish"
    assert "batch_id" in inspect.signature(flow_of("flows/publish.py:publish").fn).parameters
    for manual in ("train-image", "publish", "ingest"):
        assert not DEPLOYMENTS[manual].get("schedules"), manual
    for training in ("train-text-weekly", "train-image"):
        assert DEPLOYMENTS[training]["work_pool"]["name"] == GPU_POOL


@pytest.mark.parametrize("path", CAMPAIGNS, ids=lambda p: p.stem)
def test_every_campaign_has_its_nightly_deployment_with_its_schedule(path):
    campaign = load_campaign(path)
    deployment = DEPLOYMENTS.get(nightly_name(campaign.name))
    assert deployment, f"prefect.yaml lacks {nightly_name(campaign.name)}: run `adcraft campaign schedule {path.stem}`"
    assert deployment["parameters"] == {"campaign_file": f"campaigns/{path.name}"}
    assert deployment["schedules"] == [{"cron": campaign.schedule.cron, "timezone": campaign.schedule.timezone}]
    assert deployment["entrypoint"] == "flows/nightly.py:nightly_campaign"
    assert deployment["work_pool"]["name"] == PROCESS_POOL


def test_scheduled_deployments_name_their_timezone():
    for deployment in PROJECT["deployments"]:
        for schedule in deployment.get("schedules", []):
            assert schedule["cron"] and schedule["timezone"], deployment["name"]


@pytest.mark.parametrize("path", CAMPAIGNS, ids=lambda p: p.stem)
def test_a_daily_schedule_runs_once_every_local_day_across_dst(path):
    """Prefect's own cron schedule over a year with both DST changes: no local day is skipped or doubled."""
    from prefect.server.schemas.schedules import CronSchedule

    schedule = load_campaign(path).schedule
    if schedule.cron.split()[2:] != ["*", "*", "*"]:
        pytest.skip("not a daily schedule")
    dates = asyncio.run(CronSchedule(cron=schedule.cron, timezone=schedule.timezone).get_dates(
        n=365, start=datetime(2026, 1, 1, tzinfo=UTC)))
    per_day = Counter(d.date() for d in dates)  # dates are in the schedule's time zone
    assert set(per_day.values()) == {1}
    assert (max(per_day) - min(per_day)).days == 364


def test_upsert_replaces_a_campaign_in_place_and_adds_a_new_one_after_the_nightlies():
    project = {"deployments": [{"name": "a-nightly", "entrypoint": "flows/nightly.py:nightly_campaign"},
                               {"name": "ingest", "entrypoint": "flows/ingest.py:ingest_and_validate"}]}
    demo = Campaign(name="demo", brand="demo", segments=["loyal"], content_types=["sms"])
    new = nightly_deployment(demo, PROJECT_DIR / "campaigns" / "demo.yaml")
    assert upsert(project, new) == "added"
    assert [d["name"] for d in project["deployments"]] == ["a-nightly", "demo-nightly", "ingest"]
    moved = nightly_deployment(demo.model_copy(update={"schedule": demo.schedule.model_copy(
        update={"cron": "30 5 * * 1-5", "timezone": "America/New_York"})}), PROJECT_DIR / "campaigns" / "demo.yaml")
    assert upsert(project, moved) == "updated"
    assert len(project["deployments"]) == 3
    assert project["deployments"][1]["schedules"] == [{"cron": "30 5 * * 1-5", "timezone": "America/New_York"}]
