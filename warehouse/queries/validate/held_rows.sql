-- Rows of one load that quarantine holds (a row breaking several rules counts once).
SELECT count(DISTINCT _row_number) FROM quarantine.rows WHERE entity = $entity AND _load_id = $load_id
