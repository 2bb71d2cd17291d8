"""Meta ads CSV: one ad per brief and variant, its primary text as Body and its headline as Title.

Columns follow Ads Manager's bulk import sheet. A variant without an approved primary text is left out; a
missing headline leaves Title empty, which Meta allows.
"""

from adcraft.publishing.ads import by_variant
from adcraft.publishing.files import csv_bytes, deliver_file, formula_like

FILE = "exports/meta_ads.csv"
CHANNEL = "meta_feed"
HEADER = ["Campaign Name", "Ad Set Name", "Ad Name", "Body", "Title", "Link"]


def publish(batch, destination) -> dict:
    rows, items, skipped = [], [], []
    for (brief_id, variant), fields in by_variant(batch.copy, CHANNEL).items():
        body, title = fields.get("primary_text"), fields.get("headline")
        bad = [line for line in (body, title) if line and formula_like(line["text"])]
        skipped += [{"item_id": line["item_id"], "reason": "starts like a spreadsheet formula"} for line in bad]
        title = None if title in bad else title
        if body is None or body in bad:
            skipped.append({"brief_id": brief_id, "variant": variant, "reason": "no approved primary text"})
            continue
        rows.append([batch.campaign, body["segment"], f"{body['sku']} {body['segment']} v{variant}", body["text"],
                     title["text"] if title else "", batch.link_for(body["sku"])])
        items += [line["item_id"] for line in (body, title) if line]
    result = deliver_file(batch, destination.type, FILE, csv_bytes(HEADER, rows))
    return {**result, "ads": len(rows), "items": items, "skipped": skipped}
