-- One action on several items ($item_ids, with the $content_sha256s each was decided on), for the audit log:
-- a row per item, as record_audit.sql writes for one.
INSERT INTO ops.review_audit (audit_id, username, role, action, batch_id, item_id, detail, content_sha256)
SELECT $audit_id || '-' || CAST(n AS VARCHAR), $username, $role, $action, $batch_id, item_id, $detail, content_sha256
FROM (SELECT unnest($item_ids) AS item_id, unnest($content_sha256s) AS content_sha256,
             unnest(range(len($item_ids))) AS n);
