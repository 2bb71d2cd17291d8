"""Files in a batch's publish folder: written whole or not at all, named by their SHA-256, recorded once."""

import csv
import hashlib
import io
from pathlib import Path

from adcraft.publishing import ledger

# Spreadsheet apps run a cell that starts like this as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> str:
    """Write through a temporary file and a rename, so a killed run never leaves half a file; return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return sha256(data)


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def deliver_file(batch, destination: str, relative: str, data: bytes) -> dict:
    """Write an export file into the batch folder and record it in the ledger. Writing the same file again is
    harmless; the ledger counts it as new only when its content changed (say, more items were approved)."""
    item_id = f"{batch.batch_id}/{relative}"
    before = ledger.delivered(batch.batch_id, destination).get(item_id)
    ledger.intend(batch.batch_id, destination, [(item_id, "file")])
    digest = write_atomic(batch.folder / relative, data)
    ledger.confirm(batch.batch_id, destination, [(item_id, str(batch.folder / relative), digest)])
    return {"file": relative, "sha256": digest, "new": int(before != digest)}
