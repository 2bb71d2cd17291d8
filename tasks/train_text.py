"""Fine-tuning stages: collect what to learn from, train a LoRA challenger, judge it on held-out products,
and promote it only if it wins, or write it as the copy model the project ships (models/shipped.py)."""

import json
import random
import shutil
from dataclasses import asdict
from pathlib import Path

from prefect import get_run_logger, task

from adcraft.checks.pii import known_pii_from_warehouse
from adcraft.copy.corpus import load_corpus
from adcraft.generation.brand_examples import brand_examples
from adcraft.generation.evaluation import evaluate
from adcraft.generation.plan import TextModel
from adcraft.generation.training_data import (
    HOLDOUT_CATEGORIES,
    corpus_data,
    corpus_example,
    examples_hash,
    history_examples,
)
from adcraft.kernel.config import load_brand
from adcraft.kernel.db import warehouse
from adcraft.kernel.errors import TrainingDataError
from adcraft.kernel.settings import get_settings
from adcraft.operations.stages import gpu_slot, timed_stage
from models import registry as model_registry
from models.shipped import SHIPPED_DIR
from models.text_finetune import TrainConfig, mean_answer_loss, train_lora
from models.text_generator import TextGenerator, default_model_dir


@task(name="collect-training-data")
def collect_training_data(corpus: bool, example_files: list[str], brand: str, history: bool, min_quality: float,
                          max_examples: int) -> dict:
    """Reads the copy corpus, the brand files given, and (history) content.copy_items, content.decisions and
    marts.briefs: the generations behind approved lines. The corpus's held-out products are what the model
    is judged on."""
    split = corpus_data()
    examples = list(split["examples"]) if corpus else []
    skipped = []
    for path in example_files:
        found = brand_examples(Path(path), load_brand(brand))
        examples += found.examples
        skipped += found.skipped
    learnt = history_examples(min_quality, max_examples) if history and get_settings().warehouse.exists() else []
    examples += learnt
    if not examples:
        raise TrainingDataError("Nothing to learn from: give --corpus, --examples FILE, or approved copy in the "
                                "warehouse (run the nightly flow and approve items).")
    if skipped:
        get_run_logger().warning("%d rows of the brand's copy were skipped: %s", len(skipped), "; ".join(skipped))
    snapshot = {**split["snapshot"], "corpus_used": corpus, "train_examples": len(examples),
                "brand_files": list(example_files), "brand_examples": len(examples) - len(learnt)
                - (len(split["examples"]) if corpus else 0), "skipped_rows": skipped,
                "history_examples": len(learnt), "sha256": examples_hash(examples)}
    return {"examples": examples, "held_out": split["held_out"], "snapshot": snapshot}


@task(name="train-challenger")
def train_challenger(data: dict, config: TrainConfig, base_model: str | None = None,
                     max_minutes: float | None = None) -> dict:
    """Train a LoRA on the base model (ADCRAFT_TEXT_MODEL, else SmolLM2) and register it as challenger. Writes
    the adapter under ADCRAFT_HOME/models/text-lora, ops.model_registry and ops.model_training_items. With
    max_minutes it may stop early with a checkpoint, and the same call resumes."""
    settings = get_settings()
    base_dir = Path(base_model) if base_model else settings.text_model or default_model_dir(settings.models_dir)
    with gpu_slot():
        result = train_lora(base_dir, data["examples"], config, settings.models_dir / "text-lora", settings.device,
                            log=get_run_logger().info, max_minutes=max_minutes)
    if not result["finished"]:
        return result
    trained_config = {**asdict(config), "corpus": data["snapshot"]["corpus_sha256"] if data["snapshot"]["corpus_used"]
                      else None, "prompt": "corpus-v1"}
    item_ids = [e.key for e in data["examples"] if e.key.startswith("cp_")]
    (Path(result["path"]) / "training.json").write_text(json.dumps(
        {**{k: v for k, v in result.items() if k != "config"}, "config": trained_config,
         "data_snapshot": data["snapshot"]}, indent=2))
    with warehouse() as con:
        model_registry.register(
            con, result["version"], "text", "lora", result["path"], result["version"].split("+lora@")[0],
            str(base_dir), data["snapshot"], trained_config, item_ids,
        )
    return {k: v for k, v in result.items() if k != "losses"} | {
        "final_loss": round(sum(result["losses"][-20:]) / len(result["losses"][-20:]), 4), "config": trained_config}


