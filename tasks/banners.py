"""Banners: one image per product, segment and banner size in a batch, drawn from the layout template in shards."""

import hashlib
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from adcraft.banner_layout import LAYOUT_TEMPLATE, render_banner
from adcraft.config import Brand, load_brand
from adcraft.contact_sheet import write_contact_sheet
from adcraft.db import sql, warehouse
from adcraft.progress import StageProgress
from adcraft.settings import get_settings
from adcraft.stages import timed_stage
from adcraft.task_runners import map_shards, split
from adcraft.templating import template_version

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

def format_price(price, currency: str | None) -> str:
    """'€39.00' for known currencies, '39.00 CHF' for others, '' when the price is missing or not a number."""
    try:
        amount = f"{Decimal(str(price)):,.2f}"
    except (InvalidOperation, ValueError):
        return ""
    code = (currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{amount}" if symbol else f"{amount} {code}".strip()


def banner_id(batch_id: str, sku: str, segment: str, size: str) -> str:
    return "ban_" + hashlib.sha1(f"{batch_id}|{sku}|{segment}|{size}".encode()).hexdigest()[:16]


def _safe(part: str) -> str:
    """A file-name-safe version of a SKU or segment, which come from source data."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", part)[:64]


# Results travel back to the stage, which writes them: nothing to cache or keep.
@task(name="banner-shard", cache_policy=NO_CACHE, persist_result=False)
def render_shard(products: list[tuple[str, str, str]], batch_id: str, brand: Brand, sizes: list[str],
                 out_dir: Path) -> tuple[list[tuple], list[dict]]:
    """Draw one shard's (sku, segment) banners into out_dir, in every size; return their content.banners rows
    and contact sheet entries. Writes no warehouse, so it runs on any worker that sees out_dir."""
    from adcraft.illustrations import Illustrator  # loads MiniLM and torch: only when banners are drawn

    version = template_version(LAYOUT_TEMPLATE)
    parsed = [json.loads(product_json) for _, _, product_json in products]
    arts = Illustrator(brand).for_products(parsed) if get_settings().banner_illustrations else [None] * len(products)
    rows, sheet = [], []
    for (sku, segment, _), product, art in zip(products, parsed, arts):
        headline = str(product.get("name") or sku)
        price = format_price(product.get("price"), product.get("currency"))
        for size in sizes:
            out_path = out_dir / f"{_safe(sku)}_{_safe(segment)}_{size}.png"
            layout = render_banner(size, headline, price, brand, out_path, art)
            rows.append((banner_id(batch_id, sku, segment, size), batch_id, sku, segment, size,
                         layout["path"], layout["bytes"], headline, json.dumps(layout), version))
            illustration = layout["illustration"]
            sheet.append({"path": layout["path"], "sku": sku, "segment": segment, "size": size,
                          "headline": headline, "bytes": layout["bytes"], "source": illustration["source"],
                          "credit": illustration if "attribution" in illustration else None})
    return rows, sheet


@task(name="banners")
@timed_stage
def render_banners(batch_id: str, brand_name: str, sizes: list[str]) -> dict:
    """Render every (sku, segment, size) banner of the batch, in shards, and replace its rows in
    content.banners; write the batch's contact sheet next to the banners."""
    brand = load_brand(brand_name)
    with warehouse() as con:
        products = con.execute(sql("content/banner_products"), [batch_id]).fetchall()

    out_dir = get_settings().banners_dir / _safe(batch_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    shards = split([[p] for p in products], get_settings().shard_count)
    rows, sheet = [], []
    with StageProgress("Rendering banners", len(products) * len(sizes)) as progress:
        for shard_rows, shard_sheet in map_shards(render_shard, shards, batch_id=batch_id, brand=brand, sizes=sizes,
                                                  out_dir=out_dir):
            rows += shard_rows
            sheet += shard_sheet
            progress.advance(len(shard_rows))
    contact_sheet = write_contact_sheet(out_dir, batch_id, sheet, sizes)

    with warehouse() as con:
        con.execute("BEGIN")
        con.execute("DELETE FROM content.banners WHERE batch_id = ?", [batch_id])
        if rows:
            con.executemany(
                "INSERT INTO content.banners (item_id, batch_id, sku, segment, size, path, bytes, headline, "
                "layout, template_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        con.execute("COMMIT")
    sources = {source: sum(1 for b in sheet if b["source"] == source) for source in {b["source"] for b in sheet}}
    return {"rows": len(rows), "sources": sources, "contact_sheet": contact_sheet["html"]}
