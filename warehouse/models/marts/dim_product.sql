-- Products with their sales over the last year as of the run date, their last price drop and restock,
-- and whether quarantine holds back their newest data (then no brief may use them).
WITH sales AS (
    SELECT
        sku,
        sum(quantity)    AS units_365d,
        sum(line_amount) AS revenue_365d,
        count(DISTINCT customer_id) AS buyers_365d
    FROM marts.fct_order_lines
    WHERE order_date > $as_of - INTERVAL 365 DAY
    GROUP BY sku
),
last_price_change AS (
    SELECT sku, price, previous_price, valid_from
    FROM staging.product_history
    WHERE previous_price IS NOT NULL AND price IS DISTINCT FROM previous_price
    QUALIFY row_number() OVER (PARTITION BY sku ORDER BY valid_from DESC, load_id DESC) = 1
),
restocks AS (
    SELECT sku, max(valid_from) AS restocked_at
    FROM staging.product_history
    WHERE previous_stock <= 0 AND stock > 0
    GROUP BY sku
),
-- A duplicate row repeats a kept row, so only other rules hold a product back.
held AS (
    SELECT trim(q.record_key) AS sku, max(l.loaded_at) AS loaded_at
    FROM quarantine.held AS q
    JOIN ops.loads AS l ON l.load_id = q._load_id
    WHERE q.entity = 'products' AND q.rule_kind IS DISTINCT FROM 'unique'
    GROUP BY ALL
)
SELECT
    p.sku, p.name, p.category, p.brand, p.price, p.currency, p.material, p.colours, p.sizes,
    p.stock, p.launch_date, p.description, p.active,
    coalesce(s.units_365d, 0)   AS units_365d,
    coalesce(s.revenue_365d, 0) AS revenue_365d,
    coalesce(s.buyers_365d, 0)  AS buyers_365d,
    CASE WHEN c.price < c.previous_price THEN c.previous_price END AS price_before_drop,
    CASE WHEN c.price < c.previous_price THEN c.valid_from END     AS price_dropped_at,
    r.restocked_at,
    coalesce(h.loaded_at >= p.loaded_at, false) AS is_quarantined,
    p.load_id
FROM staging.stg_products AS p
LEFT JOIN sales AS s USING (sku)
LEFT JOIN last_price_change AS c USING (sku)
LEFT JOIN restocks AS r USING (sku)
LEFT JOIN held AS h USING (sku)
