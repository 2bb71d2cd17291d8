-- Approved banners of one batch ($1).
SELECT n.item_id, n.sku, n.segment, n.size, n.path, n.headline, d.quality
FROM content.banners AS n
JOIN content.decisions AS d USING (item_id)
WHERE n.batch_id = $1 AND d.decision = 'approved'
ORDER BY n.sku, n.segment, n.size;
