"""Open a batch: one campaign on one date. Its id is stable, so a re-run for the date replaces it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from prefect import task

from adcraft.kernel.config import Campaign
from adcraft.kernel.db import sql, warehouse


def batch_id_for(campaign: Campaign, run_date: date) -> str:
    return f"{campaign.name}-{run_date:%Y%m%d}"


def campaign_date(campaign: Campaign, scheduled_start: datetime) -> date:
    """The campaign's date for a run: the day its scheduled start falls on in the campaign's time zone, so a
    run scheduled for 00:30 Berlin time gets that Berlin day wherever the worker's clock is."""
    return scheduled_start.astimezone(ZoneInfo(campaign.schedule.timezone)).date()


@task(name="open-batch")
def open_batch(campaign: Campaign, run_date: date, flow_run_id: str | None = None) -> str:
    """Writes content.batches; returns the batch id."""
    batch_id = batch_id_for(campaign, run_date)
    with warehouse() as con:
        con.execute(sql("content/open_batch"), {
            "batch_id": batch_id, "campaign": campaign.name, "run_date": run_date, "brand": campaign.brand,
            "campaign_config": campaign.model_dump_json(), "flow_run_id": flow_run_id})
    return batch_id
