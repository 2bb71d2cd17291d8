-- Banners of one batch ($batch_id) with their decision and failed checks, under the same filters as
-- copy_lines.sql. Banners have no channel: they count as the channel 'banners'.
WITH failed AS (
    SELECT item_id, list(check_name ORDER BY check_name) AS failed_checks, bool_or(hard) AS hard_failed
    FROM content.scores
    WHERE batch_id = $batch_id AND NOT passed
    GROUP BY item_id
)
SELECT
    n.item_id, 'banner' AS item_kind, n.sku, n.headline AS product_name, n.segment, 'banners' AS channel,
    n.size, n.path, n.headline,
    d.decision, d.quality, d.reasons, d.decided_by, d.decided_at,
    f.content_sha256,
    d.decided_by NOT LIKE 'policy:%' AND d.content_sha256 IS DISTINCT FROM f.content_sha256 AS stale,
    coalesce(x.failed_checks, []) AS failed_checks,
    coalesce(x.hard_failed, false) AS hard_failed,
    false AS edited
FROM content.banners AS n
JOIN content.item_fingerprints($batch_id) AS f USING (item_id)
LEFT JOIN content.decisions AS d USING (item_id)
LEFT JOIN failed AS x USING (item_id)
WHERE n.batch_id = $batch_id
  AND ($status IS NULL OR d.decision = $status)
  AND ($channel IS NULL OR $channel = 'banners')
  AND ($segment IS NULL OR n.segment = $segment)
  AND ($check IS NULL OR list_contains(x.failed_checks, $check))
ORDER BY n.sku, n.segment, n.size;
