"""A generated warehouse for the review app's tests, made once per test session by the real nightly flow.

One run of a tiny campaign (two products, one segment, meta_feed and sms, one banner size). The batch the
day before, to diff against, is that batch copied with SQL, with one line changed, one gone and one extra
(a second run of the flow would double the fixture's time). Each test module works on its own copy.

For many items, synthetic_batch writes a batch with SQL alone (22 items a product, no model), which the scale
benchmark (bench/review_scale.py) uses too.
"""

import re
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


def previewed(html: str) -> list[str]:
    """The items ("<item id>:<sha256>") a bulk approve's preview would approve, from its confirm form."""
    found = re.search(r'name="items" value="([^"]*)"', html)
    return found.group(1).split() if found else []


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


# A batch made with SQL, for the scale benchmark (bench/review_scale.py) and the tests of a long evening: 22
# items per product (a search ad, and per segment a Meta feed ad, an email, an SMS and two banners). Every
# line passes its hard checks; about one in eight is approved by the policy, the rest wait for review with a
# quality of 0.60 to 0.74, and each product's lines share a product-level reason. No model runs.
SCALE_LINK = "https://shop.example.com/p/{sku}"
SCALE_CHECKS_SQL = """
INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score, reason)
SELECT item_id, $batch_id, check_name, hard, true, CASE WHEN hard THEN 1.0 ELSE quality END,
       CASE WHEN check_name = 'relevance'
            THEN 'only loosely about "' || name || '" (similarity 0.31 to its description)' END
FROM (SELECT c.item_id, json_extract_string(b.product, '$.name') AS name,
             0.60 + (hash(c.item_id) % 15) / 100 + CASE WHEN hash(c.item_id) % 8 = 0 THEN 0.2 ELSE 0 END AS quality
      FROM content.copy_items c JOIN marts.briefs b USING (batch_id, brief_id) WHERE c.batch_id = $batch_id
      UNION ALL
      SELECT item_id, headline, 1.0 FROM content.banners WHERE batch_id = $batch_id)
CROSS JOIN (VALUES ('safety', true), ('grounding', true), ('quality', false), ('relevance', false))
    AS k(check_name, hard)
"""
SCALE_DECISIONS_SQL = """
INSERT INTO content.decisions (item_id, batch_id, item_kind, decision, quality, reasons, policy_version, decided_by)
SELECT item_id, $batch_id, CASE WHEN item_id LIKE 'ban\\_%' ESCAPE '\\' THEN 'banner' ELSE 'copy' END,
       CASE WHEN min(score) FILTER (NOT hard) >= 0.75 THEN 'approved' ELSE 'needs_review' END,
       min(score) FILTER (NOT hard),
       CASE WHEN min(score) FILTER (NOT hard) >= 0.75 THEN []
            ELSE [printf('lowest soft score quality %.2f is below the 0.75 approval bar', min(score) FILTER (NOT hard)),
                  'relevance: ' || any_value(reason) FILTER (check_name = 'relevance')] END,
       'v1', 'policy:v1'
FROM content.scores WHERE batch_id = $batch_id GROUP BY item_id
"""
_ADJECTIVES = ["Harbour", "Highland", "Lantern", "Fjord", "Meadow", "Summit", "Coastal", "Birch", "Ember", "Drift",
               "Granite", "Willow", "Tundra", "Solstice"]
_GOODS = [("Linen", "Shirt", "Shirts"), ("Merino", "Sweater", "Knitwear"), ("Cotton", "Pyjama Set", "Sleepwear"),
          ("Canvas", "Tote", "Bags"), ("Wool", "Beanie", "Hats"), ("Denim", "Jacket", "Jackets"),
          ("Fleece", "Hoodie", "Sweatshirts")]


