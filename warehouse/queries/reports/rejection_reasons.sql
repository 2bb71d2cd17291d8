-- Why items of one batch ($batch_id) were not approved, grouped by check: every failed hard check, and for items
-- held back on quality alone, their weakest soft check.
WITH held_back AS (
    SELECT item_id, decision FROM content.decisions WHERE batch_id = $batch_id AND decision <> 'approved'
),
hard_failures AS (
    SELECT s.item_id, s.check_name, h.decision, s.reason
    FROM content.scores AS s
    JOIN held_back AS h USING (item_id)
    WHERE s.hard AND NOT s.passed
),
weakest_soft AS (
    SELECT
        s.item_id,
        arg_min(s.check_name, s.score) AS check_name,
        h.decision,
        arg_min(coalesce(s.reason, printf('scored %.2f', s.score)), s.score) AS reason
    FROM content.scores AS s
    JOIN held_back AS h USING (item_id)
    WHERE NOT s.hard AND s.item_id NOT IN (SELECT item_id FROM hard_failures)
    GROUP BY s.item_id, h.decision
)
SELECT check_name, decision, count(*) AS item_count, any_value(reason) AS example
FROM (SELECT * FROM hard_failures UNION ALL SELECT * FROM weakest_soft)
GROUP BY ALL
ORDER BY item_count DESC, check_name;
