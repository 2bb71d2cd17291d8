"""Structured copy: the pydantic item models, assembling lines into items, and the gate's format check."""

import json
from typing import get_origin

import pytest
from pydantic import ValidationError

from adcraft.checks.base import CheckResult, CopyCandidate
from adcraft.checks.formats import check_formats
from adcraft.copy.formats import MODELS, SMS, GoogleRSA, approved_items, assemble, describe, item_count
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.db import warehouse

LINK = "https://example.com/p/NW-SHIRT-01"
HEADLINES = ["Linen Shirt for Summer", "Soft Linen, Made to Last", "The Linen Shirt in Navy"]
DESCRIPTIONS = ["Breathable washed linen in navy and sand, made for long summer days.",
                "Easy care linen that gets softer with every wash. Built to last."]
PARAGRAPH = ("The Linen Shirt is made of linen and comes in navy and sand. "
             + "Soft and cool all day long. " * 10).strip()


def test_every_content_type_has_a_model_with_its_fields():
    assert set(MODELS) == set(CONTENT_TYPES)
    for name, content_type in CONTENT_TYPES.items():
        fields = MODELS[name].model_fields
        assert set(fields) == {spec.attribute for spec in content_type.fields}, name
        for spec in content_type.fields:
            assert (get_origin(fields[spec.attribute].annotation) is list) == spec.is_list, (name, spec.name)


def test_a_valid_rsa_is_assembled_from_its_lines():
    rsa = assemble("google_rsa", {"headline": HEADLINES, "description": DESCRIPTIONS})
    assert isinstance(rsa, GoogleRSA) and rsa.headlines == HEADLINES and rsa.descriptions == DESCRIPTIONS


def test_list_fields_take_at_most_the_channel_maximum():
    rsa = assemble("google_rsa",
                   {"headline": [f"Linen Shirt No. {i:02d}" for i in range(20)], "description": DESCRIPTIONS})
    assert len(rsa.headlines) == 15


@pytest.mark.parametrize(
    "content_type,lines,message",
    [
        ("google_rsa", {"headline": HEADLINES[:2], "description": DESCRIPTIONS},
         "headlines: List should have at least 3 items"),
        ("google_rsa",
         {"headline": [*HEADLINES, "Crafted Linen Shirt for Long Summer Days"], "description": DESCRIPTIONS},
         "headlines.3: 40 characters, over the 30 allowed for google_rsa.headline"),
        ("google_rsa", {"headline": HEADLINES, "description": DESCRIPTIONS[:1]},
         "descriptions: List should have at least 2"),
        ("meta_feed", {"primary_text": ["Meet the Linen Shirt in navy: soft linen, made for long summer days."],
                       "headline": ["The Linen Shirt, made for long summer days by the sea"]},
         "headline: 53 characters, over the 40 allowed for meta_feed.headline"),
        ("email", {"subject": ["Your new everyday linen shirt is here"]}, "preheader: Field required"),
        ("email", {"subject": ["Your new everyday linen shirt is here"], "preheader": ["Soft linen."]},
         "preheader: 11 characters, under the 40 needed for email.preheader"),
        ("sms", {"text": [f"The Linen Shirt in navy is here 😀 Easy care, built to last. {LINK}"]},
         'text: "😀" not in the GSM-7 alphabet'),
        ("product_description", {"paragraph": ["The Linen Shirt is soft. It costs 39.00 EUR."],
                                 "bullet": ["Material: linen", "Colours: navy, sand", "Price: 39.00 EUR"]},
         "paragraph: 9 words, under the 30 needed for product_description.paragraph"),
        ("product_description", {"paragraph": [PARAGRAPH], "bullet": ["Material: linen", "Price: 39.00 EUR"]},
         "bullets: List should have at least 3 items"),
    ],
)
def test_an_invalid_item_says_what_is_wrong(content_type, lines, message):
    with pytest.raises(ValidationError) as error:
        assemble(content_type, lines)
    assert message in describe(error.value)


def test_single_line_fields_make_one_item_per_line_and_list_fields_are_shared():
    lines = {"primary_text": ["Meet the Linen Shirt in navy, made for long summer days.",
                              "The Linen Shirt in sand: breathable linen for warm evenings."],
             "headline": ["The Linen Shirt is here"]}
    assert item_count("meta_feed", lines) == 2
    assert assemble("meta_feed", lines, 0).primary_text == lines["primary_text"][0]
    with pytest.raises(ValidationError, match="headline"):
        assemble("meta_feed", lines, 1)  # only one headline: the second item has none
    assert item_count("google_rsa", {"headline": HEADLINES}) == 1
    assert isinstance(assemble("sms", {"text": [f"The Linen Shirt is here in navy. 39.00 EUR: {LINK}"]}), SMS)


