-- 003: the review app (adcraft/review/, docs/review.md): people's decisions tied to the text they saw,
-- edits with the text before and after, and an audit log of who did what and when.

-- The fingerprint of the content a decision was made on (warehouse/sql/review/fingerprints.sql). A person's
-- decision holds only while the item's content still has this fingerprint: a re-generated text is new.
ALTER TABLE content.decisions ADD COLUMN content_sha256 VARCHAR;

-- Every edit a reviewer made to a copy line. content.copy_items.text holds the newest text, which is what
-- is scored, decided and published; the model's words stay in copy_items.raw_output.
CREATE TABLE content.copy_edits (
    edit_id       VARCHAR PRIMARY KEY,
    item_id       VARCHAR NOT NULL,
    batch_id      VARCHAR NOT NULL,
    original_text VARCHAR NOT NULL,
    new_text      VARCHAR NOT NULL,
    edited_by     VARCHAR NOT NULL,
    edited_at     TIMESTAMP NOT NULL DEFAULT now()
);

-- Who did what, when, in the review app. Rows are only ever added.
CREATE TABLE ops.review_audit (
    audit_id       VARCHAR PRIMARY KEY,
    acted_at       TIMESTAMP NOT NULL DEFAULT now(),
    username       VARCHAR NOT NULL,
    role           VARCHAR,
    action         VARCHAR NOT NULL CHECK (action IN (
                       'login', 'login_failed', 'logout', 'approve', 'reject', 'edit', 'bulk_approve', 'publish')),
    batch_id       VARCHAR,
    item_id        VARCHAR,
    detail         VARCHAR,
    content_sha256 VARCHAR
);

-- What a decision is tied to, per item of a batch: a copy line's text, or a banner's headline, size and
-- layout (the layout names the picture and places every box, so a banner drawn differently is new).
CREATE MACRO content.item_fingerprints(for_batch) AS TABLE
    SELECT item_id, batch_id, 'copy' AS item_kind, sha256(text) AS content_sha256
    FROM content.copy_items WHERE batch_id = for_batch
    UNION ALL
    SELECT item_id, batch_id, 'banner' AS item_kind,
           sha256(concat_ws(chr(10), headline, size, CAST(layout AS VARCHAR))) AS content_sha256
    FROM content.banners WHERE batch_id = for_batch;
