"""The review gate between decide and publish.

When the campaign requires review, the nightly run pauses here with Prefect's pause_flow_run: the process
stays alive and holds every earlier stage's result, so nothing before the gate runs again. It waits for a
typed ReviewInput, which the review app sends with resume_review() once a person marked the batch reviewed,
or until review.timeout, when review.on_timeout decides. content.review_gates keeps each gate's state: the
app lists waiting batches from it, and resume_review finds the run to resume there. docs/publishing.md.
"""

import math
from typing import Literal
from uuid import UUID

from prefect import pause_flow_run
from prefect.client.orchestration import get_client
from prefect.exceptions import FlowPauseTimeout, NotPausedError
from prefect.flow_runs import resume_flow_run
from prefect.input import RunInput
from prefect.runtime import flow_run
from prefect.states import Running

from adcraft.config import Review
from adcraft.db import records, sql, warehouse
from adcraft.stages import timed_stage

# What publish may deliver after the gate (tasks/publish.py scopes).
SCOPES = {"publish": "approved", "hold": "held", "publish_auto_approved": "auto_approved", "not_required": "approved"}


class ReviewInput(RunInput):
    """A reviewer's answer: publish the batch's approved items (the policy's and people's), or hold them all."""

    decision: Literal["publish", "hold"]
    reviewer: str | None = None


class ReviewGateError(RuntimeError):
    pass


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


def resume_review(batch_id: str, decision: Literal["publish", "hold"] = "publish", reviewer: str | None = None) -> str:
    """Resume the run waiting at batch_id's review gate with the reviewer's decision; return its flow run id.

    The review app calls this once a person marked the batch reviewed. The run must use the same Prefect API
    (PREFECT_API_URL, or the same PREFECT_HOME for the ephemeral API; adcraft.prefect_env sets both alike).
    """
    answer = ReviewInput(decision=decision, reviewer=reviewer)  # a bad decision fails here, before Prefect is asked
    with warehouse() as con:
        gates = records(con, sql("publish/review_gate"), {"batch_id": batch_id})
    publish_later = f"To publish its approved items now, run `adcraft publish batch {batch_id}`."
    if not gates or gates[0]["status"] == "not_required":
        raise ReviewGateError(f"Batch {batch_id} has no review gate to resume: its campaign does not set "
                              "review.required, or its nightly run has not reached the gate yet.")
    gate = gates[0]
    if gate["status"] != "waiting":
        raise ReviewGateError(f"Batch {batch_id} is no longer waiting for review: its gate closed as {gate['status']} "
                              f"({gate['decision']}). {publish_later}")
    try:
        resume_flow_run(UUID(gate["flow_run_id"]), run_input=answer.model_dump())
    except FlowPauseTimeout:
        raise ReviewGateError(f"The review window of batch {batch_id} closed at {gate['deadline']}, so its "
                              f"on_timeout policy ({gate['on_timeout']}) applies. {publish_later}") from None
    except NotPausedError:
        raise ReviewGateError(f"The run {gate['flow_run_id']} of batch {batch_id} is not paused (it may have "
                              f"ended or been cancelled). {publish_later}") from None
    return gate["flow_run_id"]
