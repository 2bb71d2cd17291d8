"""Email JSON: one email per brief and variant, its subject and preheader, for an email tool's API or import.

Plain text only: the email tool's template sets the HTML, and escapes it there.
"""

import json

from adcraft.publishing.ads import by_variant
from adcraft.publishing.files import deliver_file

FILE = "exports/email.json"
CHANNEL = "email"


def publish(batch, destination) -> dict:
    emails, skipped = [], []
    for (brief_id, variant), fields in by_variant(batch.copy, CHANNEL).items():
        subject, preheader = fields.get("subject"), fields.get("preheader")
        if subject is None:
            skipped.append({"brief_id": brief_id, "variant": variant, "reason": "no approved subject"})
            continue
        emails.append({
            "sku": subject["sku"], "segment": subject["segment"], "variant": variant,
            "subject": subject["text"], "preheader": preheader["text"] if preheader else None,
            "link": batch.link_for(subject["sku"]),
            "item_ids": [line["item_id"] for line in (subject, preheader) if line],
        })
    document = {"batch_id": batch.batch_id, "campaign": batch.campaign, "emails": emails}
    data = json.dumps(document, indent=2, ensure_ascii=False).encode()
    result = deliver_file(batch, destination.type, FILE, data)
    return {**result, "emails": len(emails), "items": [i for e in emails for i in e["item_ids"]], "skipped": skipped}
