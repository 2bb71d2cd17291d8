"""What a reviewer can do: approve, reject, edit (scored again), approve or reject several items at once,
publish (or resume the nightly run waiting at the batch's review gate), hold. Each decision writes
content.decisions with the reviewer's name as decided_by, tied to the content it was made on, and a row per
item in the audit log (ops.review_audit), in one transaction.

Each action returns an Outcome: its message, the items it changed, and, when asked (`view`), what the page
needs to show them as they are now, read in the same transaction, so an action takes one connection."""

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from adcraft.checks.pii import known_pii_from_warehouse
from adcraft.checks.similarity import recently_published
from adcraft.kernel.errors import PublishError, ReviewGateError
from adcraft.review.present import MAX_TEXT, redact
from adcraft.review.rescore import rescore
from adcraft.review.store import exclusive, query, reading, run, writing
from adcraft.review.users import User

MAX_REASON = 500
MAX_ITEMS = 5000
"""The most items one bulk action takes (a batch of 2,000 items is about 100 products)."""

View = Callable[[object, list[str]], dict] | None


@dataclass
class Outcome:
    message: str
    item_ids: list[str] = field(default_factory=list)
    view: dict | None = None


class ActionRefused(Exception):
    """An action that cannot be done as asked; the message says what to do instead."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def audit(con, user: User | None, action: str, username: str | None = None, batch_id: str | None = None,
          item_id: str | None = None, detail: str | None = None, content_sha256: str | None = None,
          old_text: str | None = None, new_text: str | None = None) -> None:
    run(con, "record_audit", audit_id=uuid.uuid4().hex, username=username or user.name,
        role=user.role if user else None, action=action, batch_id=batch_id, item_id=item_id, detail=detail,
        content_sha256=content_sha256, old_text=old_text, new_text=new_text)


def _current(con, batch_id: str, item_id: str, seen_sha256: str) -> dict:
    """The item as it is now, if it is still what the reviewer saw."""
    rows = query(con, "item", batch_id=batch_id, item_ids=[item_id])
    if not rows or rows[0]["decision"] is None:
        raise ActionRefused(404, f"Batch {batch_id} has no decided item {item_id}: go back to the batch page and "
                                 "pick an item from it.")
    if rows[0]["content_sha256"] != seen_sha256:
        raise ActionRefused(409, "This item changed since you loaded the page (a new run or another reviewer). "
                                 "Go back to the batch page, which shows it as it is now, and decide again.")
    return rows[0]


def _decide(con, user: User, batch_id: str, item: dict, decision: str, reasons: list[str], action: str,
            detail: str | None = None, quality: float | None = None, old_text: str | None = None,
            new_text: str | None = None) -> None:
    run(con, "record_decision", batch_id=batch_id, item_id=item["item_id"], decision=decision, reasons=reasons,
        username=user.name, content_sha256=item["content_sha256"], quality=quality)
    audit(con, user, action, batch_id=batch_id, item_id=item["item_id"], detail=detail,
          content_sha256=item["content_sha256"], old_text=old_text, new_text=new_text)


def _view(view: View, con, ids: list[str]) -> dict | None:
    return view(con, ids) if view and ids else None


def approve(user: User, batch_id: str, item_id: str, seen_sha256: str, view: View = None) -> Outcome:
    """Approve one item; the only way to approve a line a person edited."""
    with writing() as con:
        item = _current(con, batch_id, item_id, seen_sha256)
        if item["hard_failed"]:
            raise ActionRefused(409, "This item fails a hard check, so it cannot be approved. Edit the text so "
                                     "that it passes (it is scored again), then approve it; or reject it.")
        _decide(con, user, batch_id, item, "approved", [], "approve")
        return Outcome(f"Approved {item_id}.", [item_id], _view(view, con, [item_id]))


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason or len(reason) > MAX_REASON:
        raise ActionRefused(400, f"Say why you reject, in 1 to {MAX_REASON} characters, and press Reject again.")
    return reason


def reject(user: User, batch_id: str, item_id: str, seen_sha256: str, reason: str, view: View = None) -> Outcome:
    reason = _reason(reason)
    with writing() as con:
        item = _current(con, batch_id, item_id, seen_sha256)
        _decide(con, user, batch_id, item, "rejected", [f"rejected by {user.name}: {reason}"], "reject", reason)
        return Outcome(f"Rejected {item_id}.", [item_id], _view(view, con, [item_id]))


def _now(con, batch_id: str, seen: dict[str, str]) -> tuple[list[dict], list[str]]:
    """The items as they are now that are still what the reviewer saw (id -> fingerprint), and the ids of
    those that changed since or are gone."""
    if not seen:
        raise ActionRefused(400, "Select one or more items first (tick their boxes, or a product's or a channel's "
                                 "box), then press the button again.")
    if len(seen) > MAX_ITEMS:
        raise ActionRefused(400, f"One action takes at most {MAX_ITEMS} items; narrow the selection.")
    rows = query(con, "item", batch_id=batch_id, item_ids=list(seen))
    same = [row for row in rows if row["decision"] is not None and row["content_sha256"] == seen[row["item_id"]]]
    kept = {row["item_id"] for row in same}
    return same, [item_id for item_id in seen if item_id not in kept]


def _decide_many(con, user: User, batch_id: str, items: list[dict], decision: str, reasons: list[str],
                 action: str, detail: str) -> None:
    ids, shas = [i["item_id"] for i in items], [i["content_sha256"] for i in items]
    run(con, "record_decisions", batch_id=batch_id, item_ids=ids, content_sha256s=shas, decision=decision,
        reasons=reasons, username=user.name)
    run(con, "record_audits", audit_id=uuid.uuid4().hex, username=user.name, role=user.role, action=action,
        batch_id=batch_id, item_ids=ids, content_sha256s=shas, detail=detail)


def _changed_note(changed: list[str]) -> str:
    if not changed:
        return ""
    return (f" {len(changed)} changed since you loaded the page (a new run or another reviewer) and were left as "
            "they are: look at them again.")


def reject_many(user: User, batch_id: str, seen: dict[str, str], reason: str, view: View = None) -> Outcome:
    """Reject the selected items (id -> the fingerprint the page showed) with one reason."""
    reason = _reason(reason)
    with writing() as con:
        items, changed = _now(con, batch_id, seen)
        if items:
            _decide_many(con, user, batch_id, items, "rejected", [f"rejected by {user.name}: {reason}"], "reject",
                         f"{reason} (one of {len(items)} rejected together)")
        ids = [i["item_id"] for i in items]
        return Outcome(f"Rejected {len(ids)} items: {reason}.{_changed_note(changed)}", ids, _view(view, con, ids))


def approve_many(user: User, batch_id: str, seen: dict[str, str], detail: str, view: View = None) -> Outcome:
    """Approve the items a bulk approve's preview listed, as they were shown (id -> fingerprint). Items that
    fail a hard check, or whose text a person edited, are left: those are approved one by one."""
    with writing() as con:
        now, changed = _now(con, batch_id, seen)
        items = [i for i in now if i["decision"] != "approved" and not i["hard_failed"] and not i["edited"]]
        left = len(now) - len(items) - sum(i["decision"] == "approved" for i in now)
        if items:
            _decide_many(con, user, batch_id, items, "approved", [], "bulk_approve", detail)
        ids = [i["item_id"] for i in items]
        note = f" {left} were left: they fail a hard check or a person edited them." if left else ""
        return Outcome(f"Approved {len(ids)} items.{note}{_changed_note(changed)}", ids, _view(view, con, ids))


def _read_for_rescoring(batch_id: str, item_id: str, seen_sha256: str) -> tuple:
    with reading() as con:
        item = _current(con, batch_id, item_id, seen_sha256)
        if item["item_kind"] != "copy":
            raise ActionRefused(400, "Only copy lines can be edited; approve or reject a banner instead.")
        failed = [s["check_name"] for s in query(con, "scores", batch_id=batch_id, item_ids=[item_id])
                  if s["hard"] and not s["passed"]]
        lines = query(con, "brief_lines", batch_id=batch_id, item_id=item_id)
        others_failed = query(con, "brief_hard_failures", batch_id=batch_id, item_id=item_id)
        return item, failed, lines, others_failed, known_pii_from_warehouse(con), recently_published(con, batch_id)


def edit(user: User, batch_id: str, item_id: str, seen_sha256: str, new_text: str, view: View = None) -> Outcome:
    """Store the edit, make the new text the line's text, score it again, and leave it waiting for review:
    a reviewer approves it, on its own, once it passes every hard check. The edit keeps the line's scores
    before and after, and the audit row its text before and after."""
    new_text = new_text.replace("\r\n", "\n").strip()
    if not new_text or len(new_text) > MAX_TEXT:
        raise ActionRefused(400, f"The new text must have 1 to {MAX_TEXT} characters; change it and save again, "
                                 "or reject the item instead.")
    before, old_failed, lines, others_failed, known_pii, recent = _read_for_rescoring(batch_id, item_id, seen_sha256)
    original = next(line["text"] for line in lines if line["item_id"] == item_id)
    if new_text == original:
        raise ActionRefused(400, "The text is unchanged. Change it before saving, or approve or reject it as it is.")
    results = rescore(lines, item_id, new_text, others_failed, known_pii, recent)  # slow: outside the lock
    own = [r for r in results if r.item_id == item_id]
    hard = [f"{r.check_name}: {r.reason or 'failed'}" for r in own if r.hard and not r.passed]
    new_failed = [r.check_name for r in own if r.hard and not r.passed]
    quality = min((r.score for r in own if not r.hard), default=0.0)
    old_quality = before["quality"]
    with writing() as con:
        item = _current(con, batch_id, item_id, seen_sha256)  # nobody changed it while it was scored
        run(con, "record_edit", edit_id=uuid.uuid4().hex, item_id=item_id, batch_id=batch_id,
            original_text=original, new_text=new_text, username=user.name, old_quality=old_quality,
            new_quality=quality, old_failed=old_failed, new_failed=new_failed)
        run(con, "set_copy_text", item_id=item_id, batch_id=batch_id, text=new_text)
        run(con, "drop_rescored", item_id=item_id, batch_id=batch_id)
        for result in results:
            run(con, "record_score", batch_id=batch_id, **asdict(result))
        item = item | {"content_sha256": sha256(new_text)}
        outcome = f"fails {'; '.join(hard)}" if hard else "passes every hard check"
        scores = f"quality {_score(old_quality)} before, {quality:.2f} now"
        reasons = hard or [f"edited by {user.name}: approve to publish"]
        _decide(con, user, batch_id, item, "needs_review", reasons, "edit", f"re-scored: {outcome}; {scores}",
                quality, old_text=original, new_text=new_text)
        return Outcome(f"Saved the edit of {item_id} and scored it again: it {outcome}, {scores}.", [item_id],
                       _view(view, con, [item_id]))


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


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
    # The folder is named without its path on the server, which no page shows.
    detail = f"{result['newly_published']} newly published, {result['rows']} approved, to {redact(result['folder'])}"
    if result["held_back"]:
        detail += (f"; {result['held_back']} approved lines held back, as they make no complete item with the "
                   "brief's other approved lines (see manifest.json)")
    with writing() as con:
        audit(con, user, "publish", batch_id=batch_id, detail=detail)
    return f"Published batch {batch_id}: {detail}."
