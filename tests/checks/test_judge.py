"""The editor judge: what it learns from (never the held-out editor set), how its probability becomes a score
the policy reads, and that the shipped judge scores good lines above bad ones."""

import json

import pytest

from adcraft.checks.base import CopyCandidate
from adcraft.checks.judge import APPROVE_AT, check_editor, context, policy_score
from adcraft.checks.judge_data import HOLDOUT_CATEGORIES, judge_pairs, systematic_negatives
from adcraft.copy.corpus import load_corpus
from adcraft.kernel.config import load_brand
from adcraft.kernel.settings import PROJECT_DIR
from adcraft.kernel.templating import untrusted
from models.judge import load_judge

EDITOR_SET = [json.loads(line) for line in (PROJECT_DIR / "tests/data/editor_set.jsonl").read_text().splitlines()]


def normal(text: str) -> str:
    return " ".join(untrusted(text).lower().split())


def test_the_editor_set_is_never_trained_on():
    pairs = judge_pairs()
    trained = {normal(p.line) for p in pairs} | {normal(line.text) for line in load_corpus()}
    assert [r["id"] for r in EDITOR_SET if normal(r["text"]) in trained] == []
    products = {normal(line.product["name"]) for line in load_corpus()}
    assert [r["id"] for r in EDITOR_SET if normal(r["product"]["name"]) in products] == []
    assert all(r["product"]["name"] not in p.context for r in EDITOR_SET for p in pairs[:200])


def test_the_editor_set_is_big_broad_and_mostly_hard():
    assert len(EDITOR_SET) >= 400 and sum(not r["shippable"] for r in EDITOR_SET) >= 200
    assert len({r["category"] for r in EDITOR_SET} - {"apparel"}) >= 8


def test_the_judge_learns_from_good_and_bad_lines_of_every_source():
    pairs = judge_pairs()
    sources = {(p.source, p.label) for p in pairs}
    assert {("corpus", 1), ("hand_bad", 0), ("filler", 0), ("grammar", 0), ("other_product", 0),
            ("garbled_name", 0)} <= sources
    assert not {line.sku for line in load_corpus() if line.category in HOLDOUT_CATEGORIES} & {p.group for p in pairs}


def test_systematic_negatives_break_a_good_line():
    lines = [line for line in load_corpus() if line.category == "tea"]
    negatives = systematic_negatives(lines, seed=3)
    assert negatives and all(p.label == 0 for p in negatives)
    assert {normal(p.line) for p in negatives if p.source == "grammar"}.isdisjoint({normal(x.text) for x in lines})


def test_the_judge_s_probability_lands_on_the_policy_s_scale():
    assert policy_score(0.0, 0.4) == 0 and policy_score(1.0, 0.4) == 1
    assert policy_score(0.4, 0.4) == pytest.approx(APPROVE_AT)
    assert policy_score(0.2, 0.4) < APPROVE_AT < policy_score(0.6, 0.4)


def test_the_context_names_the_field_the_voice_and_the_facts():
    item = CopyCandidate("c", "email", "subject", "Malty and strong", {"name": "Assam Tea", "category": "Black Tea",
                                                                        "colours": [], "sizes": ["250 g"]})
    text = context(item, load_brand("fieldnote"))
    assert text.startswith("Email subject and preheader, subject. Brand Fieldnote: calm")
    assert "Product: Assam Tea; category Black Tea; sizes 250 g" in text


def test_the_shipped_judge_scores_good_lines_above_bad_ones():
    assert load_judge() is not None, "models/weights/editor-judge is missing: `adcraft train judge` makes it"
    brand = load_brand("fieldnote")
    product = {"name": "Assam Breakfast Tea", "category": "Black Tea", "colours": [], "sizes": ["250 g"],
               "description": "Loose-leaf Assam black tea, strong and malty; takes milk well."}
    good = CopyCandidate("good", "meta_feed", "primary_text",
                         "Strong, malty Assam that takes milk well. A proper first cup for early starts.", product)
    bad = CopyCandidate("bad", "meta_feed", "primary_text",
                        "Toned feet of a mountain, worn down by the sea. It's as if you've walked into a dream.",
                        product)
    results = {r.item_id: r for r in check_editor([good, bad], brand)}
    assert results["good"].score > results["bad"].score
    assert not results["bad"].passed and results["bad"].model_version.startswith("editor-judge@")


def test_the_judge_can_be_left_out_of_the_gate(adcraft_home, monkeypatch):
    from adcraft.kernel.settings import get_settings

    item = CopyCandidate("c", "email", "subject", "Malty and strong", {"name": "Assam Tea", "category": "Black Tea"})
    assert len(check_editor([item], load_brand("fieldnote"))) == 1
    monkeypatch.setenv("ADCRAFT_EDITOR_JUDGE", "false")
    get_settings.cache_clear()
    assert check_editor([item], load_brand("fieldnote")) == []
