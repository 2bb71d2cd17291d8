-- Quarantine the rows of one load that break any of its entity's rules (found by validate/rule_counts.sql, in
-- rule_check), one quarantine row per (row, rule), each with a reason a person can act on.
-- adcraft/sources/quarantine.py fills in <entity>, <row_data>, <record_key> and, from adcraft/sources/rules.py (load_sql),
-- <derived>, <problems> and <rules>; the rest are parameters. Re-running is harmless: a row is quarantined
-- once per rule.
-- Rows a join found nothing for (_unmatched) are left out: landing quarantined them under `joined`.
INSERT INTO quarantine.rows
    (entity, _load_id, _row_number, rule, column_name, severity, reason, row_data, record_key, rule_kind)
SELECT $entity, f._load_id, f._row_number, r.rule, r.column_name, r.severity,
       f.p.problem || printf(' (row %d of %s). ', f._row_number, $file) || r.reason
           || CASE WHEN r.fix <> '' THEN ' Fix: ' || r.fix ELSE '' END,
       f.row_data, f.record_key, r.kind
FROM (
    SELECT _load_id, _row_number, {{ row_data }} AS row_data, {{ record_key }} AS record_key, unnest([{{ problems }}]) AS p
    FROM (SELECT *{{ derived }} FROM raw.{{ entity }} WHERE _load_id = $load_id AND _unmatched IS NULL)
    WHERE _row_number IN (SELECT unnest(failing_rows) FROM rule_check)
) AS f
JOIN (VALUES {{ rules }}) AS r (i, rule, column_name, severity, reason, fix, kind) ON r.i = f.p.i
WHERE f.p.problem IS NOT NULL
ON CONFLICT DO NOTHING
