"""Stages retry what may pass on its own (a busy warehouse, a dropped connection) and fail at once on the rest."""

import pytest
from prefect import flow, task

from adcraft.kernel.errors import WarehouseLockedError
from adcraft.operations.stages import transient_failure

pytestmark = pytest.mark.slow  # Prefect retries with real waits


def _flaky_flow(error: Exception):
    attempts = []

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=transient_failure)
    def flaky() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise error
        return len(attempts)

    @flow
    def run() -> int:
        return flaky()

    return run, attempts


@pytest.mark.parametrize("error", [WarehouseLockedError("busy"), ConnectionError("reset"), TimeoutError("slow")])
def test_a_transient_failure_is_retried_and_says_why(error, caplog):
    run, attempts = _flaky_flow(error)
    assert run() == 2 and len(attempts) == 2
    assert any(r.levelname == "WARNING" and f"flaky failed with {type(error).__name__}, which may pass on its own; "
               f"retrying soon: {error}" in r.getMessage() for r in caplog.records), caplog.text


@pytest.mark.parametrize("error", [ValueError("bad mapping"), FileNotFoundError("no landing folder")])
def test_a_failure_that_would_repeat_is_not_retried(error):
    run, attempts = _flaky_flow(error)
    with pytest.raises(type(error)):
        run()
    assert len(attempts) == 1


def test_publishing_a_batch_that_does_not_exist_is_not_retried(adcraft_home):
    from prefect import get_client

    from adcraft.kernel.db import warehouse
    from adcraft.kernel.errors import UnknownBatchError
    from tasks.publish import publish_batch

    with warehouse():  # an empty warehouse
        pass

    @flow
    def run():
        state = publish_batch("nope-20261205", return_state=True)
        with pytest.raises(UnknownBatchError):
            state.result()
        return state.state_details.task_run_id

    task_run_id = run()
    with get_client(sync_client=True) as client:
        assert client.read_task_run(task_run_id).run_count == 1
