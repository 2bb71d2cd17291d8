"""A scored batch for the publishing and review-gate tests, made with plain SQL inserts into the real warehouse.

Content types are the reworked ones (google_rsa, meta_feed, email, sms), inserted by name, so the exports are
tested on the rows they will get. decide_batch (the real task) turns the scores into decisions.
"""

import json

from PIL import Image

from adcraft.kernel.db import warehouse
from adcraft.kernel.settings import get_settings
from models.openmoji import ATTRIBUTION, LICENSE_URL
from tasks.decide import decide_batch

BATCH = "shop-20261123"
EVIL = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x.io","a")'  # short enough for a headline
CREDIT = f"{ATTRIBUTION}; recoloured"

# brief_id -> (sku, segment, channel/content type, product name)
BRIEFS = {
    "b_rsa": ("NW-1", "loyal", "google_rsa", f"Linen Shirt {EVIL}"),
    "b_rsa_thin": ("NW-2", "new", "google_rsa", FORMULA),
    "b_meta": ("NW-1", "loyal", "meta_feed", f"Linen Shirt {EVIL}"),
    "b_email": ("NW-1", "loyal", "email", f"Linen Shirt {EVIL}"),
    "b_sms": ("NW-1", "loyal", "sms", f"Linen Shirt {EVIL}"),
    "b_email_alone": ("NW-2", "new", "email", FORMULA),
}
# item_id -> (brief_id, field, variant, text, outcome): the outcome picks the scores that lead decide there.
COPY = {
    "rsa_h0": ("b_rsa", "headline", 0, "Linen shirts for summer", "approved"),
    "rsa_h1": ("b_rsa", "headline", 1, "Soft washed linen", "approved"),
    "rsa_h2": ("b_rsa", "headline", 2, "Navy or sand, S to XL", "approved"),
    "rsa_h3": ("b_rsa", "headline", 3, FORMULA, "approved"),
    "rsa_h4": ("b_rsa", "headline", 4, "Cool linen, warm days", "needs_review"),
    "rsa_d0": ("b_rsa", "description", 0, "Breathable 100% linen shirts, made to last and easy to care for.",
               "approved"),
    "rsa_d1": ("b_rsa", "description", 1, f"The Linen Shirt {EVIL} in navy or sand, from S to XL.", "approved"),
    "thin_h0": ("b_rsa_thin", "headline", 0, "Linen shorts are back", "approved"),
    "thin_h1": ("b_rsa_thin", "headline", 1, "Shorts in soft linen", "approved"),
    "thin_h2": ("b_rsa_thin", "headline", 2, "Relaxed linen shorts", "approved"),
    "thin_d0": ("b_rsa_thin", "description", 0, "Linen shorts for long summer days, in three colours.", "approved"),
    "thin_d1": ("b_rsa_thin", "description", 1, "Shorts that breathe: pure linen, relaxed fit.", "approved"),
    "meta_p0": ("b_meta", "primary_text", 0, "Meet the Linen Shirt: soft, breathable and made for summer.", "approved"),
    "meta_p1": ("b_meta", "primary_text", 1, "Summer calls for linen. Ours is washed soft.", "needs_review"),
    "meta_t0": ("b_meta", "headline", 0, "Linen, washed soft", "approved"),
    "meta_t1": ("b_meta", "headline", 1, "Made for summer", "approved_alone"),  # its primary text awaits review
    "mail_s0": ("b_email", "subject", 0, "Your summer shirt is here", "approved"),
    "mail_p0": ("b_email", "preheader", 0, "Soft washed linen in navy and sand, S to XL.", "approved"),
    "mail_s1": ("b_email", "subject", 1, "Click here!!! Free shirt", "rejected"),
    "sms_t0": ("b_sms", "text", 0, "Northwind: the Linen Shirt is back. https://shop.example.com/p/NW-1",
               "needs_review"),
    # Scored to be approved, but its brief has no preheader: no complete email, so decide holds it for review.
    "alone_s0": ("b_email_alone", "subject", 0, "Linen shorts, back for summer", "approved_alone"),
}
# item_id -> (size, illustration record as the banner layout stores it, outcome)
BANNERS = {
    "ban_openmoji": ("300x250", {"source": "retrieved", "openmoji": "1F455", "caption": "t-shirt",
                                 "attribution": CREDIT, "license": "CC BY-SA 4.0", "license_url": LICENSE_URL},
                     "approved"),
    "ban_motif": ("728x90", {"source": "motif"}, "approved"),
}
SCORES = {"approved": (True, 0.9), "approved_alone": (True, 0.9), "needs_review": (True, 0.5),
          "rejected": (False, 0.9)}
