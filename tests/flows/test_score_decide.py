import json

import pytest

from adcraft.checks.base import CopyCandidate
from adcraft.checks.gate import check_copy
from adcraft.kernel.config import load_brand
from adcraft.kernel.db import warehouse
from tasks.decide import decide_batch
from tasks.score import score_batch

BATCH = "demo-2025-06-01"
PRODUCT = {
    "sku": "NW-SHIRT-01", "name": "Linen Shirt", "category": "shirts", "brand": "Northwind", "price": 39.0,
    "currency": "EUR", "material": "100% linen", "colours": ["navy", "sand"], "sizes": ["S", "M"], "stock": 40,
    "description": "A relaxed shirt in washed linen.",
}
COPY = {  # item_id: (brief, content type, field, text)
    "c_good": ("b1", "meta_feed", "primary_text",
               "Meet the Linen Shirt in navy: soft 100% linen, made for long summer days."),
    "c_head": ("b1", "meta_feed", "headline", "The Linen Shirt is here"),
    "c_sms": ("b2", "sms", "text", "Northwind: the Linen Shirt in navy is here, €39. Easy care, built to last. "
                                   "https://example.com/p/NW-SHIRT-01"),
    "c_price": ("b1", "meta_feed", "primary_text",
                "The Linen Shirt in navy is here for just £39. Easy care, built to last."),
    "c_name": ("b1", "meta_feed", "primary_text", "Jane Doe loves her Linen Shirt in navy, made for long summer days."),
    "c_dull": ("b1", "meta_feed", "primary_text",
               "Soft fabric, made for long summer days and easy evenings in the garden,"),
}
# Between the two bars: c_dull neither names the product nor ends cleanly (its weakest soft score is 0.5).
APPROVE_AT, REVIEW_AT = 0.75, 0.4


def checks_per_line() -> int:
    """How many checks the gate runs on one model-written line."""
    return len(check_copy([CopyCandidate("x", "meta_feed", "primary_text", COPY["c_good"][3], PRODUCT)],
                          load_brand("demo")))


def add_brief(con, brief_id: str, content_type: str) -> None:
    con.execute("INSERT INTO marts.briefs VALUES (?, ?, 'NW-SHIRT-01', 'young_urban', ?, ?, ?, '{}')",
                [BATCH, brief_id, content_type, content_type, json.dumps(PRODUCT)])


def add_copy(con, copy: dict) -> None:
    con.executemany(
        "INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, text, "
        "raw_output, prompt, seed, model_version, template_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'prompt', 7, 'test-model', 't1')",
        [[item_id, BATCH, brief, ct, field, variant, text, text]
         for variant, (item_id, (brief, ct, field, text)) in enumerate(copy.items())],
    )


@pytest.fixture
def batch(adcraft_home, monkeypatch):
    # The decision policy on fixed lines: the editor judge, which a retraining changes, has its own tests.
    monkeypatch.setenv("ADCRAFT_EDITOR_JUDGE", "false")
    campaign = {"name": "demo", "link": "https://example.com/p/{sku}"}
    with warehouse() as con:
        con.execute("INSERT INTO content.batches (batch_id, campaign, run_date, brand, campaign_config) "
                    "VALUES (?, 'demo', DATE '2025-06-01', 'demo', ?)", [BATCH, json.dumps(campaign)])
        add_brief(con, "b1", "meta_feed")
        add_brief(con, "b2", "sms")
        con.execute("INSERT INTO raw.customers (customer_id, name, email, phone, city, country, signup_date, "
                    "_load_id, _row_number) VALUES ('cu1', 'Jane Doe', 'jane@example.com', NULL, 'Berlin', 'DE', "
                    "'2024-01-01', 'load1', 1)")
        add_copy(con, COPY)
    return BATCH


def decisions() -> dict:
    with warehouse(read_only=True) as con:
        rows = con.execute("SELECT item_id, decision, reasons, item_kind, decided_by, quality "
                           "FROM content.decisions ORDER BY item_id").fetchall()
    return {r[0]: r[1:] for r in rows}


def run_twice(batch):
    for _ in range(2):
        scored = score_batch.fn(batch, "demo")
        decided = decide_batch.fn(batch, APPROVE_AT, REVIEW_AT, "v1")
    return scored, decided


