-- Why items were not approved, grouped by the check that failed, for one batch ($1).
SELECT s.check_name, d.decision, count(*) AS item_count, any_value(s.reason) AS example
FROM content.scores AS s
JOIN content.decisions AS d USING (item_id)
WHERE s.batch_id = $1 AND NOT s.passed AND d.decision <> 'approved'
GROUP BY ALL
ORDER BY item_count DESC, s.check_name;
