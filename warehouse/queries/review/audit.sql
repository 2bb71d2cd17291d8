-- The newest review actions, all of them or one batch's ($batch_id).
SELECT acted_at, username, role, action, batch_id, item_id, detail, content_sha256, old_text, new_text
FROM ops.review_audit
WHERE $batch_id IS NULL OR batch_id = $batch_id
ORDER BY acted_at DESC, audit_id
LIMIT 500;
