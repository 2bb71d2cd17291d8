INSERT OR IGNORE INTO ops.model_training_items VALUES ($model_version, $item_id)
