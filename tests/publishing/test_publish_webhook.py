"""The webhook destination against a real HTTP receiver on localhost, including a publish killed mid-way."""

import base64
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from adcraft.kernel.db import records, warehouse
from adcraft.kernel.errors import PublishError
from adcraft.publishing import ledger as publication_ledger
from flows.publish import publish
from publish_fixtures import BANNERS, items_decided, ledger, make_batch
from tasks.publish import publish_batch

pytestmark = pytest.mark.slow  # webhook retries with real back-off

SECRET_ENV = "ADCRAFT_TEST_WEBHOOK_SECRET"
SECRET = "s3cret-for-tests"
DESTINATION = "webhook:cms"


class Receiver(ThreadingHTTPServer):
    """A webhook receiver as a careful integration would write one: it checks the signature, accepts each
    idempotency key once and answers a repeat with 200 without processing it again."""

    def __init__(self, failures_per_key: int = 0, hold_at: int | None = None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.failures_per_key, self.hold_at = failures_per_key, hold_at
        self.release = threading.Event()  # a held answer goes out once this is set
        self.lock = threading.Lock()
        self.requests: list[tuple[str, float]] = []  # (key, time) of every request
        self.accepted: dict[str, dict] = {}  # key -> payload, in acceptance order

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/adcraft"

    def answer(self, key: str, body: bytes, signature: str) -> int:
        with self.lock:
            self.requests.append((key, time.monotonic()))
            expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, signature):
                return 401
            if sum(k == key for k, _ in self.requests) <= self.failures_per_key:
                return 503
            if key in self.accepted:
                return 200  # a repeat: already processed
            self.accepted[key] = json.loads(body)
            held = len(self.accepted) == self.hold_at
        if held:  # processed, but the answer does not go out yet: the sender may die waiting for it
            self.release.wait(timeout=300)
        return 200


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.server.answer(self.headers["Idempotency-Key"], body, self.headers["X-Adcraft-Signature"] or "")
        try:
            self.send_response(status)
            self.end_headers()
        except OSError:  # the sender is gone
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(request):
    server = Receiver(**getattr(request, "param", {}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, SECRET)


def webhook(url: str, **settings) -> dict:
    return {"type": "webhook", "name": "cms", "url": url, "secret_env": SECRET_ENV, **settings}


def delivered_items() -> set[str]:
    return {item for item, _ in ledger(DESTINATION)}


def all_intents() -> list[dict]:
    with warehouse() as con:
        return records(con, "SELECT * FROM content.publication_intents")


def test_every_item_arrives_signed_once_with_its_key_and_a_second_publish_sends_nothing(adcraft_home, secret, receiver):
    batch = make_batch(destinations=[webhook(receiver.url)])
    publish_batch.fn(batch)
    publish_batch.fn(batch)
    approved = items_decided("approved")
    assert {p["item"]["item_id"] for p in receiver.accepted.values()} == approved == delivered_items()
    assert len(receiver.requests) == len(approved)
    assert set(receiver.accepted) == {publication_ledger.idempotency_key(DESTINATION, item) for item in approved}
    banner = next(p for p in receiver.accepted.values() if p["item"]["item_id"] == "ban_openmoji")["item"]
    assert hashlib.sha256(base64.b64decode(banner["content_base64"])).hexdigest() == banner["sha256"]
    assert banner["illustration"] == BANNERS["ban_openmoji"][1] and banner["media_type"] == "image/png"


@pytest.mark.parametrize("receiver", [{"failures_per_key": 2}], indirect=True)
def test_a_failing_receiver_is_retried_with_exponential_backoff(adcraft_home, secret, receiver):
    batch = make_batch(destinations=[webhook(receiver.url, max_attempts=3, backoff_s=0.05)])
    publish_batch.fn(batch)
    assert delivered_items() == items_decided("approved")
    times = [t for key, t in receiver.requests if key == next(iter(receiver.accepted))]
    assert len(times) == 3 and times[1] - times[0] >= 0.05 and times[2] - times[1] >= 0.1
    assert {row["attempts"] for row in all_intents()} == {3}


def test_a_refused_delivery_stays_pending_and_publishing_again_sends_only_it(adcraft_home, monkeypatch, receiver):
    batch = make_batch(destinations=["folder", webhook(receiver.url, max_attempts=3, backoff_s=0)])
    approved = items_decided("approved")
    monkeypatch.setenv(SECRET_ENV, "the-wrong-secret")
    with pytest.raises(PublishError,
                       match=f"webhook:cms: {len(approved)} of {len(approved)} items did not reach .* again"):
        publish_batch.fn(batch)
    assert len(receiver.requests) == len(approved)  # 401 is final: no retries
    assert ledger("folder") and not delivered_items()  # the folder is published all the same
    pending = publication_ledger.pending(batch)
    assert {(p["destination"], p["last_error"]) for p in pending} == {(DESTINATION, "HTTP 401")}

    monkeypatch.setenv(SECRET_ENV, SECRET)
    publish_batch.fn(batch)
    assert delivered_items() == approved and publication_ledger.pending(batch) == []


def test_a_webhook_without_its_secret_says_which_variable_to_set(adcraft_home, monkeypatch, receiver):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    batch = make_batch(destinations=[webhook(receiver.url)])
    with pytest.raises(PublishError, match=f"{SECRET_ENV} holds no secret; set it"):
        publish_batch.fn(batch)
    assert receiver.requests == []


@pytest.mark.parametrize("receiver", [{"hold_at": 5}], indirect=True)
def test_a_publish_killed_midway_and_run_again_delivers_every_item_exactly_once(
    adcraft_home, secret, receiver, tmp_path
):
    batch = make_batch(destinations=["folder", webhook(receiver.url)])
    approved = items_decided("approved")
    log = tmp_path / "publish.log"
    with open(log, "w") as out:  # its own session, so the kill takes its Prefect server process too
        process = subprocess.Popen([sys.executable, "-m", "adcraft.cli.main", "publish", "batch", batch],
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240  # the subprocess starts its own ephemeral Prefect server first
        while len(receiver.accepted) < 5 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(receiver.accepted) == 5, log.read_text()[-3000:]
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the 5th item is processed, its answer held back
        process.wait()
        receiver.release.set()
    in_flight = list(receiver.accepted)[-1]
    assert len(delivered_items()) == 4  # only confirmed deliveries are in the ledger
    assert len(publication_ledger.pending(batch)) == len(approved) - 4

    publish(batch)  # run again, as the publish-batch flow

    per_key = Counter(key for key, _ in receiver.requests)
    assert {p["item"]["item_id"] for p in receiver.accepted.values()} == approved  # each accepted exactly once
    assert [key for key, n in per_key.items() if n > 1] == [in_flight]  # only the unconfirmed one was sent twice
    assert sum(per_key.values()) == len(approved) + 1
    assert delivered_items() == approved and len(ledger(DESTINATION)) == len(approved)
    assert publication_ledger.pending(batch) == []
