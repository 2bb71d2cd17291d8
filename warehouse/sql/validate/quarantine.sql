-- Quarantine the rows of one load that break one rule, each with a reason a person can act on.
-- tasks/validate.py fills in {entity}, {row_data}, {record_key} and, from adcraft/rules.py, {derived},
-- {predicate} and {problem}; the rest are parameters. Re-running is harmless: a row is quarantined once per rule.
INSERT INTO quarantine.rows
    (entity, _load_id, _row_number, rule, column_name, severity, reason, row_data, record_key, rule_kind)
SELECT $entity, _load_id, _row_number, $rule, $column, $severity,
       {problem} || printf(' (row %d of %s). ', _row_number, $file) || $reason
           || CASE WHEN $fix <> '' THEN ' Fix: ' || $fix ELSE '' END,
       {row_data}, {record_key}, $kind
FROM (SELECT *{derived} FROM raw.{entity} WHERE _load_id = $load_id)
WHERE {predicate}
ON CONFLICT DO NOTHING