BATCH = "demo-20261123"


def _store(con, brief_id: str, content_type: str, lines: list[tuple[str, int, str, str]]) -> None:
    con.execute("INSERT INTO marts.briefs VALUES (?, ?, 'NW-SHIRT-01', 'loyal', ?, ?, '{}', '{}')",
                [BATCH, brief_id, CONTENT_TYPES[content_type].channel, content_type])
    for field, variant, text, decision in lines:
        item_id = f"{brief_id}-{field}-{variant}"
        con.execute("INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, text, "
                    "raw_output, prompt, seed, model_version, template_version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, '', '[]', 0, 'm', 't')",
                    [item_id, BATCH, brief_id, content_type, field, variant, text])
        con.execute("INSERT INTO content.decisions (item_id, batch_id, item_kind, decision, quality, reasons, "
                    "policy_version, decided_by) VALUES (?, ?, 'copy', ?, 0.9, [], 'v1', 'policy:v1')",
                    [item_id, BATCH, decision])


def test_approved_items_assembles_each_brief_from_its_approved_lines(adcraft_home):
    with warehouse() as con:
        _store(con, "b_rsa", "google_rsa",
               [("headline", i, t, "approved") for i, t in enumerate(HEADLINES)]
               + [("headline", 3, "Cheap Linen Shirt Deal", "rejected")]
               + [("description", i, t, "approved") for i, t in enumerate(DESCRIPTIONS)])
        _store(con, "b_email", "email",
               [("subject", 0, "Your new everyday linen shirt is here", "approved"),
                ("preheader", 0, "Soft washed linen in navy and sand, for warm days.", "rejected")])
        items = {i.brief_id: i for i in approved_items(con, BATCH)}

    rsa = items["b_rsa"]
    assert rsa.item == GoogleRSA(headlines=HEADLINES, descriptions=DESCRIPTIONS) and rsa.error is None
    assert (rsa.sku, rsa.segment, rsa.channel, rsa.index) == ("NW-SHIRT-01", "loyal", "google_rsa", 0)
    assert sorted(rsa.item_ids) == sorted([f"b_rsa-headline-{i}" for i in range(3)] + ["b_rsa-description-0",
                                                                                        "b_rsa-description-1"])
    email = items["b_email"]
    assert email.item is None and email.error == "preheader: Field required"
    assert email.item_ids == ("b_email-subject-0",)


def _line(item_id: str, content_type: str, field: str, text: str, variant: int = 0, brief: str = "b1") -> CopyCandidate:
    return CopyCandidate(item_id, content_type, field, text, {}, None, brief, variant)


def test_the_format_check_fails_the_usable_lines_of_a_brief_when_they_make_no_item():
    rsa = [_line(f"h{i}", "google_rsa", "headline", t, i) for i, t in enumerate(HEADLINES)]
    rsa += [_line(f"d{i}", "google_rsa", "description", t, i) for i, t in enumerate(DESCRIPTIONS)]
    email = [_line("s0", "email", "subject", "Your new everyday linen shirt is here", brief="b2"),
             _line("p0", "email", "preheader", "Soft washed linen in navy and sand, for warm days.", brief="b2")]
    # h2 and p0 failed a hard check elsewhere: the RSA is left with 2 headlines, the email with no preheader.
    others = [CheckResult("h2", "grounding", True, False, 0.0, "x"), CheckResult("p0", "pii", True, False, 0.0, "x"),
              CheckResult("h0", "quality", False, False, 0.1, "soft checks do not count")]

    results = {r.item_id: r for r in check_formats(rsa + email, others)}

    assert set(results) == {"h0", "h1", "d0", "d1", "s0"}  # h2 and p0 are rejected already
    assert all(r.hard and not r.passed for r in results.values())
    assert "no valid google_rsa item: headlines: List should have at least 3 items" in results["d0"].reason
    assert "no valid email item: preheader: Field required" in results["s0"].reason
    assert all(r.passed for r in check_formats(rsa + email, []))


def test_lines_without_a_brief_get_no_format_check():
    assert check_formats([CopyCandidate("c1", "sms", "text", "Hello there", {})], []) == []


def test_stored_lines_round_trip_through_json():
    rsa = assemble("google_rsa", {"headline": HEADLINES, "description": DESCRIPTIONS})
    assert GoogleRSA.model_validate(json.loads(rsa.model_dump_json())) == rsa
