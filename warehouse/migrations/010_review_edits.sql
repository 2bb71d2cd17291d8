-- 010: the review app shows what an edit did (docs/review.md). The audit log keeps an edit's text before
-- and after, and each edit keeps the line's quality and failed hard checks before it and after it was
-- scored again, so the page can show the old and new scores side by side and each item its history.
-- (Review sessions and login attempts are not here: they live in the app's own small session store,
-- adcraft/review/sessions.py, which every request checks without opening the warehouse.)
ALTER TABLE ops.review_audit ADD COLUMN old_text VARCHAR;
ALTER TABLE ops.review_audit ADD COLUMN new_text VARCHAR;
ALTER TABLE content.copy_edits ADD COLUMN old_quality DOUBLE;
ALTER TABLE content.copy_edits ADD COLUMN new_quality DOUBLE;
ALTER TABLE content.copy_edits ADD COLUMN old_failed VARCHAR[];
ALTER TABLE content.copy_edits ADD COLUMN new_failed VARCHAR[];
