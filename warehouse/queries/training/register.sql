-- A newly trained version, as challenger. Training the same data with the same seed can give the very same
-- adapter (same version): it is already registered, and its status is kept.
INSERT INTO ops.model_registry
    (model_version, kind, source, path, base_model, base_path, data_snapshot, training_config, status)
VALUES ($model_version, $kind, $source, $path, $base_model, $base_path, $data_snapshot, $training_config,
        'challenger')
ON CONFLICT (model_version) DO NOTHING;
