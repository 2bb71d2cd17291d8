-- Copy lines of one batch ($batch_id) against the batch before it ($previous_id), matched by brief
-- (product, segment, content type) and line (field, variant): new, removed, changed or the same.
WITH lines AS (
    SELECT c.batch_id, b.sku, json_extract_string(b.product, '$.name') AS product_name, b.segment, b.channel,
           c.content_type, c.field, c.variant, c.text
    FROM content.copy_items AS c
    JOIN marts.briefs AS b USING (batch_id, brief_id)
    WHERE c.batch_id IN ($batch_id, $previous_id)
),
now AS (SELECT * FROM lines WHERE batch_id = $batch_id),
before AS (SELECT * FROM lines WHERE batch_id = $previous_id)
SELECT
    coalesce(now.product_name, before.product_name) AS product_name,
    coalesce(now.sku, before.sku) AS sku,
    coalesce(now.segment, before.segment) AS segment,
    coalesce(now.channel, before.channel) AS channel,
    coalesce(now.content_type, before.content_type) AS content_type,
    coalesce(now.field, before.field) AS field,
    coalesce(now.variant, before.variant) AS variant,
    before.text AS old_text,
    now.text AS new_text,
    CASE
        WHEN before.sku IS NULL THEN 'new'
        WHEN now.sku IS NULL THEN 'removed'
        WHEN now.text <> before.text THEN 'changed'
        ELSE 'same'
    END AS change
FROM now
FULL OUTER JOIN before
    ON now.sku = before.sku AND now.segment = before.segment AND now.content_type = before.content_type
   AND now.field = before.field AND now.variant = before.variant
ORDER BY product_name, sku, channel, content_type, segment, field, variant;
