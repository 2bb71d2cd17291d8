-- Each banner of a batch with its product's facts (from the first of its briefs): its headline is the
-- product's name, untrusted like all product data.
SELECT b.item_id, arg_min(br.product, br.brief_id) AS product
FROM content.banners AS b
JOIN marts.briefs AS br ON br.batch_id = b.batch_id AND br.sku = b.sku AND br.segment = b.segment
WHERE b.batch_id = $batch_id
GROUP BY b.item_id
ORDER BY b.item_id
