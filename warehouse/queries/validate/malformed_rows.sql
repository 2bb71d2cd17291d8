-- Lines of one load the reader could not parse, quarantined at ingest.
SELECT count(*) FROM quarantine.rows WHERE _load_id = $load_id AND rule = 'well_formed'
