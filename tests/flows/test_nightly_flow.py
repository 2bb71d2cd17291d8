"""The nightly flow end to end: a real Prefect run (ephemeral API), the real default model, a small shop."""

import hashlib
import json
from datetime import date

import pytest

from adcraft.copy.formats import MODELS, approved_items, incomplete_lines, line_problems
from adcraft.generation.plan import FACTS_MODEL
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.db import warehouse
from adcraft.sources.demo_shop import generate_demo_shop
from conftest import small_campaign
from flows.nightly import nightly_campaign

pytestmark = pytest.mark.slow  # a nightly run with the real model

RUN_DATE = date(2026, 11, 23)


def table_counts() -> dict[str, int]:
    with warehouse(read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE NOT internal ORDER BY 1"
        ).fetchall()
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for (t,) in tables}


def key_duplicates() -> dict[str, int]:
    """Rows that repeat another row's natural key, per content table."""
    keys = {
        "marts.briefs": "batch_id, brief_id",
        "content.copy_items": "batch_id, brief_id, field, variant",
        "content.banners": "batch_id, sku, segment, size",
        "content.scores": "item_id, check_name",
        "content.decisions": "item_id",
        "content.publications": "item_id, destination",
        "quarantine.rows": "entity, _load_id, _row_number, rule",
        "raw.products": "_load_id, _row_number",
        "raw.order_lines": "_load_id, _row_number",
    }
    with warehouse(read_only=True) as con:
        return {
            table: con.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}").fetchall()[0][0]
            for table, key in keys.items()
        }


def _briefs() -> list[tuple[str]]:
    with warehouse(read_only=True) as con:
        return con.execute("SELECT brief_id FROM marts.briefs").fetchall()


@pytest.fixture(scope="module")
def nightly_run(tmp_path_factory):
    """Run the flow twice for the same date on a small demo shop; keep the counts after each run."""
    home = tmp_path_factory.mktemp("nightly") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADCRAFT_HOME", str(home))
        from adcraft.kernel.settings import get_settings

        get_settings.cache_clear()
        generate_demo_shop(home / "landing" / "demo", scale=0.1, seed=7)
        campaign_file = small_campaign(home, "small", per_segment=1, segments=["champions", "loyal"], variants=1,
                                       candidates=2)

        first = nightly_campaign(str(campaign_file), RUN_DATE)
        counts_first = table_counts()
        second = nightly_campaign(str(campaign_file), RUN_DATE)
        yield {"home": home, "summaries": (first, second), "counts": (counts_first, table_counts())}
        get_settings.cache_clear()


@pytest.fixture
def in_run_home(nightly_run, monkeypatch):
    monkeypatch.setenv("ADCRAFT_HOME", str(nightly_run["home"]))
    from adcraft.kernel.settings import get_settings

    get_settings.cache_clear()
    yield nightly_run
    get_settings.cache_clear()


# Filled by people and by training, not by the nightly run.
NOT_NIGHTLY = {"content.copy_edits", "ops.review_audit", "ops.model_training_items"}


def test_every_table_is_filled(in_run_home):
    counts = in_run_home["counts"][1]
    assert {name for name, rows in counts.items() if rows == 0} == NOT_NIGHTLY
    assert counts["content.banners"] == 2 * 2  # (sku, segment) pairs x 2 sizes
    assert counts["content.decisions"] == counts["content.copy_items"] + counts["content.banners"]


def test_every_brief_has_the_lines_its_content_type_keeps(in_run_home):
    with warehouse(read_only=True) as con:
        lines = con.execute(
            "SELECT b.content_type, c.field, count(*), list(c.model_version), list(json_array_length(c.parts)) "
            "FROM marts.briefs b JOIN content.copy_items c USING (batch_id, brief_id) "
            "GROUP BY b.brief_id, b.content_type, c.field"
        ).fetchall()
        per_type = dict(con.execute("SELECT content_type, count(*) FROM marts.briefs GROUP BY ALL").fetchall())
    # 2 segments x 1 product; the RSA and the product description are written once per product.
    assert per_type["sms"] == 2 and per_type["google_rsa"] == per_type["product_description"] <= 2
    assert {(ct, field) for ct, field, *_ in lines} == {(ct, f.name) for ct in CONTENT_TYPES
                                                         for f in CONTENT_TYPES[ct].fields}
    for content_type, field, count, models, parts in lines:
        spec = CONTENT_TYPES[content_type].field(field)
        model_lines = [p for m, p in zip(models, parts, strict=True) if m != FACTS_MODEL]
        if spec.model_lines is not None:  # bullets: every fact line, and the model's own
            assert len(model_lines) == spec.model_lines and spec.min_lines <= count <= spec.max_lines
        else:
            assert count == (spec.keep or 1), (content_type, field, count)  # variants: 1
        # What the model wrote keeps the generation it came from; what the template wrote has none.
        assert all(p == 1 for p in model_lines), (content_type, field, parts)
        assert all(p == 0 for m, p in zip(models, parts, strict=True) if m == FACTS_MODEL)
        # With variants: 1 the Meta headline and the email subject are the template's line from the name.
        facts_fill_it = (content_type, field) in {("meta_feed", "headline"), ("email", "subject")}
        assert facts_fill_it == (not model_lines), (content_type, field, models)


