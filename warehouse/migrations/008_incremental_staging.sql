-- 008: customers and order lines are staged incrementally (tasks/transform.py), and fct_order_lines is a view.
-- Which loads staging.stg_customers and staging.stg_order_lines hold, with what was true of each load when it
-- was staged: its rows in raw, and the rows quarantine held back from it (how many, and an order-free hash of
-- their row numbers). A transform stages only loads not listed here. If a listed load is gone or differs
-- (a release, a deleted load), it rebuilds that table from every load.
CREATE TABLE ops.staged_loads (
    entity    VARCHAR NOT NULL,
    load_id   VARCHAR NOT NULL,
    raw_rows  BIGINT NOT NULL,
    held_rows BIGINT NOT NULL,
    held_hash UBIGINT NOT NULL,
    staged_at TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, load_id)
);
-- Rebuilt as a view by the next transform (warehouse/sql/marts/fct_order_lines.sql).
DROP TABLE IF EXISTS marts.fct_order_lines;
