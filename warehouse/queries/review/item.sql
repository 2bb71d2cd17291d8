-- One item ($item_id) of one batch ($batch_id) as it is now: its content fingerprint, its decision, and
-- whether a hard check fails on it.
SELECT
    f.item_id, f.item_kind, f.content_sha256, d.decision, d.decided_by,
    EXISTS (SELECT 1 FROM content.scores AS s WHERE s.item_id = f.item_id AND s.hard AND NOT s.passed)
        AS hard_failed
FROM content.item_fingerprints($batch_id) AS f
LEFT JOIN content.decisions AS d USING (item_id)
WHERE f.item_id = $item_id;
