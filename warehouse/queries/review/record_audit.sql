-- One review action, for the audit log; an edit keeps its text before and after ($old_text, $new_text).
INSERT INTO ops.review_audit (audit_id, username, role, action, batch_id, item_id, detail, content_sha256,
                              old_text, new_text)
VALUES ($audit_id, $username, $role, $action, $batch_id, $item_id, $detail, $content_sha256, $old_text, $new_text);
