-- One check result on one item.
INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score, reason)
VALUES ($item_id, $batch_id, $check_name, $hard, $passed, $score, $reason);