def _sample(lines: list, count: int) -> list:
    """An even sample of the held-out lines: every field of every held-out product has a chance."""
    return lines if count >= len(lines) else sorted(random.Random(7).sample(lines, count),
                                                     key=lambda line: (line.category, line.product["sku"]))


@task(name="evaluate-held-out")
@timed_stage
def evaluate_held_out(data: dict, challenger: dict, eval_lines: int, compare: bool = True) -> dict:
    """The challenger (and, when comparing, the champion generation uses now) write the held-out lines with the
    same seeds; the gate scores them, and the challenger's loss on the held-out lines is measured. Reads
    raw.customers (names the gate looks for) when there is a warehouse; writes evaluation.json beside the
    adapter."""
    settings = get_settings()
    lines = _sample(data["held_out"], eval_lines)
    brands = {name: load_brand(name) for name in {line.brand for line in lines}}
    known_pii = None
    if settings.warehouse.exists():
        with warehouse(read_only=True) as con:
            known_pii = known_pii_from_warehouse(con)

    def run(generator: TextGenerator, examples: int) -> dict:
        kwargs = {"known_pii": known_pii} if known_pii else {}
        return evaluate(generator, lines, brands, examples, seed=settings.seed,
                        batch_size=settings.generation_batch_size, holdout_categories=HOLDOUT_CATEGORIES, **kwargs)

    path = Path(challenger["path"])
    with gpu_slot():
        trained = TextGenerator(Path(challenger["base_path"]), settings.device, adapter_dir=path)
        results = {"challenger": run(trained, 0)}
        if compare:
            # The registry's champion, in-process: promotion decides what that is, whatever a server serves.
            local = settings.model_copy(update={"text_endpoint": None})
            champion = TextModel.configured(local)
            results["champion"] = run(champion.load(local), champion.examples)
        held = [corpus_example(line) for line in load_corpus()
                if line.sku in set(data["snapshot"]["held_out_products"])]
        results["challenger"]["held_out_loss"] = mean_answer_loss(Path(challenger["base_path"]), held, path,
                                                                  settings.device)
    (path / "evaluation.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return {role: {k: v for k, v in r.items() if k != "texts"} for role, r in results.items()}


@task(name="promote-if-better")
def promote_if_better(challenger_version: str, evaluation: dict) -> dict:
    """Record the evaluation; promote the challenger only if it beats the champion on the held-out products.
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


@task(name="ship-copy-model")
def ship_copy_model(challenger: dict, evaluation: dict) -> dict:
    """Write the trained adapter as the copy model the project ships (models/weights/copy-lora): its weights,
    and training.json with the corpus hash, the training config, the held-out metrics and how to rebuild it.
    Reads and writes no warehouse."""
    source = Path(challenger["path"])
    training = json.loads((source / "training.json").read_text())
    staging = SHIPPED_DIR.with_name(SHIPPED_DIR.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        shutil.copy(source / name, staging / name)
    (staging / "training.json").write_text(json.dumps({
        "version": challenger["version"], "config": training["config"], "data_snapshot": training["data_snapshot"],
        "metrics": {"held_out": evaluation}, "seconds": training["seconds"], "steps": training["steps"],
        "tokens": training["tokens"], "tokens_run": training.get("tokens_run"), "device": training["device"],
        "final_loss": round(sum(training["losses"][-20:]) / max(len(training["losses"][-20:]), 1), 4),
        "rebuild": "make train-copy-model   # adcraft train text --ship",
    }, indent=2) + "\n")
    shutil.rmtree(SHIPPED_DIR, ignore_errors=True)
    staging.rename(SHIPPED_DIR)
    return {"path": str(SHIPPED_DIR), "version": challenger["version"]}
