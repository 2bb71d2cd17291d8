-- Re-admit the held rows matching the filters (a NULL filter, or no $rows, lets everything through); a row held
-- by several rules is released from all of them. Returns each released (row, rule).
WITH matching AS (
    SELECT DISTINCT q.entity, q._load_id, q._row_number
    FROM quarantine.held AS q
    WHERE ($entity IS NULL OR q.entity = $entity)
      AND ($load IS NULL OR q._load_id = $load)
      AND ($rule IS NULL OR q.rule = $rule)
      AND (len($rows) = 0 OR list_contains($rows, q._row_number))
)
UPDATE quarantine.rows SET released_at = now(), released_by = $released_by, release_note = $note
WHERE released_at IS NULL AND (entity, _load_id, _row_number) IN (SELECT * FROM matching)
RETURNING entity, _load_id, _row_number
