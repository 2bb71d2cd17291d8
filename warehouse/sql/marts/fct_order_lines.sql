-- One row per order line, with the product's category and the line's amount.
CREATE OR REPLACE TABLE marts.fct_order_lines AS
SELECT
    o.order_id,
    o.line_number,
    o.customer_id,
    o.sku,
    p.category,
    o.quantity,
    o.unit_price,
    o.currency,
    o.quantity * o.unit_price AS line_amount,
    o.ordered_at,
    CAST(o.ordered_at AS DATE) AS order_date
FROM staging.stg_order_lines AS o
LEFT JOIN staging.stg_products AS p USING (sku)
WHERE o.ordered_at < getvariable('as_of') + INTERVAL 1 DAY;
