-- Every banner of one batch ($batch_id) with its decision.
SELECT n.item_id, n.sku, n.segment, n.size, n.path, n.headline, d.decision, d.reasons
FROM content.banners AS n
LEFT JOIN content.decisions AS d USING (item_id)
WHERE n.batch_id = $batch_id
ORDER BY n.sku, n.segment, n.size;
