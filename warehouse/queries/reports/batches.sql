SELECT batch_id, campaign, run_date FROM content.batches ORDER BY run_date
