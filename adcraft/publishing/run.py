"""Publish a batch to its campaign's destinations, each item to each destination once (docs/publishing.md).

Every destination is tried even when one fails; the failures are raised together at the end, so a retry (the
publish task retries) delivers only what the ledger says is still missing.
"""

from pathlib import Path

from adcraft.kernel.config import destination_id
from adcraft.kernel.errors import PublishError
from adcraft.kernel.settings import get_settings
from adcraft.publishing import email_json, folder, google_ads_csv, ledger, meta_csv, webhook
from adcraft.publishing.batch import Scope, load_batch
from adcraft.publishing.manifest import write_manifest

PUBLISHERS = {
    "folder": folder.publish,
    "google_ads_csv": google_ads_csv.publish,
    "meta_csv": meta_csv.publish,
    "email_json": email_json.publish,
    "webhook": webhook.publish,
}


def publish_dir(batch_id: str) -> Path:
    return get_settings().publish_dir / batch_id


def publish(batch_id: str, scope: Scope = "approved") -> dict:
    """Deliver the batch's items in scope ('approved', 'auto_approved', or 'held': nothing) and write its
    manifest."""
    if scope == "held":
        return {"rows": 0, "newly_published": 0, "held": True, "folder": str(publish_dir(batch_id))}
    batch = load_batch(batch_id, scope)
    results, errors = {}, []
    for destination in batch.destinations:
        name = destination_id(destination)
        try:
            results[name] = PUBLISHERS[destination.type](batch, destination)
        except PublishError as exc:
            errors.append(f"{name}: {exc}")
    write_manifest(batch, scope, results, ledger.pending(batch_id))
    if errors:
        raise PublishError(f"Batch {batch_id} is partly published. " + "; ".join(errors))
    return {
        "rows": len(batch.copy) + len(batch.banners),
        "newly_published": sum(r["new"] for r in results.values()),
        "destinations": {name: r["new"] for name, r in results.items()},
        "held_back": len(batch.held_back),
        "folder": str(batch.folder),
    }
