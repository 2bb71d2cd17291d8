-- Every rule of one load checked in one pass, into the temp table rule_check (one row): each rule's checked
-- and failing counts, in rule order, so the SQL side makes the same `mostly` decision as GX, and the rows
-- that break any rule, which validate/quarantine.sql then quarantines. Each predicate is computed once per row.
-- adcraft/sources/quarantine.py fills in <entity> and, from adcraft/sources/rules.py (load_sql), <derived>, <flags>,
-- <counts> and <any_flag>; $load_id is a parameter.
-- Rows a join found nothing for (_unmatched) are left out: landing quarantined them under `joined`.
CREATE OR REPLACE TEMP TABLE rule_check AS
SELECT {{ counts }}, list(_row_number) FILTER (WHERE {{ any_flag }}) AS failing_rows
FROM (
    SELECT *, {{ flags }}
    FROM (SELECT *{{ derived }} FROM raw.{{ entity }} WHERE _load_id = $load_id AND _unmatched IS NULL)
)
