-- Every edit of one copy line ($item_id of $batch_id), oldest first, with its scores before and after.
SELECT edited_at, edited_by, original_text, new_text, old_quality, new_quality, old_failed, new_failed
FROM content.copy_edits
WHERE batch_id = $batch_id AND item_id = $item_id
ORDER BY edited_at, edit_id;
