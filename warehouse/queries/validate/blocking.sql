-- Failed critical rules that stop the run: on the newest load of each file (or table), unless an engineer
-- released every row the rule quarantined. Checked on every run, so re-running over bad data stops again.
-- Only critical rules stop a run: content rules and warnings quarantine their rows and let it go on.
-- element_count is what the rule checked (its `mostly` denominator), and `counted` says what those rows are.
WITH held AS (
    SELECT q._load_id, q.rule, count(*) AS held_rows, min(q.reason) AS example
    FROM quarantine.held AS q
    GROUP BY ALL
)
SELECT v._load_id, v.entity, n.source_file, v.rule, v.column_name, v.unexpected_count, v.element_count,
       json_extract_string(v.details, '$.mostly') AS mostly, h.held_rows, h.example, json_extract_string(v.details, '$.exception') AS exception,
       json_extract_string(v.details, '$.counted') AS counted
FROM ops.validation_results AS v
JOIN ops.newest_loads AS n ON n.load_id = v._load_id
LEFT JOIN held AS h ON h._load_id = v._load_id AND h.rule = v.rule
WHERE v.severity = 'critical' AND NOT v.success
  AND (h.held_rows > 0 OR json_extract_string(v.details, '$.exception') IS NOT NULL OR coalesce(v.unexpected_count, 0) = 0)
ORDER BY n.source_file, v.rule
