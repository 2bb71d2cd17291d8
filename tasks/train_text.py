"""Fine-tuning stages: collect approved copy, train a LoRA challenger, evaluate it against the champion on
held-out briefs, and promote it only if it wins (models/text_finetune.py, models/model_registry.py)."""

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from prefect import get_run_logger, task

from adcraft.channels import CONTENT_TYPES
from adcraft.config import load_brand
from adcraft.db import sql, warehouse
from adcraft.settings import get_settings
from adcraft.stages import gpu_slot, timed_stage
from models import model_registry
from models.scorers.text_checks import known_pii_from_warehouse
from models.text_finetune import Example, HeldOutLine, TrainConfig, evaluate, train_lora
from models.text_generator import TextGenerator, default_model_dir, load_text_generator


class TrainingDataError(ValueError):
    """The warehouse has nothing to learn from, or nothing to evaluate on; the message says what to do."""


def _known(content_type: str, field: str) -> bool:
    spec = CONTENT_TYPES.get(content_type)
    return spec is not None and spec.field(field) is not None


def held_out_lines(con, held_out_pct: int) -> list[HeldOutLine]:
    """The newest model-written lines of the held-out products (by a hash of the sku), with their prompts."""
    rows = con.execute(sql("training/held_out"), {"held_out_pct": held_out_pct}).fetchall()
    # Lines of content types or fields that no longer exist cannot be composed or scored any more.
    return [
        HeldOutLine(ct, field, [json.loads(p) for p in prompts], json.loads(product),
                    None if CONTENT_TYPES[ct].per_product else json.loads(segment), link, brand, approve_at)
        for ct, field, _sku, prompts, product, segment, link, brand, approve_at in rows if _known(ct, field)
    ]


@task(name="collect-training-data")
def collect_training_data(held_out_pct: int, min_quality: float, max_examples: int) -> dict:
    """Generations behind approved lines of the training products, and the newest lines of the held-out
    products with the prompts they were made from."""
    params = {"held_out_pct": held_out_pct}
    with warehouse() as con:
        examples = con.execute(
            sql("training/examples"), {**params, "min_quality": min_quality, "max_examples": max_examples}
        ).fetchall()
        lines = held_out_lines(con, held_out_pct)
    if not examples:
        raise TrainingDataError(
            "No approved copy to learn from outside the held-out products. Run the nightly flow first "
            "(`adcraft demo`, `adcraft run CAMPAIGN --date ...`), approve items, or lower --min-quality."
        )
    if not lines:
        raise TrainingDataError(
            f"No held-out lines: no product with model-written copy falls in the held-out {held_out_pct}% "
            "split. Raise --held-out-pct, or generate copy for more products first."
        )
    train = [Example(item_id, json.loads(prompt), answer) for item_id, prompt, answer, _, _ in examples]
    digest = hashlib.sha256(json.dumps(
        [[e.item_id, e.conversation, e.answer] for e in train] + [[x.content_type, x.prompts] for x in lines],
        sort_keys=True,
    ).encode()).hexdigest()
    snapshot = {
        "train_examples": len(train), "train_items": len({e.item_id for e in train}),
        "by_people": len({row[0] for row in examples if row[3]}), "held_out_lines": len(lines),
        "held_out_products": len({line.product["sku"] for line in lines}), "held_out_pct": held_out_pct,
        "min_quality": min_quality, "sha256": digest,
    }
    return {"examples": train, "held_out": lines, "snapshot": snapshot}


@task(name="train-challenger")
def train_challenger(data: dict, config: TrainConfig, base_model: str | None = None) -> dict:
    """Train a LoRA on the base model (ADCRAFT_TEXT_MODEL, else SmolLM2) and register it as challenger."""
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
    the same seeds; both are scored by the gate under each line's campaign policy."""
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
    """Record the evaluation; promote the challenger only if it beats the champion on the held-out briefs."""
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
