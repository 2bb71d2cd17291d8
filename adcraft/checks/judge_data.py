"""What the editor judge learns from: lines in their context (product facts, field) labelled ship (1) or not (0).

- The copy corpus's lines are positives (corpus/copy/, its held-out categories left out).
- Real lines of the text model, each read and labelled by a person (corpus/judge/labelled_outputs.jsonl):
  its good lines are positives too, so the judge learns quality, not who wrote a line.
- Bad lines written by hand (corpus/judge/bad_lines.jsonl): the mistakes a model and a sloppy writer make.
- Systematic negatives made from corpus lines (deterministic, seeded): a good line with another product's
  facts, the product's name garbled, an invented award or origin, generic filler (corpus/judge/filler.txt),
  broken grammar, and a colour, material or number the facts do not have.

The held-out editor set (tests/data/editor_set.jsonl) is never read here; tests/checks/test_judge.py checks
that none of its lines or products reach training.
"""

import json
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from adcraft.checks.base import CopyCandidate
from adcraft.checks.gate import check_copy, gate_scores
from adcraft.checks.judge import APPROVE_AT
from adcraft.copy.corpus import CorpusLine, load_corpus
from adcraft.copy.prompts import FieldPrompt
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_brand
from adcraft.kernel.settings import PROJECT_DIR

JUDGE_DATA = PROJECT_DIR / "corpus" / "judge"
HOLDOUT_CATEGORIES = ("confectionery", "garden", "pets")
"""The copy model's held-out categories (adcraft/generation/training_data.py): the judge never sees them."""
CLAIMS = ["Award-winning", "Voted product of the year:", "Handmade by artisans.", "Our newest addition:",
          "The world's favourite.", "Imported from Italy.", "Now 40% off:", "Clinically proven."]
FUNCTION_WORDS = {"a", "an", "the", "and", "of", "to", "in", "for", "with", "on", "is", "are", "it", "your"}
COLOURS = ["red", "blue", "green", "yellow", "pink", "purple", "orange", "white", "black", "grey"]
MATERIALS = ["leather", "silk", "cotton", "glass", "steel", "wool", "plastic", "bamboo", "linen", "oak"]


@dataclass(frozen=True)
class Pair:
    item: CopyCandidate
    """The line with its product and field, as the gate sees it."""
    voice: str
    """The brand (brands/<voice>.yaml) the line was written for."""
    label: int
    group: str
    """The product: pairs of one product stay on one side of the validation split."""
    source: str
    """corpus, labelled, hand_bad, or the kind of systematic negative."""


LINK = "https://shop.example.com/p/{sku}"


def _pair(line: CorpusLine, text: str, label: int, source: str, product: dict | None = None) -> Pair:
    """The line as the gate sees it: a field that carries the product link (SMS) gets its price and link
    composed on, as generation does."""
    product = product or line.facts()
    spec = CONTENT_TYPES[line.content_type].field(line.field)
    link = None
    if spec.link:
        link = LINK.format(sku=line.sku)
        text = FieldPrompt(line.content_type, spec, product, load_brand(line.voice), link).compose(text)
    return Pair(CopyCandidate("j", line.content_type, line.field, text, product, link), line.voice, label,
                line.sku, source)


def _records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(raw) for raw in path.read_text(encoding="utf-8").splitlines() if raw.strip()]


def _as_line(record: dict) -> CorpusLine:
    return CorpusLine("", 0, record["sku"], record["category"], record["voice"], record["content_type"],
                      record["field"], "benefit", record["product"], record["text"])


