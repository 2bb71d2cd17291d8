"""Publish a batch to its campaign's destinations (adcraft/publishing/), each item to each destination once.

Every destination is tried even when one fails; the failures are raised together at the end, so Prefect
retries the task, and the ledger makes a retry deliver only what is still missing. docs/publishing.md.
"""

from pathlib import Path

from prefect import task
from prefect.tasks import exponential_backoff

from adcraft.config import destination_id
from adcraft.db import UnknownBatchError
from adcraft.publishing import PublishError, email_json, folder, google_ads_csv, ledger, meta_csv, webhook
from adcraft.publishing.batch import Scope, load_batch
from adcraft.publishing.manifest import write_manifest
from adcraft.settings import get_settings
from adcraft.stages import timed_stage

PUBLISHERS = {
    "folder": folder.publish,
    "google_ads_csv": google_ads_csv.publish,
    "meta_csv": meta_csv.publish,
    "email_json": email_json.publish,
    "webhook": webhook.publish,
}


def batch_publish_dir(batch_id: str) -> Path:
    return get_settings().publish_dir / batch_id


def _may_pass(task, task_run, state) -> bool:
    """Any failure may pass on a retry (a destination back up, a disk with room again), except a batch that
    does not exist."""
    try:
        state.result()
    except UnknownBatchError:
        return False
    except Exception:
        return True
    return False


# A webhook that is down for a minute should not fail the night: three retries 10, 20 and 40 s apart. The
# timeout bounds a receiver that hangs: each request has its own timeout, but a batch has many requests.
@task(name="publish", retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=10),
      retry_condition_fn=_may_pass, timeout_seconds=1800)
@timed_stage
def publish_batch(batch_id: str, scope: Scope = "approved") -> dict:
    """Deliver the batch's items in scope ('approved', 'auto_approved', or 'held': nothing) and write its manifest."""
    if scope == "held":
        return {"rows": 0, "newly_published": 0, "held": True, "folder": str(batch_publish_dir(batch_id))}
    batch = load_batch(batch_id, scope)
    results, errors = {}, []
    for destination in batch.destinations:
        name = destination_id(destination)
        try:
            results[name] = PUBLISHERS[destination.type](batch, destination)
        except PublishError as exc:
            errors.append(f"{name}: {exc}")
    write_manifest(batch, scope, results, ledger.pending(batch_id))
    if errors:
        raise PublishError(f"Batch {batch_id} is partly published. " + "; ".join(errors))
    return {
        "rows": len(batch.copy) + len(batch.banners),
        "newly_published": sum(r["new"] for r in results.values()),
        "destinations": {name: r["new"] for name, r in results.items()},
        "held_back": len(batch.held_back),
        "folder": str(batch.folder),
    }
