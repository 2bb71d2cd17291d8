"""The gate over a stored batch: its copy lines and banners as the score stage reads them from the warehouse,
and the checks of one shard of them, which need no warehouse, so any worker can run them."""

import json
from itertools import groupby
from pathlib import Path

from adcraft.checks.base import CheckResult, CopyCandidate, KnownPII
from adcraft.checks.formats import check_formats
from adcraft.checks.gate import check_copy
from adcraft.checks.product_data import check_product_data
from adcraft.kernel.config import Brand
from adcraft.kernel.db import sql


def copy_candidates(con, batch_id: str) -> list[CopyCandidate]:
    """The batch's copy lines; the link is filled in as generation fills it, so the checks can tell it from the
    model's words."""
    rows = con.execute(sql("content/copy_to_score"), {"batch_id": batch_id}).fetchall()
    return [
        CopyCandidate(
            item_id, content_type, field, text, json.loads(product),
            link_template.format(sku=sku) if link_template else None, brief_id, variant, from_facts,
        )
        for item_id, brief_id, content_type, field, variant, text, product, sku, link_template, from_facts in rows
    ]


def stored_banners(con, batch_id: str) -> list[tuple]:
    """(item_id, path, size, layout) of every banner of the batch."""
    return con.execute(sql("content/banners_to_score"), {"batch_id": batch_id}).fetchall()


def banner_facts(con, batch_id: str) -> dict[str, dict]:
    """Each banner's product facts, by its item id."""
    return {item_id: json.loads(product)
            for item_id, product in con.execute(sql("content/banner_facts"), {"batch_id": batch_id}).fetchall()}


def check_shard(candidates: list[CopyCandidate], banners: list, brand: Brand, known_pii: KnownPII,
                recent: list[str], products: dict[str, dict]) -> list[CheckResult]:
    """Every check on one shard's copy and banners."""
    results = []
    # One content type per call: the embedding model quantises its activations per call, so a line's scores
    # would otherwise depend on which other lines share its shard.
    for _, lines in groupby(candidates, key=lambda c: c.content_type):
        results += check_copy(list(lines), brand, known_pii, recent=recent)
    results += check_formats(candidates, results)
    return results + _check_banners(banners, products, known_pii)


def _check_banners(rows, products: dict[str, dict], known_pii: KnownPII) -> list[CheckResult]:
    if not rows:
        return []
    from adcraft.checks.banners import check_banner  # pulls in image libraries; only when needed

    results = check_product_data([(r[0], products[r[0]]) for r in rows if r[0] in products], known_pii)
    for item_id, path, size, layout in rows:
        results += check_banner(item_id, Path(path), size, json.loads(layout))
    return results
