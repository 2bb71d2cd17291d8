-- Items per kind and decision for one batch ($batch_id).
SELECT item_kind, decision, count(*) AS items
FROM content.decisions
WHERE batch_id = $batch_id
GROUP BY ALL
ORDER BY item_kind, decision;
