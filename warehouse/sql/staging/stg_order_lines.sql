-- Order lines that passed validation (or were released), typed, one row per (order_id, line_number): the newest
-- load's row wins, and within a load the file's last. tasks/transform.py runs this for one load at a time, in
-- getvariable('load_id'), oldest load first, for every load not staged yet (all of them, on an emptied table,
-- when quarantine or raw changed under loads already staged), so it upserts by key: the load's rows replace
-- the rows it has the keys of.
CREATE TABLE IF NOT EXISTS staging.stg_order_lines (
    order_id VARCHAR, line_number INTEGER, customer_id VARCHAR, sku VARCHAR, quantity INTEGER,
    unit_price DECIMAL(12, 2), currency VARCHAR, ordered_at TIMESTAMP, load_id VARCHAR
);

CREATE OR REPLACE TEMP VIEW stg_order_lines_admitted AS
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
WHERE o._load_id = getvariable('load_id')
  AND o._row_number NOT IN (
      SELECT q._row_number FROM quarantine.held AS q
      WHERE q.entity = 'order_lines' AND q._load_id = getvariable('load_id'));

-- Keys the load has more than once, found by hash (cheaper than a window over every row); a collision only
-- sends a few more rows through the exact window below.
CREATE OR REPLACE TEMP TABLE stg_order_lines_repeated AS
SELECT hash(order_id, line_number) AS key_hash
FROM stg_order_lines_admitted
GROUP BY ALL
HAVING count(*) > 1;

DELETE FROM staging.stg_order_lines AS s
WHERE EXISTS (
    SELECT 1 FROM stg_order_lines_admitted AS n
    WHERE n.order_id IS NOT DISTINCT FROM s.order_id AND n.line_number IS NOT DISTINCT FROM s.line_number);

INSERT INTO staging.stg_order_lines
SELECT * EXCLUDE (_row_number)
FROM stg_order_lines_admitted
WHERE hash(order_id, line_number) NOT IN (SELECT key_hash FROM stg_order_lines_repeated)
UNION ALL
(SELECT * EXCLUDE (_row_number)
 FROM stg_order_lines_admitted
 WHERE hash(order_id, line_number) IN (SELECT key_hash FROM stg_order_lines_repeated)
 QUALIFY row_number() OVER (PARTITION BY order_id, line_number ORDER BY _row_number DESC) = 1);
