-- Before an edited line's new scores go in: its old ones, and the format check of its brief's lines.
DELETE FROM content.scores
WHERE batch_id = $batch_id
  AND (item_id = $item_id OR (check_name = 'format' AND item_id IN (
      SELECT item_id FROM content.copy_items
      WHERE batch_id = $batch_id AND brief_id = (SELECT brief_id FROM content.copy_items WHERE item_id = $item_id))));
