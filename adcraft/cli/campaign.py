"""`adcraft campaign ...`: list, validate, schedule on a Prefect server, run now. Heavy imports happen inside
the commands."""

import os
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from adcraft.kernel.settings import PROJECT_DIR

app = typer.Typer(help="Campaigns: list them, validate their YAML, schedule them on a Prefect server, run one now.",
                  no_args_is_help=True)

CampaignRef = Annotated[str, typer.Argument(help="A campaign name in campaigns/ (e.g. demo) or a YAML file.")]
ApiOpt = Annotated[str, typer.Option(
    "--api-url", envvar="PREFECT_API_URL", help="The Prefect server's API; `adcraft serve` starts one here.")]
DEFAULT_API = "http://127.0.0.1:4200/api"

FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove this field, or fix its spelling",
    "literal_error": "use one of the values named",
    "string_pattern_mismatch": "use lowercase letters, digits, '-' and '_' only, starting with a letter or digit",
}


def campaign_files() -> list[Path]:
    return sorted((PROJECT_DIR / "campaigns").glob("*.yaml"))


def resolve(ref: str) -> Path:
    path = Path(ref)
    if path.suffix in (".yaml", ".yml"):
        if path.is_file():
            return path
    elif (PROJECT_DIR / "campaigns" / f"{ref}.yaml").is_file():
        return PROJECT_DIR / "campaigns" / f"{ref}.yaml"
    known = ", ".join(p.stem for p in campaign_files()) or "none"
    raise typer.BadParameter(f"No campaign {ref!r}: give a name in campaigns/ ({known}) or a YAML file that exists.")


def problems(path: Path) -> list[str]:
    """Everything wrong with a campaign file, one line each: the file, the field, what is wrong, what to do."""
    import yaml
    from pydantic import ValidationError

    from adcraft.kernel.config import Campaign, load_brand

    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        return [f"{path}: not valid YAML: {exc}"]
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(top level)"
            fix = FIXES.get(err["type"], "")
            got = "" if err["type"] == "missing" else f" (got {err.get('input')!r})"
            lines.append(f"{path}: {field}: {err['msg']}{got}" + (f"; {fix}" if fix else ""))
        return lines
    lines = schedule_problems(path, campaign.schedule.cron, campaign.schedule.timezone)
    try:
        load_brand(campaign.brand)
    except ValueError as exc:
        lines.append(f"{path}: brand: {exc}; add brands/{campaign.brand}.yaml or name an existing brand")
    return lines


def schedule_problems(path: Path, cron: str, timezone: str) -> list[str]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    lines = []
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        lines.append(f"{path}: schedule.timezone: {timezone!r} is not an IANA time zone; use e.g. Europe/Berlin")
    try:
        next_runs(cron, "UTC", 1)
    except ValueError:
        lines.append(f"{path}: schedule.cron: {cron!r} is not a cron expression; use five fields, e.g. '0 2 * * *'")
    return lines


def next_runs(cron: str, timezone: str, n: int = 1, start=None) -> list:
    """The schedule's next run times, computed by Prefect's own cron schedule (so DST behaves as on the server)."""
    import asyncio

    from prefect.server.schemas.schedules import CronSchedule

    return asyncio.run(CronSchedule(cron=cron, timezone=timezone).get_dates(n=n, start=start))


def load_valid(path: Path):
    from adcraft.kernel.config import load_campaign

    found = problems(path)
    if found:
        typer.echo("\n".join(found), err=True)
        raise typer.Exit(1)
    return load_campaign(path)


@contextmanager
def connected(api_url: str, path: Path, run_date: str = ""):
    """Prefect settings pointed at the server, or a clear exit when none answers."""
    from adcraft.operations.serve import api_reachable

    if not api_reachable(api_url):
        rerun = f"adcraft run {path}" + (f" --date {run_date}" if run_date else "")
        typer.echo(f"No Prefect server answers at {api_url}. Start one with `adcraft serve` (or `make serve`) "
                   f"in another terminal, pass --api-url, or run the campaign here without a server: {rerun}",
                   err=True)
        raise typer.Exit(2)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


