"""An analyst's evening with a few hundred items, in Debian's chromium driven by Playwright against the app
under uvicorn, with real clicks and key presses (issue 30): find a product by SKU and reject all of it with
one reason; preview and confirm a bulk approve; edit a line and watch its counter; the keyboard shortcuts;
log out and replay the old cookie; a 300-item batch with one bad product in at most 3 + 3 actions; the card
view at 1366x768 and 800 px wide. The browser is never downloaded: without /usr/bin/chromium these fail.

Set ADCRAFT_REVIEW_SCREENSHOTS to a folder (docs/images) to keep the card view's screenshots there.
"""

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from adcraft.kernel.db import connect
from adcraft.review.app import create_app
from review_fixtures import (
    BATCH,
    PASSWORDS,
    adcraft_env,
    clean_sms,
    copy_of_generated,
    live_server,
    synthetic_batch,
)

pytestmark = pytest.mark.slow  # drives Debian's chromium

PRODUCTS = 14  # 308 items, 22 a product
WIDE, NARROW = {"width": 1366, "height": 768}, {"width": 800, "height": 900}
CURRENT = re.compile(r"\bcurrent\b")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The generated batch (real lines, for an edit scored again) and synthetic batches of 308 items, one per
    test that decides in bulk, under one live server."""
    home = copy_of_generated(tmp_path_factory, "review-evening")
    with adcraft_env(home):
        for name in ("reject", "bulk", "keys", "evening", "layout"):
            synthetic_batch(f"{name}-20261123", PRODUCTS)
        with live_server(create_app()) as url:
            yield url


ERRORS: list[str] = []
"""Uncaught errors of the page's script, in any test: there must be none."""


@pytest.fixture(autouse=True)
def no_script_errors():
    ERRORS.clear()
    yield
    assert ERRORS == []


def logged_in(browser, url: str, viewport: dict = WIDE, name: str = "alice"):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.on("pageerror", lambda error: ERRORS.append(str(error)))
    page.goto(f"{url}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button:has-text('Log in')")
    return context, page


def decisions(batch: str) -> dict[str, tuple]:
    with connect(read_only=True) as con:
        return {i: (d, by, reasons) for i, d, by, reasons in con.execute(
            "SELECT item_id, decision, decided_by, reasons FROM content.decisions WHERE batch_id = ?", [batch]
        ).fetchall()}


def items_of(batch: str, sku: str) -> set[str]:
    with connect(read_only=True) as con:
        return {i for (i,) in con.execute(
            "SELECT item_id FROM content.banners WHERE batch_id = $1 AND sku = $2 UNION ALL SELECT c.item_id FROM "
            "content.copy_items c JOIN marts.briefs b USING (batch_id, brief_id) WHERE c.batch_id = $1 AND b.sku = $2",
            [batch, sku]).fetchall()}


def no_reload_since(page) -> bool:
    return page.evaluate("window.adcraftMarker === 1")


def test_find_a_product_by_sku_and_reject_all_its_items_with_one_reason(server, browser):
    from playwright.sync_api import expect

    batch, sku = "reject-20261123", "SC-0011"  # on the third page of cards
    context, page = logged_in(browser, server)
    page.goto(f"{server}/batches/{batch}")
    assert page.locator(f"#head-{sku}").count() == 0
    page.fill("#search", sku)
    page.press("#search", "Enter")
    expect(page.locator("section.product")).to_have_count(1)
    page.evaluate("window.adcraftMarker = 1")
    page.check(f"input.pick-product[data-sku='{sku}']")
    expect(page.locator("#selected-count")).to_have_text("22 selected")
    page.fill("#selection input[name=reason]", "The photos show another product")
    page.click("#selection button:has-text('Reject selected')")
    expect(page.locator("#status")).to_contain_text("Rejected 22 items: The photos show another product.")
    expect(page.locator(f"#head-{sku} .counts")).to_contain_text("22 rejected")
    expect(page.locator(".line.is-rejected")).to_have_count(22)
    head = page.locator(f"#head-{sku} .product-reasons").inner_text()
    assert "rejected by alice: The photos show another product (22 items)" in head
    assert page.locator("text=rejected by alice: The photos show another product").count() == 1  # once
    assert no_reload_since(page)
    after = decisions(batch)
    product = items_of(batch, sku)
    assert len(product) == 22 and {after[i][:2] for i in product} == {("rejected", "alice")}
    assert {tuple(after[i][2]) for i in product} == {("rejected by alice: The photos show another product",)}
    assert all(by.startswith("policy:") for i, (_, by, _) in after.items() if i not in product)
    context.close()


