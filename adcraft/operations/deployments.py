"""prefect.yaml as data: one nightly deployment per campaign, kept in sync with campaigns/*.yaml, and the
deployments applied to a Prefect server with its Python client (what `prefect deploy --all` does, except
that a deployment whose flow file is missing is skipped with a message instead of stopping the rest)."""

from pathlib import Path

import yaml

from adcraft.kernel.config import Campaign
from adcraft.kernel.settings import PROJECT_DIR

PREFECT_FILE = PROJECT_DIR / "prefect.yaml"
CAMPAIGNS_DIR = PROJECT_DIR / "campaigns"
PROCESS_POOL = "adcraft-process"
GPU_POOL = "adcraft-gpu"
NIGHTLY_ENTRYPOINT = "flows/nightly.py:nightly_campaign"
NIGHTLY_FLOW = "nightly-campaign"

HEADER = """\
# Prefect deployments for adcraft: docs/operations.md explains them.
#   adcraft serve                      # server + UI, work pools, `gpu` limit, these deployments, a worker
#   adcraft campaign schedule FILE     # add or update one campaign's nightly deployment, here and on the server
# The nightly deployments mirror campaigns/*.yaml (tests/test_deployments.py checks it); edit a campaign's
# schedule in its YAML, then run `adcraft campaign schedule`, which rewrites that entry. Comments inside the
# deployments list are not kept by that rewrite: put notes in `description`.
# By hand: prefect work-pool create adcraft-process --type process; prefect gcl create gpu --limit 1;
#   prefect deploy --all; ADCRAFT_PROJECT_DIR=$PWD prefect worker start --pool adcraft-process
"""


def nightly_name(campaign_name: str) -> str:
    return f"{campaign_name}-nightly"


def campaign_ref(path: Path) -> str:
    """The campaign file as the worker sees it: relative to the project folder when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(PROJECT_DIR)) if path.is_relative_to(PROJECT_DIR) else str(path)


def nightly_deployment(campaign: Campaign, campaign_file: Path) -> dict:
    schedule = campaign.schedule
    return {
        "name": nightly_name(campaign.name),
        "description": (f"{campaign.description} " if campaign.description else "")
        + f"Cron '{schedule.cron}' in {schedule.timezone} local time (DST-safe: see docs/operations.md).",
        "entrypoint": NIGHTLY_ENTRYPOINT,
        "parameters": {"campaign_file": campaign_ref(campaign_file)},
        "schedules": [{"cron": schedule.cron, "timezone": schedule.timezone}],
        "tags": ["nightly", f"campaign:{campaign.name}"],
        "work_pool": {"name": PROCESS_POOL},
    }


def read_project(path: Path = PREFECT_FILE) -> dict:
    return yaml.safe_load(path.read_text())


def write_project(project: dict, path: Path = PREFECT_FILE) -> None:
    body = yaml.safe_dump(project, sort_keys=False, width=110, allow_unicode=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(HEADER + body)
    tmp.replace(path)


def upsert(project: dict, deployment: dict) -> str:
    """Replace the deployment of the same name, or add it after the other nightlies; 'added' or 'updated'."""
    deployments = project.setdefault("deployments", [])
    for i, existing in enumerate(deployments):
        if existing["name"] == deployment["name"]:
            deployments[i] = deployment
            return "updated"
    nightlies = [i for i, d in enumerate(deployments) if d.get("entrypoint") == NIGHTLY_ENTRYPOINT]
    deployments.insert(nightlies[-1] + 1 if nightlies else 0, deployment)
    return "added"


def apply(deployments: list[dict], pull_steps: list[dict], log=print) -> dict[str, str]:
    """Create or update each deployment on the server PREFECT_API_URL points at; name -> outcome."""
    from prefect import get_client
    from prefect.client.schemas.actions import DeploymentScheduleCreate
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.flows import load_flow_from_entrypoint
    from prefect.utilities.callables import parameter_schema

    outcomes = {}
    with get_client(sync_client=True) as client:
        for d in deployments:
            path, function = d["entrypoint"].split(":")
            if not (PROJECT_DIR / path).is_file():
                outcomes[d["name"]] = f"skipped: {path} does not exist yet (update the checkout, then deploy again)"
                log(f"  {d['name']}: {outcomes[d['name']]}")
                continue
            flow = load_flow_from_entrypoint(f"{PROJECT_DIR / path}:{function}", use_placeholder_flow=False)
            schedules = [DeploymentScheduleCreate(schedule=CronSchedule(cron=s["cron"], timezone=s["timezone"]))
                         for s in d.get("schedules", [])]
            deployment_id = client.create_deployment(
                flow_id=client.create_flow_from_name(flow.name), name=d["name"], entrypoint=d["entrypoint"],
                description=d.get("description"), parameters=d.get("parameters", {}), tags=d.get("tags", []),
                schedules=schedules, work_pool_name=d["work_pool"]["name"], pull_steps=pull_steps,
                parameter_openapi_schema=parameter_schema(flow).model_dump(exclude_unset=True),
                enforce_parameter_schema=True,
            )
            outcomes[d["name"]] = f"deployed as {flow.name}/{d['name']} ({deployment_id})"
            log(f"  {d['name']}: {outcomes[d['name']]}")
    return outcomes


def apply_project(names: list[str] | None = None, log=print) -> dict[str, str]:
    """Apply prefect.yaml's deployments (all, or those named) with its pull steps."""
    project = read_project()
    chosen = [d for d in project["deployments"] if not names or d["name"] in names]
    return apply(chosen, project.get("pull", []), log=log)


def ensure_pools_and_limits(log=print) -> None:
    """Create the work pools and the `gpu` concurrency limit when missing; existing ones are left as they
    are, so a limit raised by hand (`prefect gcl update gpu --limit 2`) stays."""
    from prefect import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
    from prefect.workers.process import ProcessWorker

    from adcraft.operations.stages import GPU_LIMIT

    template = ProcessWorker.get_default_base_job_template()
    with get_client(sync_client=True) as client:
        # The GPU pool runs one flow at a time; generation inside other pools' runs takes the `gpu` slot.
        for name, limit in ((PROCESS_POOL, None), (GPU_POOL, 1)):
            try:
                client.create_work_pool(WorkPoolCreate(name=name, type="process", base_job_template=template,
                                                       concurrency_limit=limit))
                log(f"  work pool {name}: created")
            except ObjectAlreadyExists:
                log(f"  work pool {name}: exists")
        try:
            limit = client.read_global_concurrency_limit_by_name(GPU_LIMIT)
            log(f"  concurrency limit {GPU_LIMIT}: exists, {limit.limit} slot(s)")
        except ObjectNotFound:
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=GPU_LIMIT, limit=1))
            log(f"  concurrency limit {GPU_LIMIT}: created, 1 slot")
