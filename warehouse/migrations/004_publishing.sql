-- 004: publishing to several destinations exactly once, and the review gate before it.

-- A delivery about to be made, written before anything is sent and kept as the record of its attempts.
-- content.publications holds the outcome. An intent without an outcome is a delivery that began and was
-- never confirmed (the process died, or the receiver failed): the next publish sends it again, with the
-- same idempotency key, so a receiver that remembers keys can drop the repeat.
-- item_id is a copy or banner item, or '<batch_id>/<path>' for an export file.
CREATE TABLE content.publication_intents (
    batch_id        VARCHAR NOT NULL,
    item_id         VARCHAR NOT NULL,
    destination     VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL CHECK (kind IN ('copy', 'banner', 'file')),
    idempotency_key VARCHAR NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      VARCHAR,
    intended_at     TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, destination)
);

-- Each batch's review gate: whether its run waited for a person, until when, and what ended the wait.
-- The review app finds batches to review here (status 'waiting'), and resume_review finds the run to resume.
CREATE TABLE content.review_gates (
    batch_id    VARCHAR PRIMARY KEY,
    flow_run_id VARCHAR,
    status      VARCHAR NOT NULL CHECK (status IN ('not_required', 'waiting', 'reviewed', 'timed_out')),
    deadline    TIMESTAMP,
    on_timeout  VARCHAR,
    decision    VARCHAR,
    reviewer    VARCHAR,
    opened_at   TIMESTAMP NOT NULL DEFAULT now(),
    closed_at   TIMESTAMP
);
