"""Banners: one image per product, segment and banner size in a batch, drawn in shards (adcraft/banners/)."""

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from adcraft.banners.contact_sheet import write_contact_sheet
from adcraft.banners.render import render_products, safe_name
from adcraft.kernel.config import Brand, load_brand
from adcraft.kernel.db import sql, transaction, warehouse
from adcraft.kernel.settings import get_settings
from adcraft.operations.progress import StageProgress
from adcraft.operations.stages import timed_stage
from adcraft.operations.task_runners import map_shards, split


# Results travel back to the stage, which writes them: nothing to cache or keep.
@task(name="banner-shard", cache_policy=NO_CACHE, persist_result=False)
def render_shard(products: list[tuple[str, str, str]], batch_id: str, brand: Brand, sizes: list[str],
                 out_dir: Path) -> tuple[list[dict], list[dict]]:
    """Draw one shard's banners into out_dir. Writes no warehouse, so it runs on any worker that sees out_dir."""
    return render_products(products, batch_id, brand, sizes, out_dir)


@task(name="banners")
@timed_stage
def render_banners(batch_id: str, brand_name: str, sizes: list[str]) -> dict:
    """Reads marts.briefs; replaces the batch's rows in content.banners, and writes the banner files and the
    batch's contact sheet under ADCRAFT_HOME/banners."""
    brand = load_brand(brand_name)
    with warehouse() as con:
        products = con.execute(sql("content/banner_products"), {"batch_id": batch_id}).fetchall()

    out_dir = get_settings().banners_dir / safe_name(batch_id)
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

    with warehouse() as con, transaction(con):
        con.execute("DELETE FROM content.banners WHERE batch_id = $batch_id", {"batch_id": batch_id})
        if rows:
            con.executemany(sql("content/record_banner"), rows)
    sources = {source: sum(1 for b in sheet if b["source"] == source) for source in {b["source"] for b in sheet}}
    return {"rows": len(rows), "sources": sources, "contact_sheet": contact_sheet["html"]}
