"""Sessions kept on the server, login limits, no server paths, times with their timezone (issue 30)."""

import re
import sqlite3

import pytest
from fastapi.testclient import TestClient

from adcraft.kernel.db import connect
from adcraft.kernel.settings import PROJECT_DIR, get_settings
from adcraft.review import sessions
from adcraft.review.app import create_app
from adcraft.review.users import add_user
from review_fixtures import PASSWORDS, adcraft_env, csrf_from, log_in, scale_home

pytestmark = pytest.mark.slow  # the review app over a warehouse

BATCH = "scale-20261123"


@pytest.fixture
def home(tmp_path_factory):
    home = scale_home(tmp_path_factory, "review-sessions", {BATCH: 2})
    with adcraft_env(home):
        yield home


@pytest.fixture
def app(home):
    with TestClient(create_app()):  # runs the app's startup: the schema
        pass
    return create_app()


def client(app, address: str = "10.0.0.1") -> TestClient:
    return TestClient(app, client=(address, 50000))


def try_login(c: TestClient, name: str, password: str):
    return c.post("/login", follow_redirects=False, data={"username": name, "password": password,
                                                         "csrf_token": csrf_from(c.get("/login").text)})


def some_item() -> tuple[str, str]:
    with connect(read_only=True) as con:
        return con.execute("SELECT item_id, content_sha256 FROM content.item_fingerprints(?) ORDER BY item_id LIMIT 1",
                           [BATCH]).fetchone()