@app.command("list")
def list_campaigns():
    """Every campaign in campaigns/: its schedule, next run, and whether prefect.yaml has its deployment."""
    from rich.console import Console
    from rich.table import Table

    from adcraft.kernel.config import load_campaign
    from adcraft.kernel.errors import ConfigError
    from adcraft.operations.deployments import nightly_deployment, read_project

    deployed = {d["name"]: d for d in read_project()["deployments"]}
    table = Table("campaign", "file", "schedule", "next run", "prefect.yaml")
    for path in campaign_files():
        try:
            campaign = load_campaign(path)
        except ConfigError:
            table.add_row(path.stem, str(path.relative_to(PROJECT_DIR)), "-", "-",
                          "invalid: `adcraft campaign validate`")
            continue
        schedule = campaign.schedule
        wanted = nightly_deployment(campaign, path)
        have = deployed.get(wanted["name"])
        same = have and all(have.get(k) == wanted[k] for k in ("entrypoint", "parameters", "schedules"))
        sync = "in sync" if same else "differs" if have else "missing"
        try:
            upcoming = f"{next_runs(schedule.cron, schedule.timezone)[0]:%Y-%m-%d %H:%M %Z}"
        except ValueError:
            upcoming = "bad cron"
        table.add_row(campaign.name, str(path.relative_to(PROJECT_DIR)), f"{schedule.cron} ({schedule.timezone})",
                      upcoming, sync + ("" if sync == "in sync" else f": `adcraft campaign schedule {campaign.name}`"))
    Console(width=200).print(table)


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Campaign YAML files.", exists=True, dir_okay=False)]):
    """Check campaign files: every field, the brand, the cron and the time zone. Exit 1 if any is wrong."""
    bad = 0
    for path in files:
        found = problems(path)
        bad += bool(found)
        typer.echo("\n".join(found) if found else f"{path}: ok", err=bool(found))
    if bad:
        raise typer.Exit(1)


@app.command()
def schedule(
    campaign: CampaignRef,
    api_url: ApiOpt = DEFAULT_API,
):
    """Create or update the campaign's nightly deployment: its entry in prefect.yaml (for files in
    campaigns/), then on the Prefect server, with the campaign's cron in its time zone."""
    from adcraft.operations import deployments

    path = resolve(campaign)
    config = load_valid(path)
    wanted = deployments.nightly_deployment(config, path)
    project = deployments.read_project()
    if path.resolve().parent == deployments.CAMPAIGNS_DIR:
        outcome = deployments.upsert(project, wanted)
        deployments.write_project(project)
        typer.echo(f"prefect.yaml: {wanted['name']} {outcome}")
    else:
        typer.echo(f"prefect.yaml: left as is ({path} is not in campaigns/)")
    with connected(api_url, path):
        deployments.ensure_pools_and_limits(log=lambda _: None)
        deployments.apply([wanted], project.get("pull", []), log=typer.echo)
    runs = next_runs(config.schedule.cron, config.schedule.timezone, 3)
    typer.echo("next runs: " + ", ".join(f"{r:%Y-%m-%d %H:%M %Z}" for r in runs))


@app.command("run-now")
def run_now(
    campaign: CampaignRef,
    run_date: Annotated[str, typer.Option("--date", help="Run date, YYYY-MM-DD; default: the worker's today.")] = "",
    wait: Annotated[bool, typer.Option(help="Wait for the run to finish; exit 1 unless it completed.")] = False,
    api_url: ApiOpt = DEFAULT_API,
):
    """Trigger the campaign's nightly deployment on the Prefect server now, and print the flow run's URL."""
    from adcraft.operations.deployments import NIGHTLY_FLOW, nightly_name

    path = resolve(campaign)
    config = load_valid(path)
    if run_date:
        try:
            date.fromisoformat(run_date)
        except ValueError:
            raise typer.BadParameter(f"{run_date!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-23.") from None
    name = f"{NIGHTLY_FLOW}/{nightly_name(config.name)}"
    with connected(api_url, path, run_date):
        from prefect.deployments import run_deployment
        from prefect.exceptions import ObjectNotFound

        from adcraft.operations.serve import ui_url

        try:
            flow_run = run_deployment(name, parameters={"run_date": run_date} if run_date else {}, timeout=0)
        except ObjectNotFound:
            typer.echo(f"No deployment {name} on {api_url}: create it with `adcraft campaign schedule {config.name}`.",
                       err=True)
            raise typer.Exit(1) from None
        typer.echo(f"{name}: flow run {flow_run.name} scheduled\n{ui_url(api_url)}/runs/flow-run/{flow_run.id}")
        if wait:
            state = wait_for_run(flow_run.id)
            typer.echo(f"{flow_run.name}: {state.name}" + (f": {state.message}" if state.message else ""))
            if not state.is_completed():
                raise typer.Exit(1)


def wait_for_run(flow_run_id, poll_s: float = 2.0):
    import time

    from prefect import get_client

    with get_client(sync_client=True) as client:
        while not (state := client.read_flow_run(flow_run_id).state).is_final():
            time.sleep(poll_s)
    return state
