"""The folder destination: approved copy as copy.json and copy.csv, and the banner files, in the batch folder.

Writing a file again gives the same file, so the ledger needs no send-then-confirm step here: the files are
written first and the items recorded after, and a run killed in between writes and records them next time.
"""

import json
import shutil
from pathlib import Path

from adcraft.publishing import ledger
from adcraft.publishing.files import csv_bytes, formula_like, sha256, write_atomic


def _spreadsheet_safe(value):
    """copy.csv is opened in spreadsheets: a formula-like cell gets a leading apostrophe (copy.json keeps the text)."""
    return f"'{value}" if isinstance(value, str) and formula_like(value) else value


def banner_file(banner: dict) -> str:
    return f"banners/{Path(banner['path']).name}"


def publish(batch, destination) -> dict:
    out, files = batch.folder, {}
    files["copy.json"] = write_atomic(out / "copy.json", json.dumps(batch.copy, indent=2, default=str).encode())
    header = list(batch.copy[0]) if batch.copy else ["item_id"]
    rows = [[_spreadsheet_safe(row[column]) for column in header] for row in batch.copy]
    files["copy.csv"] = write_atomic(out / "copy.csv", csv_bytes(header, rows))
    for banner in batch.banners:
        (out / "banners").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(banner["path"], out / banner_file(banner))
        files[banner_file(banner)] = sha256((out / banner_file(banner)).read_bytes())

    outcomes = [(c["item_id"], str(out / "copy.json"), sha256(c["text"].encode())) for c in batch.copy]
    outcomes += [(b["item_id"], str(out / banner_file(b)), files[banner_file(b)]) for b in batch.banners]
    kinds = {c["item_id"]: "copy" for c in batch.copy} | {b["item_id"]: "banner" for b in batch.banners}
    before = ledger.delivered(batch.batch_id, destination.type)
    changed = [outcome for outcome in outcomes if before.get(outcome[0]) != outcome[2]]
    ledger.intend(batch.batch_id, destination.type, [(item, kinds[item]) for item, _, _ in changed])
    ledger.confirm(batch.batch_id, destination.type, changed)
    return {"files": files, "items": len(outcomes), "new": sum(item not in before for item, _, _ in outcomes)}
