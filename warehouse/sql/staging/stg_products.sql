-- Products that passed validation, typed, one row per sku: the most recently loaded version wins.
CREATE OR REPLACE TABLE staging.stg_products AS
SELECT
    trim(p.sku)                                  AS sku,
    trim(p.name)                                 AS name,
    trim(p.category)                             AS category,
    trim(p.brand)                                AS brand,
    CAST(p.price AS DECIMAL(12, 2))              AS price,
    upper(trim(p.currency))                      AS currency,
    trim(p.material)                             AS material,
    list_transform(string_split(p.colours, '|'), lambda c: trim(c)) AS colours,
    list_transform(string_split(p.sizes, '|'), lambda s: trim(s))   AS sizes,
    CAST(p.stock AS INTEGER)                     AS stock,
    CAST(p.launch_date AS DATE)                  AS launch_date,
    trim(p.description)                          AS description,
    p._load_id                                   AS load_id
FROM raw.products AS p
JOIN ops.loads AS l ON l.load_id = p._load_id
WHERE NOT EXISTS (
    SELECT 1 FROM quarantine.rows AS q
    WHERE q.entity = 'products' AND q._load_id = p._load_id AND q._row_number = p._row_number
)
QUALIFY row_number() OVER (PARTITION BY trim(p.sku) ORDER BY l.loaded_at DESC, p._row_number DESC) = 1;