def test_approved_lines_meet_their_limits_and_assemble_into_items(in_run_home):
    with warehouse(read_only=True) as con:
        approved = con.execute(
            "SELECT c.content_type, c.field, c.text FROM content.copy_items c JOIN content.decisions d USING (item_id) "
            "WHERE d.decision = 'approved'"
        ).fetchall()
        batch_id = in_run_home["summaries"][1]["batch_id"]
        items = approved_items(con, batch_id)
    assert approved, "nothing was approved"
    assert [(ct, f, t) for ct, f, t in approved if line_problems(ct, f, t)] == []
    assert {i.brief_id for i in items} <= {b for b, in _briefs()}
    for item in items:
        assert (item.item is None) == (item.error is not None)
        if item.item is not None:
            assert isinstance(item.item, MODELS[item.content_type])
    assert incomplete_lines(items) == {}, "decide left a line approved that makes no complete item"


def test_rerunning_the_same_date_duplicates_nothing(in_run_home):
    first, second = in_run_home["counts"]
    assert first == second
    assert all(v == 0 for v in key_duplicates().values()), key_duplicates()


def test_bad_rows_are_quarantined_with_reasons(in_run_home):
    with warehouse(read_only=True) as con:
        rules = dict(con.execute("SELECT rule, any_value(reason) FROM quarantine.rows GROUP BY rule").fetchall())
    assert {"sku_unique", "price_positive", "name_present", "name_no_html"} <= set(rules)
    assert all("row" in reason for reason in rules.values())


def test_every_item_is_scored_with_its_provenance(in_run_home):
    with warehouse(read_only=True) as con:
        unscored = con.execute(
            "SELECT count(*) FROM content.copy_items c WHERE NOT EXISTS "
            "(SELECT 1 FROM content.scores s WHERE s.item_id = c.item_id AND s.check_name = 'channel_limits')"
        ).fetchall()[0][0]
        provenance = con.execute(
            "SELECT DISTINCT model_version, template_version FROM content.copy_items"
        ).fetchall()
    assert unscored == 0
    assert all((m.startswith("smollm2-135m-instruct@") or m == FACTS_MODEL) and len(t) == 10 for m, t in provenance)


def test_publish_folder_has_a_manifest_that_matches_its_files(in_run_home):
    summary = in_run_home["summaries"][1]
    folder = in_run_home["home"] / "publish" / summary["batch_id"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"]} >= {"copy.json", "copy.csv"}
    for entry in manifest["files"]:
        assert hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    approved = json.loads((folder / "copy.json").read_text())
    assert len(approved) == manifest["items"]["copy"] == summary["decisions"]["copy"].get("approved", 0)
    report = (folder / "report.html").read_text()
    assert summary["batch_id"] in report and "Why items were not approved" in report


def test_summary_has_counts_and_times_for_every_stage(in_run_home):
    summary = in_run_home["summaries"][1]
    assert list(summary["stages"]) == [
        "ingest", "validate", "transform", "briefs", "generate", "banners", "score", "decide", "review", "publish",
        "report",
    ]
    assert all(stage["seconds"] >= 0 for stage in summary["stages"].values())
    assert 0 <= summary["approval_rate"] <= 1


def test_no_customer_pii_reaches_a_prompt_or_an_output(in_run_home):
    with warehouse(read_only=True) as con:
        customers = con.execute("SELECT name, email, phone FROM raw.customers").fetchall()
        prompts_and_outputs = [
            text for row in con.execute("SELECT prompt, raw_output, text FROM content.copy_items").fetchall()
            for text in row
        ] + [row[0] for row in con.execute("SELECT product || segment_profile FROM marts.briefs").fetchall()]
    published = in_run_home["home"] / "publish"
    prompts_and_outputs += [p.read_text() for p in published.rglob("*") if p.suffix in {".json", ".csv", ".html"}]
    haystack = "\n".join(prompts_and_outputs).lower()
    pii = {value.lower() for row in customers for value in row if value and len(value) > 5}
    assert len(pii) > 1000
    leaked = sorted(value for value in pii if value in haystack)
    assert leaked == []
