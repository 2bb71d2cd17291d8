-- Rows of one load whose join found no row in the other file (or that the entity's query did not return), held
-- back under the rule `joined`, each with its file and row. <entity>, <row_data> and <record_key> come from
-- adcraft/sources/landing.py; $reason and $fix say why and what to do.
INSERT INTO quarantine.rows
    (entity, _load_id, _row_number, rule, column_name, severity, reason, row_data, record_key, rule_kind)
SELECT $entity, _load_id, _row_number, 'joined', $column_name, 'critical',
       _unmatched || printf(' (row %d of %s). ', _row_number, $file) || $reason || ' Fix: ' || $fix,
       {{ row_data }}, {{ record_key }}, 'join'
FROM raw.{{ entity }}
WHERE _load_id = $load_id AND _unmatched IS NOT NULL
ON CONFLICT DO NOTHING
