"""Google Ads Editor CSV: one responsive search ad per brief, its approved headlines and descriptions in columns.

Import it in Google Ads Editor (Account > Import > From file). An ad needs 3-15 headlines and 2-4
descriptions; a brief with fewer approved lines is left out and named in the manifest.
"""

from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.publishing.ads import by_brief
from adcraft.publishing.files import csv_bytes, deliver_file, formula_like

FILE = "exports/google_ads_editor.csv"
CHANNEL = "google_rsa"
HEADLINES, DESCRIPTIONS = ("headline", "headlines"), ("description", "descriptions")
_HEADLINE, _DESCRIPTION = CONTENT_TYPES[CHANNEL].field("headline"), CONTENT_TYPES[CHANNEL].field("description")
MIN_HEADLINES, MAX_HEADLINES = _HEADLINE.min_lines, _HEADLINE.max_lines
MIN_DESCRIPTIONS, MAX_DESCRIPTIONS = _DESCRIPTION.min_lines, _DESCRIPTION.max_lines
HEADER = ["Campaign", "Ad group", "Ad type",
          *(f"Headline {i}" for i in range(1, MAX_HEADLINES + 1)),
          *(f"Description {i}" for i in range(1, MAX_DESCRIPTIONS + 1)), "Final URL"]


def _lines(fields: dict, names: tuple[str, ...], limit: int) -> tuple[list[dict], list[dict]]:
    """The lines to use and the formula-like ones left out (an ad tool would import them as they are)."""
    lines = [line for name in names for line in fields.get(name, [])]
    return [x for x in lines if not formula_like(x["text"])][:limit], [x for x in lines if formula_like(x["text"])]


def publish(batch, destination) -> dict:
    rows, items, skipped = [], [], []
    for brief_id, fields in by_brief(batch.copy, CHANNEL).items():
        headlines, bad_h = _lines(fields, HEADLINES, MAX_HEADLINES)
        descriptions, bad_d = _lines(fields, DESCRIPTIONS, MAX_DESCRIPTIONS)
        skipped += [{"item_id": x["item_id"], "reason": "starts like a spreadsheet formula"} for x in bad_h + bad_d]
        if len(headlines) < MIN_HEADLINES or len(descriptions) < MIN_DESCRIPTIONS:
            skipped.append({"brief_id": brief_id, "reason": f"{len(headlines)} headlines and {len(descriptions)} "
                            f"descriptions approved; an RSA needs {MIN_HEADLINES} and {MIN_DESCRIPTIONS}"})
            continue
        any_line = headlines[0]
        rows.append([
            batch.campaign, f"{any_line['sku']} / {any_line['segment']}", "Responsive search ad",
            *[h["text"] for h in headlines], *[""] * (MAX_HEADLINES - len(headlines)),
            *[d["text"] for d in descriptions], *[""] * (MAX_DESCRIPTIONS - len(descriptions)),
            batch.link_for(any_line["sku"]),
        ])
        items += [line["item_id"] for line in headlines + descriptions]
    result = deliver_file(batch, destination.type, FILE, csv_bytes(HEADER, rows))
    return {**result, "ads": len(rows), "items": items, "skipped": skipped}
