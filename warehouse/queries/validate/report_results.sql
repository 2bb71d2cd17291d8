-- Every rule's result on the newest load of each file, with up to three held rows' reasons each,
-- for the validation report and the Prefect artifact.
WITH examples AS (
    SELECT _load_id, rule,
           count(released_at) AS released,
           list(reason ORDER BY _row_number) FILTER (WHERE released_at IS NULL)[1:3] AS examples
    FROM quarantine.rows
    GROUP BY ALL
)
SELECT l.load_id, l.entity, l.source_file, l.row_count, l.loaded_at, v.rule, v.column_name, v.severity,
       v.success, v.unexpected_count, CAST(json_extract_string(v.details, '$.mostly') AS DOUBLE) AS mostly,
       CAST(json_extract_string(v.details, '$.quarantined') AS BIGINT) AS quarantined, json_extract_string(v.details, '$.exception') AS exception,
       coalesce(e.released, 0) AS released, coalesce(e.examples, []) AS examples
FROM ops.newest_loads AS l
JOIN ops.validation_results AS v ON v._load_id = l.load_id
LEFT JOIN examples AS e ON e._load_id = v._load_id AND e.rule = v.rule
ORDER BY l.entity, l.source_file, v.success, v.severity, v.rule
