-- One review action, for the audit log.
INSERT INTO ops.review_audit (audit_id, username, role, action, batch_id, item_id, detail, content_sha256)
VALUES ($audit_id, $username, $role, $action, $batch_id, $item_id, $detail, $content_sha256);
