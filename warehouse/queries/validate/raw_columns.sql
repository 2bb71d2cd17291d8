-- The data columns of an entity's raw table, in order (the _-prefixed load columns left out).
SELECT column_name FROM duckdb_columns()
WHERE schema_name = 'raw' AND table_name = $entity AND NOT starts_with(column_name, '_')
ORDER BY column_index
