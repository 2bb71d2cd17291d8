"""What a reviewer can do: approve, reject, edit (scored again), bulk approve, publish (or resume the nightly
run waiting at the batch's review gate), hold. Each decision writes
content.decisions with the reviewer's name as decided_by, tied to the content it was made on, and a row in
the audit log (ops.review_audit), in one transaction."""

import hashlib
import uuid
from dataclasses import asdict

from adcraft.checks.pii import known_pii_from_warehouse
from adcraft.checks.similarity import recently_published
from adcraft.kernel.errors import PublishError, ReviewGateError
from adcraft.review.rescore import rescore
from adcraft.review.store import exclusive, query, reading, run, writing
from adcraft.review.users import User

MAX_TEXT = 1000
MAX_REASON = 500


class ActionRefused(Exception):
    """An action that cannot be done as asked; the message says what to do instead."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def audit(con, user: User | None, action: str, username: str | None = None, batch_id: str | None = None,
          item_id: str | None = None, detail: str | None = None, content_sha256: str | None = None) -> None:
    run(con, "record_audit", audit_id=uuid.uuid4().hex, username=username or user.name,
        role=user.role if user else None, action=action, batch_id=batch_id, item_id=item_id, detail=detail,
        content_sha256=content_sha256)


def _current(con, batch_id: str, item_id: str, seen_sha256: str) -> dict:
    """The item as it is now, if it is still what the reviewer saw."""
    rows = query(con, "item", batch_id=batch_id, item_id=item_id)
    if not rows or rows[0]["decision"] is None:
        raise ActionRefused(404, f"Batch {batch_id} has no decided item {item_id}: go back to the batch page and "
                                 "pick an item from it.")
    if rows[0]["content_sha256"] != seen_sha256:
        raise ActionRefused(409, "This item changed since you loaded the page (a new run or another reviewer). "
                                 "Go back to the batch page, which shows it as it is now, and decide again.")
    return rows[0]


def _decide(con, user: User, batch_id: str, item: dict, decision: str, reasons: list[str], action: str,
            detail: str | None = None, quality: float | None = None) -> None:
    run(con, "record_decision", batch_id=batch_id, item_id=item["item_id"], decision=decision, reasons=reasons,
        username=user.name, content_sha256=item["content_sha256"], quality=quality)
    audit(con, user, action, batch_id=batch_id, item_id=item["item_id"], detail=detail,
          content_sha256=item["content_sha256"])


def approve(user: User, batch_id: str, item_id: str, seen_sha256: str) -> str:
    with writing() as con:
        item = _current(con, batch_id, item_id, seen_sha256)
        if item["hard_failed"]:
            raise ActionRefused(409, "This item fails a hard check, so it cannot be approved. Edit the text so "
                                     "that it passes (it is scored again), then approve it; or reject it.")
        _decide(con, user, batch_id, item, "approved", [], "approve")
    return f"Approved {item_id}."


def reject(user: User, batch_id: str, item_id: str, seen_sha256: str, reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason or len(reason) > MAX_REASON:
        raise ActionRefused(400, f"Say why you reject the item, in 1 to {MAX_REASON} characters, and press Reject "
                                 "again.")
    with writing() as con:
        item = _current(con, batch_id, item_id, seen_sha256)
        _decide(con, user, batch_id, item, "rejected", [f"rejected by {user.name}: {reason}"], "reject", reason)
    return f"Rejected {item_id}."


def _read_for_rescoring(batch_id: str, item_id: str, seen_sha256: str) -> tuple[list[dict], list[dict], object, list]:
    with reading() as con:
        item = _current(con, batch_id, item_id, seen_sha256)
        if item["item_kind"] != "copy":
            raise ActionRefused(400, "Only copy lines can be edited; approve or reject a banner instead.")
        lines = query(con, "brief_lines", batch_id=batch_id, item_id=item_id)
        others_failed = query(con, "brief_hard_failures", batch_id=batch_id, item_id=item_id)
        return lines, others_failed, known_pii_from_warehouse(con), recently_published(con, batch_id)


def edit(user: User, batch_id: str, item_id: str, seen_sha256: str, new_text: str) -> str:
    """Store the edit, make the new text the line's text, score it again, and leave it waiting for review:
    a reviewer approves it once it passes every hard check."""
    new_text = new_text.replace("\r\n", "\n").strip()
    if not new_text or len(new_text) > MAX_TEXT:
        raise ActionRefused(400, f"The new text must have 1 to {MAX_TEXT} characters; change it and save again, "
                                 "or reject the item instead.")
    lines, others_failed, known_pii, recent = _read_for_rescoring(batch_id, item_id, seen_sha256)
    original = next(line["text"] for line in lines if line["item_id"] == item_id)
    if new_text == original:
        raise ActionRefused(400, "The text is unchanged. Change it before saving, or approve or reject it as it is.")
    results = rescore(lines, item_id, new_text, others_failed, known_pii, recent)  # slow: outside the lock
    own = [r for r in results if r.item_id == item_id]
    hard = [f"{r.check_name}: {r.reason or 'failed'}" for r in own if r.hard and not r.passed]
    quality = min((r.score for r in own if not r.hard), default=0.0)
    with writing() as con:
        item = _current(con, batch_id, item_id, seen_sha256)  # nobody changed it while it was scored
        run(con, "record_edit", edit_id=uuid.uuid4().hex, item_id=item_id, batch_id=batch_id,
            original_text=original, new_text=new_text, username=user.name)
        run(con, "set_copy_text", item_id=item_id, batch_id=batch_id, text=new_text)
        run(con, "drop_rescored", item_id=item_id, batch_id=batch_id)
        for result in results:
            run(con, "record_score", batch_id=batch_id, **asdict(result))
        item = item | {"content_sha256": sha256(new_text)}
        outcome = f"fails {'; '.join(hard)}" if hard else "passes every hard check"
        reasons = hard or [f"edited by {user.name}: approve to publish"]
        _decide(con, user, batch_id, item, "needs_review", reasons, "edit", f"re-scored: {outcome}", quality)
    return f"Saved the edit of {item_id} and scored it again: it {outcome}, quality {quality:.2f}."


def bulk_approve(user: User, batch_id: str, threshold: float) -> str:
    if not 0 <= threshold <= 1:
        raise ActionRefused(400, "The quality threshold is a number from 0 to 1, e.g. 0.6; change it and try again.")
    with writing() as con:
        items = query(con, "bulk_candidates", batch_id=batch_id, threshold=threshold)
        for item in items:
            _decide(con, user, batch_id, item, "approved", [], "bulk_approve", f"quality {item['quality']:.2f} "
                    f">= {threshold:.2f}")
    return f"Approved {len(items)} items waiting for review with quality at or above {threshold:.2f}."


def _waiting_gate(batch_id: str) -> bool:
    """Whether a nightly run is paused at this batch's review gate."""
    with reading() as con:
        rows = query(con, "batch", batch_id=batch_id)
    return bool(rows) and rows[0]["gate_status"] == "waiting"


