-- A delivery about to be made. An intent left by an earlier run keeps its key, attempts and time.
INSERT OR IGNORE INTO content.publication_intents (batch_id, item_id, destination, kind, idempotency_key)
VALUES ($batch_id, $item_id, $destination, $kind, $idempotency_key);
