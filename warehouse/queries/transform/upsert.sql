-- One load of an incremental model upserted into <table> by its key (<key>): the load's rows replace the
-- rows with their keys, and within the load the file's last row per key wins. <select> is the model's
-- SELECT for that load, with the load's id written in (a view keeps no parameters).
CREATE OR REPLACE TEMP VIEW model_load AS {{ select }};

CREATE TABLE IF NOT EXISTS {{ table }} AS SELECT * EXCLUDE (_row_number) FROM model_load LIMIT 0;

-- Keys the load has more than once (released duplicates), found by hash, which is cheaper than a window over
-- every row; a collision only sends a few more rows through the exact window below.
CREATE OR REPLACE TEMP TABLE model_load_repeated AS
SELECT hash({{ key }}) AS key_hash FROM model_load GROUP BY ALL HAVING count(*) > 1;

DELETE FROM {{ table }} AS s WHERE EXISTS (SELECT 1 FROM model_load AS n WHERE {{ same_key }});

INSERT INTO {{ table }}
SELECT * EXCLUDE (_row_number)
FROM model_load
WHERE hash({{ key }}) NOT IN (SELECT key_hash FROM model_load_repeated)
UNION ALL
(SELECT * EXCLUDE (_row_number)
 FROM model_load
 WHERE hash({{ key }}) IN (SELECT key_hash FROM model_load_repeated)
 QUALIFY row_number() OVER (PARTITION BY {{ key }} ORDER BY _row_number DESC) = 1);
