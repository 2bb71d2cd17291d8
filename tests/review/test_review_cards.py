"""The batch page as product cards (issue 30): previews of the ads as they will run, facts, reasons once per
product, search and pages; acting on several items at once; bulk approve's preview; answers for the page's
script. On synthetic batches of many products (review_fixtures.synthetic_batch): no model runs."""

import json
import re

import pytest
from fastapi.testclient import TestClient

from adcraft.kernel.db import connect
from adcraft.review.present import display_url, plain, redact, sms_segments
from review_fixtures import SCALE_LINK, adcraft_env, csrf_from, previewed, rows, scale_home

pytestmark = pytest.mark.slow  # the review app on a server of its own, over a warehouse

BATCH = "scale-20261123"
PRODUCTS = 14  # 308 items: three pages of six cards
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def home(tmp_path_factory):
    home = scale_home(tmp_path_factory, "review-cards", {BATCH: PRODUCTS})
    with adcraft_env(home):
        yield home


def product_items(sku: str) -> dict[str, str]:
    """item id -> its fingerprint, for every item of a product."""
    return dict(rows("SELECT f.item_id, f.content_sha256 FROM content.item_fingerprints(?) f JOIN (SELECT item_id, sku "
                     "FROM content.banners UNION ALL SELECT c.item_id, b.sku FROM content.copy_items c JOIN "
                     "marts.briefs b USING (batch_id, brief_id)) USING (item_id) WHERE sku = ?", [BATCH, sku]))


def decisions(batch: str = BATCH) -> dict[str, tuple]:
    return {i: (d, by) for i, d, by in rows("SELECT item_id, decision, decided_by FROM content.decisions "
                                            "WHERE batch_id = ?", [batch])}


def cards_of(html: str) -> list[str]:
    return html.split('<section class="product">')[1:]


def test_each_product_is_one_card_with_its_facts_and_a_preview_per_channel(alice):
    html = alice.get(f"/batches/{BATCH}").text
    cards = cards_of(html)
    assert len(cards) == 6 and "Products 1–6 of 14" in html and "page 1 of 3" in html
    card = cards[0]
    sku = re.search(r"<code>([^<]+)</code>", card).group(1)
    [(product,)] = rows("SELECT any_value(product) FROM marts.briefs WHERE batch_id = ? AND sku = ?", [BATCH, sku])
    product = json.loads(product)
    for fact in [f"{product['price']:.2f} EUR", product["category"], product["material"], "oat, navy"]:
        assert fact in card, fact
    assert re.findall(r'<section class="channel" data-channel="([^"]+)"', card) == [
        "email", "google_rsa", "meta_feed", "sms", "banners"]
    # Google: three headlines, the display URL, two descriptions; it says how many more lines rotate in.
    rsa = re.search(r'<div class="ad rsa">(.*?)</div>', card, re.S).group(1)
    assert display_url(SCALE_LINK, sku) == f"shop.example.com/p/{sku}" and f"shop.example.com/p/{sku}" in rsa
    assert f"{product['name']} | Shop {product['category']} | Built to last, easy care" in rsa
    assert "Easy care and built to last" in rsa and "and 3 more lines" in rsa
    # Meta: primary text, picture, headline, call to action; email: sender, subject, preheader; SMS: bubble.
    meta = re.search(r'<div class="ad meta">(.*?)</div></div>', card, re.S).group(1)
    assert f"Meet the {product['name']}" in meta and '<img src="/media/banners/' in meta
    assert f"<b>The {product['name']}</b>" in meta and '<span class="cta">Shop now</span>' in meta
    email = re.search(r'<div class="ad email">(.*?)</div>', card, re.S).group(1)
    assert '<span class="sender">Northwind Outfitters</span>' in email and f"Your new {product['name']}" in email
    assert "built to last season after season" in email
    sms = re.search(r'<div class="ad sms">(.*?)</div>', card, re.S).group(1)
    assert f"The {product['name']} is here" in sms and "1 SMS (GSM-7)" in sms
    # Banners open at full size.
    assert re.search(r'<a class="thumb" href="/media/banners/[^"]+" target="_blank"', card)


def test_a_product_level_reason_is_shown_once_per_product(alice):
    card = cards_of(alice.get(f"/batches/{BATCH}").text)[0]
    reason = re.search(r"relevance: only loosely about &#34;([^&]+)&#34;", card)
    assert reason, "the synthetic batch gives each product one shared relevance reason"
    assert card.count(reason.group(0)) == 1  # on the card, not on each of its lines
    head = card[:card.index("</header>")]
    assert "Reasons for the whole product" in head and reason.group(0) in head
    assert "of the product's reasons" in card  # each line says it has one


