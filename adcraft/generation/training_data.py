"""What `adcraft train text` learns from, and what it is judged on.

- The copy corpus (corpus/): each line is an example, asked exactly as generation asks (the field's request
  for that product, voice and angle). Whole categories are held out (HOLDOUT_CATEGORIES), and one product
  in ten of the others (by a hash of its sku): the model never sees them, and they are what it is judged on.
- A brand's own past copy (`--examples FILE`): a Google Ads Editor export of its ads, or a CSV of product,
  field and line (brand_examples.py).
- The warehouse's approved copy: the generations behind lines the policy or a person approved.
"""

import hashlib
import json

from adcraft.copy.corpus import CorpusLine, corpus_hash, load_corpus
from adcraft.copy.prompts import FieldPrompt
from adcraft.generation.evaluation import HeldOutLine
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_brand
from adcraft.kernel.db import sql, warehouse
from models.text_finetune import Example

HOLDOUT_CATEGORIES = ("confectionery", "garden", "pets")
"""Corpus categories the copy model never trains on: its figures on them are the figures for a shop whose
products the corpus never saw."""
HOLDOUT_PRODUCT_SHARE = 10
"""One product in this many of the other categories is held out too (by a hash of its sku)."""
LINK = "https://shop.example.com/p/{sku}"


def held_out_product(line: CorpusLine) -> bool:
    if line.category in HOLDOUT_CATEGORIES:
        return True
    return int(hashlib.md5(line.sku.encode()).hexdigest(), 16) % HOLDOUT_PRODUCT_SHARE == 0


def corpus_example(line: CorpusLine) -> Example:
    """A corpus line as a training example: the request generation would send for it, and the line."""
    spec = CONTENT_TYPES[line.content_type].field(line.field)
    prompt = FieldPrompt(line.content_type, spec, line.facts(), load_brand(line.voice), LINK.format(sku=line.sku))
    return Example(line.where, prompt.conversation(line.angle), line.text)


def corpus_data(lines: tuple[CorpusLine, ...] | None = None) -> dict:
    """The corpus split into training examples and held-out lines, with a snapshot that says exactly which."""
    lines = lines if lines is not None else load_corpus()
    train = [line for line in lines if not held_out_product(line)]
    held = [line for line in lines if held_out_product(line)]
    snapshot = {
        "corpus_sha256": corpus_hash(lines), "corpus_lines": len(lines), "train_examples": len(train),
        "held_out_lines": len(held), "held_out_categories": list(HOLDOUT_CATEGORIES),
        "held_out_products": sorted({line.sku for line in held}),
    }
    return {"examples": [corpus_example(line) for line in train],
            "held_out": [HeldOutLine.from_corpus(line) for line in held], "snapshot": snapshot}


def history_examples(min_quality: float, max_examples: int) -> list[Example]:
    """The generations behind approved lines: people's approvals first, then the policy's best."""
    with warehouse() as con:
        rows = con.execute(sql("training/examples"), {
            "held_out_pct": 0, "min_quality": min_quality, "max_examples": max_examples}).fetchall()
    return [Example(item_id, json.loads(prompt), answer) for item_id, prompt, answer, _, _ in rows]


def examples_hash(examples: list[Example]) -> str:
    return hashlib.sha256(json.dumps([[e.key, e.conversation, e.answer] for e in examples],
                                     sort_keys=True).encode()).hexdigest()
