-- Quarantined rows by entity and rule, with one example reason each.
SELECT entity, rule, column_name, severity, count(*) AS rows, min(reason) AS example
FROM quarantine.rows
GROUP BY ALL
ORDER BY entity, rows DESC;
