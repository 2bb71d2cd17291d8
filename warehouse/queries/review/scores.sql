-- Every check on every item of one batch ($batch_id): failed ones first.
SELECT item_id, check_name, hard, passed, score, reason
FROM content.scores
WHERE batch_id = $batch_id
ORDER BY item_id, passed, NOT hard, check_name;
