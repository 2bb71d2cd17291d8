-- The latest edit of each of the items $item_ids (of $batch_id) whose text is still that edit: the scores
-- before and after it, shown side by side.
SELECT e.item_id, e.original_text, e.edited_by, e.edited_at, e.old_quality, e.new_quality, e.old_failed,
       e.new_failed
FROM content.copy_edits AS e
JOIN content.copy_items AS c USING (item_id)
WHERE e.batch_id = $batch_id AND list_contains($item_ids, e.item_id) AND e.new_text = c.text
QUALIFY row_number() OVER (PARTITION BY e.item_id ORDER BY e.edited_at DESC, e.edit_id) = 1;
