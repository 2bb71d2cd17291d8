-- The failed hard checks of the other lines of line $item_id's brief (of $batch_id), except the format
-- check, which is worked out again from these.
SELECT s.item_id, s.check_name, s.hard, s.passed, s.score, s.reason
FROM content.scores AS s
JOIN content.copy_items AS c USING (item_id)
WHERE c.batch_id = $batch_id
  AND c.brief_id = (SELECT brief_id FROM content.copy_items WHERE item_id = $item_id)
  AND s.item_id <> $item_id AND s.hard AND NOT s.passed AND s.check_name <> 'format';
