"""Publish a batch's approved items to a folder: JSON and CSV copy, banner PNGs and a manifest.

The publication ledger (content.publications) records each item once per destination, so a re-run
rewrites the same files and never records or delivers an item twice.
"""

import csv
import hashlib
import io
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

from prefect import task

from adcraft.db import records, sql, warehouse
from adcraft.settings import get_settings
from adcraft.stages import timed_stage

DESTINATION = "folder"


def batch_publish_dir(batch_id: str) -> Path:
    return get_settings().publish_dir / batch_id


def _write_atomic(path: Path, data: bytes) -> str:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return hashlib.sha256(data).hexdigest()


@task(name="publish", retries=2, retry_delay_seconds=[2, 10])
@timed_stage
def publish_batch(batch_id: str) -> dict:
    out = batch_publish_dir(batch_id)
    (out / "banners").mkdir(parents=True, exist_ok=True)
    with warehouse() as con:
        copy = records(con, sql("content/publishable_copy"), [batch_id])
        banners = records(con, sql("content/publishable_banners"), [batch_id])

    files: dict[str, str] = {}
    files["copy.json"] = _write_atomic(out / "copy.json", json.dumps(copy, indent=2, default=str).encode())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(copy[0]) if copy else ["item_id"])
    writer.writeheader()
    writer.writerows(copy)
    files["copy.csv"] = _write_atomic(out / "copy.csv", buffer.getvalue().encode())
    item_checksums = {row["item_id"]: hashlib.sha256(row["text"].encode()).hexdigest() for row in copy}
    for banner in banners:
        name = f"banners/{Path(banner['path']).name}"
        shutil.copyfile(banner["path"], out / name)
        files[name] = item_checksums[banner["item_id"]] = hashlib.sha256((out / name).read_bytes()).hexdigest()

    manifest = {
        "batch_id": batch_id,
        "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "items": {"copy": len(copy), "banners": len(banners)},
        "files": [{"path": p, "sha256": digest} for p, digest in sorted(files.items())],
    }
    _write_atomic(out / "manifest.json", json.dumps(manifest, indent=2).encode())

    with warehouse() as con:
        before = con.execute("SELECT count(*) FROM content.publications WHERE batch_id = ?", [batch_id]).fetchone()[0]
        if item_checksums:  # DuckDB refuses an empty executemany
            con.executemany(
                "INSERT OR IGNORE INTO content.publications (batch_id, item_id, destination, location, checksum) "
                "VALUES (?, ?, ?, ?, ?)",
                [(batch_id, item, DESTINATION, str(out), digest) for item, digest in item_checksums.items()],
            )
        after = con.execute("SELECT count(*) FROM content.publications WHERE batch_id = ?", [batch_id]).fetchone()[0]
    return {"rows": len(item_checksums), "newly_published": after - before, "folder": str(out)}
