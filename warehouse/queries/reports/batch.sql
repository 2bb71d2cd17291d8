SELECT batch_id, campaign, brand, run_date FROM content.batches WHERE batch_id = $batch_id
