"""Decide a batch: turn its scores into approved / needs_review / rejected under the campaign's policy."""

from prefect import task

from adcraft.copy.formats import approved_items, incomplete_lines
from adcraft.kernel.db import sql, transaction, warehouse
from adcraft.operations.stages import TRANSIENT_RETRIES, timed_stage


@task(name="decide", **TRANSIENT_RETRIES)
@timed_stage
def decide_batch(batch_id: str, approve_at: float, review_at: float, policy_version: str) -> dict:
    """Reads content.scores and content.copy_items; replaces the batch's policy rows in content.decisions. A
    person's decision is kept while its item is unchanged. A line approved alone, in no complete item of its
    brief, waits for review instead."""
    params = {"batch_id": batch_id, "approve_at": approve_at, "review_at": review_at, "policy_version": policy_version}
    with warehouse() as con, transaction(con):
        con.execute("DELETE FROM content.decisions WHERE batch_id = $batch_id AND decided_by LIKE 'policy:%'",
                    {"batch_id": batch_id})
        con.execute(sql("review/drop_stale_decisions"), {"batch_id": batch_id})
        con.execute(sql("content/decide"), params)
        held = incomplete_lines(approved_items(con, batch_id))
        if held:
            con.executemany(sql("content/hold_incomplete_items"),
                            [{"reason": why, "item_id": line} for line, why in held.items()])
        counts = con.execute(sql("content/decision_counts"),
                             {"batch_id": batch_id, "decided_by": f"policy:{policy_version}"}).fetchall()
    per_decision = dict.fromkeys(("approved", "needs_review", "rejected"), 0)
    per_decision |= {decision: by_policy for decision, by_policy, _ in counts}
    by_people = sum(people for _, _, people in counts)
    return {"rows": sum(per_decision.values()) + by_people, **per_decision, "kept_human": by_people}
