"""The banners task reads briefs (marts.briefs), writes files, and replaces its rows on a re-run."""

import json
from pathlib import Path

from adcraft.db import warehouse
from tasks.banners import format_price, render_banners

SIZES = ["300x250", "728x90"]


def insert_briefs(batch_id: str) -> None:
    products = [
        ("SKU-1", "young_urban", {"name": "Linen Shirt", "price": 39.0, "currency": "EUR"}),
        ("SKU-2", "young_urban", {"name": "<script>alert(1)</script>", "price": 12.5, "currency": "USD"}),
    ]
    with warehouse() as con:
        for i, (sku, segment, product) in enumerate(products):
            for channel in ("google_rsa", "email"):  # two briefs per product: still one banner per size
                con.execute(
                    "INSERT INTO marts.briefs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [batch_id, f"b{i}{channel}", sku, segment, channel, "x", json.dumps(product), "{}"],
                )


def test_render_twice_never_duplicates(adcraft_home):
    insert_briefs("demo-2026-11-23")
    assert render_banners.fn("demo-2026-11-23", "demo", SIZES)["rows"] == 4
    assert render_banners.fn("demo-2026-11-23", "demo", SIZES)["rows"] == 4
    with warehouse(read_only=True) as con:
        rows = con.execute(
            "SELECT item_id, path, bytes, headline, layout, template_version FROM content.banners ORDER BY item_id"
        ).fetchall()
    assert len(rows) == 4 and len({r[0] for r in rows}) == 4
    for item_id, path, size_bytes, headline, layout, version in rows:
        assert item_id.startswith("ban_") and len(version) == 10
        assert Path(path).parent == adcraft_home / "banners" / "demo-2026-11-23"
        assert Path(path).stat().st_size == size_bytes == json.loads(layout)["bytes"]
    assert {r[3] for r in rows} == {"Linen Shirt", "<script>alert(1)</script>"}


def test_prices_read_like_prices():
    assert format_price(39, "EUR") == "€39.00"
    assert format_price("1234.5", "usd") == "$1,234.50"
    assert format_price(10, "CHF") == "10.00 CHF"
    assert format_price(None, "EUR") == ""
