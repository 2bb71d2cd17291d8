"""The banners task reads briefs (marts.briefs), writes files, and replaces its rows on a re-run."""

import json
from pathlib import Path

from PIL import Image

from adcraft.kernel.config import load_brand
from adcraft.kernel.db import warehouse
from adcraft.kernel.settings import get_settings
from tasks.banners import render_banners

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
    for item_id, path, size_bytes, _, layout, version in rows:
        assert item_id.startswith("ban_") and len(version) == 10
        assert Path(path).parent == adcraft_home / "banners" / "demo-2026-11-23"
        assert Path(path).stat().st_size == size_bytes == json.loads(layout)["bytes"]
    assert {r[3] for r in rows} == {"Linen Shirt", "<script>alert(1)</script>"}
    assert {json.loads(r[4])["illustration"]["source"] for r in rows} == {"retrieved"}


def test_batch_gets_a_contact_sheet(adcraft_home):
    insert_briefs("demo-2026-11-24")
    result = render_banners.fn("demo-2026-11-24", "demo", SIZES)
    assert result["sources"] == {"retrieved": 4}
    folder = adcraft_home / "banners" / "demo-2026-11-24"
    with Image.open(folder / "contact_sheet.png") as sheet:
        assert sheet.width > 2 * 220 and sheet.height > 2 * 150
    html = (folder / "contact_sheet.html").read_text()
    assert result["contact_sheet"] == str(folder / "contact_sheet.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert html.count("<img ") == 4 and "CC BY-SA 4.0" in html


def test_prices_read_like_prices_in_the_brands_locale():
    demo = load_brand("demo")  # no locale: banners write English prices, as always
    assert demo.price(39, "EUR", "banner") == "€39.00"
    assert demo.price("1234.5", "usd", "banner") == "$1,234.50"
    assert demo.price(10, "CHF", "banner") == "CHF10.00"
    assert demo.price(None, "EUR", "banner") == ""
    german = demo.model_copy(update={"locale": "de_DE"})
    assert german.price(18, "EUR", "banner") == "18,00 €" and german.price(18, "USD", "banner") == "18,00 $"
    assert demo.model_copy(update={"price_format": "code"}).price(18, "EUR", "banner") == "18.00 EUR"


def test_illustrations_can_be_switched_off(adcraft_home, monkeypatch):
    monkeypatch.setenv("ADCRAFT_BANNER_ILLUSTRATIONS", "false")
    get_settings.cache_clear()
    insert_briefs("demo-2026-11-25")
    assert render_banners.fn("demo-2026-11-25", "demo", SIZES)["sources"] == {"motif": 4}
    html = (adcraft_home / "banners" / "demo-2026-11-25" / "contact_sheet.html").read_text()
    assert "OpenMoji" not in html
