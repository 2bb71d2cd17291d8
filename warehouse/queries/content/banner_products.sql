-- One row per product and segment of a batch ($batch_id): the banners to draw. Briefs for each channel
-- repeat the same product JSON, so any one of them will do.
SELECT sku, segment, arg_min(product, brief_id) AS product
FROM marts.briefs
WHERE batch_id = $batch_id
GROUP BY sku, segment
ORDER BY sku, segment;
