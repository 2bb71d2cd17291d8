"""Decide a batch: turn its scores into approved / needs_review / rejected under the campaign's policy."""

from prefect import task

from adcraft.copy_formats import approved_items, incomplete_lines
from adcraft.db import sql, warehouse
from adcraft.stages import TRANSIENT_RETRIES, timed_stage


@task(name="decide", **TRANSIENT_RETRIES)
@timed_stage
def decide_batch(batch_id: str, approve_at: float, review_at: float, policy_version: str) -> dict:
    """Replace the batch's policy decisions; a person's decision is kept while its item is unchanged. A line
    approved alone, in no complete item of its brief, waits for review instead."""
    params = {"batch_id": batch_id, "approve_at": approve_at, "review_at": review_at, "policy_version": policy_version}
    with warehouse() as con:
        con.execute("BEGIN")
        con.execute("DELETE FROM content.decisions WHERE batch_id = ? AND decided_by LIKE 'policy:%'", [batch_id])
        con.execute(sql("review/drop_stale_decisions"), {"batch_id": batch_id})
        con.execute(sql("content/decide"), params)
        held = incomplete_lines(approved_items(con, batch_id))
        if held:
            con.executemany(sql("content/hold_incomplete_items"), [[why, line] for line, why in held.items()])
        counts = dict(
            con.execute(
                "SELECT decision, count(*) FROM content.decisions "
                "WHERE batch_id = ? AND decided_by = ? GROUP BY decision",
                [batch_id, f"policy:{policy_version}"],
            ).fetchall()
        )
        [(by_people,)] = con.execute(
            "SELECT count(*) FROM content.decisions WHERE batch_id = ? AND decided_by NOT LIKE 'policy:%'", [batch_id]
        ).fetchall()
        con.execute("COMMIT")
    per_decision = {d: counts.get(d, 0) for d in ("approved", "needs_review", "rejected")}
    return {"rows": sum(per_decision.values()) + by_people, **per_decision, "kept_human": by_people}