def test_logging_out_ends_the_session_so_a_replayed_cookie_gets_the_login_page(app):
    alice = client(app)
    log_in(alice, "alice")
    html = alice.get(f"/batches/{BATCH}").text
    cookie, token = alice.cookies["adcraft_review"], csrf_from(html)
    assert "review_sessions" not in cookie and PASSWORDS["alice"] not in cookie
    alice.post("/logout", data={"csrf_token": token})
    replay = TestClient(app, cookies={"adcraft_review": cookie})
    page = replay.get(f"/batches/{BATCH}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert "Log in" in replay.get(f"/batches/{BATCH}").text
    item, sha = some_item()
    with connect(read_only=True) as con:
        before = con.execute("SELECT * FROM content.decisions ORDER BY item_id").fetchall()
    for url, data in [(f"/batches/{BATCH}/bulk-approve", {"step": "confirm", "item": f"{item}:{sha}"}),
                      (f"/batches/{BATCH}/items/{item}/approve", {"content_sha256": sha})]:
        response = replay.post(url, data={"csrf_token": token, **data}, follow_redirects=False)
        assert response.status_code == 401 and "Log in first" in response.text
    with connect(read_only=True) as con:
        assert con.execute("SELECT * FROM content.decisions ORDER BY item_id").fetchall() == before
    # The server kept the session's end, and never the token itself.
    with sqlite3.connect(get_settings().home / sessions.FILE) as store:
        [(ended, why, stored)] = store.execute("SELECT ended_at, ended_why, session_hash FROM sessions").fetchall()
    assert ended and why == "logout" and len(stored) == 64


def test_a_new_password_ends_every_session_of_the_user_at_once(app, home):
    first, second = client(app), client(app, "10.0.0.2")
    log_in(first, "alice")
    log_in(second, "alice")
    assert first.get("/batches", follow_redirects=False).status_code == 200
    add_user(home / "reviewers.yaml", "alice", "reviewer", "a-brand-new-one")
    try:
        for c in (first, second):
            assert c.get("/batches", follow_redirects=False).status_code == 303
    finally:
        add_user(home / "reviewers.yaml", "alice", "reviewer", PASSWORDS["alice"])
    # Even with the old password back (a new hash), the old sessions stay ended.
    assert first.get("/batches", follow_redirects=False).status_code == 303


def test_an_expired_session_ends(app, home):
    alice = client(app)
    log_in(alice, "alice")
    with sqlite3.connect(home / sessions.FILE) as store:
        store.execute("UPDATE sessions SET expires_at = 0")
    assert alice.get("/batches", follow_redirects=False).status_code == 303


def test_failed_logins_are_limited_per_user_name_with_a_clear_message(app):
    guesser = client(app, "10.0.1.1")
    for _ in range(sessions.USER_LIMIT):
        response = try_login(guesser, "alice", "guess")
        assert response.status_code == 401 and "Wrong user name or password" in response.text
    for password in ["guess", PASSWORDS["alice"]]:  # now even the right password waits
        response = try_login(guesser, "alice", password)
        assert response.status_code == 429 and int(response.headers["retry-after"]) > 800
        assert "Too many failed logins for the user name &#39;alice&#39;" in response.text
        assert re.search(r"paused until \d\d:\d\d UTC", response.text)
    elsewhere = try_login(client(app, "10.0.1.2"), "alice", PASSWORDS["alice"])
    assert elsewhere.status_code == 429  # the limit is the user name's, wherever the guesses come from
    assert try_login(client(app, "10.0.1.3"), "victor", PASSWORDS["victor"]).status_code == 303
    with connect(read_only=True) as con:
        refused = con.execute("SELECT count(*) FROM ops.review_audit WHERE action = 'login_failed' AND detail "
                              "LIKE 'refused%'").fetchone()[0]
    assert refused == 3


def test_a_good_login_resets_the_user_name_s_count(app):
    c = client(app, "10.0.2.1")
    for _ in range(sessions.USER_LIMIT - 1):
        try_login(c, "victor", "guess")
    assert try_login(c, "victor", PASSWORDS["victor"]).status_code == 303
    c = client(app, "10.0.2.1")
    assert try_login(c, "victor", "guess").status_code == 401  # counted afresh


def test_failed_logins_are_limited_per_address(app):
    spray = client(app, "10.0.3.1")
    for n in range(sessions.ADDRESS_LIMIT):
        assert try_login(spray, f"user{n}", "guess").status_code == 401
    response = try_login(spray, "victor", PASSWORDS["victor"])
    assert response.status_code == 429 and "Too many failed logins from your address" in response.text
    assert try_login(client(app, "10.0.3.2"), "victor", PASSWORDS["victor"]).status_code == 303


def test_no_page_shows_a_path_on_the_server(app, home):
    """A viewer once saw the brand file's path; a publication's folder and a broken users file named theirs."""
    brand = home / "brands" / "acme.yaml"
    brand.parent.mkdir()
    brand.write_text((PROJECT_DIR / "brands" / "demo.yaml").read_text())
    with connect() as con:
        con.execute("UPDATE content.batches SET brand = ?", [str(brand)])
    alice, victor = client(app), client(app, "10.0.4.2")
    log_in(alice, "alice")
    published = alice.post(f"/batches/{BATCH}/publish", data={"csrf_token": csrf_from(alice.get("/batches").text)})
    assert "Published batch" in published.text
    log_in(victor, "victor")
    item, _ = some_item()
    urls = ["/batches", f"/batches/{BATCH}", f"/batches/{BATCH}?q=SC", f"/batches/{BATCH}/diff", "/audit",
            f"/audit?batch={BATCH}", f"/batches/{BATCH}/items/{item}/history", "/batches/nope", "/nowhere"]
    pages = {url: victor.get(url).text for url in urls}
    pages["publish"], pages["viewer post"] = published.text, victor.post(
        f"/batches/{BATCH}/publish", data={"csrf_token": csrf_from(pages["/batches"])}).text
    assert "Northwind Outfitters" in pages[f"/batches/{BATCH}"] and "brand Northwind" in pages[f"/batches/{BATCH}"]
    (home / "reviewers.yaml").write_text("users: [")  # a broken users file: its page must not name its path
    pages["users file"] = client(app).post("/login", data={"username": "x", "password": "y", "csrf_token": csrf_from(
        client(app).get("/login").text)}).text
    for url, html in pages.items():
        for path in {str(home), str(home.resolve()), str(PROJECT_DIR), "/tmp/", "/home/", "brands/"}:
            assert path not in html, (url, path)
    assert "publish/" + BATCH in pages[f"/audit?batch={BATCH}"]


def test_times_say_their_timezone(app):
    alice = client(app)
    log_in(alice, "alice")
    item, sha = some_item()
    html = alice.get(f"/batches/{BATCH}").text
    alice.post(f"/batches/{BATCH}/items/{item}/reject", data={"csrf_token": csrf_from(html), "content_sha256": sha,
                                                               "reason": "Too pushy"})
    for url in ["/audit", f"/batches/{BATCH}/items/{item}/history"]:
        times = re.findall(r"<td>(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[^<]*)</td>", alice.get(url).text)
        assert times and all(t.endswith(" UTC") for t in times), url
    assert re.search(r'title="\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"', alice.get(f"/batches/{BATCH}").text)
