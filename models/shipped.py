"""The copy model adcraft ships: a LoRA adapter on SmolLM2-135M-Instruct, trained on the copy corpus
(corpus/), in models/weights/copy-lora with its corpus hash, training config and held-out metrics
(training.json). `make train-copy-model` (adcraft train text --corpus) rebuilds it.

When the registry has no text champion, the shipped adapter is registered and promoted, so a fresh install
writes with it and trains nothing. A champion trained later replaces it the usual way (models/registry.py).
"""

import json
from pathlib import Path

from adcraft.kernel.db import warehouse
from models import registry
from models.text_generator import adapter_version, default_model_dir, model_version

SHIPPED_DIR = Path(__file__).parent / "weights" / "copy-lora"


def shipped_training() -> dict | None:
    """What the shipped adapter was trained on and how (training.json), or None if none is shipped."""
    path = SHIPPED_DIR / "training.json"
    return json.loads(path.read_text()) if path.exists() and (SHIPPED_DIR / "adapter_config.json").exists() else None


def shipped_champion(models_dir: Path) -> dict | None:
    """Register the shipped adapter as the text champion and return its registry row; None when there is no
    shipped adapter."""
    training = shipped_training()
    if training is None:
        return None
    base = default_model_dir(models_dir)
    version = adapter_version(base, SHIPPED_DIR)
    with warehouse() as con:
        registry.register(con, version, "text", "shipped", str(SHIPPED_DIR), model_version(base), str(base),
                          training["data_snapshot"], training["config"], [])
        registry.record_metrics(con, version, training.get("metrics", {}))
        registry.promote(con, version)
        return registry.champion(con, "text")
