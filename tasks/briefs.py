"""Briefs: what to write about for one batch (product × segment × channel × content type; product × content
type for a per-product content type)."""

from datetime import date

from prefect import task

from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import Campaign
from adcraft.kernel.db import records, sql, transaction, warehouse
from adcraft.kernel.errors import NoBriefsError
from adcraft.operations.stages import TRANSIENT_RETRIES, timed_stage


@task(name="briefs", **TRANSIENT_RETRIES)
@timed_stage
def build_briefs(batch_id: str, campaign: Campaign, run_date: date) -> dict:
    """Reads marts.dim_product, marts.segment_members, marts.customer_segments and marts.fct_order_lines;
    replaces the batch's rows in marts.briefs."""
    params = {
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
        with transaction(con):
            con.execute("DELETE FROM marts.briefs WHERE batch_id = $batch_id", {"batch_id": batch_id})
            con.execute(sql("content/briefs"), params)
        [counts] = records(con, sql("content/brief_counts"), {"batch_id": batch_id})
    if counts["briefs"] == 0:
        raise NoBriefsError(
            f"No briefs for {batch_id}: rule {campaign.products.rule} found no active, unquarantined product "
            f"with stock >= {campaign.products.min_stock} for segments {campaign.segments} in the last "
            f"{campaign.products.lookback_days} days. Check the segments and products in the campaign file, and "
            "that the exports were loaded (`adcraft ingest`); price drops and restocks need two loads."
        )
    return {"rows": counts["briefs"], "products": counts["products"], "segments": counts["segments"]}
