"""The transform step: builds the SQL models declared in warehouse/models.yaml (staging and marts)."""
