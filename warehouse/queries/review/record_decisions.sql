-- People's decision on several items of one batch ($batch_id) at once, each tied to the content it was made
-- on: $item_ids and $content_sha256s are lists of equal length. Same columns as record_decision.sql.
UPDATE content.decisions AS d
SET decision = $decision, reasons = $reasons, decided_by = $username, decided_at = now(),
    content_sha256 = n.content_sha256
FROM (SELECT unnest($item_ids) AS item_id, unnest($content_sha256s) AS content_sha256) AS n
WHERE d.item_id = n.item_id AND d.batch_id = $batch_id;
