"""The nightly campaign flow: from the shop's exports to a published, reported batch."""

from datetime import date

from prefect import flow
from prefect.runtime import flow_run

from adcraft.kernel.config import load_campaign
from adcraft.operations.task_runners import task_runner
from tasks.banners import render_banners
from tasks.batch import open_batch
from tasks.briefs import build_briefs
from tasks.decide import decide_batch
from tasks.generate import generate_copy
from tasks.ingest import ingest_source
from tasks.publish import publish_batch
from tasks.report import write_report
from tasks.review_gate import review_gate
from tasks.score import score_batch
from tasks.summary import summarise_run
from tasks.transform import build_marts
from tasks.validate import validate_loads


# Results are persisted so that a retried run reads its finished stages back instead of redoing them; the
# review gate's pause keeps this process, and so every result before it, alive (docs/publishing.md). The task
# runner (threads, or Dask with ADCRAFT_TASK_RUNNER=dask) is read when this module is imported: by `adcraft run`,
# or by the process a worker starts for a deployment's run.
@flow(name="nightly-campaign", persist_result=True, task_runner=task_runner())
def nightly_campaign(campaign_file: str, run_date: date | None = None) -> dict:
    """Run one campaign for one date (default: today). Re-running a date replaces that date's batch. When the
    campaign requires review, the run waits at the review gate before it publishes."""
    campaign = load_campaign(campaign_file)
    run_date = run_date or date.today()
    batch_id = open_batch(campaign, run_date, flow_run.get_id())
    stages = {
        "ingest": ingest_source(campaign.source),
        "validate": validate_loads(),
        "transform": build_marts(run_date),
        "briefs": build_briefs(batch_id, campaign, run_date),
        "generate": generate_copy(
            batch_id, campaign.brand, campaign.variants, campaign.link, campaign.candidates
        ),
        "banners": render_banners(batch_id, campaign.brand, campaign.banners.sizes),
        "score": score_batch(batch_id, campaign.brand),
        "decide": decide_batch(batch_id, campaign.policy.approve_at, campaign.policy.review_at,
                               campaign.policy.version),
    }
    stages["review"] = review_gate(batch_id, campaign.review)
    stages["publish"] = publish_batch(batch_id, stages["review"]["scope"])
    summary = summarise_run(batch_id, stages)
    summary["stages"]["report"] = write_report(batch_id)
    return summary
