SELECT rule, count(*) FROM quarantine.rows WHERE entity = $entity AND _load_id = $load_id GROUP BY rule
