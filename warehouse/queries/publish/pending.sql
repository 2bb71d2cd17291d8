-- Deliveries of one batch that began and were never confirmed, per destination, with their last error.
SELECT i.destination, i.item_id, i.kind, i.idempotency_key, i.attempts, i.last_error
FROM content.publication_intents AS i
LEFT JOIN content.publications AS p USING (item_id, destination)
WHERE i.batch_id = $batch_id AND p.item_id IS NULL
ORDER BY i.destination, i.item_id;
