-- One row per order line up to the date the marts are built as of, with the product's category and the line's
-- amount. A view rather than a table: the marts that read it each aggregate it once per build, which costs
-- less than writing every order line again.
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
WHERE o.ordered_at < $as_of + INTERVAL 1 DAY
