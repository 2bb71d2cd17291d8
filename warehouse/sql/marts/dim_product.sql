-- Products with their sales over the last year, as of the run date.
CREATE OR REPLACE TABLE marts.dim_product AS
WITH sales AS (
    SELECT
        sku,
        sum(quantity)    AS units_365d,
        sum(line_amount) AS revenue_365d,
        count(DISTINCT customer_id) AS buyers_365d
    FROM marts.fct_order_lines
    WHERE order_date > getvariable('as_of') - INTERVAL 365 DAY
    GROUP BY sku
)
SELECT
    p.sku, p.name, p.category, p.brand, p.price, p.currency, p.material, p.colours, p.sizes,
    p.stock, p.launch_date, p.description,
    coalesce(s.units_365d, 0)   AS units_365d,
    coalesce(s.revenue_365d, 0) AS revenue_365d,
    coalesce(s.buyers_365d, 0)  AS buyers_365d
FROM staging.stg_products AS p
LEFT JOIN sales AS s USING (sku);
