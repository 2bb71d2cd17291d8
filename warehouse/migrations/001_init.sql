-- 001: the first warehouse schema. Later changes go in 002_*.sql and up; never edit an applied file.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS quarantine;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS content;
CREATE SCHEMA IF NOT EXISTS ops;

-- One row per landed file. A file whose checksum is already here is not loaded again.
CREATE TABLE ops.loads (
    load_id     VARCHAR PRIMARY KEY,
    entity      VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    checksum    VARCHAR NOT NULL,
    row_count   BIGINT NOT NULL,
    loaded_at   TIMESTAMP NOT NULL DEFAULT now(),
    UNIQUE (entity, checksum)
);

-- Raw tables hold the exports as text, exactly as landed, plus where each row came from.
CREATE TABLE raw.products (
    sku VARCHAR, name VARCHAR, category VARCHAR, brand VARCHAR, price VARCHAR, currency VARCHAR,
    material VARCHAR, colours VARCHAR, sizes VARCHAR, stock VARCHAR, launch_date VARCHAR,
    description VARCHAR,
    _load_id VARCHAR NOT NULL, _row_number BIGINT NOT NULL
);
CREATE TABLE raw.customers (
    customer_id VARCHAR, name VARCHAR, email VARCHAR, phone VARCHAR, city VARCHAR, country VARCHAR,
    signup_date VARCHAR,
    _load_id VARCHAR NOT NULL, _row_number BIGINT NOT NULL
);
CREATE TABLE raw.order_lines (
    order_id VARCHAR, line_number VARCHAR, customer_id VARCHAR, sku VARCHAR, quantity VARCHAR,
    unit_price VARCHAR, currency VARCHAR, ordered_at VARCHAR,
    _load_id VARCHAR NOT NULL, _row_number BIGINT NOT NULL
);

-- Rows that failed a validation rule, with the rule, column and a reason a person can read.
CREATE TABLE quarantine.rows (
    entity         VARCHAR NOT NULL,
    _load_id       VARCHAR NOT NULL,
    _row_number    BIGINT NOT NULL,
    rule           VARCHAR NOT NULL,
    column_name    VARCHAR,
    severity       VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    row_data       JSON,
    quarantined_at TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, _load_id, _row_number, rule)
);

-- One row per expectation per validated load, as Great Expectations reported it.
CREATE TABLE ops.validation_results (
    _load_id          VARCHAR NOT NULL,
    entity            VARCHAR NOT NULL,
    rule              VARCHAR NOT NULL,
    expectation       VARCHAR NOT NULL,
    column_name       VARCHAR,
    severity          VARCHAR NOT NULL,
    success           BOOLEAN NOT NULL,
    element_count     BIGINT,
    unexpected_count  BIGINT,
    details           JSON,
    validated_at      TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (_load_id, rule)
);

-- A batch is one campaign on one date. Every generated thing is keyed by its batch, so a re-run
-- replaces the batch's rows instead of adding to them.
CREATE TABLE content.batches (
    batch_id         VARCHAR PRIMARY KEY,
    campaign         VARCHAR NOT NULL,
    run_date         DATE NOT NULL,
    brand            VARCHAR NOT NULL,
    campaign_config  JSON NOT NULL,
    flow_run_id      VARCHAR,
    started_at       TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE marts.briefs (
    batch_id     VARCHAR NOT NULL,
    brief_id     VARCHAR NOT NULL,
    sku          VARCHAR NOT NULL,
    segment      VARCHAR NOT NULL,
    channel      VARCHAR NOT NULL,
    content_type VARCHAR NOT NULL,
    product      JSON NOT NULL,
    segment_profile JSON NOT NULL,
    PRIMARY KEY (batch_id, brief_id)
);

CREATE TABLE content.copy_items (
    item_id          VARCHAR PRIMARY KEY,
    batch_id         VARCHAR NOT NULL,
    brief_id         VARCHAR NOT NULL,
    content_type     VARCHAR NOT NULL,
    field            VARCHAR NOT NULL,
    variant          INTEGER NOT NULL,
    text             VARCHAR NOT NULL,
    raw_output       VARCHAR NOT NULL,
    prompt           VARCHAR NOT NULL,
    seed             BIGINT NOT NULL,
    model_version    VARCHAR NOT NULL,
    template_version VARCHAR NOT NULL,
    generated_at     TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE content.banners (
    item_id          VARCHAR PRIMARY KEY,
    batch_id         VARCHAR NOT NULL,
    sku              VARCHAR NOT NULL,
    segment          VARCHAR NOT NULL,
    size             VARCHAR NOT NULL,
    path             VARCHAR NOT NULL,
    bytes            BIGINT NOT NULL,
    headline         VARCHAR NOT NULL,
    layout           JSON NOT NULL,
    template_version VARCHAR NOT NULL,
    generated_at     TIMESTAMP NOT NULL DEFAULT now()
);

-- Every check on every item: copy and banners alike.
CREATE TABLE content.scores (
    item_id    VARCHAR NOT NULL,
    batch_id   VARCHAR NOT NULL,
    check_name VARCHAR NOT NULL,
    hard       BOOLEAN NOT NULL,
    passed     BOOLEAN NOT NULL,
    score      DOUBLE NOT NULL,
    reason     VARCHAR,
    PRIMARY KEY (item_id, check_name)
);

CREATE TABLE content.decisions (
    item_id        VARCHAR PRIMARY KEY,
    batch_id       VARCHAR NOT NULL,
    item_kind      VARCHAR NOT NULL,
    decision       VARCHAR NOT NULL CHECK (decision IN ('approved', 'needs_review', 'rejected')),
    quality        DOUBLE NOT NULL,
    reasons        VARCHAR[] NOT NULL,
    policy_version VARCHAR NOT NULL,
    decided_by     VARCHAR NOT NULL,
    decided_at     TIMESTAMP NOT NULL DEFAULT now()
);

-- The publication ledger: one row per item delivered to a destination, so nothing is sent twice.
CREATE TABLE content.publications (
    batch_id     VARCHAR NOT NULL,
    item_id      VARCHAR NOT NULL,
    destination  VARCHAR NOT NULL,
    location     VARCHAR NOT NULL,
    checksum     VARCHAR NOT NULL,
    published_at TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, destination)
);

-- Wall time and row counts per stage, for the run summary and the benchmarks.
CREATE TABLE ops.stage_runs (
    batch_id   VARCHAR NOT NULL,
    seq        INTEGER NOT NULL,
    stage      VARCHAR NOT NULL,
    seconds    DOUBLE NOT NULL,
    rows_out   BIGINT NOT NULL,
    finished_at TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, stage)
);

-- Every model version the project has used or trained, with where it lives and how it scored.
CREATE TABLE ops.model_registry (
    model_version VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,
    metrics       JSON,
    status        VARCHAR NOT NULL DEFAULT 'champion',
    registered_at TIMESTAMP NOT NULL DEFAULT now()
);
