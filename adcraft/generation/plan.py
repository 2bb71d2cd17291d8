"""Planning a batch's copy: which generations to run for every field of every brief, in what chunks, and how
their outputs become the lines that are stored.

A field's template (adcraft/copy/prompts.py) says how its line is made: one generation (a headline), one with
facts slotted around it (an SMS's price and link), several sentences joined between facts (a product
description's paragraph), or facts alone (its bullets). A field keeps `keep` lines per brief (FieldSpec.keep,
else the campaign's `variants`); with best-of-N (`candidates` > `variants`) it generates candidates/variants
times that many, the gate scores them and the best diverse ones are kept (adcraft/generation/best_of_n.py).

Each stored line carries its prompt, seed, model version and template version, and in `parts` every
generation it was made of, so it can be explained and regenerated.
"""

import hashlib
import json
import math
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from adcraft.checks.base import CopyCandidate, KnownPII
from adcraft.checks.gate import check_copy, gate_scores
from adcraft.copy.prompts import FieldPrompt, History, template_versions
from adcraft.generation.best_of_n import select
from adcraft.generation.cleaning import clean_output, whole_sentences
from adcraft.kernel.channels import CONTENT_TYPES, FieldSpec
from adcraft.kernel.config import Brand
from models.registry import text_champion
from models.text_generator import TextGenerator, default_model_dir, load_champion, load_text_generator
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


def chunked(items: list, size: int):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def seed_for(base: int, *parts: object) -> int:
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


Generations = dict[tuple[int, int, int], Generation]
"""(job, part, candidate) -> what the model wrote."""




def plan_jobs(briefs: list[tuple], brand: Brand, variants: int, link_template: str,
              candidates: int | None) -> list[Job]:
    """One job per field of each brief (brief_id, sku, content_type, product JSON, segment JSON)."""
    jobs = []
    for brief_id, sku, content_type, product_json, segment_json in briefs:
        product, segment = json.loads(product_json), json.loads(segment_json)
        content = CONTENT_TYPES[content_type]
        for spec in content.fields:
            prompt = FieldPrompt(content_type, spec, product, None if content.per_product else segment, brand,
                                 link_template.format(sku=sku))
            counts = line_counts(spec, variants, candidates, len(prompt.fact_lines))
            jobs.append(Job(brief_id, content_type, spec, prompt, *counts))
    return jobs


def plan_slots(jobs: list[Job], history: History) -> list[Slot]:
    """Every generation the jobs need: each part of each job, for each candidate."""
    return [
        Slot(j, part, candidate, job.prompt.conversation(part, candidate, history))
        for j, job in enumerate(jobs)
        for part in range(len(job.prompt.parts)) for candidate in range(job.candidates)
    ]


def plan_chunks(jobs: list[Job], slots: list[Slot], batch_id: str, batch_size: int,
                seed: int) -> tuple[list[list[Slot]], list[Chunk]]:
    """The slots in chunks of similar token budget, each chunk one generate call. Within that, slots of one
    field and part sit together, by product category, so a chunk mostly shares its opening (system prompt and
    examples), which the generator runs once for the whole chunk. A chunk's seed is its place in the batch, so
    the output does not depend on how chunks are spread over workers."""
    def order(slot: Slot) -> tuple:
        job = jobs[slot.job]
        category = str(job.prompt.product.get("category"))
        return job.spec.max_new_tokens, job.content_type, job.spec.name, slot.part, category, slot.job, slot.candidate

    batches = list(chunked(sorted(slots, key=order), batch_size))
    chunks = [
        Chunk([s.conversation for s in batch], max(jobs[s.job].spec.max_new_tokens for s in batch),
              seed_for(seed, batch_id, index))
        for index, batch in enumerate(batches)
    ]
    return batches, chunks


def read_outputs(jobs: list[Job], batches: list[list[Slot]], chunks: list[Chunk],
                 outputs: list[list[str]]) -> Generations:
    """What the model wrote for every slot, cleaned into the text its part needs."""
    generations: Generations = {}
    for batch, chunk, raws in zip(batches, chunks, outputs, strict=True):
        for slot, raw in zip(batch, raws, strict=True):
            prompt = jobs[slot.job].prompt
            text = clean_output(raw, prompt.room)
            if len(prompt.parts) > 1:  # sentences to be joined: none may stop mid-way
                text = whole_sentences(text)
            generations[(slot.job, slot.part, slot.candidate)] = Generation(slot.conversation, raw, text, chunk.seed)
    return generations


def keep_best(jobs: list[Job], generations: Generations, brand: Brand, known_pii: KnownPII) -> dict[int, list[Line]]:
    """Per job (by index), the lines to store, best first: the template's fact lines, then the model's. A line
    of several parts takes its c-th candidate from each part's candidates ranked by the gate; then, when a job
    generated more candidates than it keeps, the gate picks the best diverse lines."""
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


def copy_item_rows(jobs: list[Job], lines: dict[int, list[Line]], batch_id: str, model_version: str) -> list[dict]:
    """content.copy_items rows for the kept lines, each with its provenance."""
    rows = []
    for j, job in enumerate(jobs):
        version = template_versions(job.content_type)
        for variant, line in enumerate(lines[j]):
            first = line.parts[0] if line.parts else None
            rows.append({
                "item_id": item_id(batch_id, job.brief_id, job.spec.name, variant), "batch_id": batch_id,
                "brief_id": job.brief_id, "content_type": job.content_type, "field": job.spec.name,
                "variant": variant, "text": line.text, "raw_output": "\n\n".join(g.raw for g in line.parts),
                "prompt": json.dumps(first.conversation if first else []), "seed": first.seed if first else 0,
                "model_version": model_version if first else FACTS_MODEL, "template_version": version,
                "parts": json.dumps([{"prompt": g.conversation, "raw": g.raw, "text": g.text} for g in line.parts]),
            })
    return rows
