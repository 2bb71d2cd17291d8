"""The `adcraft` command. Heavy imports (prefect, torch, GX) happen inside commands to keep --help fast."""

import logging
import sys
import traceback
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from adcraft.kernel.settings import PROJECT_DIR, get_settings

MAX_LINES = 15
"""An expected stop prints at most this many lines; the rest of its message, and its traceback, are in the log."""


class _App(typer.Typer):
    def __call__(self, *args, **kwargs):
        # Every command's expected stops are explained, also those of commands without their own
        # explained_errors (a locked warehouse under `adcraft quarantine list`, say).
        try:
            with explained_errors():
                return super().__call__(*args, **kwargs)
        except typer.Exit as stop:  # outside click's own handling, which turns it into an exit status
            raise SystemExit(stop.exit_code) from None


app = _App(
    help="Nightly ad copy, descriptions and banners from a shop's data. Settings: ADCRAFT_* environment variables.",
    no_args_is_help=True,
    add_completion=False,
)
_verbose = False


@app.callback()
def _options(verbose: Annotated[bool, typer.Option(
        "--verbose", help="On an expected stop (no briefs, bad data, a locked warehouse, a missing model), print "
                          "the traceback as well as the message. It always goes to ADCRAFT_HOME/logs/adcraft.log.")]
             = False):
    global _verbose
    _verbose = verbose

CampaignArg = Annotated[
    Path, typer.Argument(help="Campaign YAML file, e.g. campaigns/demo.yaml.", exists=True, dir_okay=False)
]
DateOpt = Annotated[
    str, typer.Option("--date", help="Run date, YYYY-MM-DD. Defaults to today. Re-running a date replaces its batch.")
]


def _parse_date(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-23.") from None


def _run_nightly(campaign: Path, run_date: date) -> dict:
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()
    from flows.nightly import nightly_campaign

    with explained_errors():
        return nightly_campaign(str(campaign), run_date)


@contextmanager
def explained_errors():
    """adcraft's own errors, the expected stops, already say what went wrong and what to do: print that once,
    with the re-run command the failed stage added, in at most MAX_LINES lines, and exit 1. The traceback goes to
    the log file, and to the terminal with --verbose. Prefect's console lines that repeat such an error (two
    tracebacks and the failed states) are left out of the terminal; the Prefect UI keeps them all. Any other
    error keeps its traceback."""
    from adcraft.kernel.errors import EXPLAINED as explained
    from adcraft.kernel.errors import UnknownBatchError

    consoles = _prefect_consoles()
    quiet = _RepeatsAnExplainedError(explained)
    for handler in consoles:
        handler.addFilter(quiet)
    try:
        yield
    except explained as exc:
        # A stage's note says how to re-run it, which cannot help a batch that does not exist.
        notes = [] if isinstance(exc, UnknownBatchError) else getattr(exc, "__notes__", [])
        lines = ("Error: " + "\n".join([str(exc), *notes])).splitlines()
        log = _log_traceback(exc, lines)
        if _verbose:
            typer.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
        shown = lines if len(lines) < MAX_LINES else lines[:MAX_LINES - 2] + [
            f"... and {len(lines) - MAX_LINES + 2} more line(s) in {log}"]
        where = "" if _verbose else f"The full error is in {log} (or run with --verbose)."
        typer.echo("\n".join(shown + ([where] if where and log else [])), err=True)
        raise typer.Exit(1) from None
    finally:
        for handler in consoles:
            handler.removeFilter(quiet)


def _log_traceback(exc: BaseException, lines: list[str]) -> Path | None:
    """Append the stop, its whole message and its traceback to ADCRAFT_HOME/logs/adcraft.log; its path, or None
    where it cannot be written (the message is printed all the same)."""
    path = get_settings().home / "logs" / "adcraft.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as log:
            log.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S} adcraft {' '.join(sys.argv[1:])}\n")
            log.write("\n".join(lines) + "\n" + "".join(traceback.format_exception(exc)) + "\n")
    except OSError:
        return None
    return path


def _prefect_consoles() -> list[logging.Handler]:
    if "prefect" not in sys.modules:  # nothing of Prefect's to quiet, and importing it would slow every command
        return []
    from prefect.logging.handlers import PrefectConsoleHandler

    return [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]


