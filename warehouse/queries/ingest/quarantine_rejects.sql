-- Lines DuckDB could not parse (wrong column count, bad encoding, over-long lines) go to quarantine at once,
-- with their file line, so nothing in a file is lost. <rejects> is the reader's rejects table; what to do
-- about a line is $encoding_hint for a file that is not UTF-8, else $line_hint.
INSERT INTO quarantine.rows
    (entity, _load_id, _row_number, rule, column_name, severity, reason, row_data, rule_kind)
SELECT $entity, $load_id, line - 1, 'well_formed', column_name, 'critical',
       printf('line %d of %s is malformed: %s (%s). ', line, $file, error_message, error_type)
           || CASE WHEN error_type = 'INVALID ENCODING' THEN $encoding_hint ELSE $line_hint END,
       json_object('line', csv_line), 'well_formed'
FROM {{ rejects }}
ON CONFLICT DO NOTHING
