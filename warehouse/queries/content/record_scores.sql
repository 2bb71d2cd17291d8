-- The batch's scores from the registered frame new_scores (one row per item and check).
INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score, reason, model_version)
SELECT item_id, batch_id, check_name, hard, passed, score, reason, model_version FROM new_scores
