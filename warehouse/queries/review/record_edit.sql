-- A reviewer's edit of one copy line: the text before and after, who and when, and the line's quality and
-- failed hard checks before the edit and after it was scored again.
INSERT INTO content.copy_edits (edit_id, item_id, batch_id, original_text, new_text, edited_by, old_quality,
                                new_quality, old_failed, new_failed)
VALUES ($edit_id, $item_id, $batch_id, $original_text, $new_text, $username, $old_quality, $new_quality,
        $old_failed, $new_failed);
