-- Loads that have not been validated yet, oldest first, with the currencies their source declared.
SELECT load_id, entity, source_file, row_count, source, currencies
FROM ops.loads
WHERE load_id NOT IN (SELECT _load_id FROM ops.validation_results)
ORDER BY loaded_at, load_id
