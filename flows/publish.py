"""Publish one batch on its own: after its review gate held it or timed out, or after a run died publishing.

Safe to run any number of times: the publication ledger delivers each item to each destination once, and
sends again only what was never confirmed.
"""

from prefect import flow

from tasks.publish import publish_batch


@flow(name="publish-batch")
def publish(batch_id: str) -> dict:
    """Deliver the batch's approved items (the policy's and reviewers') to the destinations its campaign names."""
    return publish_batch(batch_id)
