-- 005: what fine-tuning records about a model version (models/registry.py).
-- A LoRA's version is '<base version>+lora@<hash of the adapter>'; its path is the adapter folder.
ALTER TABLE ops.model_registry ADD COLUMN base_model VARCHAR;
ALTER TABLE ops.model_registry ADD COLUMN base_path VARCHAR;
-- {"train_items": n, "held_out_prompts": n, "held_out_pct": p, "sha256": ...}: which data, exactly.
ALTER TABLE ops.model_registry ADD COLUMN data_snapshot JSON;
ALTER TABLE ops.model_registry ADD COLUMN training_config JSON;
-- Set when a version becomes champion through promotion; generation loads the newest promoted champion.
-- Rows without it (models generation merely used) are never picked as champion.
ALTER TABLE ops.model_registry ADD COLUMN promoted_at TIMESTAMP;

-- The approved items each trained version learnt from.
CREATE TABLE ops.model_training_items (
    model_version VARCHAR NOT NULL,
    item_id       VARCHAR NOT NULL,
    PRIMARY KEY (model_version, item_id)
);