def test_search_finds_a_product_by_sku_or_name_and_pages_go_on(alice):
    sku = "SC-0012"
    [(name,)] = rows("SELECT DISTINCT json_extract_string(product, '$.name') FROM marts.briefs WHERE sku = ?", [sku])
    for query in [sku, sku.lower(), name.upper(), name.split()[0].lower() + " " + name.split()[1].lower()]:
        html = alice.get(f"/batches/{BATCH}", params={"q": query}).text
        skus = re.findall(r'<header class="product-head" id="head-([^"]+)"', html)
        assert sku in skus, query
    html = alice.get(f"/batches/{BATCH}", params={"q": sku}).text
    assert len(cards_of(html)) == 1 and "22 items match" in html
    assert "No product matches" in alice.get(f"/batches/{BATCH}", params={"q": "no such thing"}).text
    seen = []
    for page in (1, 2, 3):
        html = alice.get(f"/batches/{BATCH}", params={"page": page}).text
        seen += re.findall(r'<header class="product-head" id="head-([^"]+)"', html)
    assert len(seen) == len(set(seen)) == PRODUCTS
    assert 'rel="next"' in alice.get(f"/batches/{BATCH}", params={"page": 2, "channel": "sms"}).text


def test_rejecting_a_whole_product_takes_one_reason(alice):
    items = product_items("SC-0003")
    before = decisions()
    html = alice.get(f"/batches/{BATCH}", params={"q": "SC-0003"}).text
    assert set(re.findall(r'name="item" value="([^"]+)" form="selection"', html)) == {
        f"{i}:{sha}" for i, sha in items.items()}
    response = alice.post(f"/batches/{BATCH}/reject-selected", follow_redirects=False, data={
        "csrf_token": csrf_from(html), "reason": "  Photos show  another product ",
        "back": f"/batches/{BATCH}?q=SC-0003", "item": [f"{i}:{sha}" for i, sha in items.items()]})
    assert response.status_code == 303 and response.headers["location"] == f"/batches/{BATCH}?q=SC-0003"
    after = decisions()
    assert {i for i in after if after[i] != before[i]} == set(items)
    assert rows("SELECT DISTINCT reasons FROM content.decisions WHERE item_id IN (SELECT unnest(?))", [list(items)]) \
        == [(["rejected by alice: Photos show another product"],)]
    audit = rows("SELECT item_id, detail FROM ops.review_audit WHERE action = 'reject'")
    assert {i for i, _ in audit} == set(items) and all("Photos show another product" in d for _, d in audit)
    page = alice.get(f"/batches/{BATCH}", params={"q": "SC-0003"}).text
    assert page.count("rejected by alice: Photos show another product") == 1  # once, for the product
    assert page.count('<b class="q">–</b>') == len(items)  # no quality shown for a rejected item


def test_a_selection_leaves_items_that_changed_since_the_page_was_loaded(alice):
    items = product_items("SC-0004")
    first, second = sorted(i for i in items if i.startswith("cp_"))[:2]
    html = alice.get(f"/batches/{BATCH}").text
    with connect() as con:
        con.execute("UPDATE content.copy_items SET text = text || ' Now with pockets.' WHERE item_id = ?", [first])
    answer = alice.post(f"/batches/{BATCH}/reject-selected", headers=FETCH, data={
        "csrf_token": csrf_from(html), "reason": "Off brand",
        "item": [f"{first}:{items[first]}", f"{second}:{items[second]}"]}).json()
    assert answer["ok"] and answer["message"].startswith("Rejected 1 items") and "1 changed since" in answer["message"]
    assert decisions()[first][0] == "needs_review" and decisions()[second] == ("rejected", "alice")
    empty = alice.post(f"/batches/{BATCH}/reject-selected", headers=FETCH,
                       data={"csrf_token": csrf_from(html), "reason": "Off brand"})
    assert empty.status_code == 400 and "Select one or more items first" in empty.json()["message"]


