import hashlib
from datetime import datetime

import duckdb

from adcraft.sources.demo_shop import generate_demo_shop

FILES = ("products.csv", "customers.csv", "order_lines.parquet")


def _digests(folder):
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


def test_same_seed_gives_same_bytes(tmp_path):
    first = generate_demo_shop(tmp_path / "a", scale=0.05, seed=7)
    assert generate_demo_shop(tmp_path / "b", scale=0.05, seed=7) == first
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    generate_demo_shop(tmp_path / "c", scale=0.05, seed=8)
    assert _digests(tmp_path / "c")["order_lines.parquet"] != _digests(tmp_path / "a")["order_lines.parquet"]


def test_scale_one_meets_the_minimums(tmp_path):
    counts = generate_demo_shop(tmp_path, scale=1.0)
    assert counts["products"] >= 240 and counts["customers"] >= 5_000 and counts["order_lines"] >= 50_000
    con = duckdb.connect()
    products = f"read_csv('{tmp_path}/products.csv', all_varchar = true)"
    lines = f"'{tmp_path}/order_lines.parquet'"
    assert con.execute(f"SELECT count(DISTINCT category) FROM {products}").fetchone()[0] >= 8
    assert con.execute(f"SELECT count(*) FROM {products}").fetchone()[0] == counts["products"]
    customers = con.execute(f"SELECT count(*) FROM read_csv('{tmp_path}/customers.csv')").fetchone()[0]
    assert customers == counts["customers"]
    first, last, n, currencies = con.execute(
        f"SELECT min(ordered_at), max(ordered_at), count(*), list(DISTINCT currency) FROM {lines}").fetchone()
    assert n == counts["order_lines"] and currencies == ["EUR"]
    assert last < datetime(2026, 11, 1) and (last - first).days >= 18 * 30
    # Popularity is skewed: the top 10% of products sell far more than their share.
    top_share = con.execute(f"""
        WITH s AS (SELECT sku, count(*) n FROM {lines} GROUP BY sku)
        SELECT sum(n) FILTER (WHERE rank <= 0.1) / sum(n)
        FROM (SELECT n, percent_rank() OVER (ORDER BY n DESC) rank FROM s)""").fetchone()[0]
    assert top_share > 0.35
    # Frequency and recency vary: one-off and frequent buyers, lapsed and recent ones.
    one_off, frequent, lapsed, recent = con.execute(f"""
        WITH c AS (SELECT customer_id, count(DISTINCT order_id) f, max(ordered_at) AS last_order
                   FROM {lines} GROUP BY 1)
        SELECT count(*) FILTER (WHERE f = 1), count(*) FILTER (WHERE f >= 10),
               count(*) FILTER (WHERE last_order < '2026-05-01'), count(*) FILTER (WHERE last_order >= '2026-10-01')
        FROM c""").fetchone()
    assert min(one_off, frequent, lapsed, recent) >= 100


def test_dirty_rows_are_where_the_docstring_says_at_small_scale(tmp_path):
    generate_demo_shop(tmp_path, scale=0.01)
    con = duckdb.connect()
    products = con.execute(f"SELECT * FROM read_csv('{tmp_path}/products.csv', all_varchar = true)").fetchall()
    assert products[11] == products[10]
    assert products[16][4].startswith("-")
    assert products[22][1] is None
    assert products[30][1].startswith("<b>Summer</b> ")
    emails = con.execute(f"SELECT email FROM read_csv('{tmp_path}/customers.csv')").fetchall()
    assert "@" not in emails[41][0] and all("@" in e for (e,) in emails[:41] + emails[42:])
    quantities = [q for (q,) in con.execute(f"SELECT quantity FROM '{tmp_path}/order_lines.parquet'").fetchall()]
    assert quantities[100] == 0 and sum(q <= 0 for q in quantities) == 1
