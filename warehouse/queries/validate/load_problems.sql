-- What quarantine holds of one load, for `adcraft sources check`: malformed lines, every reason, and the rows held.
SELECT count(*) FILTER (WHERE rule = 'well_formed') AS malformed,
       list((severity, reason) ORDER BY _row_number, rule) AS problems,
       count(DISTINCT _row_number) AS held_rows
FROM quarantine.rows
WHERE _load_id = $load_id