def _garble(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    return rng.choice([word[:i] + word[i + 1:], word[:i] + word[i + 1] + word[i] + word[i + 2:], word[: len(word) - 2]])


def _broken(text: str, rng: random.Random) -> str | None:
    words = text.split()
    if len(words) < 4:
        return None
    kind = rng.randrange(4)
    if kind == 0:  # a word said twice
        i = rng.randrange(len(words))
        words.insert(i, words[i])
    elif kind == 1:  # a small word dropped
        small = [i for i, w in enumerate(words) if w.lower() in FUNCTION_WORDS]
        if not small:
            return None
        del words[rng.choice(small)]
    elif kind == 2:  # two words swapped
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    else:  # cut off mid-sentence
        words = words[: max(2, int(len(words) * rng.uniform(0.4, 0.7)))]
        words[-1] = words[-1].rstrip(".,!?;:")
    broken = " ".join(words)
    return broken if broken != text else None


NUMBER_WORDS = ["two", "three", "four", "five", "six", "eight", "ten", "twelve"]


def _wrong_fact(line: CorpusLine, rng: random.Random) -> str | None:
    """The line with a colour, material or number the facts do not have."""
    facts = json.dumps(line.product).lower()
    for words in (COLOURS, MATERIALS, NUMBER_WORDS):
        for word in words:
            if re.search(rf"\b{word}\b", line.text, re.IGNORECASE):
                other = rng.choice([w for w in words if w not in facts and w != word])
                return re.sub(rf"\b{word}\b", other, line.text, count=1, flags=re.IGNORECASE)
    if number := re.search(r"\b\d+\b", line.text):
        value = int(number.group(0))
        other = str(value + rng.choice([1, 2, 5, 10, value or 1]))
        return line.text[:number.start()] + other + line.text[number.end():]
    return None


def systematic_negatives(lines: list[CorpusLine], seed: int = 7) -> list[Pair]:
    """Bad lines made from good ones, in the ways models and careless writers go wrong."""
    rng = random.Random(seed)
    filler = [f.strip() for f in (JUDGE_DATA / "filler.txt").read_text().splitlines()
              if f.strip() and not f.startswith("#")]
    by_field: dict[tuple[str, str], list[CorpusLine]] = {}
    for line in lines:
        by_field.setdefault((line.content_type, line.field), []).append(line)
    pairs = []
    for line in lines:
        roll = rng.random()
        if roll < 0.3:  # a good line, about another product
            others = [o for o in by_field[(line.content_type, line.field)] if o.category != line.category]
            if others:
                pairs.append(_pair(line, rng.choice(others).text, 0, "other_product"))
        elif roll < 0.45:
            name_words = [w for w in re.findall(r"[A-Za-z]{4,}", line.product["name"]) if w in line.text]
            if name_words:
                word = rng.choice(name_words)
                pairs.append(_pair(line, line.text.replace(word, _garble(word, rng), 1), 0, "garbled_name"))
        elif roll < 0.55:
            claim = rng.choice(CLAIMS)
            pairs.append(_pair(line, f"{claim} {line.text}", 0, "invented_claim"))
        elif roll < 0.65:
            pairs.append(_pair(line, rng.choice(filler), 0, "filler"))
        elif roll < 0.9:
            if broken := _broken(line.text, rng):
                pairs.append(_pair(line, broken, 0, "grammar"))
        elif wrong := _wrong_fact(line, rng):
            pairs.append(_pair(line, wrong, 0, "wrong_fact"))
    return pairs


def judge_pairs(seed: int = 7) -> list[Pair]:
    """Every training pair, in a fixed order."""
    corpus = [line for line in load_corpus() if line.category not in HOLDOUT_CATEGORIES]
    pairs = [_pair(line, line.text, 1, "corpus") for line in corpus]
    for record in _records(JUDGE_DATA / "labelled_outputs.jsonl"):
        if record["category"] not in HOLDOUT_CATEGORIES:
            pairs.append(_pair(_as_line(record), record["text"], int(record["shippable"]), "labelled"))
    for record in _records(JUDGE_DATA / "bad_lines.jsonl"):
        if record["category"] not in HOLDOUT_CATEGORIES:
            pairs.append(_pair(_as_line(record), record["text"], 0, "hand_bad"))
    return pairs + systematic_negatives(corpus, seed)


def held_by_rules(pairs: list[Pair], rows: set[int]) -> np.ndarray:
    """Per pair, whether the gate without the judge keeps it from approval (only rows are checked)."""
    held = np.zeros(len(pairs), dtype=bool)
    for voice in sorted({pairs[i].voice for i in rows}):
        picked = [i for i in sorted(rows) if pairs[i].voice == voice]
        items = [replace(pairs[i].item, item_id=str(i)) for i in picked]
        for item_id, score in gate_scores(check_copy(items, load_brand(voice), editor=False)).items():
            held[int(item_id)] = score < APPROVE_AT
    return held
