-- Approved copy lines of one batch ($batch_id), best first within each brief and field (variant 0 is the best
-- the generator kept), with what adcraft/copy/formats.py needs to assemble them into items.
SELECT c.item_id, c.brief_id, b.sku, b.segment, b.channel, c.content_type, c.field, c.variant, c.text
FROM content.copy_items AS c
JOIN content.decisions AS d USING (item_id)
JOIN marts.briefs AS b ON b.batch_id = c.batch_id AND b.brief_id = c.brief_id
WHERE c.batch_id = $batch_id AND d.decision = 'approved'
ORDER BY c.brief_id, c.field, c.variant;
