"""A generated warehouse for the review app's tests, made once per test session by the real nightly flow.

One run of a tiny campaign (two products, one segment, meta_feed and sms, one banner size). The batch the
day before, to diff against, is that batch copied with SQL, with one line changed, one gone and one extra
(a second run of the flow would double the fixture's time). Each test module works on its own copy.
"""

import shutil
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from adcraft.kernel.db import connect
from adcraft.kernel.settings import get_settings
from adcraft.review.users import add_user
from conftest import small_campaign

PREVIOUS, CURRENT = date(2026, 11, 22), date(2026, 11, 23)
BATCH, PREVIOUS_BATCH = "demo-20261123", "demo-20261122"
PASSWORDS = {"alice": "alice-secret-1", "victor": "victor-secret-1"}
EVIL = "<img src=x onerror=alert(1)>"

_built: dict[str, Path] = {}

# The batch before: every row of the batch under new ids, except that its first SMS line reads differently,
# its first meta_feed headline was not there, and it had an extra headline variant.
PREVIOUS_BATCH_SQL = """
INSERT INTO content.batches SELECT * REPLACE ($previous_id AS batch_id, $previous_date AS run_date)
FROM content.batches WHERE batch_id = $batch_id;
INSERT INTO marts.briefs SELECT * REPLACE ($previous_id AS batch_id) FROM marts.briefs WHERE batch_id = $batch_id;
CREATE TEMP TABLE previous_lines AS
SELECT * REPLACE ('old' || item_id AS item_id, $previous_id AS batch_id,
                  CASE WHEN item_id = (SELECT min(item_id) FROM content.copy_items
                                       WHERE batch_id = $batch_id AND content_type = 'sms')
                       THEN 'Last week: ' || text ELSE text END AS text)
FROM content.copy_items WHERE batch_id = $batch_id;
INSERT INTO previous_lines SELECT * REPLACE (item_id || 'x' AS item_id, 99 AS variant)
FROM previous_lines WHERE content_type = 'meta_feed' AND field = 'headline';
DELETE FROM previous_lines WHERE item_id = (SELECT min(item_id) FROM previous_lines
                                            WHERE content_type = 'meta_feed' AND field = 'headline' AND variant <> 99);
INSERT INTO content.copy_items SELECT * FROM previous_lines;
INSERT INTO content.decisions SELECT * REPLACE ('old' || item_id AS item_id, $previous_id AS batch_id)
FROM content.decisions WHERE batch_id = $batch_id AND 'old' || item_id IN (SELECT item_id FROM content.copy_items);
"""


@contextmanager
def adcraft_env(home: Path, **extra: str):
    """ADCRAFT_HOME (and more) set for a block, with settings read afresh."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADCRAFT_HOME", str(home))
        mp.setenv("ADCRAFT_REVIEW_USERS_FILE", str(home / "reviewers.yaml"))
        for name, value in extra.items():
            mp.setenv(name, value)
        get_settings.cache_clear()
        try:
            yield
        finally:
            get_settings.cache_clear()


def _build(home: Path) -> None:
    from adcraft.sources.demo_shop import generate_demo_shop
    from flows.nightly import nightly_campaign

    generate_demo_shop(home / "landing" / "demo", scale=0.05, seed=7)
    campaign = small_campaign(home, "review", per_segment=2, banner_sizes=["300x250"], segments=["champions"],
                              variants=1, candidates=None,
                              content_types=["meta_feed", "sms"])
    nightly_campaign(str(campaign), CURRENT)
    params = {"batch_id": BATCH, "previous_id": PREVIOUS_BATCH, "previous_date": PREVIOUS}
    with connect() as con:
        for statement in filter(str.strip, PREVIOUS_BATCH_SQL.split(";")):  # parameters: one statement a call
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
    add_user(home / "reviewers.yaml", "alice", "reviewer", PASSWORDS["alice"])
    add_user(home / "reviewers.yaml", "victor", "viewer", PASSWORDS["victor"])


def generated_home(tmp_path_factory) -> Path:
    """The session's generated ADCRAFT_HOME; built on first use (about a minute on two idle cores)."""
    if "home" not in _built:
        home = tmp_path_factory.mktemp("review-generated") / "home"
        with adcraft_env(home, ADCRAFT_BANNER_ILLUSTRATIONS="false"):  # no picture search: faster, same review
            _build(home)
        _built["home"] = home
    return _built["home"]


def copy_of_generated(tmp_path_factory, name: str) -> Path:
    """A private copy of the generated home, its banner paths pointing into the copy."""
    source = generated_home(tmp_path_factory)
    home = tmp_path_factory.mktemp(name) / "home"
    shutil.copytree(source, home, ignore=shutil.ignore_patterns("*.wal"))
    with adcraft_env(home), connect() as con:
        con.execute("UPDATE content.banners SET path = replace(path, ?, ?)", [str(source), str(home)])
    return home


def log_in(client, name: str) -> None:
    """Log in through the real form, CSRF token included."""
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"username": name, "password": PASSWORDS[name], "csrf_token": token,
                                           "next": "/batches"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def csrf_from(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


@contextmanager
def live_server(app):
    """The app under a real uvicorn server on a free localhost port, in a thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start; see its log above"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


def approvable(count: int) -> list[str]:
    """Copy lines of the batch made to pass every hard check: the tiny model's lines often fail one (and then
    their brief's format check), and the tests need lines a reviewer may approve."""
    with connect() as con:
        items = [i for (i,) in con.execute("SELECT item_id FROM content.copy_items WHERE batch_id = ? "
                                           "ORDER BY item_id LIMIT ?", [BATCH, count]).fetchall()]
        con.execute(f"UPDATE content.scores SET passed = true, score = 1 WHERE hard AND item_id IN "
                    f"({', '.join('?' * len(items))})", items)
    return items


def clean_sms(item_id: str) -> str:
    """An SMS for the line's product that passes every hard check: its name, its real price, the link."""
    import json

    with connect(read_only=True) as con:
        [(product, link)] = con.execute(
            "SELECT b.product, json_extract_string(t.campaign_config, '$.link') FROM content.copy_items c "
            "JOIN marts.briefs b USING (batch_id, brief_id) JOIN content.batches t USING (batch_id) "
            "WHERE c.item_id = ?", [item_id]).fetchall()
    product = json.loads(product)
    return (f"The {product['name']} is back for you. {float(product['price']):.2f} {product['currency']}: "
            f"{link.format(sku=product['sku'])}")
