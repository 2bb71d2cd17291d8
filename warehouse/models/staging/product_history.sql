-- Price and stock over time: a row per sku for its first load and for every load that changed either, with
-- the values before the change, so "price drop" and "back in stock" can be selected.
WITH per_load AS (
    SELECT sku, price, stock, load_id, loaded_at
    FROM staging.product_rows
    QUALIFY row_number() OVER (PARTITION BY sku, load_id ORDER BY row_number DESC) = 1
)
SELECT
    sku, price, stock, load_id, loaded_at AS valid_from,
    lag(price) OVER w AS previous_price,
    lag(stock) OVER w AS previous_stock
FROM per_load
WINDOW w AS (PARTITION BY sku ORDER BY loaded_at, load_id)
QUALIFY (price, stock) IS DISTINCT FROM (lag(price) OVER w, lag(stock) OVER w)
