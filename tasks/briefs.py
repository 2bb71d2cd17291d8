"""Briefs: what to write about for one batch (product × segment × channel × content type; product × content
type for a per-product content type)."""

from datetime import date

from prefect import task

from adcraft.channels import CONTENT_TYPES
from adcraft.config import Campaign
from adcraft.db import sql, warehouse
from adcraft.stages import TRANSIENT_RETRIES, timed_stage


@task(name="briefs", **TRANSIENT_RETRIES)
@timed_stage
def build_briefs(batch_id: str, campaign: Campaign, run_date: date) -> dict:
    variables = {
        "batch_id": batch_id,
        "as_of": run_date,
        "rule": campaign.products.rule,
        "segments": campaign.segments,
        "per_segment": campaign.products.per_segment,
        "min_stock": campaign.products.min_stock,
        "lookback_days": campaign.products.lookback_days,
        "content_types": campaign.content_types,
        "channels": [CONTENT_TYPES[t].channel for t in campaign.content_types],
        "per_product": [CONTENT_TYPES[t].per_product for t in campaign.content_types],
    }
    with warehouse() as con:
        con.execute("BEGIN")
        for name, value in variables.items():
            con.execute(f"SET VARIABLE {name} = ?", [value])
        con.execute("DELETE FROM marts.briefs WHERE batch_id = ?", [batch_id])
        con.execute(sql("marts/briefs"))
        con.execute("COMMIT")
        rows = con.execute(
            "SELECT count(*), count(DISTINCT sku), count(DISTINCT segment) FROM marts.briefs WHERE batch_id = ?",
            [batch_id],
        ).fetchone()
    if rows[0] == 0:
        raise RuntimeError(
            f"No briefs for {batch_id}: rule {campaign.products.rule} found no active, unquarantined product "
            f"with stock >= {campaign.products.min_stock} for segments {campaign.segments} in the last "
            f"{campaign.products.lookback_days} days. Check the segments and products in the campaign file, and "
            "that the exports were loaded (`adcraft ingest`); price drops and restocks need two loads."
        )
    return {"rows": rows[0], "products": rows[1], "segments": rows[2]}
