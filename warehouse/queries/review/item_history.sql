-- What happened to one item ($item_id of $batch_id), oldest first: every action on it from the audit log,
-- an edit with its text before and after.
SELECT acted_at, username, role, action, detail, content_sha256, old_text, new_text
FROM ops.review_audit
WHERE batch_id = $batch_id AND item_id = $item_id
ORDER BY acted_at, audit_id;
