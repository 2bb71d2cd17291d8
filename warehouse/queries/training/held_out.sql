-- Held-out lines: for products in the held-out split, every line the model wrote for the newest brief of
-- each product, segment, content type and field, with the prompts it was made from (one per generation,
-- from copy_items.parts) and what the template and the gate need to compose and score a new line
-- (product, segment, link, brand, approval bar). Both models answer these prompts in the evaluation.
WITH lines AS (
    SELECT
        c.content_type, c.field, br.sku, br.segment, c.variant, c.parts, br.product, br.segment_profile,
        bt.campaign_config, bt.run_date, c.batch_id,
        dense_rank() OVER (
            PARTITION BY br.sku, br.segment, c.content_type, c.field ORDER BY bt.run_date DESC, c.batch_id DESC
        ) AS newness
    FROM content.copy_items AS c
    JOIN marts.briefs AS br ON br.batch_id = c.batch_id AND br.brief_id = c.brief_id
    JOIN content.batches AS bt ON bt.batch_id = c.batch_id
    WHERE md5_number(br.sku) % 100 < $held_out_pct AND json_array_length(c.parts) > 0
)
SELECT
    content_type, field, sku,
    [CAST(part -> '$.prompt' AS VARCHAR) FOR part IN CAST(parts AS JSON[])] AS prompts,
    product, segment_profile,
    replace(json_extract_string(campaign_config, '$.link'), '{sku}', sku) AS link,
    json_extract_string(campaign_config, '$.brand') AS brand,
    CAST(json_extract(campaign_config, '$.policy.approve_at') AS DOUBLE) AS approve_at
FROM lines
WHERE newness = 1
ORDER BY content_type, field, sku, segment, variant;
