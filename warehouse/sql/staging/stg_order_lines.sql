-- Order lines that passed validation (or were released), typed, one row per (order_id, line_number): the
-- newest loaded version wins.
CREATE OR REPLACE TABLE staging.stg_order_lines AS
SELECT
    trim(o.order_id)                        AS order_id,
    TRY_CAST(o.line_number AS INTEGER)      AS line_number,
    trim(o.customer_id)                     AS customer_id,
    trim(o.sku)                             AS sku,
    TRY_CAST(o.quantity AS INTEGER)         AS quantity,
    TRY_CAST(o.unit_price AS DECIMAL(12, 2)) AS unit_price,
    upper(trim(o.currency))                 AS currency,
    TRY_CAST(o.ordered_at AS TIMESTAMP)     AS ordered_at,
    o._load_id                              AS load_id
FROM raw.order_lines AS o
JOIN ops.loads AS l ON l.load_id = o._load_id
WHERE NOT EXISTS (
    SELECT 1 FROM quarantine.held AS q
    WHERE q.entity = 'order_lines' AND q._load_id = o._load_id AND q._row_number = o._row_number
)
QUALIFY row_number() OVER (
    PARTITION BY trim(o.order_id), TRY_CAST(o.line_number AS INTEGER)
    ORDER BY l.loaded_at DESC, o._load_id DESC, o._row_number DESC
) = 1;
