-- Approved copy of one batch ($1), with what an export needs about its brief.
SELECT
    c.item_id, c.content_type, b.channel, c.field, c.variant, c.text,
    b.sku, b.segment, json_extract_string(b.product, '$.name') AS product_name,
    d.quality, c.model_version, c.template_version, c.seed
FROM content.copy_items AS c
JOIN content.decisions AS d USING (item_id)
JOIN marts.briefs AS b ON b.batch_id = c.batch_id AND b.brief_id = c.brief_id
WHERE c.batch_id = $1 AND d.decision = 'approved'
ORDER BY b.sku, b.segment, c.content_type, c.variant;
