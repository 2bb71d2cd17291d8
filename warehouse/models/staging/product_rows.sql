-- Every product row of every load that passed validation (or was released), typed, with its load time.
-- TRY_CAST: a released row may hold text a rule flagged; it stages as null rather than failing the run.
SELECT
    trim(p.sku)                                  AS sku,
    trim(p.name)                                 AS name,
    trim(p.category)                             AS category,
    trim(p.brand)                                AS brand,
    TRY_CAST(p.price AS DECIMAL(12, 2))          AS price,
    upper(trim(p.currency))                      AS currency,
    trim(p.material)                             AS material,
    list_transform(string_split(p.colours, '|'), lambda c: trim(c)) AS colours,
    list_transform(string_split(p.sizes, '|'), lambda s: trim(s))   AS sizes,
    TRY_CAST(p.stock AS INTEGER)                 AS stock,
    TRY_CAST(p.launch_date AS DATE)              AS launch_date,
    trim(p.description)                          AS description,
    coalesce(TRY_CAST(p.active AS BOOLEAN), true) AS active,
    p._load_id                                   AS load_id,
    p._row_number                                AS row_number,
    l.loaded_at
FROM raw.products AS p
JOIN ops.loads AS l ON l.load_id = p._load_id
WHERE NOT EXISTS (
    SELECT 1 FROM quarantine.held AS q
    WHERE q.entity = 'products' AND q._load_id = p._load_id AND q._row_number = p._row_number
)