def _resume(user: User, batch_id: str, decision: str) -> str:
    """Answer the paused run's review gate; the run itself then publishes (or holds) and records it."""
    from adcraft.publishing.review_gate import resume_review  # Prefect loads only when someone answers

    try:
        with exclusive():  # resume_review reads the gate through its own connection
            run_id = resume_review(batch_id, decision, user.name)
    except ReviewGateError as exc:
        raise ActionRefused(409, str(exc)) from exc
    with writing() as con:
        audit(con, user, "resume", batch_id=batch_id, detail=f"{decision}: resumed flow run {run_id}")
    then = "it delivers the batch's approved items now" if decision == "publish" else "it delivers nothing"
    return f"Resumed the nightly run {run_id} that was waiting for this review: {then}."


def hold(user: User, batch_id: str) -> str:
    """End the review of a batch whose nightly run waits at the gate, delivering nothing."""
    if not _waiting_gate(batch_id):
        raise ActionRefused(409, f"No nightly run is waiting for the review of {batch_id}, so there is nothing to "
                                 "hold: nothing is published until someone presses Publish.")
    return _resume(user, batch_id, "hold")


def publish(user: User, batch_id: str) -> str:
    """Publish the batch's approved items (adcraft/publishing/run.py): the ledger sends each item once. When a
    nightly run waits at the batch's review gate, resume it instead, and the run publishes."""
    from adcraft.publishing.run import publish as publish_batch  # the destinations load only when someone publishes

    if _waiting_gate(batch_id):
        return _resume(user, batch_id, "publish")
    try:
        with exclusive():  # publishing opens its own connections
            result = publish_batch(batch_id)
    except LookupError as exc:
        raise ActionRefused(404, f"{exc}") from exc
    except PublishError as exc:  # a destination failed: say which; what it took is in the ledger
        with writing() as con:
            audit(con, user, "publish", batch_id=batch_id, detail=f"failed: {exc}")
        raise ActionRefused(502, f"Publishing did not finish: {exc}. Fix that and press Publish again; items "
                                 "already delivered are not sent twice.") from exc
    detail = f"{result['newly_published']} newly published, {result['rows']} approved, to {result['folder']}"
    if result["held_back"]:
        detail += (f"; {result['held_back']} approved lines held back, as they make no complete item with the "
                   "brief's other approved lines (see manifest.json)")
    with writing() as con:
        audit(con, user, "publish", batch_id=batch_id, detail=detail)
    return f"Published batch {batch_id}: {detail}."
