"""Publish: deliver a batch's approved items to its campaign's destinations (adcraft/publishing/run.py)."""

from prefect import task
from prefect.tasks import exponential_backoff

from adcraft.kernel.errors import UnknownBatchError
from adcraft.operations.stages import timed_stage
from adcraft.publishing.batch import Scope
from adcraft.publishing.run import publish


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
    """Reads content.* and the ledger (content.publications); writes the files, the manifest and the ledger."""
    return publish(batch_id, scope)
