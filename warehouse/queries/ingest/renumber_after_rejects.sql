-- DuckDB numbers only the lines it could parse, so after rejected lines the numbers are behind the file.
-- The k-th good row is data row k + (rejected rows r_j with r_j - j < k), r_j being the j-th rejected row.
-- adcraft/sources/landing.py fills in <entity> and <rejects>; $load_id is a parameter.
WITH lines AS (SELECT DISTINCT line FROM {{ rejects }}),
bad AS (SELECT line - 1 AS row_number, row_number() OVER (ORDER BY line) AS j FROM lines)
UPDATE raw.{{ entity }} AS r
SET _row_number = r._row_number + (SELECT count(*) FROM bad WHERE bad.row_number - bad.j < r._row_number)
WHERE r._load_id = $load_id
