-- One check's result for an edited line, scored again.
INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score, reason, model_version)
VALUES ($item_id, $batch_id, $check_name, $hard, $passed, $score, $reason, $model_version);
