"""The editor judge: what it learns from (never the held-out editor set), what it reads of a line, how its
threshold and probability become a decision, and that the shipped judge scores good lines above bad ones."""

import json

import numpy as np
import pytest

from adcraft.checks.base import CopyCandidate
from adcraft.checks.judge import APPROVE_AT, REVIEW_FLOOR, check_editor, policy_score
from adcraft.checks.judge_data import HOLDOUT_CATEGORIES, judge_pairs, systematic_negatives
from adcraft.checks.judge_features import COUNTS, EMBEDDING_WIDTH, FEATURE_NAMES, counts, judge_features
from adcraft.copy.corpus import load_corpus
from adcraft.kernel.config import load_campaign
from adcraft.kernel.settings import PROJECT_DIR
from adcraft.kernel.templating import untrusted
from models.judge import Judge, JudgeConfig, choose_threshold, load_judge, train_judge

EDITOR_SET = [json.loads(line) for line in (PROJECT_DIR / "tests/data/editor_set.jsonl").read_text().splitlines()]


def normal(text: str) -> str:
    return " ".join(untrusted(text).lower().split())


def test_the_editor_set_is_never_trained_on():
    pairs = judge_pairs()
    trained = {normal(p.item.text) for p in pairs} | {normal(line.text) for line in load_corpus()}
    assert [r["id"] for r in EDITOR_SET if normal(r["text"]) in trained] == []
    products = {normal(line.product["name"]) for line in load_corpus()}
    assert [r["id"] for r in EDITOR_SET if normal(r["product"]["name"]) in products] == []
    assert {r["product"]["name"] for r in EDITOR_SET}.isdisjoint({p.item.product.get("name") for p in pairs})


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
    assert {normal(p.item.text) for p in negatives if p.source == "grammar"}.isdisjoint({normal(x.text) for x in lines})


def test_the_judge_s_probability_lands_on_the_policy_s_scale():
    assert policy_score(0.0, 0.4) == REVIEW_FLOOR and policy_score(1.0, 0.4) == 1
    assert policy_score(0.4, 0.4) == pytest.approx(APPROVE_AT)
    assert REVIEW_FLOOR < policy_score(0.2, 0.4) < APPROVE_AT < policy_score(0.6, 0.4)
    # The judge alone never rejects: under the demo policy its lowest score still goes to review.
    assert REVIEW_FLOOR > load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml").policy.review_at


TEA = {"name": "Assam Breakfast Tea", "category": "Black Tea", "colours": [], "sizes": ["250 g"], "price": 8.5,
       "description": "Loose-leaf Assam black tea, strong and malty; takes milk well."}


def test_the_judge_reads_what_an_editor_notices():
    def read(text: str) -> dict:
        return dict(zip(COUNTS[1:], counts(CopyCandidate("c", "meta_feed", "primary_text", text, TEA)), strict=True))

    plain = read("Strong, malty Assam Breakfast Tea that takes milk well.")
    assert plain["unknown_numbers"] == 0 and plain["names_product"] == 1 and plain["backed_share"] > 0.5
    assert read("Assam Breakfast Tea in a 500 g tin.")["unknown_numbers"] == 1
    assert read("Two tins of Assam Breakfast Tea.")["unknown_numbers"] == 1
    assert read("Asam Breakfast Tea, strong and malty.")["name_near_misses"] == 1
    assert read("Picked by Darjeeling growers near Kolkata.")["unknown_names"] >= 2
    assert read("I love my morning Assam Breakfast Tea.")["first_person"] == 2
    assert read("The Assam Breakfast Tea give a malty cup.")["grammar_slips"] == 1
    rows = judge_features([CopyCandidate("c", "email", "subject", "A malty cup", TEA)])
    assert rows.shape == (1, len(FEATURE_NAMES)) and rows.dtype == np.float32
    assert rows[0, FEATURE_NAMES.index("field=email.subject")] == 1


def test_the_threshold_only_has_to_hold_what_the_other_checks_let_through():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.95])
    labels = [0, 0, 0, 0, 0, 1]
    # Alone, the judge must put its bar above every bad line to hold all five.
    assert choose_threshold(scores, labels, 1.0) == pytest.approx(0.9001)
    # When the other checks already hold the two best-scored bad lines, a lower bar holds the rest.
    held = np.array([True, True, False, False, False, False])
    assert choose_threshold(scores, labels, 1.0, held) == pytest.approx(0.7001)


def test_training_writes_a_judge_that_loads_and_separates_its_own_classes(tmp_path):
    pairs = [p for p in judge_pairs() if p.source in ("corpus", "filler", "other_product")][::12]
    features = judge_features([p.item for p in pairs])
    labels, groups = [p.label for p in pairs], [p.group for p in pairs]
    training = train_judge(features, labels, groups, FEATURE_NAMES, JudgeConfig(epochs=15), tmp_path,
                           embedding_width=EMBEDDING_WIDTH, log=lambda _: None)
    assert training["version"].startswith("editor-judge@") and training["features"] == FEATURE_NAMES
    (tmp_path / "training.json").write_text(json.dumps(training))
    judge = load_judge(tmp_path)
    assert isinstance(judge, Judge) and judge.threshold == training["threshold"]
    scores = judge.score(features)
    good, bad = scores[np.array(labels) == 1], scores[np.array(labels) == 0]
    assert good.mean() > bad.mean() + 0.3


def test_the_shipped_judge_scores_good_lines_above_bad_ones():
    assert load_judge() is not None, "models/weights/editor-judge is missing: `adcraft train judge` makes it"
    product = TEA
    good = CopyCandidate("good", "meta_feed", "primary_text",
                         "Strong, malty Assam that takes milk well. A proper first cup for early starts.", product)
    bad = CopyCandidate("bad", "meta_feed", "primary_text",
                        "Toned feet of a mountain, worn down by the sea. It's as if you've walked into a dream.",
                        product)
    results = {r.item_id: r for r in check_editor([good, bad])}
    assert results["good"].score > results["bad"].score
    assert not results["bad"].passed and results["bad"].model_version.startswith("editor-judge@")


def test_the_judge_can_be_left_out_of_the_gate(adcraft_home, monkeypatch):
    from adcraft.kernel.settings import get_settings

    item = CopyCandidate("c", "email", "subject", "Malty and strong", {"name": "Assam Tea", "category": "Black Tea"})
    assert len(check_editor([item])) == 1
    monkeypatch.setenv("ADCRAFT_EDITOR_JUDGE", "false")
    get_settings.cache_clear()
    assert check_editor([item]) == []
