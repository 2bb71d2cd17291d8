"""Stage bookkeeping: each stage logs and reports its counts and wall time, and a failed stage says how to
re-run it. Log lines name the campaign, batch and stage: "[demo/demo-20261123] score: 40 rows in 2.1 s"."""

import functools
import inspect
import logging
import os
import time
from contextlib import contextmanager
from datetime import date
from functools import lru_cache

from prefect import get_run_logger
from prefect.runtime import flow_run, task_run
from prefect.tasks import exponential_backoff

from adcraft.kernel.errors import WarehouseLockedError

GPU_LIMIT = "gpu"
"""The global concurrency limit that work on the accelerator occupies (created by `adcraft serve`)."""


@lru_cache(maxsize=32)
def _campaign_name(campaign_file: str) -> str | None:
    from adcraft.kernel.config import load_campaign

    try:
        return load_campaign(campaign_file).name
    except Exception:  # the flow itself reports a bad campaign file
        return None


def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def run_label(batch_id: str | None = None) -> tuple[str, str]:
    """'[campaign/batch]' for log lines, and the command that re-runs this work."""
    params = flow_run.parameters or {}
    campaign_file = params.get("campaign_file")
    run_date = _as_date(params.get("run_date"))
    campaign = _campaign_name(str(campaign_file)) if campaign_file else None
    if batch_id and "-" in batch_id:  # batch ids are <campaign>-<YYYYMMDD> (tasks/batch.py)
        name, day = batch_id.rsplit("-", 1)
        campaign = campaign or name
        run_date = run_date or _as_date(f"{day[:4]}-{day[4:6]}-{day[6:]}")
    run_date = run_date or date.today()
    if campaign and not batch_id:
        batch_id = f"{campaign}-{run_date:%Y%m%d}"
    if campaign and batch_id and flow_run.flow_name == "publish-batch":  # flows/publish.py
        return f"[{campaign}/{batch_id}]", f"adcraft publish batch {batch_id}"
    if campaign:
        rerun = f"adcraft run {campaign_file or f'campaigns/{campaign}.yaml'} --date {run_date:%Y-%m-%d}"
        return f"[{campaign}/{batch_id}]", rerun
    if "source" in params:
        return f"[source {params['source']}]", f"adcraft ingest --source {params['source']}"
    name = flow_run.name
    return f"[{name or 'no flow run'}]", "retry the flow run from the Prefect UI" if name else "call it again"


def run_logger():
    """The flow or task run's logger (the terminal and the Prefect UI), or a plain one outside a run."""
    try:
        return get_run_logger()
    except Exception:  # called outside a flow or task run (a bench, a test calling .fn)
        return logging.getLogger("adcraft.operations.stages")


TRANSIENT_ERRORS = (WarehouseLockedError, ConnectionError, TimeoutError)


def transient_failure(task, task_run, state) -> bool:
    """Retry only what may pass on its own: a warehouse another process holds, a dropped connection, a
    timeout. A bad file or mapping fails the same way every time, so it is reported at once."""
    try:
        state.result()
    except TRANSIENT_ERRORS as exc:
        # A WARNING, so the terminal shows why a run waits (Prefect says so only at INFO).
        run_logger().warning("%s failed with %s, which may pass on its own; retrying soon: %s",
                             task.name, type(exc).__name__, exc)
        return True
    except Exception:
        return False
    return False


TRANSIENT_RETRIES = {"retries": 2, "retry_delay_seconds": exponential_backoff(backoff_factor=10),
                     "retry_condition_fn": transient_failure}
"""Task options for stages that read or write outside the process: two retries, 10 and 20 s later."""


def timed_stage(fn):
    """Log the stage's start and outcome, and add its wall time, in seconds, to the dict of counts it
    returns. A failure keeps its exception type and gains a note and an ERROR log line with the re-run command."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        stage = task_run.task_name or fn.__name__
        batch_id = signature.bind_partial(*args, **kwargs).arguments.get("batch_id")
        label, rerun = run_label(batch_id)
        log = run_logger()
        log.info("%s %s: started", label, stage)
        started = time.perf_counter()
        try:
            result = dict(fn(*args, **kwargs))
        except Exception as exc:
            failed = f"{label} {stage} failed after {time.perf_counter() - started:.1f} s"
            log.error(f"{failed}: {type(exc).__name__}: {exc}\nFix that, then re-run: {rerun}")
            exc.add_note(f"{failed}. Fix the cause above, then re-run: {rerun}")
            raise
        result["seconds"] = round(time.perf_counter() - started, 3)
        log.info("%s %s: %s rows in %.1f s", label, stage, result.get("rows", 0), result["seconds"])
        return result

    return wrapper


@contextmanager
def gpu_slot(timeout_seconds: float | None = None):
    """Hold the `gpu` global concurrency slot, so runs sharing one accelerator take turns. Works as
    `with gpu_slot():` or as a decorator, `@gpu_slot()`. With no Prefect server (PREFECT_API_URL unset:
    `make demo`, tests) there is nobody to share with, and it does nothing."""
    if not os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.concurrency.sync import concurrency

    with concurrency(GPU_LIMIT, occupy=1, timeout_seconds=timeout_seconds):
        yield