def test_an_action_from_the_page_s_script_gets_the_changed_lines_back(alice):
    html = alice.get(f"/batches/{BATCH}").text
    item = re.search(r'data-item-id="(cp_[^"]+)"', html).group(1)
    sha = re.search(rf'value="{item}:([0-9a-f]{{64}})"', html).group(1)
    answer = alice.post(f"/batches/{BATCH}/items/{item}/approve", headers=FETCH,
                        data={"csrf_token": csrf_from(html), "content_sha256": sha, "back": f"/batches/{BATCH}"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["ok"] and body["message"] == f"Approved {item}." and list(body["rows"]) == [item]
    assert f'id="item-{item}"' in body["rows"][item] and "is-approved" in body["rows"][item]
    assert len(body["heads"]) == 1 and body["counts"]["approved"] == decisions().__len__() - sum(
        d == "needs_review" for d, _ in decisions().values())
    refused = alice.post(f"/batches/{BATCH}/items/{item}/approve", headers=FETCH,
                         data={"csrf_token": csrf_from(html), "content_sha256": "0" * 64})
    assert refused.status_code == 409 and not refused.json()["ok"] and "changed since" in refused.json()["message"]
    anonymous = TestClient(alice.app).post(f"/batches/{BATCH}/items/{item}/approve", headers=FETCH, data={})
    assert anonymous.status_code == 401 and anonymous.json()["login"] is True


def test_bulk_approve_shows_the_count_and_the_list_then_approves_exactly_those(alice):
    edited = sorted(i for i, (d, _) in decisions().items() if d == "needs_review" and i.startswith("cp_"))[0]
    with connect() as con:  # a line a person edited (its text is the edit): it is approved only on its own
        con.execute("INSERT INTO content.copy_edits (edit_id, item_id, batch_id, original_text, new_text, edited_by) "
                    "SELECT 'e1', item_id, batch_id, 'before', text, 'alice' FROM content.copy_items WHERE item_id = ?",
                    [edited])
    before = decisions()
    waiting = {i for i, (d, _) in before.items() if d == "needs_review"}
    html = alice.get(f"/batches/{BATCH}").text
    preview = alice.post(f"/batches/{BATCH}/bulk-approve", data={"csrf_token": csrf_from(html), "threshold": ""})
    assert decisions() == before, "a preview changes nothing"
    listed = dict(v.split(":") for v in previewed(preview.text))
    assert set(listed) == waiting - {edited}
    assert f"Approve {len(listed)} items?" in preview.text and f"Confirm: approve {len(listed)} items" in preview.text
    assert preview.text.count("<tr><td>") == len(listed) + 1  # each item listed, and the one left
    assert "a person edited it: approve it on its own" in preview.text
    confirmed = alice.post(f"/batches/{BATCH}/bulk-approve", data={
        "csrf_token": csrf_from(html), "step": "confirm", "items": " ".join(previewed(preview.text))})
    assert f"Approved {len(listed)} items." in confirmed.text
    after = decisions()
    assert {i for i in after if after[i] != before[i]} == set(listed)
    assert after[edited] == before[edited]
    assert rows("SELECT count(*) FROM ops.review_audit WHERE action = 'bulk_approve'") == [(len(listed),)]


def test_bulk_approve_takes_the_view_the_page_shows(alice):
    html = alice.get(f"/batches/{BATCH}").text
    preview = alice.post(f"/batches/{BATCH}/bulk-approve", headers=FETCH, data={
        "csrf_token": csrf_from(html), "threshold": "0.7", "channel": "sms", "q": "SC-001"}).json()
    listed = {v.split(":")[0] for v in previewed(preview["dialog"])}
    expected = {i for (i,) in rows(
        "SELECT d.item_id FROM content.decisions d JOIN content.copy_items c USING (item_id) JOIN marts.briefs b "
        "ON b.batch_id = c.batch_id AND b.brief_id = c.brief_id WHERE d.batch_id = ? AND b.channel = 'sms' "
        "AND b.sku LIKE 'SC-001%' AND d.decision = 'needs_review' AND d.quality >= 0.7", [BATCH])}
    assert listed == expected and expected
    assert "search “SC-001”, channel “sms”" in preview["dialog"]


def test_selected_items_go_through_the_same_preview(alice):
    items = product_items("SC-0005")
    html = alice.get(f"/batches/{BATCH}").text
    before = decisions()
    preview = alice.post(f"/batches/{BATCH}/bulk-approve", data={
        "csrf_token": csrf_from(html), "step": "preview", "item": [f"{i}:{s}" for i, s in items.items()]})
    assert decisions() == before
    listed = {v.split(":")[0] for v in previewed(preview.text)}
    assert listed == {i for i in items if before[i][0] != "approved"}
    assert "already approved" in preview.text
    nothing = alice.post(f"/batches/{BATCH}/bulk-approve", headers=FETCH,
                         data={"csrf_token": csrf_from(html), "step": "preview", "scope": "selected"})
    assert nothing.status_code == 400 and "Select one or more items first" in nothing.json()["message"]


def test_words_for_people():
    assert plain("item: its brief's approved lines make no complete email item (preheader: Field required)") == (
        "The approved lines of this ad make no complete Email ad yet (no preheader line)")
    assert plain("lowest soft score quality 0.67 is below the 0.75 approval bar") == (
        "quality score 0.67 is under the 0.75 needed to approve it without a person")
    assert plain("headline: String should have at most 30 characters") == "headline: longer than 30 characters"
    assert sms_segments("x" * 160) == (1, "GSM-7") and sms_segments("x" * 161) == (2, "GSM-7")
    assert sms_segments("Grüße 🎉") == (1, "Unicode") and sms_segments("🎉" * 40) == (2, "Unicode")
    assert redact("could not read /srv/adcraft/brands/acme.yaml: no such file") == (
        "could not read acme.yaml: no such file")
    kept = "see https://shop.example.com/p/NW-1 and 2026/11/23"
    assert redact(kept) == kept
