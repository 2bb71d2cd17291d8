-- One row per sku: the newest loaded version wins, so a changed row in a later export replaces the old one.
SELECT * EXCLUDE (row_number)
FROM staging.product_rows
QUALIFY row_number() OVER (PARTITION BY sku ORDER BY loaded_at DESC, load_id DESC, row_number DESC) = 1
