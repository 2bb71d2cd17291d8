"""Retrieval: the OpenMoji picture whose caption is nearest to the product, by MiniLM embedding.

The caption embeddings are computed once and kept under ADCRAFT_HOME; a query costs one embedding.
"""

import numpy as np

from models import minilm
from models.openmoji import Emoji, caption_embeddings, catalogue

PRODUCT_BONUS = 0.08
"""Added to product-like pictures' similarity: a shirt should beat a shirt-wearing face on a near tie."""
MAX_DESCRIPTION_CHARS = 160


def product_text(product: dict) -> str:
    """What the product is, for embedding: name, category and material first, then the description's start."""
    head = ", ".join(str(product[k]) for k in ("name", "category", "material") if product.get(k))
    description = str(product.get("description") or "")[:MAX_DESCRIPTION_CHARS]
    return f"{head}. {description}".strip(" .") if description else head


class Retriever:
    """Nearest-caption search over a pool of OpenMoji pictures (by default all of them)."""

    def __init__(self, pool: tuple[Emoji, ...] | None = None):
        self.pool = pool if pool is not None else catalogue()
        self.vectors = caption_embeddings(self.pool)
        self.bonus = np.array([PRODUCT_BONUS if e.product_like else 0.0 for e in self.pool], dtype=np.float32)

    def nearest(self, texts: list[str]) -> list[tuple[Emoji, float]]:
        """The best picture for each text, with its cosine similarity (bonus not included)."""
        similarity = minilm.embed(texts) @ self.vectors.T
        best = (similarity + self.bonus).argmax(axis=1)
        return [(self.pool[i], float(similarity[row, i])) for row, i in enumerate(best)]
