-- Items per kind and decision for one batch ($1).
SELECT item_kind, decision, count(*) AS items
FROM content.decisions
WHERE batch_id = $1
GROUP BY ALL
ORDER BY item_kind, decision;