def _scale_products(count: int) -> list[dict]:
    products = []
    for i in range(count):
        material, noun, category = _GOODS[i % len(_GOODS)]
        adjective = _ADJECTIVES[(i // len(_GOODS)) % len(_ADJECTIVES)]
        name = f"{adjective} {material} {noun}" + (f" {i // 98 + 1}" if i >= 98 else "")
        products.append({"sku": f"SC-{i + 1:04d}", "name": name, "category": category, "brand": "Nordwind",
                         "price": 19.0 + (i * 7) % 80, "currency": "EUR", "material": material,
                         "colours": ["oat", "navy"], "sizes": ["S", "M", "L"], "stock": 40 + i,
                         "description": f"{name} in oat, built to last season after season.",
                         "price_before_drop": None, "selection": "top_sellers"})
    return products


def _scale_lines(p: dict, segment: str) -> dict[str, list[str]]:
    """content type -> field -> lines, for one product and segment."""
    name, category, price = p["name"], p["category"], p["price"]
    return {
        "meta_feed": {"primary_text": [f"Meet the {name}: {p['material'].lower()}, easy care and built to last. "
                                       f"Made for {segment} like you."],
                      "headline": [f"The {name}"[:40]]},
        "email": {"subject": [f"Your new {name}"[:50]],
                  "preheader": [f"{p['material']} in oat or navy, built to last season after season."]},
        "sms": {"text": [f"The {name} is here for {price:.2f} EUR: {SCALE_LINK.format(sku=p['sku'])}"]},
        "google_rsa": {"headline": [name[:30], f"Shop {category}"[:30], "Built to last, easy care",
                                    f"New {category} in stock"[:30], f"From {price:.0f} EUR"],
                       "description": [f"The {name} in {p['material'].lower()}, made for every day."[:90],
                                       "Easy care and built to last. Order today, with you in two days.",
                                       f"Find your size of the {name} online, from S to L."[:90]]},
    }


def _item_id(kind: str, *key) -> str:
    """An id like the flow's: its kind and 16 hex digits."""
    import hashlib

    return f"{kind}_{hashlib.sha256('|'.join(map(str, key)).encode()).hexdigest()[:16]}"


def synthetic_batch(batch_id: str, products: int, segments: tuple[str, ...] = ("champions", "loyal"),
                    run_date: date = CURRENT) -> dict:
    """Write a batch of `products` products (22 items each with two segments) into the warehouse of the
    current ADCRAFT_HOME; returns its item count and SKUs. Banner rows share two small PNGs."""
    import json

    from PIL import Image

    from adcraft.kernel.db import migrate

    catalogue = _scale_products(products)
    folder = get_settings().banners_dir / batch_id
    folder.mkdir(parents=True, exist_ok=True)
    pictures = {}
    for size in ("1080x1080", "300x250"):
        pictures[size] = folder / f"scale_{size}.png"
        Image.new("RGB", tuple(int(x) for x in size.split("x")), "#2a6f97").save(pictures[size])
    config = {"name": "scale", "brand": "demo", "segments": list(segments), "link": SCALE_LINK,
              "content_types": ["google_rsa", "meta_feed", "email", "sms"], "destinations": [{"type": "folder"}],
              "policy": {"version": "v1", "approve_at": 0.75, "review_at": 0.4}}
    briefs, lines, banners = [], [], []
    for p in catalogue:
        for s, segment in enumerate(segments):
            for content_type, fields in _scale_lines(p, segment).items():
                if content_type == "google_rsa" and s:
                    continue  # one per product
                brief = f"{batch_id}-{p['sku']}-{segment}-{content_type}"
                briefs.append([batch_id, brief, p["sku"], segment, content_type, content_type, json.dumps(p),
                               json.dumps({"segment": segment})])
                for field, texts in fields.items():
                    for variant, text in enumerate(texts):
                        item = _item_id("cp", batch_id, p["sku"], segment, content_type, field, variant)
                        lines.append([item, batch_id, brief, content_type, field, variant, text, text])
            for size, path in pictures.items():
                banners.append([_item_id("ban", batch_id, p["sku"], segment, size), batch_id, p["sku"], segment, size,
                                str(path), path.stat().st_size, p["name"], "{}"])
    with connect() as con:
        migrate(con)
        con.execute("INSERT INTO content.batches (batch_id, campaign, run_date, brand, campaign_config) "
                    "VALUES (?, 'scale', ?, 'demo', ?)", [batch_id, run_date, json.dumps(config)])
        con.executemany("INSERT INTO marts.briefs (batch_id, brief_id, sku, segment, channel, content_type, product, "
                        "segment_profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", briefs)
        con.executemany("INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, "
                        "text, raw_output, prompt, seed, model_version, template_version) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'p', 7, 'scale@1', 't')", lines)
        con.executemany("INSERT INTO content.banners (item_id, batch_id, sku, segment, size, path, bytes, headline, "
                        "layout, template_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 't')", banners)
        for statement in (SCALE_CHECKS_SQL, SCALE_DECISIONS_SQL):
            con.execute(statement, {"batch_id": batch_id})
    return {"items": len(lines) + len(banners), "skus": [p["sku"] for p in catalogue]}


def scale_home(tmp_path_factory, name: str, batches: dict[str, int]) -> Path:
    """A fresh ADCRAFT_HOME with synthetic batches (batch id -> products) and the test users; no flow runs."""
    home = tmp_path_factory.mktemp(name) / "home"
    with adcraft_env(home):
        for batch_id, products in batches.items():
            synthetic_batch(batch_id, products)
        add_user(home / "reviewers.yaml", "alice", "reviewer", PASSWORDS["alice"])
        add_user(home / "reviewers.yaml", "victor", "viewer", PASSWORDS["victor"])
    return home


def rows(query: str, params: list | None = None) -> list[tuple]:
    with connect(read_only=True) as con:
        return con.execute(query, params or []).fetchall()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def alice(home):
    """A reviewer logged in to the app on the test module's `home`."""
    from fastapi.testclient import TestClient

    from adcraft.review.app import create_app

    with TestClient(create_app()) as client:
        log_in(client, "alice")
        yield client


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(make test does). This test never downloads a browser.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()
