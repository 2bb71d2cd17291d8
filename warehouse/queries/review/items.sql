-- The items of one batch ($batch_id), copy lines and banners, with their product, decision, fingerprint and
-- failed checks, under the batch page's filters (a NULL filter lets everything through): decision ($status),
-- channel, segment, failed check ($check), a search of SKU and product name ($q, any case), the products
-- ($skus) and the items ($item_ids) to show. Banners have no channel: they count as the channel 'banners'.
-- stale: a person decided on content that has changed since, so that decision no longer holds; edited: the
-- text is a reviewer's edit (not one the model wrote again since).
WITH products AS (
    SELECT sku, any_value(product) AS product FROM marts.briefs WHERE batch_id = $batch_id GROUP BY sku
),
failed AS (
    SELECT item_id, list(check_name ORDER BY check_name) AS failed_checks, bool_or(hard) AS hard_failed
    FROM content.scores
    WHERE batch_id = $batch_id AND NOT passed
    GROUP BY item_id
),
items AS (
    SELECT c.item_id, 'copy' AS item_kind, b.sku, b.segment, b.channel, c.content_type, c.field, c.variant,
           c.text, c.brief_id, NULL AS size, NULL AS path
    FROM content.copy_items AS c
    JOIN marts.briefs AS b USING (batch_id, brief_id)
    WHERE c.batch_id = $batch_id
      AND ($skus IS NULL OR list_contains($skus, b.sku))
      AND ($item_ids IS NULL OR list_contains($item_ids, c.item_id))
    UNION ALL
    SELECT item_id, 'banner', sku, segment, 'banners', 'banner', 'banner', 0, headline, NULL, size, path
    FROM content.banners
    WHERE batch_id = $batch_id
      AND ($skus IS NULL OR list_contains($skus, sku))
      AND ($item_ids IS NULL OR list_contains($item_ids, item_id))
)
SELECT
    i.item_id, i.item_kind, i.sku, coalesce(json_extract_string(p.product, '$.name'), i.sku) AS product_name,
    p.product, i.segment, i.channel, i.content_type, i.field, i.variant, i.text, i.brief_id, i.size, i.path,
    d.decision, d.quality, d.reasons, d.decided_by, d.decided_at,
    f.content_sha256,
    d.decided_by NOT LIKE 'policy:%' AND d.content_sha256 IS DISTINCT FROM f.content_sha256 AS stale,
    coalesce(x.failed_checks, []) AS failed_checks,
    coalesce(x.hard_failed, false) AS hard_failed,
    i.item_kind = 'copy' AND EXISTS (
        SELECT 1 FROM content.copy_edits AS e WHERE e.item_id = i.item_id AND e.new_text = i.text) AS edited
FROM items AS i
JOIN content.item_fingerprints($batch_id) AS f USING (item_id)
LEFT JOIN products AS p USING (sku)
LEFT JOIN content.decisions AS d USING (item_id)
LEFT JOIN failed AS x USING (item_id)
WHERE ($status IS NULL OR d.decision = $status)
  AND ($channel IS NULL OR i.channel = $channel)
  AND ($segment IS NULL OR i.segment = $segment)
  AND ($check IS NULL OR list_contains(x.failed_checks, $check))
  AND ($q IS NULL OR contains(lower(i.sku), lower($q))
       OR contains(lower(coalesce(json_extract_string(p.product, '$.name'), '')), lower($q)))
ORDER BY product_name, i.sku, i.channel = 'banners', i.channel, i.content_type, i.segment, i.field, i.variant,
         i.size, i.item_id;
