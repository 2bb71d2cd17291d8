-- Items ($item_ids) of one batch ($batch_id) as they are now: their content fingerprint, their decision,
-- whether a hard check fails on them, and whether their text is a reviewer's edit.
SELECT
    f.item_id, f.item_kind, f.content_sha256, d.decision, d.decided_by, d.quality,
    EXISTS (SELECT 1 FROM content.scores AS s WHERE s.item_id = f.item_id AND s.hard AND NOT s.passed)
        AS hard_failed,
    EXISTS (SELECT 1 FROM content.copy_edits AS e JOIN content.copy_items AS c USING (item_id)
            WHERE e.item_id = f.item_id AND e.new_text = c.text) AS edited
FROM content.item_fingerprints($batch_id) AS f
LEFT JOIN content.decisions AS d USING (item_id)
WHERE list_contains($item_ids, f.item_id)
ORDER BY f.item_id;
