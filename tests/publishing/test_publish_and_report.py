import json

import pytest

from adcraft.kernel.db import warehouse
from tasks.publish import publish_batch
from tasks.report import write_report

BATCH = "demo-20261123"
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture
def decided_batch(adcraft_home):
    product = {"sku": "NW-1", "name": EVIL, "price": 39.0, "currency": "EUR"}
    with warehouse() as con:
        con.execute("INSERT INTO content.batches (batch_id, campaign, run_date, brand, campaign_config) "
                    "VALUES (?, 'demo', DATE '2026-11-23', 'demo', '{}')", [BATCH])
        con.execute("INSERT INTO marts.briefs VALUES (?, 'b1', 'NW-1', 'loyal', 'sms', 'sms', ?, '{}')",
                    [BATCH, json.dumps(product)])
        for item, decision, text in [("cp_ok", "approved", f"Fine copy about {EVIL}"),
                                     ("cp_bad", "rejected", "<script>x</script>")]:
            con.execute("INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, "
                        "text, raw_output, prompt, seed, model_version, template_version) "
                        "VALUES (?, ?, 'b1', 'sms', 'text', 0, ?, ?, 'p', 1, 'm@1', 't')", [item, BATCH, text, text])
            con.execute("INSERT INTO content.decisions (item_id, batch_id, item_kind, decision, quality, reasons, "
                        "policy_version, decided_by) VALUES (?, ?, 'copy', ?, 0.9, [?], 'v1', 'policy:v1')",
                        [item, BATCH, decision, f"artifacts: contains HTML {EVIL}"])
        con.execute("INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score, reason) "
                    "VALUES ('cp_bad', ?, 'artifacts', true, false, 0, 'contains HTML')", [BATCH])
    return BATCH


def test_publishing_twice_records_each_item_once(decided_batch):
    first = publish_batch.fn(decided_batch)
    second = publish_batch.fn(decided_batch)
    assert (first["rows"], first["newly_published"]) == (1, 1)
    assert (second["rows"], second["newly_published"]) == (1, 0)
    with warehouse() as con:
        assert con.execute("SELECT item_id, destination FROM content.publications").fetchall() == [("cp_ok", "folder")]


def test_untrusted_text_is_escaped_in_the_report(decided_batch):
    publish_batch.fn(decided_batch)
    html = open(write_report.fn(decided_batch)["path"]).read()
    assert EVIL not in html and "<script>x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;" in html
    # Rejections are grouped by check, with their count (not a Python repr).
    assert '<td>artifacts</td><td class="rejected">rejected</td><td class="num">1</td>' in html


def test_a_batch_with_nothing_approved_publishes_an_empty_export(decided_batch):
    with warehouse() as con:
        con.execute("UPDATE content.decisions SET decision = 'rejected'")
    result = publish_batch.fn(decided_batch)
    assert (result["rows"], result["newly_published"]) == (0, 0)
    manifest = json.loads(open(f"{result['folder']}/manifest.json").read())
    assert manifest["items"] == {"copy": 0, "banners": 0}


def test_items_held_back_on_quality_alone_are_explained_by_their_weakest_soft_check(decided_batch):
    with warehouse() as con:
        con.execute("UPDATE content.decisions SET decision = 'needs_review' WHERE item_id = 'cp_ok'")
        con.execute("INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score, reason) VALUES "
                    "('cp_ok', ?, 'relevance', false, true, 0.5, 'barely about the product'), "
                    "('cp_ok', ?, 'language', false, true, 0.9, NULL)", [BATCH, BATCH])
    html = open(write_report.fn(decided_batch)["path"]).read()
    assert '<td>relevance</td><td class="needs_review">needs_review</td><td class="num">1</td><td>barely about' in html
