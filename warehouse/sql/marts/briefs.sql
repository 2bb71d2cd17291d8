-- Briefs for one batch: each target segment's top sellers that are in stock, times the campaign's
-- content types. Inputs come as variables: batch_id, as_of, segments, per_segment, min_stock,
-- lookback_days, content_types and channels (two lists of equal length).
INSERT INTO marts.briefs
WITH segment_sales AS (
    SELECT d.segment, f.sku, sum(f.quantity) AS units
    FROM marts.fct_order_lines AS f
    JOIN marts.dim_customer AS d USING (customer_id)
    WHERE list_contains(getvariable('segments'), d.segment)
      AND f.order_date > getvariable('as_of') - to_days(CAST(getvariable('lookback_days') AS INTEGER))
    GROUP BY ALL
),
picked AS (
    SELECT s.segment, p.*
    FROM segment_sales AS s
    JOIN marts.dim_product AS p USING (sku)
    WHERE p.stock >= getvariable('min_stock')
    QUALIFY row_number() OVER (PARTITION BY s.segment ORDER BY s.units DESC, p.sku) <= getvariable('per_segment')
),
content_types AS (
    SELECT unnest(getvariable('content_types')) AS content_type, unnest(getvariable('channels')) AS channel
)
SELECT
    getvariable('batch_id') AS batch_id,
    substr(md5(concat_ws('|', getvariable('batch_id'), p.sku, p.segment, t.content_type)), 1, 16) AS brief_id,
    p.sku,
    p.segment,
    t.channel,
    t.content_type,
    to_json({
        sku: p.sku, name: p.name, category: p.category, brand: p.brand,
        price: CAST(p.price AS DOUBLE), currency: p.currency, material: p.material,
        colours: p.colours, sizes: p.sizes, stock: p.stock, description: p.description
    }) AS product,
    to_json({
        segment: s.segment, description: s.description, customers: s.customers,
        top_categories: s.top_categories
    }) AS segment_profile
FROM picked AS p
JOIN marts.customer_segments AS s USING (segment)
CROSS JOIN content_types AS t;
