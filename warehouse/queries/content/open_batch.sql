-- A batch: one campaign on one date. Its id is stable, so a re-run for the date replaces the row.
INSERT OR REPLACE INTO content.batches (batch_id, campaign, run_date, brand, campaign_config, flow_run_id)
VALUES ($batch_id, $campaign, $run_date, $brand, $campaign_config, $flow_run_id)
