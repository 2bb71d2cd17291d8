-- 007: the review app answers a paused nightly run's review gate ('resume': publish or hold), and the
-- audit log records it. DuckDB cannot alter a CHECK constraint, so the table is rebuilt with its rows.
CREATE TABLE ops.review_audit_007 (
    audit_id       VARCHAR PRIMARY KEY,
    acted_at       TIMESTAMP NOT NULL DEFAULT now(),
    username       VARCHAR NOT NULL,
    role           VARCHAR,
    action         VARCHAR NOT NULL CHECK (action IN (
                       'login', 'login_failed', 'logout', 'approve', 'reject', 'edit', 'bulk_approve', 'publish',
                       'resume')),
    batch_id       VARCHAR,
    item_id        VARCHAR,
    detail         VARCHAR,
    content_sha256 VARCHAR
);
INSERT INTO ops.review_audit_007 SELECT * FROM ops.review_audit;
DROP TABLE ops.review_audit;
ALTER TABLE ops.review_audit_007 RENAME TO review_audit;
