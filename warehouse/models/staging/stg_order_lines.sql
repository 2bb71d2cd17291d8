-- One load's order lines that passed validation (or were released), typed. Incremental
-- (warehouse/models.yaml): each load upserts by (order_id, line_number), and within a load the file's last
-- row wins (_row_number).
SELECT
    trim(o.order_id)                         AS order_id,
    TRY_CAST(o.line_number AS INTEGER)       AS line_number,
    trim(o.customer_id)                      AS customer_id,
    trim(o.sku)                              AS sku,
    TRY_CAST(o.quantity AS INTEGER)          AS quantity,
    TRY_CAST(o.unit_price AS DECIMAL(12, 2)) AS unit_price,
    upper(trim(o.currency))                  AS currency,
    TRY_CAST(o.ordered_at AS TIMESTAMP)      AS ordered_at,
    o._load_id                               AS load_id,
    o._row_number
FROM raw.order_lines AS o
WHERE o._load_id = $load_id
  AND o._row_number NOT IN (
      SELECT q._row_number FROM quarantine.held AS q
      WHERE q.entity = 'order_lines' AND q._load_id = $load_id)
