"""The review app's security: logins, roles, CSRF, sessions, escaping of untrusted text, safe redirects."""

import base64
import json
import re

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from adcraft.kernel.db import connect
from adcraft.kernel.settings import get_settings
from adcraft.review.app import create_app
from adcraft.review.users import add_user
from review_fixtures import BATCH, EVIL, PASSWORDS, adcraft_env, copy_of_generated, csrf_from, log_in

pytestmark = pytest.mark.slow  # the review app over a generated batch

ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
OPEN = ["/login", "/static/review.css"]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A generated batch whose first product is named EVIL, everywhere the warehouse keeps its name."""
    home = copy_of_generated(tmp_path_factory, "review-security")
    with adcraft_env(home):
        with connect() as con:
            [(sku,)] = con.execute("SELECT min(sku) FROM marts.briefs WHERE batch_id = ?", [BATCH]).fetchall()
            con.execute("UPDATE marts.briefs SET product = json_merge_patch(product, ?) WHERE sku = ?",
                        [json.dumps({"name": EVIL}), sku])
            con.execute("UPDATE content.banners SET headline = ? WHERE sku = ?", [EVIL, sku])
            con.execute("UPDATE content.copy_items SET text = ? || text WHERE item_id = "
                        "(SELECT min(item_id) FROM content.copy_items WHERE batch_id = ?)", [EVIL, BATCH])
            con.execute("UPDATE content.scores SET reason = ? WHERE item_id = (SELECT min(item_id) FROM "
                        "content.scores WHERE batch_id = ?)", [EVIL, BATCH])
        yield home


@pytest.fixture(scope="module")
def app(home):
    return create_app()


def client_as(app, name: str | None) -> TestClient:
    client = TestClient(app)
    client.__enter__()
    if name:
        log_in(client, name)
    return client


@pytest.fixture
def alice(app):
    client = client_as(app, "alice")
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def victor(app):
    client = client_as(app, "victor")
    yield client
    client.__exit__(None, None, None)


def some_item() -> str:
    with connect(read_only=True) as con:
        return con.execute("SELECT min(item_id) FROM content.copy_items WHERE batch_id = ?", [BATCH]).fetchall()[0][0]


def routes(app) -> list[tuple[str, str]]:
    """Every route of the app as (method, a concrete URL)."""
    item = some_item()
    found = []
    # FastAPI 0.150 keeps an included router whole (original_router) instead of copying its routes in.
    flat = [r for route in app.routes for r in getattr(getattr(route, "original_router", None), "routes", [route])]
    for route in flat:
        for method in sorted(getattr(route, "methods", None) or []):
            if method == "HEAD":
                continue
            url = route.path.replace("{batch_id}", BATCH).replace("{item_id}", item).replace(
                "{path:path}", "x.png")
            found.append((method, url))
    return found


def test_every_route_but_the_login_page_needs_a_login(app):
    anonymous = client_as(app, None)
    checked = []
    for method, url in routes(app):
        if url in OPEN:
            continue
        response = anonymous.request(method, url, follow_redirects=False)
        if method == "GET":
            assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), url
        else:
            assert response.status_code == 401 and "Log in first" in response.text, url
        checked.append(url)
    assert len(checked) >= 12 and "/media/banners/x.png" in checked
    for url in ["/docs", "/openapi.json", "/redoc"]:
        assert anonymous.get(url).status_code == 404


def test_a_viewer_can_look_but_not_decide_or_publish(app, victor):
    page = victor.get(f"/batches/{BATCH}").text
    assert "Approve</button>" not in page and "Publish approved items" not in page
    token = csrf_from(page)
    posts = [url for method, url in routes(app) if method == "POST" and url.startswith("/batches/")]
    # approve, reject, edit, reject selected (added by issue 30), bulk approve, publish, hold
    assert len(posts) == 7
    with connect(read_only=True) as con:
        before = con.execute("SELECT * FROM content.decisions ORDER BY item_id").fetchall()
    for url in posts:
        response = victor.post(url, data={"csrf_token": token, "content_sha256": "0" * 64, "reason": "x",
                                          "text": "x", "threshold": "0"})
        assert response.status_code == 403 and "viewer role" in response.text, url
    with connect(read_only=True) as con:
        assert con.execute("SELECT * FROM content.decisions ORDER BY item_id").fetchall() == before


def test_a_post_without_this_session_s_csrf_token_is_refused(app, alice):
    item = some_item()
    page = alice.get(f"/batches/{BATCH}").text
    sha = re.search(rf'id="item-{item}".*?name="content_sha256" value="(\w+)"', page, re.S).group(1)
    other = client_as(app, "alice")  # a second session: its token is valid, but not for this session
    foreign = csrf_from(other.get(f"/batches/{BATCH}").text)
    for token in [None, "", "forged", foreign]:
        data = {"content_sha256": sha} | ({"csrf_token": token} if token is not None else {})
        response = alice.post(f"/batches/{BATCH}/items/{item}/approve", data=data)
        assert response.status_code == 403 and "Reload the page" in response.text, token
    with connect(read_only=True) as con:
        [(by,)] = con.execute("SELECT decided_by FROM content.decisions WHERE item_id = ?", [item]).fetchall()
    assert by.startswith("policy:")
    login_page = client_as(app, None)
    login_page.get("/login")
    forged_login = login_page.post("/login", data={"username": "alice", "password": PASSWORDS["alice"]})
    assert forged_login.status_code == 403


def test_untrusted_text_is_escaped_on_every_page(alice):
    item = some_item()
    alice.post(f"/batches/{BATCH}/items/{item}/reject",
               data={"csrf_token": csrf_from(alice.get(f"/batches/{BATCH}").text), "reason": EVIL,
                     "content_sha256": re.search(rf'id="item-{item}".*?name="content_sha256" value="(\w+)"',
                                                 alice.get(f"/batches/{BATCH}").text, re.S).group(1)})
    anonymous = client_as(alice.app, None)
    anonymous.get("/login")
    anonymous.post("/login", data={"username": EVIL, "password": "x",
                                   "csrf_token": csrf_from(anonymous.get("/login").text)})
    pages = {url: alice.get(url).text for url in [
        f"/batches/{BATCH}", f"/batches/{BATCH}?status=rejected", f"/batches/{BATCH}/diff", "/batches",
        "/audit", f"/audit?batch={BATCH}", f"/batches/{BATCH}?check={EVIL}"]}
    assert pages[f"/batches/{BATCH}"].count(ESCAPED) >= 4  # heading, copy text, check reason, banner alt
    assert ESCAPED in pages[f"/batches/{BATCH}/diff"] and pages["/audit"].count(ESCAPED) >= 2
    for url, html in pages.items():
        assert EVIL not in html and "<img src=x" not in html, url


def test_the_batch_report_and_contact_sheet_escape_a_product_name(home):
    """Pages the app does not serve but analysts open: templates/reports/batch.html.j2 and contact_sheet.html.j2."""
    from adcraft.banners.contact_sheet import write_contact_sheet
    from tasks.report import write_report

    report = open(write_report.fn(BATCH)["path"]).read()
    with connect(read_only=True) as con:
        banners = [dict(zip(["path", "sku", "segment", "size", "headline", "bytes"], row)) for row in con.execute(
            "SELECT path, sku, segment, size, headline, bytes FROM content.banners WHERE batch_id = ?", [BATCH]
        ).fetchall()]
    out = home / "sheet"
    out.mkdir()
    sheet = open(write_contact_sheet(out, BATCH, [b | {"source": EVIL} for b in banners], ["300x250"])["html"]).read()
    for html in (report, sheet):
        assert ESCAPED in html and EVIL not in html and "<img src=x" not in html


def test_the_validation_report_escapes_a_product_name(tmp_path):
    """The data-quality report (adcraft/sources/validation_report.py) quotes quarantined rows, product names
    included."""
    from tasks.ingest import ingest_source
    from tasks.validate import validate_loads

    home = tmp_path / "home"
    folder = home / "landing" / "demo"
    folder.mkdir(parents=True)
    rows = [f"G-{i},Shirt {i},Shirts,10.00,EUR,5,2024-01-01,Plain." for i in range(40)]
    rows.append(f'E-1,"{EVIL} Shirt",Shirts,10.00,EUR,5,2024-01-01,"{EVIL}"')
    (folder / "products.csv").write_text("sku,name,category,price,currency,stock,launch_date,description\n"
                                         + "".join(r + "\n" for r in rows))
    with adcraft_env(home):
        ingest_source.fn("demo")
        html = open(validate_loads.fn()["report"]).read()
    assert ESCAPED in html and EVIL not in html and "<img src=x" not in html


def test_the_session_cookie_is_signed_http_only_and_same_site(app, home):
    client = client_as(app, None)
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": PASSWORDS["alice"],
                                           "csrf_token": csrf_from(client.get("/login").text)},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert PASSWORDS["alice"] not in cookie and "scrypt" not in cookie
    assert client.get("/batches", follow_redirects=False).status_code == 200
    value = client.cookies["adcraft_review"]
    payload = json.loads(base64.b64decode(value.split(".")[0]))
    forged = TimestampSigner("not the app's key").sign(base64.b64encode(json.dumps(payload).encode())).decode()
    for cookie in [value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"), forged]:
        stranger = TestClient(app, cookies={"adcraft_review": cookie})
        assert stranger.get("/batches", follow_redirects=False).status_code == 303


def test_a_new_password_ends_old_sessions_and_a_wrong_one_is_refused(app, home):
    client = client_as(app, "alice")
    wrong = client_as(app, None)
    response = wrong.post("/login", data={"username": "alice", "password": "guess",
                                          "csrf_token": csrf_from(wrong.get("/login").text)})
    assert response.status_code == 401 and "Wrong user name or password" in response.text
    add_user(get_settings().home / "reviewers.yaml", "alice", "reviewer", "a-brand-new-one")
    try:
        assert client.get("/batches", follow_redirects=False).status_code == 303
    finally:
        add_user(get_settings().home / "reviewers.yaml", "alice", "reviewer", PASSWORDS["alice"])
    text = (get_settings().home / "reviewers.yaml").read_text()
    assert PASSWORDS["alice"] not in text and "scrypt$" in text


def test_logging_in_never_redirects_to_another_site(app):
    for target in ["//evil.example/x", "https://evil.example", "/\\evil.example"]:
        client = client_as(app, None)
        response = client.post("/login", data={"username": "alice", "password": PASSWORDS["alice"], "next": target,
                                               "csrf_token": csrf_from(client.get("/login").text)},
                               follow_redirects=False)
        assert response.headers["location"] == "/batches", target


def handler_attributes(html: str) -> list[str]:
    """Event handler attributes (onclick=...) in the page's tags."""
    from html.parser import HTMLParser

    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(f"{tag} {name}" for name, _ in attrs if name.startswith("on"))

    Tags().feed(html)
    return found


def test_pages_forbid_other_scripts_and_framing(alice):
    """Changed by issue 30: pages run one script, the app's own file; still no inline script, no script from
    elsewhere, and the page itself has no script in it."""
    response = alice.get(f"/batches/{BATCH}")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy and "unsafe" not in policy
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", response.text, re.S)
    assert re.findall(r"<script[^>]*>", response.text) == ['<script src="/static/review.js" defer>']
    assert scripts == [""] and not handler_attributes(response.text)
    assert alice.get("/static/review.js").headers["content-type"].startswith("text/javascript")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
