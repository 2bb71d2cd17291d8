-- Rows of one load that an entity's query returned more than once (a join in it matched several rows).
SELECT _row_number FROM raw.{{ entity }} WHERE _load_id = $load_id GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 5
