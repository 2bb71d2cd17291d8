"""Fine-tuning stages: collect approved copy, train a LoRA challenger, evaluate it against the champion on
held-out briefs, and promote it only if it wins (models/text_finetune.py, models/registry.py)."""

import json
from dataclasses import asdict
from pathlib import Path

from prefect import get_run_logger, task

from adcraft.checks.pii import known_pii_from_warehouse
from adcraft.generation.evaluation import evaluate
from adcraft.generation.training_data import training_data
from adcraft.kernel.config import load_brand
from adcraft.kernel.db import warehouse
from adcraft.kernel.settings import get_settings
from adcraft.operations.stages import gpu_slot, timed_stage
from models import registry as model_registry
from models.text_finetune import TrainConfig, train_lora
from models.text_generator import TextGenerator, default_model_dir, load_text_generator


@task(name="collect-training-data")
def collect_training_data(held_out_pct: int, min_quality: float, max_examples: int) -> dict:
    """Reads content.copy_items, content.decisions, marts.briefs and content.batches: the generations behind
    approved lines of the training products, and the newest lines of the held-out products."""
    return training_data(held_out_pct, min_quality, max_examples)


@task(name="train-challenger")
def train_challenger(data: dict, config: TrainConfig, base_model: str | None = None) -> dict:
    """Train a LoRA on the base model (ADCRAFT_TEXT_MODEL, else SmolLM2) and register it as challenger.
    Writes the adapter under ADCRAFT_HOME/models/text-lora, ops.model_registry and ops.model_training_items."""
    settings = get_settings()
    base_dir = Path(base_model) if base_model else settings.text_model or default_model_dir(settings.models_dir)
    with gpu_slot():
        result = train_lora(base_dir, data["examples"], config, settings.models_dir / "text-lora", settings.device,
                            log=get_run_logger().info)
    item_ids = [e.item_id for e in data["examples"]]
    (Path(result["path"]) / "training.json").write_text(json.dumps(
        {**result, "data_snapshot": data["snapshot"], "item_ids": item_ids}, indent=2
    ))
    with warehouse() as con:
        model_registry.register(
            con, result["version"], "text", "lora", result["path"], result["version"].split("+lora@")[0],
            str(base_dir), data["snapshot"], asdict(config), item_ids,
        )
    return {k: v for k, v in result.items() if k != "losses"} | {"final_loss": result["losses"][-1]}


@task(name="evaluate-held-out")
@timed_stage
def evaluate_held_out(data: dict, challenger: dict, samples: int) -> dict:
    """The champion (what generation uses now) and the challenger answer the same held-out prompts with
    the same seeds; both are scored by the gate under each line's campaign policy. Reads raw.customers (names
    the gate looks for); writes evaluation.json beside the adapter."""
    settings = get_settings()
    lines = data["held_out"]
    brands = {name: load_brand(name) for name in {line.brand for line in lines}}
    with warehouse(read_only=True) as con:
        known_pii = known_pii_from_warehouse(con)
    def run(generator: TextGenerator) -> dict:
        return evaluate(generator, lines, brands, known_pii, samples, settings.seed, settings.generation_batch_size)

    with gpu_slot():
        results = {"champion": run(load_text_generator(settings.models_dir, settings.text_model, settings.device))}
        results["challenger"] = run(TextGenerator(Path(challenger["base_path"]), settings.device,
                                                  adapter_dir=Path(challenger["path"])))
    # Every generated line, for a person to read next to the adapter.
    (Path(challenger["path"]) / "evaluation.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return {role: {k: v for k, v in r.items() if k != "texts"} for role, r in results.items()}


@task(name="promote-if-better")
def promote_if_better(challenger_version: str, evaluation: dict) -> dict:
    """Record the evaluation; promote the challenger only if it beats the champion on the held-out briefs.
    Writes ops.model_registry (metrics, status)."""
    promoted = model_registry.beats(evaluation["challenger"], evaluation["champion"])
    with warehouse() as con:
        model_registry.record_metrics(con, challenger_version, {"held_out": evaluation})
        if promoted:
            model_registry.promote(con, challenger_version)
        champion = model_registry.champion(con)
    if promoted and get_settings().text_model:
        get_run_logger().warning("ADCRAFT_TEXT_MODEL is set, so generation keeps using that model; "
                                 "unset it to generate with the new champion.")
    return {"challenger": challenger_version, "promoted": promoted,
            "champion": champion["model_version"] if champion else None}
