"""Planning a batch's copy: which generations to run for every field of every brief, in what chunks, and how
their outputs become the lines that are stored.

A field's template (adcraft/copy/prompts.py) says how its line is made: one generation (a headline), one with
facts slotted around it (an SMS's price and link), or facts alone (a bullet that states the material). A
field keeps `keep` lines per brief (FieldSpec.keep, else the campaign's `variants`), its fact lines first;
with best-of-N (`candidates` > `variants`) it generates candidates/variants times as many lines as the model
keeps, the gate scores them and the best diverse ones are kept (adcraft/generation/best_of_n.py). A field's
candidates take its angles in turn, from a place that depends on the brief's segment, so two segments' briefs
for one product ask for different angles.

Each stored line carries its prompt, seed, model version and template version, so it can be explained and
written again.
"""

import hashlib
import json
import math
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from adcraft.checks.base import CopyCandidate, KnownPII
from adcraft.checks.gate import check_copy, gate_scores
from adcraft.copy.examples import nearest_examples
from adcraft.copy.prompts import FieldPrompt, template_versions
from adcraft.generation.best_of_n import select
from adcraft.generation.cleaning import clean_output, whole_sentences
from adcraft.kernel.channels import CONTENT_TYPES, FieldSpec
from adcraft.kernel.config import Brand
from models.registry import text_champion
from models.shipped import shipped_champion
from models.text_backend import TextBackend
from models.text_endpoint import Endpoint, EndpointGenerator
from models.text_generator import default_model_dir, load_champion, load_text_generator
from models.text_generator import model_version as weights_version

FACTS_MODEL = "facts"
"""model_version of lines the template wrote from product facts: no model wrote them."""
EXAMPLES = 2
"""Worked examples per prompt for a model not trained on the corpus: enough to show the form and the voice."""


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
    angle_offset: int
    """Where the field's candidates start in its angles (from the brief's segment)."""
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
    """One generation to run: a job (by its index), for one candidate."""

    job: int
    candidate: int
    conversation: list[dict]


@dataclass(frozen=True)
class Line:
    text: str
    generation: Generation | None
    """What the model wrote it from; None for a line the template wrote from facts."""


@dataclass(frozen=True)
class Chunk:
    """One generate call: prompts that run as a batch, with their seed and token budget."""

    conversations: list[list[dict]]
    max_new_tokens: int
    seed: int


