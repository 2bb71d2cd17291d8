-- Every check on the items $item_ids of one batch ($batch_id): failed ones first.
SELECT item_id, check_name, hard, passed, score, reason
FROM content.scores
WHERE batch_id = $batch_id AND list_contains($item_ids, item_id)
ORDER BY item_id, passed, NOT hard, check_name;
