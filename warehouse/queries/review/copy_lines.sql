-- Copy lines of one batch ($batch_id) with their brief, decision and failed checks, filtered by decision
-- ($status), channel, segment and failed check ($check); a NULL filter lets everything through.
-- stale: a person decided on a text that has changed since, so that decision no longer holds; edited: the
-- text is a reviewer's edit (not one the model wrote again since).
WITH failed AS (
    SELECT item_id, list(check_name ORDER BY check_name) AS failed_checks, bool_or(hard) AS hard_failed
    FROM content.scores
    WHERE batch_id = $batch_id AND NOT passed
    GROUP BY item_id
)
SELECT
    c.item_id, 'copy' AS item_kind, b.sku, json_extract_string(b.product, '$.name') AS product_name,
    b.segment, b.channel, c.content_type, c.field, c.variant, c.text,
    d.decision, d.quality, d.reasons, d.decided_by, d.decided_at,
    f.content_sha256,
    d.decided_by NOT LIKE 'policy:%' AND d.content_sha256 IS DISTINCT FROM f.content_sha256 AS stale,
    coalesce(x.failed_checks, []) AS failed_checks,
    coalesce(x.hard_failed, false) AS hard_failed,
    EXISTS (SELECT 1 FROM content.copy_edits AS e WHERE e.item_id = c.item_id AND e.new_text = c.text) AS edited
FROM content.copy_items AS c
JOIN marts.briefs AS b USING (batch_id, brief_id)
JOIN content.item_fingerprints($batch_id) AS f USING (item_id)
LEFT JOIN content.decisions AS d USING (item_id)
LEFT JOIN failed AS x USING (item_id)
WHERE c.batch_id = $batch_id
  AND ($status IS NULL OR d.decision = $status)
  AND ($channel IS NULL OR b.channel = $channel)
  AND ($segment IS NULL OR b.segment = $segment)
  AND ($check IS NULL OR list_contains(x.failed_checks, $check))
ORDER BY product_name, b.sku, b.channel, c.content_type, c.field, b.segment, c.variant;
