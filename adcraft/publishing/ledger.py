"""The publication ledger: each item or export file reaches each destination once.

A destination first records an intent per delivery (content.publication_intents, with the idempotency key it
will send), then, once the destination confirmed it, the outcome (content.publications), each in its own short
transaction: another process (the review app) may need the warehouse in between. Publishing again skips
what has an outcome and re-sends what has only an intent, under the same key.
"""

import hashlib

from adcraft.kernel.db import records, sql, transaction, warehouse


def idempotency_key(destination: str, item_id: str) -> str:
    """Stable for an (item, destination) pair, so a re-send after a crash carries the key of the first send."""
    return hashlib.sha256(f"{destination}\n{item_id}".encode()).hexdigest()[:32]


def delivered(batch_id: str, destination: str) -> dict[str, str]:
    """item_id -> checksum of everything the destination confirmed for the batch."""
    with warehouse() as con:
        rows = con.execute(sql("publish/delivered"), {"batch_id": batch_id, "destination": destination}).fetchall()
    return dict(rows)


def intend(batch_id: str, destination: str, items: list[tuple[str, str]]) -> None:
    """Record the deliveries about to be made: (item_id, kind) pairs."""
    if not items:  # DuckDB refuses an empty executemany
        return
    rows = [
        {"batch_id": batch_id, "item_id": item_id, "destination": destination, "kind": kind,
         "idempotency_key": idempotency_key(destination, item_id)}
        for item_id, kind in items
    ]
    with warehouse() as con:
        con.executemany(sql("publish/record_intent"), rows)


def confirm(batch_id: str, destination: str, outcomes: list[tuple[str, str, str]], attempts: int = 1) -> None:
    """Record confirmed deliveries, (item_id, location, checksum), in one transaction."""
    if not outcomes:
        return
    with warehouse() as con, transaction(con):
        con.executemany(sql("publish/record_outcome"), [
            {"batch_id": batch_id, "item_id": item_id, "destination": destination, "location": location,
             "checksum": checksum}
            for item_id, location, checksum in outcomes
        ])
        con.executemany(sql("publish/record_attempts"), [
            {"attempts": attempts, "error": None, "item_id": item_id, "destination": destination}
            for item_id, _, _ in outcomes
        ])


def failed(destination: str, item_id: str, attempts: int, error: str) -> None:
    with warehouse() as con:
        con.execute(sql("publish/record_attempts"),
                    {"attempts": attempts, "error": error, "item_id": item_id, "destination": destination})


def pending(batch_id: str) -> list[dict]:
    """Deliveries that began and were never confirmed, with their last error."""
    with warehouse() as con:
        return records(con, sql("publish/pending"), {"batch_id": batch_id})
