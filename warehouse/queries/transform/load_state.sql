-- Every load of one entity, oldest first, with what staging needs to know about it now: its rows in raw, and
-- the rows quarantine holds back from it (how many, and an order-free hash of their row numbers). Compared
-- with ops.staged_loads by tasks/transform.py. $entity is a parameter; it fills in <entity>.
WITH raw_rows AS (
    SELECT _load_id, count(*) AS raw_rows FROM raw.{{ entity }} GROUP BY ALL
),
held AS (
    SELECT _load_id, count(*) AS held_rows, bit_xor(hash(_row_number)) AS held_hash
    FROM (SELECT DISTINCT _load_id, _row_number FROM quarantine.held WHERE entity = $entity)
    GROUP BY ALL
)
SELECT l.load_id, coalesce(r.raw_rows, 0), coalesce(h.held_rows, 0), coalesce(h.held_hash, 0)
FROM ops.loads AS l
LEFT JOIN raw_rows AS r ON r._load_id = l.load_id
LEFT JOIN held AS h ON h._load_id = l.load_id
WHERE l.entity = $entity
ORDER BY l.loaded_at, l.load_id
