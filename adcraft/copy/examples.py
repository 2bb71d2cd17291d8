"""Worked examples for a prompt, retrieved from the copy corpus: for a product and field, the corpus lines of
that field whose products are nearest to it by meaning (MiniLM embeddings of name, category and
description), in the brand's voice where there is a tie. The base model and a user's own model
(ADCRAFT_TEXT_MODEL) need them; the copy model, trained on the corpus, does not.
"""

from functools import cache
from pathlib import Path

from adcraft.copy.corpus import CorpusLine, load_corpus
from adcraft.copy.prompts import Example
from adcraft.kernel.settings import get_settings
from models.minilm import embed_bf16

SAME_VOICE_BONUS = 0.05
"""Among products about as near, a line in the brand's own voice comes first."""


def product_text(product: dict) -> str:
    parts = [product.get("name"), product.get("category"), product.get("description")]
    return ". ".join(str(p) for p in parts if p)


class ExampleIndex:
    """The corpus lines of every field, with one embedding per corpus product."""

    def __init__(self, lines: tuple[CorpusLine, ...], exclude_categories: frozenset[str] = frozenset()):
        self.lines = [line for line in lines if line.category not in exclude_categories]
        products = {line.sku: line.product for line in self.lines}
        self.skus = list(products)
        self.vectors = embed_bf16([product_text(p) for p in products.values()])
        self.row = {sku: i for i, sku in enumerate(self.skus)}

    def nearest(self, products: list[dict], content_type: str, field: str, voice: str | None = None,
                k: int = 2) -> list[list[Example]]:
        """Per product, k examples of the field from the nearest other corpus products, one line per product."""
        candidates = [line for line in self.lines if (line.content_type, line.field) == (content_type, field)]
        if not candidates or not products:
            return [[] for _ in products]
        sims = embed_bf16([product_text(p) for p in products]) @ self.vectors.T
        found = []
        for product, row in zip(products, sims, strict=True):
            best: dict[str, tuple[float, CorpusLine]] = {}
            for line in candidates:
                if line.product.get("name") == product.get("name"):
                    continue  # the same product: its own line would be copied, not learnt from
                score = float(row[self.row[line.sku]]) + (SAME_VOICE_BONUS if line.voice == voice else 0.0)
                if line.sku not in best or score > best[line.sku][0]:
                    best[line.sku] = (score, line)
            ranked = sorted(best.values(), key=lambda pair: -pair[0])[:k]
            found.append([Example(line.product, line.angle, line.text) for _, line in ranked])
        return found


def corpus_index(exclude_categories: frozenset[str] = frozenset()) -> ExampleIndex:
    """The index of the configured corpus (ADCRAFT_CORPUS_DIR), built once per process."""
    return _index(get_settings().corpus_path.resolve(), exclude_categories)


@cache
def _index(folder: Path, exclude_categories: frozenset[str]) -> ExampleIndex:
    return ExampleIndex(load_corpus(folder), exclude_categories)


def nearest_examples(products: list[dict], content_type: str, field: str, voice: str | None = None,
                     k: int = 2) -> list[list[Example]]:
    return corpus_index().nearest(products, content_type, field, voice, k) if k else [[] for _ in products]