@dataclass(frozen=True)
class TextModel:
    """The model generation uses, resolved once by the stage so that GPU workers read no warehouse: an
    OpenAI-compatible server's (ADCRAFT_TEXT_ENDPOINT), else a user's own (ADCRAFT_TEXT_MODEL), else the
    registry's champion, else the copy model the project ships (registered as champion on first use), else the
    plain base model."""

    version: str
    path: Path
    champion: dict | None = None
    corpus_trained: bool = False
    """Trained on the copy corpus's requests: its prompts need no worked examples."""
    endpoint: Endpoint | None = None
    """The server that generates, in place of local weights (models/text_endpoint.py)."""

    @classmethod
    def configured(cls, settings) -> "TextModel":
        endpoint = Endpoint.from_settings(settings)
        if endpoint is not None:  # asks the server now, so a wrong URL or model name fails before any work
            return cls(EndpointGenerator(endpoint).version, Path(), corpus_trained=settings.text_endpoint_copy_model,
                       endpoint=endpoint)
        if settings.text_model is None:
            champion = text_champion() or shipped_champion(settings.models_dir)
            if champion is not None:
                config = json.loads(champion.get("training_config") or "{}")
                return cls(champion["model_version"], Path(champion["path"]), champion,
                           bool(config.get("corpus")))
        path = settings.text_model or default_model_dir(settings.models_dir)
        return cls(weights_version(path), path)

    @property
    def examples(self) -> int:
        return 0 if self.corpus_trained else EXAMPLES

    @property
    def location(self) -> str:
        """Where it runs: the weights' folder, or the server's URL (without credentials)."""
        return self.endpoint.shown if self.endpoint is not None else str(self.path)

    def load(self, settings, journal: Path | None = None, warn=None) -> TextBackend:
        """The backend that writes. An endpoint's replies go to `journal` as they arrive (a re-run reads them), and
        its retries to `warn`."""
        if self.endpoint is not None:
            return EndpointGenerator(self.endpoint, journal, warn)
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
    template's fact lines come first, up to what the field keeps; the model writes the rest (or, for a field
    with `model_lines`, that many beside every fact line), and best-of-N scales with that."""
    if spec.from_facts:
        return facts, 0, 0
    if spec.model_lines is not None:
        keep = spec.model_lines
    else:
        wanted = spec.keep or variants
        facts = min(facts, wanted)
        keep = wanted - facts
    if candidates is None:
        return facts, keep, keep
    return facts, keep, max(keep, math.ceil(keep * candidates / variants))


def plan_jobs(briefs: list[tuple], brand: Brand, variants: int, link_template: str,
              candidates: int | None) -> list[Job]:
    """One job per field of each brief (brief_id, sku, content_type, product JSON, segment JSON)."""
    jobs = []
    for brief_id, sku, content_type, product_json, segment_json in briefs:
        product = json.loads(product_json)
        segment = (json.loads(segment_json) or {}).get("segment") or ""
        content = CONTENT_TYPES[content_type]
        for spec in content.fields:
            prompt = FieldPrompt(content_type, spec, product, brand, link_template.format(sku=sku))
            counts = line_counts(spec, variants, candidates, len(prompt.fact_lines))
            offset = 0 if content.per_product else seed_for(0, segment) % 5
            jobs.append(Job(brief_id, content_type, spec, prompt, offset, *counts))
    return jobs


def plan_slots(jobs: list[Job], examples: int, voice: str | None = None) -> list[Slot]:
    """Every generation the jobs need, one per candidate, each with its conversation; `examples` worked
    examples from the corpus go before each request (none for the copy model)."""
    wanted = [j for j, job in enumerate(jobs) if job.candidates]
    found: dict[int, list] = {}
    by_field: dict[tuple[str, str], list[int]] = {}
    for j in wanted:
        by_field.setdefault((jobs[j].content_type, jobs[j].spec.name), []).append(j)
    for (content_type, field), group in by_field.items():
        shown = nearest_examples([jobs[j].prompt.product for j in group], content_type, field, voice, examples)
        found |= dict(zip(group, shown, strict=True))
    return [
        Slot(j, c, jobs[j].prompt.conversation(jobs[j].prompt.angle(c, jobs[j].angle_offset), found[j]))
        for j in wanted for c in range(jobs[j].candidates)
    ]


def plan_chunks(jobs: list[Job], slots: list[Slot], batch_id: str, batch_size: int,
                seed: int) -> tuple[list[list[Slot]], list[Chunk]]:
    """The slots in chunks of similar token budget, each chunk one generate call. Within that, slots of one
    field sit together, by product category, so a chunk mostly shares its opening (the system prompt), which
    the generator runs once for the whole chunk. A chunk's seed is its place in the batch, so the output does
    not depend on how chunks are spread over workers."""
    def order(slot: Slot) -> tuple:
        job = jobs[slot.job]
        category = str(job.prompt.product.get("category"))
        return job.spec.max_new_tokens, job.content_type, job.spec.name, category, slot.job, slot.candidate

    batches = list(chunked(sorted(slots, key=order), batch_size))
    chunks = [
        Chunk([s.conversation for s in batch], max(jobs[s.job].spec.max_new_tokens for s in batch),
              seed_for(seed, batch_id, index))
        for index, batch in enumerate(batches)
    ]
    return batches, chunks


Generations = dict[tuple[int, int], Generation]
"""(job, candidate) -> what the model wrote."""


def read_outputs(jobs: list[Job], batches: list[list[Slot]], chunks: list[Chunk],
                 outputs: list[list[str]]) -> Generations:
    """What the model wrote for every slot, cleaned into the text its field needs."""
    generations: Generations = {}
    for batch, chunk, raws in zip(batches, chunks, outputs, strict=True):
        for slot, raw in zip(batch, raws, strict=True):
            job = jobs[slot.job]
            text = clean_output(raw, job.prompt.room)
            if job.spec.max_words is not None:  # a paragraph: none of its sentences may stop mid-way
                text = whole_sentences(text) or text
            generations[(slot.job, slot.candidate)] = Generation(slot.conversation, raw, text, chunk.seed)
    return generations


def keep_best(jobs: list[Job], generations: Generations, brand: Brand, known_pii: KnownPII) -> dict[int, list[Line]]:
    """Per job (by index), the lines to store, best first: the template's fact lines, then the model's. When a
    job generated more candidates than it keeps, the gate picks the best diverse ones."""
    composed = {
        j: [Line(job.prompt.compose(generations[(j, c)].text), generations[(j, c)]) for c in range(job.candidates)]
        for j, job in enumerate(jobs) if job.candidates
    }
    choosing = [j for j in composed if jobs[j].candidates > jobs[j].keep]
    groups = [[jobs[j].candidate(f"{j}/{c}", line.text) for c, line in enumerate(composed[j])] for j in choosing]
    flat = [c for group in groups for c in group]
    scores = gate_scores(check_copy(flat, brand, known_pii)) if flat else {}
    picks = {j: select([c.text for c in group], [scores[c.item_id] for c in group], jobs[j].keep)
             for j, group in zip(choosing, groups, strict=True)}
    return {
        j: [Line(text, None) for text in job.prompt.fact_lines[:job.facts]]
        + ([composed[j][c] for c in picks[j]] if j in picks else composed.get(j, []))
        for j, job in enumerate(jobs)
    }


def copy_item_rows(jobs: list[Job], lines: dict[int, list[Line]], batch_id: str, model_version: str) -> list[dict]:
    """content.copy_items rows for the kept lines, each with its provenance (`parts`: the generation it was
    written from, as a list of one, which training and review read)."""
    rows = []
    for j, job in enumerate(jobs):
        version = template_versions(job.content_type)
        for variant, line in enumerate(lines[j]):
            g = line.generation
            rows.append({
                "item_id": item_id(batch_id, job.brief_id, job.spec.name, variant), "batch_id": batch_id,
                "brief_id": job.brief_id, "content_type": job.content_type, "field": job.spec.name,
                "variant": variant, "text": line.text, "raw_output": g.raw if g else "",
                "prompt": json.dumps(g.conversation if g else []), "seed": g.seed if g else 0,
                "model_version": model_version if g else FACTS_MODEL, "template_version": version,
                "parts": json.dumps([{"prompt": g.conversation, "raw": g.raw, "text": g.text}] if g else []),
            })
    return rows
