"""Publishing to the folder and the channel exports, on a real warehouse: files, manifest, credits, ledger."""

import csv
import hashlib
import json

import pytest

from adcraft.kernel.db import sql, warehouse
from publish_fixtures import COPY, CREDIT, FORMULA, approve_by_hand, items_decided, ledger, make_batch
from tasks.publish import publish_batch

FILES = ["exports/google_ads_editor.csv", "exports/meta_ads.csv", "exports/email.json"]


@pytest.fixture
def batch(adcraft_home):
    return make_batch(destinations=["folder", "google_ads_csv", "meta_csv", "email_json"])


def read_csv(path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_each_item_and_file_is_recorded_once_however_often_the_batch_is_published(batch):
    approved = items_decided("approved")
    first, second = publish_batch.fn(batch), publish_batch.fn(batch)
    assert first["newly_published"] == len(approved) + len(FILES) and second["newly_published"] == 0
    assert {item for item, _ in ledger("folder")} == approved
    assert ledger() == sorted([(item, "folder") for item in approved] + [
        (f"{batch}/{FILES[0]}", "google_ads_csv"), (f"{batch}/{FILES[2]}", "email_json"),
        (f"{batch}/{FILES[1]}", "meta_csv")])


def test_google_ads_editor_csv_has_one_rsa_per_brief_with_enough_approved_lines(batch):
    result = publish_batch.fn(batch)
    ads = {ad["Ad group"]: ad for ad in read_csv(f"{result['folder']}/exports/google_ads_editor.csv")}
    assert set(ads) == {"NW-1 / loyal", "NW-2 / new"}
    ad = ads["NW-1 / loyal"]
    assert (ad["Campaign"], ad["Ad type"]) == ("shop", "Responsive search ad")
    assert [ad[f"Headline {i}"] for i in range(1, 5)] == [COPY[f"rsa_h{i}"][3] for i in range(3)] + [""]
    assert [ad[f"Description {i}"] for i in range(1, 4)] == [COPY["rsa_d0"][3], COPY["rsa_d1"][3], ""]
    assert ad["Final URL"] == "https://shop.example.com/p/NW-1" and "Headline 15" in ad
    skipped = json.loads(open(f"{result['folder']}/manifest.json").read())["destinations"]["google_ads_csv"]["skipped"]
    assert skipped == [{"item_id": "rsa_h3", "reason": "starts like a spreadsheet formula"}]


def test_a_line_approved_alone_is_held_for_review_and_never_published_on_its_own(batch):
    with warehouse() as con:
        [(decision, reasons)] = con.execute("SELECT decision, reasons FROM content.decisions WHERE item_id = "
                                            "'alone_s0'").fetchall()
    assert decision == "needs_review" and reasons[0].startswith(
        "item: its brief's approved lines make no complete email item (preheader: Field required)")
    approve_by_hand("alone_s0")  # a person approves it anyway: still no email to send
    folder = publish_batch.fn(batch)["folder"]
    assert "alone_s0" not in {item for item, _ in ledger()}
    assert "alone_s0" not in {row["item_id"] for row in json.loads(open(f"{folder}/copy.json").read())}
    manifest = json.loads(open(f"{folder}/manifest.json").read())
    assert [h["item_id"] for h in manifest["held_back"]] == ["alone_s0"]
    assert "no complete email item" in manifest["held_back"][0]["reason"]


def test_meta_csv_and_email_json_pair_each_variants_fields(batch):
    folder = publish_batch.fn(batch)["folder"]
    assert read_csv(f"{folder}/exports/meta_ads.csv") == [{
        "Campaign Name": "shop", "Ad Set Name": "loyal", "Ad Name": "NW-1 loyal v0", "Body": COPY["meta_p0"][3],
        "Title": COPY["meta_t0"][3], "Link": "https://shop.example.com/p/NW-1"}]  # v1's primary text awaits review
    emails = json.loads(open(f"{folder}/exports/email.json").read())["emails"]
    assert emails == [{"sku": "NW-1", "segment": "loyal", "variant": 0, "subject": COPY["mail_s0"][3],
                       "preheader": COPY["mail_p0"][3], "link": "https://shop.example.com/p/NW-1",
                       "item_ids": ["mail_s0", "mail_p0"]}]  # v1's subject was rejected


def test_manifest_has_every_files_checksum_and_credits_openmoji_banners(batch):
    folder = publish_batch.fn(batch)["folder"]
    manifest = json.loads(open(f"{folder}/manifest.json").read())
    assert {f["path"] for f in manifest["files"]} == {"copy.json", "copy.csv", *FILES, "banners/NW-1_loyal_300x250.png",
                                                      "banners/NW-1_loyal_728x90.png"}
    for entry in manifest["files"]:
        assert hashlib.sha256(open(f"{folder}/{entry['path']}", "rb").read()).hexdigest() == entry["sha256"]
    banners = {b["item_id"]: b for b in manifest["banners"]}
    assert banners["ban_openmoji"]["credit"]["attribution"] == CREDIT
    assert banners["ban_openmoji"]["credit"]["license"] == "CC BY-SA 4.0"
    assert "credit" not in banners["ban_motif"] and banners["ban_motif"]["illustration"] == "motif"
    assert manifest["credits"] == [f"{CREDIT} ({banners['ban_openmoji']['credit']['license_url']})"]


def test_copy_csv_defuses_formula_cells_and_copy_json_keeps_the_text(batch):
    folder = publish_batch.fn(batch)["folder"]
    names = {row["item_id"]: row["product_name"] for row in read_csv(f"{folder}/copy.csv")}
    assert names["thin_h0"] == "'" + FORMULA
    exact = {row["item_id"]: row["product_name"] for row in json.loads(open(f"{folder}/copy.json").read())}
    assert exact["thin_h0"] == FORMULA


def export_checksum() -> str:
    with warehouse() as con:
        [(checksum,)] = con.execute(
            "SELECT checksum FROM content.publications WHERE destination = 'google_ads_csv'").fetchall()
    return checksum


def test_auto_approved_scope_leaves_out_what_people_approved_and_a_later_publish_adds_it(batch):
    edited = "Cool linen for warm days"
    with warehouse() as con:  # the review app keeps a reviewer's edit as the line's text (003_review.sql)
        con.execute(sql("review/set_copy_text"), {"text": edited, "item_id": "rsa_h4", "batch_id": batch})
    approve_by_hand("rsa_h4")
    auto = publish_batch.fn(batch, "auto_approved")
    assert "rsa_h4" not in {item for item, _ in ledger("folder")}
    csv_sum = export_checksum()
    full = publish_batch.fn(batch)
    assert full["destinations"] == {"folder": 1, "google_ads_csv": 1, "meta_csv": 0, "email_json": 0}
    [ad] = [a for a in read_csv(f"{full['folder']}/exports/google_ads_editor.csv") if a["Ad group"] == "NW-1 / loyal"]
    assert ad["Headline 4"] == edited
    # the grown export is recorded again, under its one row, with its new checksum
    assert export_checksum() != csv_sum and auto["rows"] + 1 == full["rows"]


def test_held_publishes_nothing(batch):
    assert publish_batch.fn(batch, "held")["held"] is True
    assert ledger() == []
