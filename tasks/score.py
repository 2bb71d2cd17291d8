"""Score a batch: run every check on its copy and banners and replace its rows in content.scores."""

import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd
from prefect import task

from adcraft.config import load_brand
from adcraft.db import sql, warehouse
from adcraft.stages import timed_stage
from models.scorers.base import CheckResult
from models.scorers.formats import check_formats
from models.scorers.text_checks import CopyCandidate, check_copy, check_product_data, known_pii_from_warehouse


def _copy_candidates(rows) -> list[CopyCandidate]:
    # The link is filled in as tasks/generate.py fills it, so the checks can tell it from the model's words.
    return [
        CopyCandidate(
            item_id, content_type, field, text, json.loads(product),
            link_template.format(sku=sku) if link_template else None, brief_id, variant,
        )
        for item_id, brief_id, content_type, field, variant, text, product, sku, link_template in rows
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


def _banner_products(con, batch_id: str) -> list[tuple[str, dict]]:
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
    return [(item_id, json.loads(product)) for item_id, product in rows]


def _banner_results(rows, products: list[tuple[str, dict]], known_pii) -> list[CheckResult]:
    if not rows:
        return []
    from models.scorers.banner_checks import check_banner  # pulls in image libraries; only when needed

    results = check_product_data(products, known_pii)
    for item_id, path, size, layout in rows:
        results += check_banner(item_id, Path(path), size, json.loads(layout))
    return results


@task(name="score")
@timed_stage
def score_batch(batch_id: str, brand_name: str) -> dict:
    brand = load_brand(brand_name)
    with warehouse() as con:
        candidates = _copy_candidates(con.execute(sql("content/copy_to_score"), [batch_id]).fetchall())
        banners = con.execute(sql("content/banners_to_score"), [batch_id]).fetchall()
        known_pii = known_pii_from_warehouse(con)
        results = check_copy(candidates, brand, known_pii, recent=_recently_published(con, batch_id))
        results += check_formats(candidates, results)
        results += _banner_results(banners, _banner_products(con, batch_id), known_pii)
        scores = pd.DataFrame([asdict(r) for r in results], columns=list(CheckResult.__dataclass_fields__))
        scores.insert(1, "batch_id", batch_id)
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
