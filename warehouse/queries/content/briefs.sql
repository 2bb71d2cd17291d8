-- Briefs for one batch: per target segment, the products the campaign's selection rule picks, times the
-- campaign's content types. Rules ($rule):
--   top_sellers    the segment's best sellers within lookback_days;
--   new_arrivals   products launched within lookback_days;
--   price_drops    products whose last price change, within lookback_days, was a drop;
--   back_in_stock  products restocked after selling out, within lookback_days.
-- The last three rank by what the segment bought (units of the product, then of its category), then by
-- how recent the event is. Only active, unquarantined products with at least min_stock qualify.
-- A per-product content type (a product description: the same page for everyone) gets one brief per
-- product, filed under the first segment (by name) that picked it.
-- Parameters: batch_id, as_of, rule, segments, per_segment, min_stock, lookback_days,
-- content_types, channels and per_product (three lists of equal length).
INSERT INTO marts.briefs
WITH since AS (
    SELECT $as_of - to_days(CAST($lookback_days AS INTEGER)) AS day
),
members AS (
    SELECT customer_id, segment FROM marts.segment_members
    WHERE list_contains($segments, segment)
),
segment_sales AS (
    SELECT m.segment, f.sku, any_value(f.category) AS category, sum(f.quantity) AS units
    FROM marts.fct_order_lines AS f
    JOIN members AS m USING (customer_id)
    WHERE f.order_date > (SELECT day FROM since)
    GROUP BY ALL
),
category_sales AS (
    SELECT segment, category, sum(units) AS units FROM segment_sales GROUP BY ALL
),
candidates AS (
    SELECT p.*,
           CASE $rule
               WHEN 'new_arrivals' THEN CAST(p.launch_date AS TIMESTAMP)
               WHEN 'price_drops' THEN p.price_dropped_at
               WHEN 'back_in_stock' THEN p.restocked_at
           END AS event_at
    FROM marts.dim_product AS p
    WHERE p.stock >= $min_stock AND p.active AND NOT p.is_quarantined
),
picked AS (
    SELECT s.segment, c.*
    FROM (SELECT DISTINCT segment FROM members) AS s
    CROSS JOIN candidates AS c
    LEFT JOIN segment_sales AS ss ON ss.segment = s.segment AND ss.sku = c.sku
    LEFT JOIN category_sales AS cs ON cs.segment = s.segment AND cs.category = c.category
    WHERE CASE $rule
              WHEN 'top_sellers' THEN ss.units > 0
              ELSE CAST(c.event_at AS DATE) > (SELECT day FROM since)
          END
    QUALIFY row_number() OVER (
        PARTITION BY s.segment
        ORDER BY coalesce(ss.units, 0) DESC, coalesce(cs.units, 0) DESC, c.event_at DESC NULLS LAST, c.sku
    ) <= $per_segment
),
content_types AS (
    SELECT unnest($content_types) AS content_type, unnest($channels) AS channel,
           unnest($per_product) AS per_product
)
SELECT
    $batch_id AS batch_id,
    substr(md5(concat_ws('|', $batch_id, p.sku, p.segment, t.content_type)), 1, 16) AS brief_id,
    p.sku,
    p.segment,
    t.channel,
    t.content_type,
    to_json({
        sku: p.sku, name: p.name, category: p.category, brand: p.brand,
        price: CAST(p.price AS DOUBLE), currency: p.currency, material: p.material,
        colours: p.colours, sizes: p.sizes, stock: p.stock, description: p.description,
        price_before_drop: CAST(p.price_before_drop AS DOUBLE), selection: $rule
    }) AS product,
    to_json({
        segment: s.segment, description: s.description, customers: s.customers,
        top_categories: s.top_categories
    }) AS segment_profile
FROM picked AS p
JOIN marts.customer_segments AS s USING (segment)
CROSS JOIN content_types AS t
WHERE NOT t.per_product OR p.segment = (SELECT min(segment) FROM picked AS q WHERE q.sku = p.sku);
