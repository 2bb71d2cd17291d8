-- A reviewer's edit of one copy line: the text before and after, who and when.
INSERT INTO content.copy_edits (edit_id, item_id, batch_id, original_text, new_text, edited_by)
VALUES ($edit_id, $item_id, $batch_id, $original_text, $new_text, $username);
