-- The first rows of one load of <entity>, for `adcraft sources check`.
SELECT * EXCLUDE (_load_id, _unmatched) FROM raw.{{ entity }} WHERE _load_id = $load_id ORDER BY _row_number LIMIT $limit
