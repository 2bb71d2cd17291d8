"""manifest.json: the batch folder's index. Every file publish wrote with its SHA-256, the banners with the
credit their pictures' licence asks for, and what each destination took.

OpenMoji pictures are CC BY-SA 4.0 (docs/banners.md): a banner that shows one carries the credit here, next
to its checksum, so whoever takes the banner from the folder takes the credit with it.
"""

import json
from datetime import UTC, datetime

from adcraft.publishing.files import write_atomic
from adcraft.publishing.folder import banner_file

CREDIT_FIELDS = ("attribution", "license", "license_url")


def _banner(banner: dict, files: dict[str, str]) -> dict:
    illustration = banner["illustration"]
    entry = {"item_id": banner["item_id"], "sku": banner["sku"], "segment": banner["segment"], "size": banner["size"],
             "path": banner_file(banner), "sha256": files.get(banner_file(banner)),
             "illustration": illustration.get("source")}
    if "attribution" in illustration:
        entry["credit"] = {k: illustration[k] for k in CREDIT_FIELDS if k in illustration}
        entry["credit"]["openmoji"] = illustration.get("openmoji")
    return entry


def write_manifest(batch, scope: str, results: dict[str, dict], undelivered: list[dict]) -> str:
    files = {name: digest for r in results.values() for name, digest in r.get("files", {}).items()}
    files |= {r["file"]: r["sha256"] for r in results.values() if "file" in r}
    banners = [_banner(b, files) for b in batch.banners]
    credits = sorted({f"{b['credit']['attribution']} ({b['credit'].get('license_url', '')})"
                      for b in banners if "credit" in b})
    manifest = {
        "batch_id": batch.batch_id,
        "campaign": batch.campaign,
        "scope": scope,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "items": {"copy": len(batch.copy), "banners": len(batch.banners)},
        "files": [{"path": p, "sha256": digest} for p, digest in sorted(files.items())],
        "banners": banners,
        "credits": credits,
        "destinations": {name: {k: v for k, v in r.items() if k != "files"} for name, r in results.items()},
        "undelivered": undelivered,
        "held_back": batch.held_back,
    }
    return write_atomic(batch.folder / "manifest.json", json.dumps(manifest, indent=2, default=str).encode())
