-- The model generation uses (unless ADCRAFT_TEXT_MODEL is set): the newest promoted champion of a kind.
SELECT model_version, path, base_model, base_path, CAST(training_config AS VARCHAR) AS training_config
FROM ops.model_registry
WHERE kind = $kind AND status = 'champion' AND promoted_at IS NOT NULL
ORDER BY promoted_at DESC
LIMIT 1;
