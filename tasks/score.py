"""Score a batch: run every check on its copy and banners, in shards, and replace its rows in content.scores."""

import json
from dataclasses import asdict
from itertools import groupby, zip_longest
from pathlib import Path

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from adcraft.config import Brand, load_brand
from adcraft.db import sql, warehouse
from adcraft.settings import get_settings
from adcraft.stages import timed_stage
from adcraft.task_runners import map_shards, split
from models.scorers.base import CheckResult
from models.scorers.formats import check_formats
from models.scorers.text_checks import (
    CopyCandidate, KnownPII, check_copy, check_product_data, known_pii_from_warehouse,
)


def _copy_candidates(rows) -> list[CopyCandidate]:
    # The link is filled in as tasks/generate.py fills it, so the checks can tell it from the model's words.
    return [
        CopyCandidate(
            item_id, content_type, field, text, json.loads(product),
            link_template.format(sku=sku) if link_template else None, brief_id, variant, from_facts,
        )
        for item_id, brief_id, content_type, field, variant, text, product, sku, link_template, from_facts in rows
    ]


RECENT_DAYS = 90
RECENT_LIMIT = 5000
"""New copy must not repeat what went out lately; the newest lines are enough to catch a repeat."""


def _recently_published(con, batch_id: str) -> list[str]:
    rows = con.execute(
        f"""
        SELECT c.text FROM content.publications AS p
        JOIN content.copy_items AS c USING (item_id)
        WHERE p.batch_id <> ? AND p.published_at >= now() - INTERVAL {RECENT_DAYS} DAY
        GROUP BY c.text ORDER BY max(p.published_at) DESC LIMIT {RECENT_LIMIT}
        """,
        [batch_id],
    ).fetchall()
    return [text for (text,) in rows]


def _banner_products(con, batch_id: str) -> dict[str, dict]:
    """Each banner's product facts: its headline is the product name, untrusted like all product data."""
    rows = con.execute(
        """
        SELECT b.item_id, arg_min(br.product, br.brief_id)
        FROM content.banners AS b
        JOIN marts.briefs AS br ON br.batch_id = b.batch_id AND br.sku = b.sku AND br.segment = b.segment
        WHERE b.batch_id = ? GROUP BY b.item_id ORDER BY b.item_id
        """,
        [batch_id],
    ).fetchall()
    return {item_id: json.loads(product) for item_id, product in rows}


def _banner_results(rows, products: dict[str, dict], known_pii) -> list[CheckResult]:
    if not rows:
        return []
    from models.scorers.banner_checks import check_banner  # pulls in image libraries; only when needed

    results = check_product_data([(r[0], products[r[0]]) for r in rows if r[0] in products], known_pii)
    for item_id, path, size, layout in rows:
        results += check_banner(item_id, Path(path), size, json.loads(layout))
    return results


def _shards(candidates: list[CopyCandidate], banners: list, count: int) -> list[tuple[list, list]]:
    """(copy, banners) per shard. A content type's lines stay together: the near-duplicate check compares the
    lines of one content type, and the format check the lines of one brief."""
    by_type = [[c for c in candidates if c.content_type == t] for t in sorted({c.content_type for c in candidates})]
    copy, images = split(by_type, count), split([[b] for b in banners], count)
    return list(zip_longest(copy, images, fillvalue=[]))


# Results travel back to the stage, which writes them: nothing to cache or keep.
@task(name="score-shard", cache_policy=NO_CACHE, persist_result=False)
def score_shard(shard: tuple[list, list], brand: Brand, known_pii: KnownPII, recent: list[str],
                products: dict[str, dict]) -> list[CheckResult]:
    """Every check on one shard's copy and banners. Reads and writes no warehouse, so it runs on any worker."""
    candidates, banners = shard
    results = []
    # One content type per call: the embedding model quantises its activations per call, so a line's scores
    # would otherwise depend on which other lines share its shard.
    for _, lines in groupby(candidates, key=lambda c: c.content_type):
        results += check_copy(list(lines), brand, known_pii, recent=recent)
    results += check_formats(candidates, results)
    return results + _banner_results(banners, products, known_pii)


@task(name="score")
@timed_stage
def score_batch(batch_id: str, brand_name: str) -> dict:
    brand = load_brand(brand_name)
    with warehouse() as con:
        candidates = _copy_candidates(con.execute(sql("content/copy_to_score"), [batch_id]).fetchall())
        banners = con.execute(sql("content/banners_to_score"), [batch_id]).fetchall()
        known_pii = known_pii_from_warehouse(con)
        recent = _recently_published(con, batch_id)
        products = _banner_products(con, batch_id)
    shards = _shards(candidates, banners, get_settings().shard_count)
    results = [r for part in map_shards(score_shard, shards, brand=brand, known_pii=known_pii, recent=recent,
                                        products=products) for r in part]
    scores = pd.DataFrame([asdict(r) for r in results], columns=list(CheckResult.__dataclass_fields__))
    scores.insert(1, "batch_id", batch_id)
    with warehouse() as con:
        con.register("new_scores", scores)
        con.execute("BEGIN")
        con.execute("DELETE FROM content.scores WHERE batch_id = ?", [batch_id])
        con.execute(
            "INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score, reason) "
            "SELECT item_id, batch_id, check_name, hard, passed, score, reason FROM new_scores"
        )
        con.execute("COMMIT")
    return {
        "rows": len(results),
        "copy_items": len(candidates),
        "banners": len(banners),
        "scores": len(results),
        "failed_hard_checks": sum(r.hard and not r.passed for r in results),
    }
