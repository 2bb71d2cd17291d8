-- Rows of one load quarantined at ingest because a join found no row for them (rule `joined`).
SELECT count(*) FROM quarantine.rows WHERE _load_id = $load_id AND rule = 'joined'
