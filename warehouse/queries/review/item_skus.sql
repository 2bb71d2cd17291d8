-- The products (SKUs) of the items $item_ids of one batch ($batch_id).
SELECT DISTINCT b.sku
FROM content.copy_items AS c
JOIN marts.briefs AS b USING (batch_id, brief_id)
WHERE c.batch_id = $batch_id AND list_contains($item_ids, c.item_id)
UNION
SELECT sku FROM content.banners WHERE batch_id = $batch_id AND list_contains($item_ids, item_id)
ORDER BY 1;
