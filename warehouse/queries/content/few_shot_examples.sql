-- Few-shot examples for one batch ($batch_id): copy approved in earlier batches (an earlier run date), per product
-- category, content type and field. The best line of each product, then the best 3 products of each
-- group, so the prompt can skip the product it is writing about. Only lines the model wrote (parts holds
-- its generations); lines the template wrote from product facts teach nothing.
WITH this_batch AS (
    SELECT run_date FROM content.batches WHERE batch_id = $batch_id
),
approved AS (
    SELECT
        json_extract_string(b.product, '$.category') AS category,
        c.content_type, c.field, b.sku, b.product, c.text, c.parts, d.quality, bt.run_date, c.item_id
    FROM content.decisions AS d
    JOIN content.copy_items AS c USING (item_id)
    JOIN marts.briefs AS b ON b.batch_id = c.batch_id AND b.brief_id = c.brief_id
    JOIN content.batches AS bt ON bt.batch_id = c.batch_id
    WHERE d.decision = 'approved' AND d.item_kind = 'copy'
      AND bt.run_date < (SELECT run_date FROM this_batch)
      AND json_array_length(c.parts) > 0
    QUALIFY row_number() OVER (
        PARTITION BY category, c.content_type, c.field, b.sku ORDER BY d.quality DESC, bt.run_date DESC, c.item_id
    ) = 1
)
SELECT category, content_type, field, sku, product, text, parts
FROM approved
QUALIFY row_number() OVER (
    PARTITION BY category, content_type, field ORDER BY quality DESC, run_date DESC, item_id
) <= 3
ORDER BY category, content_type, field, quality DESC, run_date DESC, item_id;