class _RepeatsAnExplainedError(logging.Filter):
    """Drops error records that carry one of these errors, or quote it as Prefect's failed states do."""

    def __init__(self, kinds: tuple[type[Exception], ...]):
        super().__init__()
        self.kinds = kinds
        self.quoted = tuple(f"{kind.__name__}: " for kind in kinds)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        if record.exc_info and isinstance(record.exc_info[1], self.kinds):
            return False
        message = record.getMessage()
        return not any(quoted in message for quoted in self.quoted)


@app.command()
def demo(
    scale: Annotated[float, typer.Option(help="Demo shop size: 1 is 5,000 customers and 50,000 order lines.")] = 1.0,
    run_date: DateOpt = "",
):
    """Create the demo shop's exports, run the nightly demo campaign end to end, and print where everything is."""
    from adcraft.cli.summary_table import print_summary
    from adcraft.sources.demo_shop import generate_demo_shop

    settings = get_settings()
    counts = generate_demo_shop(settings.landing_dir / "demo", scale=scale, seed=settings.seed)
    typer.echo("Demo shop exports: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    summary = _run_nightly(PROJECT_DIR / "campaigns" / "demo.yaml", _parse_date(run_date))
    print_summary(summary, settings)


@app.command()
def ingest(
    source: Annotated[str, typer.Option(
        help="A source: its name in sources/ (e.g. demo), its YAML file, or a landing folder laid out like the "
             "demo's. Defaults to the demo's landing folder.")] = "",
):
    """Load a source's new exports into the warehouse and validate them (docs/bring-your-own-data.md)."""
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()
    from flows.ingest import ingest_and_validate

    with explained_errors():
        result = ingest_and_validate(source or str(get_settings().landing_dir / "demo"))
    typer.echo(_ingest_summary(result["ingest"], result["validate"]))


def _ingest_summary(ingest: dict, validate: dict) -> str:
    loaded = ", ".join(f"{entity} {rows:,}" for entity, rows in ingest["rows_loaded"].items() if rows)
    lines = [f"Source {ingest['source']}: loaded {loaded or 'nothing new'}"
             + (f"; skipped as already loaded: {', '.join(ingest['skipped'])}" if ingest["skipped"] else "")]
    for entity, found in validate["entities"].items():
        warnings = f"; warnings: {', '.join(found['warnings'])}" if found["warnings"] else ""
        lines.append(f"  {entity}: {found['rows_checked']:,} rows checked, {found['rows_quarantined']:,} "
                     f"quarantined{warnings}")
    if validate["entities"]:
        lines.append(f"Validation report: {validate['report']}")
        lines.append("Held-back rows: adcraft quarantine list")
    return "\n".join(lines)


@app.command()
def run(campaign: CampaignArg, run_date: DateOpt = ""):
    """Run one campaign's nightly flow for a date: ingest, validate, transform, generate, score, publish."""
    from adcraft.cli.summary_table import print_summary
    from adcraft.kernel.config import load_campaign
    from adcraft.kernel.errors import ConfigError

    try:
        load_campaign(campaign)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc)) from None
    print_summary(_run_nightly(campaign, _parse_date(run_date)), get_settings())


@app.command()
def report(batch_id: Annotated[str, typer.Argument(help="Batch id, e.g. demo-20261123. Omit to list batches.")] = ""):
    """Write a batch's HTML report again and print its path, or list the batches."""
    from adcraft.kernel.db import sql, warehouse

    with explained_errors():
        if not batch_id:
            with warehouse(read_only=True) as con:
                for row in con.execute(sql("reports/batches")).fetchall():
                    typer.echo("\t".join(str(v) for v in row))
            return
        from adcraft.reporting.batch_report import write_report

        typer.echo(write_report(batch_id))


# Sub-apps live in their own modules; like the commands above, they import heavy things only when run.
from adcraft.cli import quarantine as cli_quarantine  # noqa: E402
from adcraft.cli import sources as cli_sources  # noqa: E402

app.add_typer(cli_sources.app, name="sources")
app.add_typer(cli_quarantine.app, name="quarantine")

from adcraft.cli import train as cli_train  # noqa: E402

app.add_typer(cli_train.app, name="train")

from adcraft.cli import campaign as cli_campaign  # noqa: E402
from adcraft.operations import serve  # noqa: E402

app.add_typer(cli_campaign.app, name="campaign")
app.command()(serve.serve)

from adcraft.cli import publish as cli_publish  # noqa: E402

app.add_typer(cli_publish.app, name="publish")

from adcraft.cli import review as cli_review  # noqa: E402

app.add_typer(cli_review.app, name="review")


if __name__ == "__main__":
    app()
