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
from models.scorers.text_checks import CopyCandidate, check_copy, known_pii_from_warehouse


def _copy_candidates(rows) -> list[CopyCandidate]:
    # The link is filled in as tasks/generate.py fills it, so the checks can tell it from the model's words.
    return [
        CopyCandidate(
            item_id, content_type, field, text, json.loads(product),
            link_template.format(sku=sku) if link_template else None,
        )
        for item_id, content_type, field, text, product, sku, link_template in rows
    ]


def _banner_results(rows) -> list[CheckResult]:
    if not rows:
        return []
    from models.scorers.banner_checks import check_banner  # pulls in image libraries; only when needed

    results = []
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
        results = check_copy(candidates, brand, known_pii_from_warehouse(con)) + _banner_results(banners)
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