def test_preview_and_confirm_a_bulk_approve(server, browser):
    from playwright.sync_api import expect

    batch = "bulk-20261123"
    before = decisions(batch)
    waiting = {i for i, (d, _, _) in before.items() if d == "needs_review"}
    edited = sorted(i for i in waiting if i.startswith("cp_"))[0]
    with connect() as con:  # a line a person edited: bulk approve leaves it, to be approved on its own
        con.execute("INSERT INTO content.copy_edits (edit_id, item_id, batch_id, original_text, new_text, edited_by) "
                    "SELECT 'e-bulk', item_id, batch_id, 'before', text, 'alice' FROM content.copy_items "
                    "WHERE item_id = ?", [edited])
    context, page = logged_in(browser, server)
    page.goto(f"{server}/batches/{batch}")
    page.evaluate("window.adcraftMarker = 1")
    page.click("button:has-text('Bulk approve…')")
    dialog = page.locator("dialog#dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(f"Approve {len(waiting) - 1} items?")
    assert dialog.locator("table.listing").first.locator("tr").count() == len(waiting)  # a header, then the list
    assert "Nothing has changed yet" in dialog.inner_text()
    dialog.locator("summary").click()
    expect(dialog.locator("details.left")).to_contain_text("a person edited it: approve it on its own")
    assert decisions(batch) == before, "the preview changed something"
    dialog.locator("button:has-text('Confirm: approve')").click()
    expect(page.locator("#status")).to_contain_text(f"Approved {len(waiting) - 1} items.")
    expect(dialog).to_be_hidden()
    expect(page.locator("[data-count=needs_review]")).to_have_text("1")
    assert no_reload_since(page)
    after = decisions(batch)
    assert {i for i in after if after[i] != before[i]} == waiting - {edited}
    assert after[edited] == before[edited]
    context.close()


def test_edit_a_line_and_watch_the_counter(server, browser, tmp_path):
    from playwright.sync_api import expect

    shots = Path(os.environ.get("ADCRAFT_REVIEW_SCREENSHOTS") or tmp_path)
    with connect(read_only=True) as con:
        [(item, original)] = con.execute("SELECT item_id, text FROM content.copy_items WHERE batch_id = ? AND "
                                         "content_type = 'sms' ORDER BY item_id LIMIT 1", [BATCH]).fetchall()
    fixed = clean_sms(item)
    context, page = logged_in(browser, server)
    page.goto(f"{server}/batches/{BATCH}")
    row = page.locator(f"#item-{item}")
    row.locator("summary:has-text('Edit')").click()
    box, counter = row.locator("textarea[name=text]"), row.locator("output.counter")
    expect(counter).to_contain_text(f"{len(original)} / 160 characters")
    box.fill("")
    box.press_sequentially("Hello there")
    expect(counter).to_have_text("11 / 160 characters · 1 SMS (GSM-7)")
    box.fill("x" * 170)
    box.press("End")
    box.press_sequentially("yz")
    expect(counter).to_have_text("172 / 160 characters, 12 over · 2 SMS (GSM-7)")
    assert "over" in counter.get_attribute("class")
    row.screenshot(path=str(shots / "review_edit_counter.png"))
    box.fill(fixed)
    box.press_sequentially(" ")  # an input event; the counter counts the text as it is saved, trimmed
    expect(counter).to_have_text(f"{len(fixed)} / 160 characters · 1 SMS (GSM-7)")
    assert "over" not in counter.get_attribute("class")
    row.locator("button:has-text('Save and score again')").click()
    expect(page.locator("#status")).to_contain_text(f"Saved the edit of {item}", timeout=120_000)
    scores = page.locator(f"#item-{item} .scores")
    expect(scores.locator(".before")).to_contain_text("Before the edit")
    expect(scores.locator(".after")).to_contain_text("passes every hard check")
    page.locator(f"#item-{item}").screenshot(path=str(shots / "review_edit_scores.png"))
    with connect(read_only=True) as con:
        [(old_text, new_text)] = con.execute("SELECT old_text, new_text FROM ops.review_audit WHERE action = 'edit' "
                                             "AND item_id = ?", [item]).fetchall()
    assert (old_text, new_text) == (original, fixed)
    page.locator(f"#item-{item} a.history").click()
    expect(page.locator("h1")).to_contain_text("History of")
    history = page.locator("main").inner_text()
    assert original in history and fixed in history and "UTC" in history
    context.close()


def test_the_keyboard_shortcuts(server, browser):
    from playwright.sync_api import expect

    batch = "keys-20261123"
    context, page = logged_in(browser, server)
    page.goto(f"{server}/batches/{batch}")
    page.evaluate("window.adcraftMarker = 1")
    lines = page.locator(".line")
    ids = [lines.nth(n).get_attribute("data-item-id") for n in range(4)]
    page.keyboard.press("j")
    expect(lines.nth(0)).to_have_class(CURRENT)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(lines.nth(1)).to_have_class(CURRENT)
    page.keyboard.press("a")  # approve the second item
    expect(page.locator("#status")).to_have_text(f"Approved {ids[1]}.")
    page.keyboard.press("j")
    page.keyboard.press("r")  # reject the third: type the reason, Enter
    expect(page.locator(f"#item-{ids[2]} input[name=reason]")).to_be_focused()
    page.keyboard.type("Too vague")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text(f"Rejected {ids[2]}.")
    expect(page.locator(f"#item-{ids[2]}")).to_have_class(CURRENT)  # still here after the update
    page.keyboard.press("j")
    page.keyboard.press("e")  # edit the fourth: its box opens with the cursor in it
    area = page.locator(f"#item-{ids[3]} textarea")
    expect(area).to_be_focused()
    page.keyboard.type(" Yes.")
    expect(page.locator(f"#item-{ids[3]} output.counter")).to_contain_text("characters")
    page.keyboard.press("Escape")
    page.keyboard.press("x")  # select it
    expect(page.locator("#selected-count")).to_have_text("1 selected")
    page.keyboard.press("/")
    expect(page.locator("#search")).to_be_focused()
    assert no_reload_since(page)
    after = decisions(batch)
    assert after[ids[1]][:2] == ("approved", "alice") and after[ids[2]][:2] == ("rejected", "alice")
    assert after[ids[3]][1].startswith("policy:")  # the edit was not saved
    context.close()


def test_log_out_and_replay_the_old_cookie(server, browser):
    batch = "evening-20261123"
    context, page = logged_in(browser, server)
    page.goto(f"{server}/batches/{batch}")
    old_cookies = context.cookies()
    token = page.locator("#selection input[name=csrf_token]").get_attribute("value")
    first = page.locator(".line input.pick").first.get_attribute("value")
    page.click("button:has-text('Log out')")
    assert page.url.startswith(f"{server}/login")
    replay = browser.new_context(viewport=WIDE)
    replay.add_cookies(old_cookies)
    again = replay.new_page()
    again.goto(f"{server}/batches/{batch}")
    assert again.url.startswith(f"{server}/login") and again.locator("h1").inner_text() == "Log in"
    before = decisions(batch)
    answer = replay.request.post(f"{server}/batches/{batch}/bulk-approve",
                                 form={"csrf_token": token, "step": "confirm", "item": first})
    assert answer.status == 401 and "Log in first" in answer.text()
    assert decisions(batch) == before
    replay.close()
    context.close()


def test_a_300_item_batch_with_one_bad_product_takes_3_actions_to_reject_it_and_3_to_approve_the_rest(
        server, browser):
    from playwright.sync_api import expect

    batch, bad = "evening-20261123", "SC-0009"
    before = decisions(batch)
    assert len(before) == 308
    actions = Counter()
    context, page = logged_in(browser, server)
    page.goto(f"{server}/batches/{batch}")

    actions["reject"] += 1  # 1: search for the product
    page.fill("#search", bad)
    page.press("#search", "Enter")
    actions["reject"] += 1  # 2: select all of it
    page.click(f"input.pick-product[data-sku='{bad}']")
    actions["reject"] += 1  # 3: one reason, reject
    page.fill("#selection input[name=reason]", "Wrong colours in every line")
    page.click("#selection button:has-text('Reject selected')")
    expect(page.locator("#status")).to_contain_text("Rejected 22 items")

    actions["approve"] += 1  # 1: back to the whole batch
    page.click("a.clear")
    actions["approve"] += 1  # 2: bulk approve: its preview
    page.click("button:has-text('Bulk approve…')")
    actions["approve"] += 1  # 3: confirm
    page.locator("dialog#dialog button:has-text('Confirm: approve')").click()
    expect(page.locator("#status")).to_contain_text("Approved")

    assert actions["reject"] <= 3 and actions["approve"] <= 3
    after = decisions(batch)
    product = items_of(batch, bad)
    assert {after[i][0] for i in product} == {"rejected"}
    assert {after[i][0] for i in after if i not in product} == {"approved"}
    expect(page.locator("[data-count=needs_review]")).to_have_text("0")
    context.close()


def test_the_card_view_at_1366x768_and_800_wide(server, browser, tmp_path):
    from playwright.sync_api import expect

    batch = "layout-20261123"
    folder = Path(os.environ.get("ADCRAFT_REVIEW_SCREENSHOTS") or tmp_path)  # docs/images for docs/review.md
    context, page = logged_in(browser, server)
    page.goto(f"{server}/batches/{batch}")
    page.screenshot(path=str(folder / "review_cards_1366.png"))
    page.locator(".brief").nth(2).evaluate("brief => window.scrollTo(0, brief.offsetTop - 130)")  # a search ad
    expect(page.locator("#toolbar")).to_be_in_viewport()
    assert page.locator("#toolbar").bounding_box()["y"] == 0  # the filter bar stays at the top
    page.screenshot(path=str(folder / "review_cards_scrolled_1366.png"))
    page.locator(".line a.thumb").first.click()  # a banner at full size
    picture = page.locator("dialog#dialog figure.full img")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") == 1080
    page.keyboard.press("Escape")
    page.fill("#search", "SC-0002")
    page.press("#search", "Enter")
    page.check("input.pick-channel[data-sku='SC-0002'][data-channel='sms']")
    expect(page.locator("#selected-count")).to_have_text("2 selected")
    page.click("#selection button:has-text('Approve selected…')")
    expect(page.locator("dialog#dialog h2")).to_have_text("Approve 2 items?")
    page.screenshot(path=str(folder / "review_bulk_preview_1366.png"))
    context.close()

    context, page = logged_in(browser, server, NARROW)
    page.goto(f"{server}/batches/{batch}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 800  # no sideways scrolling
    for n in range(6):
        line = page.locator(".line").nth(n * 7)
        line.scroll_into_view_if_needed()
        for button in ("Approve", "Reject"):
            box = line.locator(f"button:has-text('{button}')").bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 800, (n, button)
    page.screenshot(path=str(folder / "review_cards_800.png"))
    context.close()
