-- Land one export file in its raw table as text, numbering data rows in file order.
-- tasks/ingest.py fills in {entity}, {columns}, {source} and {row_number}; $file and $load_id are parameters.
INSERT INTO raw.{entity} BY NAME
SELECT {columns}, $load_id AS _load_id, {row_number} AS _row_number
FROM {source}
