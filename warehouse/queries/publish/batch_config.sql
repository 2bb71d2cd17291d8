-- The campaign a batch ran with: its destinations, name and product link are what publish uses.
SELECT campaign, campaign_config FROM content.batches WHERE batch_id = $batch_id;
