"""A batch's review gate, as the review app and the CLI answer it: what a reviewer may decide, what publish may
then deliver, and resuming the nightly run that waits at the gate (the waiting itself is tasks/review_gate.py).
content.review_gates keeps each gate's state. docs/publishing.md.
"""

from typing import Literal
from uuid import UUID

from prefect.exceptions import FlowPauseTimeout, NotPausedError
from prefect.flow_runs import resume_flow_run
from prefect.input import RunInput

from adcraft.kernel.db import records, sql, warehouse
from adcraft.kernel.errors import ReviewGateError

SCOPES = {"publish": "approved", "hold": "held", "publish_auto_approved": "auto_approved", "not_required": "approved"}
"""What publish may deliver after the gate (adcraft/publishing/batch.py Scope), by the gate's outcome."""


class ReviewInput(RunInput):
    """A reviewer's answer: publish the batch's approved items (the policy's and people's), or hold them all."""

    decision: Literal["publish", "hold"]
    reviewer: str | None = None


def resume_review(batch_id: str, decision: Literal["publish", "hold"] = "publish", reviewer: str | None = None) -> str:
    """Resume the run waiting at batch_id's review gate with the reviewer's decision; return its flow run id.

    The review app calls this once a person marked the batch reviewed. The run must use the same Prefect API
    (PREFECT_API_URL, or the same PREFECT_HOME for the ephemeral API; adcraft.operations.prefect_env sets both alike).
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
