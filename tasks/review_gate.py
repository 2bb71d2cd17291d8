"""The review gate between decide and publish.

When the campaign requires review, the nightly run pauses here with Prefect's pause_flow_run: the process
stays alive and holds every earlier stage's result, so nothing before the gate runs again. It waits for a
typed ReviewInput, which the review app sends with resume_review() (adcraft/publishing/review_gate.py) once a
person marked the batch reviewed, or until review.timeout, when review.on_timeout decides. content.review_gates
keeps each gate's state: the app lists waiting batches from it, and resume_review finds the run to resume
there. docs/publishing.md.
"""

import math
from uuid import UUID

from prefect import pause_flow_run
from prefect.client.orchestration import get_client
from prefect.exceptions import FlowPauseTimeout
from prefect.runtime import flow_run
from prefect.states import Running

from adcraft.kernel.config import Review
from adcraft.kernel.db import sql, warehouse
from adcraft.operations.stages import timed_stage
from adcraft.publishing.review_gate import SCOPES, ReviewInput


def _poll_interval(timeout_s: float) -> int:
    """Seconds between checks for a resume: 10 for a night-long wait, down to 1 for a short one."""
    return max(1, min(10, int(timeout_s // 20)))


def _record(name: str, **params) -> None:
    with warehouse() as con:
        con.execute(sql(f"publish/{name}"), params)


def _take_the_run_back(run_id: str) -> None:
    """After a pause times out, Prefect expects the run to fail, and refuses to resume it; here the timeout
    policy decides instead, so the run puts itself back to Running (forced) to carry on to publish."""
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(UUID(run_id), Running(), force=True)


@timed_stage
def review_gate(batch_id: str, review: Review) -> dict:
    """Wait for the batch's review when its campaign requires one; say what publish may deliver (scope).
    Reads content.decisions; writes content.review_gates.

    A plain function, not a task: it pauses the flow run itself, and no task may run while the flow is paused.
    """
    with warehouse() as con:
        [(waiting,)] = con.execute(sql("publish/needs_review"), {"batch_id": batch_id}).fetchall()
    if not review.required:
        _record("review_gate_open", batch_id=batch_id, flow_run_id=flow_run.get_id(), status="not_required",
                timeout_s=None, on_timeout=None)
        return {"rows": waiting, "outcome": "not_required", "scope": SCOPES["not_required"]}

    run_id = flow_run.get_id()
    _record("review_gate_open", batch_id=batch_id, flow_run_id=run_id, status="waiting", timeout_s=review.timeout,
            on_timeout=review.on_timeout)
    try:
        answer = pause_flow_run(wait_for_input=ReviewInput, timeout=math.ceil(review.timeout),
                                poll_interval=_poll_interval(review.timeout), key=f"review-{batch_id}")
    except FlowPauseTimeout:
        _take_the_run_back(run_id)
        _record("review_gate_close", batch_id=batch_id, status="timed_out", decision=review.on_timeout, reviewer=None)
        return {"rows": waiting, "outcome": "timed_out", "scope": SCOPES[review.on_timeout]}
    _record("review_gate_close", batch_id=batch_id, status="reviewed", decision=answer.decision,
            reviewer=answer.reviewer)
    return {"rows": waiting, "outcome": "reviewed", "scope": SCOPES[answer.decision], "reviewer": answer.reviewer}
