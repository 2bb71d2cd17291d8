"""How good a text model writes: it answers the stored prompts of held-out lines with fixed seeds, each line is
cleaned and composed as generation does (the field's template slots in its facts), scored by the gate
(check_copy), and counted as the campaign's policy would approve it at once: the first-pass auto-approval
rate, beside distinct-2 for diversity. Two models given the same lines and seed get the same sampling seeds,
so their figures compare like for like.
"""

import hashlib
from dataclasses import dataclass
from itertools import groupby

from adcraft.checks.base import CopyCandidate, KnownPII
from adcraft.checks.gate import check_copy, gate_scores
from adcraft.copy.prompts import FieldPrompt
from adcraft.generation.best_of_n import distinct_2
from adcraft.generation.cleaning import clean_output
from adcraft.kernel.channels import CONTENT_TYPES, FieldSpec
from adcraft.kernel.config import Brand
from models.text_generator import TextGenerator


@dataclass(frozen=True)
class HeldOutLine:
    """A line written for a held-out product: the prompts it was made from (one per generation), and what
    its template and the gate need to compose and score a new one."""

    content_type: str
    field: str
    prompts: list[list[dict]]
    product: dict
    segment: dict | None
    link: str
    brand: str
    approve_at: float


def _seed(base: int, *parts: object) -> int:
    key = "|".join(str(p) for p in (base, *parts))
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")


def evaluate(generator: TextGenerator, lines: list[HeldOutLine], brands: dict[str, Brand],
             known_pii: KnownPII = KnownPII(), samples: int = 2, seed: int = 7, batch_size: int = 16) -> dict:
    """Write each held-out line `samples` times from its stored prompts, compose it as its template does,
    and score it as the nightly flow would (best-of-N aside)."""
    templates = [
        FieldPrompt(line.content_type, _spec(line), line.product, line.segment, brands[line.brand], line.link)
        for line in lines
    ]
    # One generation per (line, part, sample); a batch shares its field's token budget and its prompt opening.
    slots = sorted(
        ((i, part, sample) for i, line in enumerate(lines) for part in range(len(line.prompts))
         for sample in range(samples)),
        key=lambda slot: (lines[slot[0]].content_type, lines[slot[0]].field, slot[1]),
    )
    written: dict[tuple[int, int, int], str] = {}
    for (content_type, field, part), group in groupby(
        slots, key=lambda slot: (lines[slot[0]].content_type, lines[slot[0]].field, slot[1])
    ):
        group = list(group)
        for index in range(0, len(group), batch_size):
            chunk = group[index:index + batch_size]
            outputs = generator.generate(
                [lines[i].prompts[part] for i, _, _ in chunk], _spec(lines[chunk[0][0]]).max_new_tokens,
                _seed(seed, "held-out", content_type, field, part, index),
            )
            for (i, _, sample), raw in zip(chunk, outputs):
                written[(i, part, sample)] = clean_output(raw, templates[i].room)

    answers = [  # (line index, composed text)
        (i, templates[i].compose([written[(i, part, sample)] for part in range(len(line.prompts))]))
        for i, line in enumerate(lines) for sample in range(samples)
    ]
    approved = set()
    for brand_name in sorted({line.brand for line in lines}):
        mine = [(n, i, text) for n, (i, text) in enumerate(answers) if lines[i].brand == brand_name]
        items = [
            CopyCandidate(str(n), lines[i].content_type, lines[i].field, text, lines[i].product,
                          lines[i].link if _spec(lines[i]).link else None)
            for n, i, text in mine
        ]
        scores = gate_scores(check_copy(items, brands[brand_name], known_pii))
        approved |= {n for n, i, _ in mine if scores[str(n)] >= lines[i].approve_at}

    def figures(numbers: list[int]) -> dict:
        return {
            "items": len(numbers),
            "approval_rate": round(sum(n in approved for n in numbers) / len(numbers), 3) if numbers else 0.0,
            "distinct_2": round(distinct_2([answers[n][1] for n in numbers]), 3),
        }

    types = sorted({line.content_type for line in lines})
    return {
        "version": generator.version, **figures(list(range(len(answers)))),
        "by_content_type": {
            ct: figures([n for n, (i, _) in enumerate(answers) if lines[i].content_type == ct]) for ct in types
        },
        "texts": [{"content_type": lines[i].content_type, "field": lines[i].field, "text": text,
                   "approved": n in approved} for n, (i, text) in enumerate(answers)],
    }


def _spec(line: HeldOutLine) -> FieldSpec:
    return CONTENT_TYPES[line.content_type].field(line.field)