DECIDED = {"approved_alone": "needs_review"}
"""Scored outcomes that decide turns into another decision."""


def campaign_config(**fields) -> dict:
    return {"name": "shop", "link": "https://shop.example.com/p/{sku}", **fields}


def make_batch(destinations: list | None = None, review: dict | None = None) -> str:
    """Insert the batch (briefs, copy, banner files and rows, scores) and decide it; return its id. Destinations
    are stored as open_batch stores a campaign's: a bare name becomes {type: name}."""
    destinations = [{"type": d} if isinstance(d, str) else d for d in destinations or []]
    config = campaign_config(**({"destinations": destinations} if destinations else {}),
                             **({"review": review} if review else {}))
    banner_dir = get_settings().banners_dir / BATCH
    banner_dir.mkdir(parents=True, exist_ok=True)
    with warehouse() as con:
        con.execute("INSERT INTO content.batches (batch_id, campaign, run_date, brand, campaign_config) "
                    "VALUES (?, 'shop', DATE '2026-11-23', 'demo', ?)", [BATCH, json.dumps(config)])
        con.executemany("INSERT INTO marts.briefs VALUES (?, ?, ?, ?, ?, ?, ?, '{}')", [
            [BATCH, brief, sku, segment, channel, channel, json.dumps({"sku": sku, "name": name})]
            for brief, (sku, segment, channel, name) in BRIEFS.items()
        ])
        con.executemany(
            "INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, text, "
            "raw_output, prompt, seed, model_version, template_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'p', 7, 'm@1', 't')",
            [[item, BATCH, brief, BRIEFS[brief][2], field, variant, text, text]
             for item, (brief, field, variant, text, _) in COPY.items()],
        )
        for item, (size, illustration, _) in BANNERS.items():
            path = banner_dir / f"NW-1_loyal_{size}.png"
            Image.new("RGB", tuple(int(x) for x in size.split("x")), "#2a6f97").save(path)
            con.execute("INSERT INTO content.banners (item_id, batch_id, sku, segment, size, path, bytes, headline, "
                        "layout, template_version) VALUES (?, ?, 'NW-1', 'loyal', ?, ?, ?, ?, ?, 't')",
                        [item, BATCH, size, str(path), path.stat().st_size, BRIEFS["b_rsa"][3],
                         json.dumps({"illustration": illustration})])
        outcomes = {item: spec[-1] for item, spec in (COPY | BANNERS).items()}
        con.executemany("INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [
            row for item, outcome in outcomes.items() for row in (
                [item, BATCH, "safety", True, SCORES[outcome][0], 1.0],
                [item, BATCH, "quality", False, True, SCORES[outcome][1]],
            )
        ])
    decide_batch.fn(BATCH, 0.75, 0.4, "v1")
    return BATCH


def approve_by_hand(item_id: str, reviewer: str = "alice") -> None:
    """What the review app does when a person approves a copy line: the decision, tied to the text seen."""
    with warehouse() as con:
        con.execute("UPDATE content.decisions SET decision = 'approved', decided_by = ?, content_sha256 = "
                    "(SELECT sha256(text) FROM content.copy_items WHERE item_id = ?) WHERE item_id = ?",
                    [reviewer, item_id, item_id])


def items_decided(outcome: str) -> set[str]:
    """The fixture's items that decide_batch leaves with this outcome."""
    return {item for item, spec in (COPY | BANNERS).items() if DECIDED.get(spec[-1], spec[-1]) == outcome}


def ledger(destination: str | None = None) -> list[tuple]:
    with warehouse() as con:
        return con.execute("SELECT item_id, destination FROM content.publications WHERE destination = "
                           "coalesce(?, destination) ORDER BY ALL", [destination]).fetchall()
