"""The review app and a flow writing the same warehouse at the same time: another process holds the write
lock, as a nightly stage does, while the app (under real uvicorn) serves pages and decisions."""

import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from adcraft.kernel.db import connect
from adcraft.review.app import create_app
from review_fixtures import BATCH, adcraft_env, approvable, copy_of_generated, csrf_from, live_server, log_in

pytestmark = pytest.mark.slow  # the review app on a server, beside a nightly run

# What a nightly stage does: open the warehouse for writing (adcraft.kernel.db.warehouse) and work a while.
HOLDER = """
import sys, time
from adcraft.kernel.db import warehouse
with warehouse() as con:
    con.execute("BEGIN")
    con.execute("UPDATE content.batches SET flow_run_id = 'busy' WHERE batch_id = ?", [sys.argv[2]])
    print("holding", flush=True)
    time.sleep(float(sys.argv[1]))
    con.execute("COMMIT")
"""
LEAKS = ["lock", "ioexception", "duckdb", "traceback", "conflicting", ".duckdb"]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = copy_of_generated(tmp_path_factory, "review-concurrency")
    with adcraft_env(home):
        yield home


def hold_warehouse(seconds: float) -> subprocess.Popen:
    """A separate process holding the warehouse's write lock for seconds; returns once it holds it."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(seconds), BATCH], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding", "the holder process could not open the warehouse"
    return holder


def approve_form(client) -> tuple[str, dict]:
    """A copy line that may be approved (no failed hard check), and its approve form's fields."""
    [item] = approvable(1)
    html = client.get(f"/batches/{BATCH}").text
    sha = re.search(rf'data-item-id="{item}".*?name="content_sha256" value="(\w+)"', html, re.S).group(1)
    return item, {"csrf_token": csrf_from(html), "content_sha256": sha}


def test_requests_wait_for_a_writing_flow_and_then_succeed(home):
    with adcraft_env(home, ADCRAFT_LOCK_TIMEOUT_S="60"), live_server(create_app()) as url, \
            httpx.Client(base_url=url, timeout=90) as client:
        log_in(client, "alice")
        item, form = approve_form(client)
        holder = hold_warehouse(4)
        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            pages = [pool.submit(client.get, path) for path in
                     ["/batches", f"/batches/{BATCH}", f"/batches/{BATCH}/diff", "/audit"]]
            approval = client.post(f"/batches/{BATCH}/items/{item}/approve", data=form, follow_redirects=False)
            responses = [p.result() for p in pages]
        waited = time.monotonic() - started
        assert holder.wait(30) == 0
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert approval.status_code == 303
    assert waited >= 2, "the requests did not wait for the other process's lock"
    with connect(read_only=True) as con:
        [(by, run)] = con.execute("SELECT d.decided_by, b.flow_run_id FROM content.decisions d JOIN content.batches b "
                                  "USING (batch_id) WHERE item_id = ?", [item]).fetchall()
    assert (by, run) == ("alice", "busy")  # both writes landed, one after the other


def test_past_the_lock_timeout_a_friendly_503_and_no_half_done_write(home):
    with adcraft_env(home, ADCRAFT_LOCK_TIMEOUT_S="1"), live_server(create_app()) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        log_in(client, "alice")
        item, form = approve_form(client)
        with connect(read_only=True) as con:
            before = con.execute("SELECT * FROM content.decisions WHERE item_id = ?", [item]).fetchall()
        holder = hold_warehouse(6)
        page = client.get(f"/batches/{BATCH}")
        approval = client.post(f"/batches/{BATCH}/items/{item}/approve", data=form, follow_redirects=False)
        login = httpx.get(f"{url}/login")  # even a login page that needs no warehouse stays up
        assert holder.wait(30) == 0
    for response in (page, approval):
        assert response.status_code == 503 and response.headers["retry-after"] == "60"
        assert "The nightly run is writing to the warehouse" in response.text
        assert not [word for word in LEAKS if word in response.text.lower()], response.text
    assert login.status_code == 200
    with connect(read_only=True) as con:
        assert con.execute("SELECT * FROM content.decisions WHERE item_id = ?", [item]).fetchall() == before


def test_a_real_flow_run_and_the_app_share_the_warehouse(home):
    """The publish-batch flow (real Prefect, its own process) writes its ledger while reviewers keep using the
    app: every page answers, every decision lands, and the flow finishes without a lock error."""
    with adcraft_env(home, ADCRAFT_LOCK_TIMEOUT_S="60"), live_server(create_app()) as url, \
            httpx.Client(base_url=url, timeout=90) as client:
        log_in(client, "alice")
        flow = subprocess.Popen([sys.executable, "-m", "adcraft.cli.main", "publish", "batch", BATCH],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        statuses, approved = [], []
        while flow.poll() is None:
            statuses += [client.get(path).status_code for path in ["/batches", f"/batches/{BATCH}"]]
            if len(approved) < 3:
                item, form = approve_form(client)
                if client.post(f"/batches/{BATCH}/items/{item}/approve", data=form,
                               follow_redirects=False).status_code == 303:
                    approved.append(item)
        output = flow.stdout.read()
    assert flow.returncode == 0 and '"newly_published"' in output, output
    assert not [word for word in ("lock", "conflicting") if word in output.lower()], output
    assert statuses and set(statuses) == {200} and approved
    with connect(read_only=True) as con:
        decided = {i for (i,) in con.execute("SELECT item_id FROM content.decisions WHERE decided_by = 'alice'")
                   .fetchall()}
        published = con.execute("SELECT count(*) FROM content.publications WHERE batch_id = ?", [BATCH]).fetchone()[0]
    assert set(approved) <= decided and published > 0
