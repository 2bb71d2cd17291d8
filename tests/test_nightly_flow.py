"""The nightly flow end to end: a real Prefect run (ephemeral API), the real default model, a small shop."""

import hashlib
import json
from datetime import date

import pytest

from adcraft.db import warehouse
from adcraft.demo_shop import generate_demo_shop
from conftest import small_campaign
from flows.nightly import nightly_campaign

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


@pytest.fixture(scope="module")
def nightly_run(tmp_path_factory):
    """Run the flow twice for the same date on a small demo shop; keep the counts after each run."""
    home = tmp_path_factory.mktemp("nightly") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADCRAFT_HOME", str(home))
        from adcraft.settings import get_settings

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
    from adcraft.settings import get_settings

    get_settings.cache_clear()
    yield nightly_run
    get_settings.cache_clear()


def test_every_table_is_filled(in_run_home):
    counts = in_run_home["counts"][1]
    assert {name for name, rows in counts.items() if rows == 0} == set()
    assert counts["content.copy_items"] == 2 * 1 * 4  # 2 segments x 1 product x 4 content types x 1 variant (best of 2)
    assert counts["content.banners"] == 2 * 2  # (sku, segment) pairs x 2 sizes
    assert counts["content.decisions"] == counts["content.copy_items"] + counts["content.banners"]


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
    assert all(m.startswith("smollm2-135m-instruct@") and len(t) == 10 for m, t in provenance)


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
        "ingest", "validate", "transform", "briefs", "generate", "banners", "score", "decide", "publish", "report",
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
