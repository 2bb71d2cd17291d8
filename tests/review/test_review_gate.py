"""The review gate on real Prefect flow runs (ephemeral API): pause, resume with typed input, timeouts."""

import json
import threading
import time
from uuid import UUID

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from pydantic import ValidationError

from adcraft.kernel.config import Review
from adcraft.kernel.db import records, warehouse
from adcraft.kernel.errors import ReviewGateError
from adcraft.kernel.settings import get_settings
from adcraft.publishing.review_gate import resume_review
from flows.publish import publish
from publish_fixtures import approve_by_hand, items_decided, ledger, make_batch
from review_fixtures import PASSWORDS, csrf_from, log_in
from tasks.decide import decide_batch
from tasks.publish import publish_batch
from tasks.review_gate import review_gate

pytestmark = pytest.mark.slow  # nightly runs paused at the review gate

HUMAN_APPROVED = "sms_t0"  # needs review by the policy; a person approves it


@flow(name="decide-review-publish")
def decide_review_publish(batch_id: str, review: dict) -> dict:
    """The nightly flow's tail, stage for stage: decide, the review gate, publish."""
    decide_batch(batch_id, 0.75, 0.4, "v1")
    gate = review_gate(batch_id, Review(**review))
    return {"review": gate, "publish": publish_batch(batch_id, gate["scope"])}


def gate(batch_id: str) -> dict:
    with warehouse() as con:
        return records(con, "SELECT * FROM content.review_gates WHERE batch_id = ?", [batch_id])[0]


def published_copy(batch_id: str) -> set[str]:
    return {row["item_id"] for row in json.loads((get_settings().publish_dir / batch_id / "copy.json").read_text())}


def decide_runs(flow_run_id: str) -> int:
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(flow_run_id)])))
    return sum(run.name.startswith("decide") for run in runs)


def test_a_paused_run_resumed_with_the_reviewers_decision_publishes_what_people_approved(adcraft_home):
    review = {"required": True, "timeout": 60, "on_timeout": "hold"}
    batch = make_batch(review=review)
    answered = {}

    def reviewer():
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with warehouse() as con:
                waiting = con.execute(
                    "SELECT count(*) FROM content.review_gates WHERE status = 'waiting'").fetchone()[0]
            if waiting:
                break
            time.sleep(0.2)
        approve_by_hand(HUMAN_APPROVED)
        try:
            resume_review(batch, "maybe", "alice")
        except ValidationError as exc:
            answered["bad_input"] = str(exc)
        answered["run"] = resume_review(batch, "publish", "alice")

    thread = threading.Thread(target=reviewer)
    thread.start()
    result = decide_review_publish(batch, review)
    thread.join()

    assert result["review"]["outcome"] == "reviewed" and result["review"]["scope"] == "approved"
    assert published_copy(batch) >= {HUMAN_APPROVED, "rsa_h0"}
    assert {item for item, _ in ledger("folder")} == items_decided("approved") | {HUMAN_APPROVED}
    assert "decision" in answered["bad_input"]
    stored = gate(batch)
    assert (stored["status"], stored["decision"], stored["reviewer"]) == ("reviewed", "publish", "alice")
    assert stored["flow_run_id"] == answered["run"]
    assert decide_runs(answered["run"]) == 1  # the stage before the gate ran once: resuming redid nothing
    with pytest.raises(ReviewGateError, match="no longer waiting for review.*adcraft publish batch"):
        resume_review(batch, "publish", "bob")


def wait_for_the_gate(deadline_s: float = 240) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        with warehouse() as con:
            if con.execute("SELECT count(*) FROM content.review_gates WHERE status = 'waiting'").fetchone()[0]:
                return
        time.sleep(0.2)


@pytest.mark.parametrize(("button", "decision"), [("publish", "publish"), ("hold", "hold")])
def test_the_review_app_answers_the_waiting_run(adcraft_home, monkeypatch, button, decision):
    from fastapi.testclient import TestClient

    from adcraft.review.app import create_app
    from adcraft.review.users import add_user

    monkeypatch.setenv("ADCRAFT_REVIEW_USERS_FILE", str(adcraft_home / "reviewers.yaml"))
    get_settings.cache_clear()
    add_user(adcraft_home / "reviewers.yaml", "alice", "reviewer", PASSWORDS["alice"])
    review = {"required": True, "timeout": 120, "on_timeout": "publish_auto_approved"}
    batch = make_batch(review=review)
    seen = {}

    def reviewer():
        wait_for_the_gate()
        with TestClient(create_app()) as client:
            log_in(client, "alice")
            page = client.get(f"/batches/{batch}").text
            seen["notice"] = "A nightly run is paused for this review" in page and "Hold: publish nothing" in page
            approve_by_hand(HUMAN_APPROVED)
            answer = client.post(f"/batches/{batch}/{button}", data={"csrf_token": csrf_from(page), "back": ""})
            seen["flash"] = answer.text
            seen["audit"] = client.get(f"/audit?batch={batch}").text

    thread = threading.Thread(target=reviewer)
    thread.start()
    result = decide_review_publish(batch, review)
    thread.join()

    assert seen["notice"]
    assert "Resumed the nightly run" in seen["flash"] and "resume" in seen["audit"]
    assert result["review"]["outcome"] == "reviewed"
    stored = gate(batch)
    assert (stored["status"], stored["decision"], stored["reviewer"]) == ("reviewed", decision, "alice")
    # The run published, not the app: publish gets the person's approval too; hold delivers nothing.
    expected = items_decided("approved") | {HUMAN_APPROVED} if decision == "publish" else set()
    assert {item for item, _ in ledger("folder")} == expected


@pytest.mark.parametrize(("on_timeout", "expected"), [
    ("publish_auto_approved", items_decided("approved")),
    ("hold", set()),
])
def test_a_review_that_never_comes_ends_by_the_timeout_policy(adcraft_home, on_timeout, expected):
    review = {"required": True, "timeout": 2, "on_timeout": on_timeout}
    batch = make_batch(review=review)
    approve_by_hand(HUMAN_APPROVED)  # a person started reviewing but never marked the batch reviewed
    started = time.monotonic()
    result = decide_review_publish(batch, review)
    assert 2 <= time.monotonic() - started < 60
    assert result["review"]["outcome"] == "timed_out"
    assert {item for item, _ in ledger("folder")} == expected  # never the person's approval: not reviewed
    assert (gate(batch)["status"], gate(batch)["decision"]) == ("timed_out", on_timeout)
    with pytest.raises(ReviewGateError, match="no longer waiting"):
        resume_review(batch, "publish", "alice")

    publish(batch)  # publishing afterwards, by hand, delivers everything approved by then
    assert {item for item, _ in ledger("folder")} == items_decided("approved") | {HUMAN_APPROVED}


def test_resuming_a_batch_without_a_gate_says_why(adcraft_home):
    batch = make_batch()
    with pytest.raises(ReviewGateError,
                       match="has no review gate to resume: its campaign does not set review.required"):
        resume_review(batch, "publish")
