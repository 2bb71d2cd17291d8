-- Quarantined rows matching the filters; a NULL filter (or no $rows) lets everything through.
SELECT q.entity, q._load_id, q._row_number, q.rule, q.column_name, q.severity, q.reason,
       q.released_at IS NOT NULL AS released
FROM quarantine.rows AS q
WHERE ($include_released OR q.released_at IS NULL)
  AND ($entity IS NULL OR q.entity = $entity)
  AND ($load IS NULL OR q._load_id = $load)
  AND ($rule IS NULL OR q.rule = $rule)
  AND (len($rows) = 0 OR list_contains($rows, q._row_number))
ORDER BY q.entity, q._load_id, q._row_number, q.rule
LIMIT $limit
