-- The model a batch was written with, registered once (models/registry.py keeps trained ones with more).
INSERT OR IGNORE INTO ops.model_registry (model_version, kind, source, path) VALUES ($model_version, 'text', $source, $path)