def test_score_and_decide(batch):
    scored, decided = run_twice(batch)

    scored.pop("seconds"), decided.pop("seconds")
    # The 4 lines that pass their hard checks also get their brief's format check (c_price and c_name fail one).
    rows = len(COPY) * checks_per_line() + 4
    assert scored == {"rows": rows, "copy_items": 6, "banners": 0, "scores": rows, "failed_hard_checks": 2}
    assert decided == {"rows": 6, "approved": 3, "needs_review": 1, "rejected": 2, "kept_human": 0}
    with warehouse(read_only=True) as con:
        counts = con.execute("SELECT count(*), count(DISTINCT (item_id, check_name)) FROM content.scores").fetchall()
        assert counts == [(rows, rows)]
    got = decisions()
    assert len(got) == 6
    assert {item: d[0] for item, d in got.items()} == {
        "c_good": "approved", "c_head": "approved", "c_sms": "approved", "c_price": "rejected", "c_name": "rejected",
        "c_dull": "needs_review",
    }
    assert got["c_good"][1] == [] and got["c_good"][2] == "copy" and got["c_good"][3] == "policy:v1"
    assert got["c_price"][1] == ['grounding: mentions "£39" but the product costs €39.00']
    assert got["c_name"][1][0].startswith("pii: contains a customer's name")
    dull = got["c_dull"][1]
    assert dull[0] == f"lowest soft score quality {got['c_dull'][4]:.2f} is below the {APPROVE_AT:.2f} approval bar"
    assert any(r.startswith("quality: does not mention the product") for r in dull)


def test_lines_that_cannot_make_an_item_are_rejected_with_the_format_error(batch):
    with warehouse() as con:
        add_brief(con, "b3", "google_rsa")
        add_copy(con, {  # two headlines: an RSA needs three
            "r_h0": ("b3", "google_rsa", "headline", "Linen Shirt for Summer"),
            "r_h1": ("b3", "google_rsa", "headline", "Soft Linen, Made to Last"),
            "r_d0": ("b3", "google_rsa", "description",
                     "Breathable washed linen in navy and sand, for long summer days."),
            "r_d1": ("b3", "google_rsa", "description", "Easy care linen that gets softer with every wash."),
        })

    run_twice(batch)

    got = decisions()
    for item in ("r_h0", "r_h1", "r_d0", "r_d1"):
        decision, reasons, *_ = got[item]
        assert decision == "rejected" and reasons == [
            "format: the brief's lines that pass their own checks make no valid google_rsa item: "
            "headlines: List should have at least 3 items after validation, not 2"
        ], reasons
    assert got["c_good"][0] == "approved"  # other briefs are not affected


def test_a_person_s_decision_survives_a_rerun(batch):
    run_twice(batch)
    with warehouse() as con:
        # As the review app records it: tied to the text the person saw.
        con.execute("UPDATE content.decisions SET decision = 'approved', reasons = ['fine by me'], "
                    "decided_by = 'analyst:jo', content_sha256 = (SELECT sha256(text) FROM content.copy_items "
                    "WHERE item_id = 'c_dull') WHERE item_id = 'c_dull'")

    scored, decided = run_twice(batch)

    assert decided["kept_human"] == 1 and decided["needs_review"] == 0
    got = decisions()
    assert got["c_dull"][:2] == ("approved", ["fine by me"]) and got["c_dull"][3] == "analyst:jo"
    assert len(got) == 6


def test_rescoring_replaces_rows_for_changed_items(batch):
    score_batch.fn(batch, "demo")
    with warehouse() as con:
        con.execute("DELETE FROM content.copy_items WHERE item_id = 'c_dull'")
    assert score_batch.fn(batch, "demo")["scores"] == (len(COPY) - 1) * checks_per_line() + 3
    assert decide_batch.fn(batch, APPROVE_AT, REVIEW_AT, "v1")["needs_review"] == 0
    assert "c_dull" not in decisions()


def test_banners_are_scored_and_decided_as_banners(batch, adcraft_home):
    missing = adcraft_home / "banners" / "ban_1.png"  # no file: every banner check fails with the path named
    with warehouse() as con:
        con.execute("INSERT INTO content.banners (item_id, batch_id, sku, segment, size, path, bytes, headline, "
                    "layout, template_version) VALUES ('ban_1', ?, 'NW-SHIRT-01', 'young_urban', '300x250', ?, 0, "
                    "'Linen', '{}', 't1')", [batch, str(missing)])

    scored, decided = run_twice(batch)

    assert scored["banners"] == 1 and decided["rejected"] == 3
    decision, reasons, kind, _, _ = decisions()["ban_1"]
    assert (decision, kind) == ("rejected", "banner") and any(str(missing) in r for r in reasons)


def test_a_line_published_by_an_earlier_batch_is_rejected_as_a_repeat(batch):
    with warehouse() as con:
        con.execute("INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, text, "
                    "raw_output, prompt, seed, model_version, template_version) "
                    "VALUES ('old_1', 'demo-2025-05-01', 'b0', 'meta_feed', 'primary_text', 1, ?, '', '', 1, 'm', 't')",
                    [COPY["c_good"][3]])
        con.execute("INSERT INTO content.publications (batch_id, item_id, destination, location, checksum) "
                    "VALUES ('demo-2025-05-01', 'old_1', 'files', 'copy.json', 'x')")

    run_twice(batch)

    decision, reasons, *_ = decisions()["c_good"]
    assert decision == "rejected"
    assert reasons[0].startswith("lowest soft score near_duplicate 0.00 is below the 0.40 review bar")
    assert any("repeats a recently published line" in r for r in reasons)
