from datetime import date

import pytest

from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_campaign
from adcraft.kernel.db import warehouse
from adcraft.kernel.errors import NoBriefsError
from adcraft.kernel.settings import PROJECT_DIR
from adcraft.sources.demo_shop import generate_demo_shop
from tasks.batch import open_batch
from tasks.briefs import build_briefs
from tasks.ingest import ingest_source
from tasks.transform import build_marts
from tasks.validate import validate_loads

RUN_DATE = date(2026, 11, 23)


@pytest.fixture
def marts(adcraft_home):
    folder = adcraft_home / "landing" / "demo"
    generate_demo_shop(folder, scale=0.2)
    ingest_source.fn(str(folder))
    validate_loads.fn()
    return build_marts.fn(RUN_DATE)


def query(sql: str, *params):
    with warehouse(read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_every_mart_is_built_and_quarantined_rows_stay_out(marts):
    assert all(rows > 0 for rows in marts["tables"].values()), marts["tables"]
    quarantined_skus = query(
        "SELECT count(*) FROM marts.dim_product p JOIN raw.products r USING (sku) "
        "JOIN quarantine.rows q ON q._load_id = r._load_id AND q._row_number = r._row_number "
        "WHERE q.rule IN ('price_positive', 'name_present', 'name_no_html')"
    )[0][0]
    assert quarantined_skus == 0
    products = query("SELECT count(*), count(DISTINCT sku) FROM marts.dim_product")[0]
    assert products == (marts["tables"]["marts.dim_product"],) * 2


def test_customer_marts_hold_no_personal_data(marts):
    for table in ("dim_customer", "customer_segments", "fct_order_lines"):
        columns = {c for (c,) in query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = ?",
            table)}
        assert not columns & {"name", "email", "phone"}, table


def test_segments_are_aggregates_that_cover_every_customer(marts):
    segments = dict(query("SELECT segment, customers FROM marts.customer_segments"))
    customers = marts["tables"]["marts.dim_customer"]
    rfm = {s for (s,) in query("SELECT DISTINCT segment FROM marts.dim_customer")}
    lifecycle = {s for (s,) in query("SELECT DISTINCT lifecycle FROM marts.dim_customer")}
    # Every customer is in one RFM segment and one lifecycle stage; 'prospects' and 'new' are in both.
    assert sum(segments[s] for s in rfm) == sum(segments[s] for s in lifecycle) == customers
    assert {"champions", "loyal", "new", "at_risk", "hibernating"} <= rfm
    assert lifecycle == {"prospects", "new", "active", "lapsing", "lost", "vip"}
    assert all("customers (" in d for (d,) in query("SELECT description FROM marts.customer_segments"))


def test_briefs_pick_in_stock_top_sellers_per_segment_and_rerun_replaces_them(marts):
    campaign = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml")
    batch = open_batch.fn(campaign, RUN_DATE)
    first = build_briefs.fn(batch, campaign, RUN_DATE)
    second = build_briefs.fn(batch, campaign, RUN_DATE)
    # A per-product content type (a product description, a search ad) has one brief per product, not per segment.
    per_product = {t for t in campaign.content_types if CONTENT_TYPES[t].per_product}
    [(products,)] = query("SELECT count(DISTINCT sku) FROM marts.briefs")
    pairs = len(campaign.segments) * campaign.products.per_segment
    expected = pairs * (len(campaign.content_types) - len(per_product)) + products * len(per_product)
    assert per_product and products < pairs
    assert first["rows"] == second["rows"] == expected
    assert query("SELECT count(*) FROM marts.briefs")[0][0] == expected
    once = query("SELECT content_type, count(*) = count(DISTINCT sku) FROM marts.briefs GROUP BY ALL")
    assert {t for t, one_each in once if one_each} >= per_product
    min_stock = query("SELECT min(stock) FROM marts.briefs JOIN marts.dim_product USING (sku)")[0][0]
    assert min_stock >= campaign.products.min_stock
    assert {s for (s,) in query("SELECT DISTINCT segment FROM marts.briefs")} == set(campaign.segments)


def test_a_campaign_with_no_matching_segment_explains_itself(marts):
    campaign = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml").model_copy(update={"segments": ["nobody"]})
    batch = open_batch.fn(campaign, RUN_DATE)
    with pytest.raises(NoBriefsError, match="No briefs for demo-20261123.*segments \\['nobody'\\]"):
        build_briefs.fn(batch, campaign, RUN_DATE)
