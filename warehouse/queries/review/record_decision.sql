-- A person's decision on one item ($item_id of $batch_id), tied to the content it was made on. $quality
-- is NULL to keep the item's score, or the new one after an edit was scored again.
UPDATE content.decisions
SET decision = $decision, reasons = $reasons, decided_by = $username, decided_at = now(),
    content_sha256 = $content_sha256, quality = coalesce($quality, quality)
WHERE item_id = $item_id AND batch_id = $batch_id;
