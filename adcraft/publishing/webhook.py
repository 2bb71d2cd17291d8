"""The webhook destination: each item POSTed as JSON, signed, retried, and delivered once.

Every request carries `Idempotency-Key` (stable per item and destination) and `X-Adcraft-Signature:
sha256=<hex>`, the HMAC-SHA256 of the exact body under the shared secret in the environment variable the
campaign names. A 2xx confirms the item. 408, 425, 429, 5xx and network errors are retried with exponential
backoff; any other status is final. The ledger records the intent before the first send and the outcome after
the 2xx, so a run killed in between re-sends that one item, under the same key, and nothing else.
"""

import base64
import hmac
import json
import mimetypes
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

from adcraft.kernel.config import destination_id
from adcraft.kernel.errors import PublishError
from adcraft.publishing import ledger
from adcraft.publishing.files import sha256

RETRYABLE = {408, 425, 429}
COPY_FIELDS = ("item_id", "content_type", "channel", "field", "variant", "text", "sku", "segment")
BANNER_FIELDS = ("item_id", "sku", "segment", "size", "headline")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, "sha256").hexdigest()


def _payloads(batch, destination: str, skip: dict) -> list[tuple[str, str, dict]]:
    """(item_id, kind, JSON payload) for the batch's items not in skip; a banner travels with its file, base64."""
    payloads = []
    for line in batch.copy:
        if line["item_id"] in skip:
            continue
        item = {k: line[k] for k in COPY_FIELDS}
        payloads.append((line["item_id"], "copy", {**item, "link": batch.link_for(line["sku"])}))
    for banner in batch.banners:
        if banner["item_id"] in skip:
            continue
        data = Path(banner["path"]).read_bytes()
        payloads.append((banner["item_id"], "banner", {
            **{k: banner[k] for k in BANNER_FIELDS},
            "file_name": Path(banner["path"]).name, "media_type": mimetypes.guess_type(banner["path"])[0],
            "sha256": sha256(data), "content_base64": base64.b64encode(data).decode(),
            "illustration": banner["illustration"], "link": batch.link_for(banner["sku"]),
        }))
    return [(item_id, kind, {"batch_id": batch.batch_id, "campaign": batch.campaign, "kind": kind,
                             "idempotency_key": ledger.idempotency_key(destination, item_id), "item": item})
            for item_id, kind, item in payloads]


def _post(url: str, body: bytes, headers: dict, timeout_s: float) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def send(config, secret: str, key: str, body: bytes) -> tuple[int, str | None]:
    """POST one body until it is confirmed or retries run out: (attempts, None) or (attempts, last error)."""
    headers = {"Content-Type": "application/json", "User-Agent": "adcraft-publish",
               "Idempotency-Key": key, "X-Adcraft-Signature": signature(secret, body)}
    for attempt in range(1, config.max_attempts + 1):
        try:
            status = _post(config.url, body, headers, config.timeout_s)
        except OSError as error:  # refused, reset, timed out (urllib's URLError is one)
            status, error_text = None, f"{type(error).__name__}: {error}"
        else:
            if 200 <= status < 300:
                return attempt, None
            error_text = f"HTTP {status}"
        if status is not None and status < 500 and status not in RETRYABLE:
            return attempt, error_text  # the receiver refused this item; sending it again will not help
        if attempt < config.max_attempts:
            time.sleep(config.backoff_s * 2 ** (attempt - 1))
    return config.max_attempts, error_text


def publish(batch, config) -> dict:
    destination = destination_id(config)
    secret = os.environ.get(config.secret_env)
    if not secret:
        raise PublishError(f"the environment variable {config.secret_env} holds no secret; set it to the shared "
                           f"secret webhook {config.name} ({config.url}) checks signatures with, then publish again")
    done = ledger.delivered(batch.batch_id, destination)
    todo = _payloads(batch, destination, skip=done)
    ledger.intend(batch.batch_id, destination, [(item_id, kind) for item_id, kind, _ in todo])
    failures = []
    for item_id, _, payload in todo:
        body = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        attempts, error = send(config, secret, payload["idempotency_key"], body)
        if error is None:
            ledger.confirm(batch.batch_id, destination, [(item_id, config.url, sha256(body))], attempts)
        else:
            ledger.failed(destination, item_id, attempts, error)
            failures.append(f"{item_id} ({error})")
    if failures:
        raise PublishError(f"{len(failures)} of {len(todo)} items did not reach {config.url}: "
                           f"{', '.join(failures[:3])}. They stay pending in content.publication_intents; "
                           "fix the receiver and publish again: only they are sent")
    return {"items": len(batch.copy) + len(batch.banners), "new": len(todo)}
