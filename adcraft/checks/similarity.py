"""Checks that compare texts by meaning: is a line about its product, and has it been said already.

Both run on one batched embedding pass over the batch, the products and the recently published texts.
"""

import re
from collections.abc import Iterable

import numpy as np

from adcraft.checks.base import CheckResult
from adcraft.kernel.db import sql
from models.minilm import embed_bf16 as embed

URL = re.compile(r"https?://\S+")
RELEVANT_AT, OFF_TOPIC_AT = 0.35, 0.05
"""Cosine similarity to the product's own description: at or above RELEVANT_AT scores 1, at or below
OFF_TOPIC_AT scores 0, linear between (calibrated on tests/data/gate_eval.csv)."""
DUPLICATE_AT, SIMILAR_AT = 0.97, 0.92
"""A cosine this close to an earlier line says the same thing: DUPLICATE_AT rejects, SIMILAR_AT asks a person."""
RECENT_DAYS = 90
RECENT_LINES = 5000
"""New copy must not repeat what went out lately; the newest lines are enough to catch a repeat."""


def recently_published(con, batch_id: str) -> list[str]:
    """Texts other batches published lately, newest first: a line of this batch must not repeat them."""
    rows = con.execute(sql("content/recently_published"),
                       {"batch_id": batch_id, "days": RECENT_DAYS, "max_lines": RECENT_LINES}).fetchall()
    return [text for (text,) in rows]


def plain(text: str) -> str:
    """The line as the embedding model reads it: links out."""
    return URL.sub(" ", text).strip()


def product_description(product: dict) -> str:
    """What a line is compared with: name, category, material and description."""
    parts = [product.get(k) for k in ("name", "category", "material", "description")]
    return ". ".join(str(p) for p in parts if p)


CHUNK = 1024
"""Rows of the similarity matrix held at once, so a large batch does not need n x n memory."""


def _earlier_twins(items: list, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each item, the most similar earlier item of the same content type (index, cosine; -1 when none).
    Only earlier items count, so the first of two twins survives."""
    types = np.array([i.content_type for i in items])
    index, best = np.full(len(items), -1), np.full(len(items), -1.0)
    for start in range(0, len(items), CHUNK):
        rows = slice(start, start + CHUNK)
        sims = vectors[rows] @ vectors.T
        positions = np.arange(len(items))
        allowed = (types[rows, None] == types[None, :]) & (positions[None, :] < positions[rows, None])
        sims = np.where(allowed, sims, -1.0)
        index[rows], best[rows] = sims.argmax(axis=1), sims.max(axis=1)
    return np.where(best > -1, index, -1), best


def check_similarity(items: list, recent: Iterable[str] = ()) -> list[tuple[CheckResult, CheckResult]]:
    """(relevance, near_duplicate) per item, in item order."""
    if not items:
        return []
    recent = list(dict.fromkeys(plain(t) for t in recent))
    products = [product_description(i.product) for i in items]
    vectors = embed([plain(i.text) for i in items] + products + recent)
    text_vecs, product_vecs, recent_vecs = np.split(vectors, [len(items), 2 * len(items)])
    relevance = (text_vecs * product_vecs).sum(axis=1)
    twin, twin_sim = _earlier_twins(items, text_vecs)
    if recent:
        sims = text_vecs @ recent_vecs.T
        seen, seen_sim = sims.argmax(axis=1), sims.max(axis=1)
    else:
        seen, seen_sim = np.zeros(len(items), dtype=int), np.full(len(items), -1.0)
    results = []
    for i, item in enumerate(items):
        candidates = [(float(seen_sim[i]), f'a recently published line ("{recent[seen[i]][:60]}")' if recent else "")]
        if twin[i] >= 0:
            candidates.append((float(twin_sim[i]), f"item {items[twin[i]].item_id} in this batch"))
        results.append((_relevance(item, float(relevance[i])), _duplicate(item, *max(candidates))))
    return results


def _relevance(item, similarity: float) -> CheckResult:
    score = min(1.0, max(0.0, (similarity - OFF_TOPIC_AT) / (RELEVANT_AT - OFF_TOPIC_AT)))
    reason = None
    if score < 1:
        reason = f'only loosely about "{item.product.get("name")}" (similarity {similarity:.2f} to its description)'
    return CheckResult(item.item_id, "relevance", False, score >= 0.5, round(score, 3), reason)


def _duplicate(item, similarity: float, source: str) -> CheckResult:
    if similarity >= DUPLICATE_AT:
        score, reason = 0.0, f"repeats {source} (similarity {similarity:.2f})"
    elif similarity >= SIMILAR_AT:
        score, reason = 0.5, f"is close to {source} (similarity {similarity:.2f})"
    else:
        score, reason = 1.0, None
    return CheckResult(item.item_id, "near_duplicate", False, score >= 0.5, score, reason)
