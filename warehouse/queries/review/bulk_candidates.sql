-- The items of one batch ($batch_id) that bulk approval takes: waiting for review, no failed hard check,
-- and a quality at or above $threshold; with the fingerprint each approval is tied to.
SELECT d.item_id, f.content_sha256, d.quality
FROM content.decisions AS d
JOIN content.item_fingerprints($batch_id) AS f USING (item_id)
WHERE d.batch_id = $batch_id
  AND d.decision = 'needs_review'
  AND d.quality >= $threshold
  AND NOT EXISTS (SELECT 1 FROM content.scores AS s WHERE s.item_id = d.item_id AND s.hard AND NOT s.passed)
ORDER BY d.item_id;
