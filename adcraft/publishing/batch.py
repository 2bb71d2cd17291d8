"""What a batch publishes: its approved copy and banners, and the campaign settings it ran with."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import TypeAdapter

from adcraft.copy.formats import assemble_briefs, incomplete_lines
from adcraft.kernel.config import Campaign, Destination
from adcraft.kernel.db import records, sql, warehouse
from adcraft.kernel.errors import UnknownBatchError
from adcraft.kernel.settings import get_settings

Scope = Literal["approved", "auto_approved", "held"]
"""What publish may deliver: everything approved, only what the policy approved, or nothing."""
"""approved: every approved item; auto_approved: only what the policy approved; held: nothing."""

DESTINATIONS = TypeAdapter(list[Destination])


@dataclass(frozen=True)
class Batch:
    batch_id: str
    campaign: str
    link: str
    destinations: list
    copy: list[dict]
    banners: list[dict]
    held_back: list[dict]
    """Approved copy lines left out because they make no complete item, with why."""

    @property
    def folder(self) -> Path:
        return get_settings().publish_dir / self.batch_id

    def link_for(self, sku: str) -> str:
        return self.link.format(sku=sku)


def load_batch(batch_id: str, scope: Scope) -> Batch:
    """The batch's publishable items under the scope, and its campaign's destinations and link as they were when
    the batch ran (content.batches), so publishing later, after a review, goes where the run meant it to."""
    params = {"batch_id": batch_id, "scope": scope}
    with warehouse() as con:
        found = con.execute(sql("publish/batch_config"), {"batch_id": batch_id}).fetchall()
        if not found:
            raise UnknownBatchError(f"There is no batch {batch_id!r}. List batches with `adcraft report`.")
        lines = records(con, sql("content/publishable_copy"), params)
        banners = records(con, sql("content/publishable_banners"), params)
    # Copy goes out as whole items: a line a person approved alone, in no complete item, stays behind.
    incomplete = incomplete_lines(assemble_briefs(lines))
    copy = [line for line in lines if line["item_id"] not in incomplete]
    held_back = [{"item_id": line["item_id"], "reason": incomplete[line["item_id"]]}
                 for line in lines if line["item_id"] in incomplete]
    campaign, config = found[0][0], json.loads(found[0][1])
    defaults = Campaign.model_fields
    destinations = config.get("destinations") or defaults["destinations"].get_default(call_default_factory=True)
    for banner in banners:
        banner["illustration"] = json.loads(banner["illustration"] or "{}")
    return Batch(batch_id, campaign, config.get("link", defaults["link"].default),
                 DESTINATIONS.validate_python(destinations), copy, banners, held_back)
