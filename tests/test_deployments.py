import inspect

import yaml

from adcraft.settings import PROJECT_DIR
from flows.ingest import ingest_and_validate
from flows.nightly import nightly_campaign

FLOWS = {"flows/nightly.py:nightly_campaign": nightly_campaign, "flows/ingest.py:ingest_and_validate": ingest_and_validate}


def test_every_deployment_names_a_flow_and_only_its_parameters():
    deployments = yaml.safe_load((PROJECT_DIR / "prefect.yaml").read_text())["deployments"]
    assert {d["name"] for d in deployments} >= {"demo-nightly", "ingest"}
    for deployment in deployments:
        flow = FLOWS[deployment["entrypoint"]]
        assert set(deployment.get("parameters", {})) <= set(inspect.signature(flow.fn).parameters), deployment["name"]


def test_scheduled_deployments_name_their_timezone():
    for deployment in yaml.safe_load((PROJECT_DIR / "prefect.yaml").read_text())["deployments"]:
        for schedule in deployment.get("schedules", []):
            assert schedule["cron"] and schedule["timezone"], deployment["name"]
