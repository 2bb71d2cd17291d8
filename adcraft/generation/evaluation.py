"""How good a text model writes, on products it never trained on: for each held-out corpus line, the model is
asked for the same product, field, voice and angle, as generation asks (worked examples from the corpus for a
model not trained on it, taken from the training categories only), with fixed seeds. Each answer is cleaned
and composed as generation does, scored by the gate (check_copy) and counted as the policy would approve it at
once: the first-pass auto-approval rate, beside distinct-2. Two models given the same lines and seed get the
same sampling seeds, so their figures compare like for like. Figures are given for the held-out categories
and for the held-out products of the training categories apart.
"""

from dataclasses import dataclass
from itertools import groupby

from adcraft.checks.base import CopyCandidate, KnownPII
from adcraft.checks.gate import check_copy, gate_scores
from adcraft.copy.corpus import CorpusLine
from adcraft.copy.examples import corpus_index
from adcraft.copy.prompts import FieldPrompt
from adcraft.generation.best_of_n import distinct_2
from adcraft.generation.cleaning import clean_output
from adcraft.generation.plan import seed_for
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import Brand
from models.text_generator import TextGenerator

LINK = "https://shop.example.com/p/{sku}"


@dataclass(frozen=True)
class HeldOutLine:
    """A field to write for a held-out product: what the request and the gate need."""

    content_type: str
    field: str
    product: dict
    brand: str
    angle: str
    category: str
    """The corpus category, so figures can be split by held-out category."""
    approve_at: float = 0.75

    @classmethod
    def from_corpus(cls, line: CorpusLine) -> "HeldOutLine":
        return cls(line.content_type, line.field, line.facts(), line.voice, line.angle, line.category)


def evaluate(generator: TextGenerator, lines: list[HeldOutLine], brands: dict[str, Brand], examples: int = 0,
             known_pii: KnownPII = KnownPII(), samples: int = 1, seed: int = 7, batch_size: int = 32,
             holdout_categories: tuple[str, ...] = ()) -> dict:
    """Write each held-out line `samples` times, compose it, and score it as the nightly flow would (best-of-N
    aside). `examples` worked examples per prompt, from categories other than `holdout_categories`."""
    prompts = [FieldPrompt(line.content_type, CONTENT_TYPES[line.content_type].field(line.field), line.product,
                           brands[line.brand], LINK.format(sku=line.product["sku"])) for line in lines]
    shown: dict[int, list] = {}
    if examples:
        index = corpus_index(frozenset(holdout_categories))
        for (content_type, field), group in groupby(sorted(range(len(lines)), key=lambda i: _field(lines[i])),
                                                    key=lambda i: _field(lines[i])):
            group = list(group)
            found = index.nearest([lines[i].product for i in group], content_type, field,
                                  lines[group[0]].brand, examples)
            shown |= dict(zip(group, found, strict=True))
    slots = sorted(((i, s) for i in range(len(lines)) for s in range(samples)), key=lambda x: _field(lines[x[0]]))
    answers: dict[tuple[int, int], str] = {}
    for key, group in groupby(slots, key=lambda x: _field(lines[x[0]])):
        group = list(group)
        for start in range(0, len(group), batch_size):
            chunk = group[start:start + batch_size]
            outputs = generator.generate(
                [prompts[i].conversation(lines[i].angle, shown.get(i, [])) for i, _ in chunk],
                CONTENT_TYPES[key[0]].field(key[1]).max_new_tokens, seed_for(seed, "held-out", *key, start))
            for (i, s), raw in zip(chunk, outputs, strict=True):
                answers[(i, s)] = prompts[i].compose(clean_output(raw, prompts[i].room))

    approved = set()
    for brand_name in sorted({line.brand for line in lines}):
        mine = [key for key in answers if lines[key[0]].brand == brand_name]
        items = [CopyCandidate(f"{i}/{s}", lines[i].content_type, lines[i].field, answers[(i, s)], lines[i].product,
                               prompts[i].link if CONTENT_TYPES[lines[i].content_type].field(lines[i].field).link
                               else None) for i, s in mine]
        scores = gate_scores(check_copy(items, brands[brand_name], known_pii))
        approved |= {(i, s) for i, s in mine if scores[f"{i}/{s}"] >= lines[i].approve_at}

    def figures(keys: list[tuple[int, int]]) -> dict:
        return {
            "items": len(keys),
            "approval_rate": round(sum(k in approved for k in keys) / len(keys), 3) if keys else 0.0,
            "distinct_2": round(distinct_2([answers[k] for k in keys]), 3),
        }

    keys = sorted(answers)
    unseen = [k for k in keys if lines[k[0]].category in holdout_categories]
    return {
        "version": generator.version, **figures(keys),
        "held_out_categories": figures(unseen),
        "held_out_products_of_training_categories": figures([k for k in keys if k not in set(unseen)]),
        "by_content_type": {ct: figures([k for k in keys if lines[k[0]].content_type == ct])
                            for ct in sorted({line.content_type for line in lines})},
        "texts": [{"content_type": lines[i].content_type, "field": lines[i].field, "category": lines[i].category,
                   "product": lines[i].product["name"], "text": answers[(i, s)], "approved": (i, s) in approved}
                  for i, s in keys],
    }


def _field(line: HeldOutLine) -> tuple[str, str]:
    return line.content_type, line.field
