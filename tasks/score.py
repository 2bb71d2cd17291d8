"""Score a batch: run every check on its copy and banners, in shards (adcraft/checks/)."""

from dataclasses import asdict
from itertools import zip_longest

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from adcraft.checks.base import CheckResult, CopyCandidate, KnownPII
from adcraft.checks.pii import known_pii_from_warehouse
from adcraft.checks.similarity import recently_published
from adcraft.checks.stored import banner_facts, check_shard, copy_candidates, stored_banners
from adcraft.kernel.config import Brand, load_brand
from adcraft.kernel.db import sql, transaction, warehouse
from adcraft.kernel.settings import get_settings
from adcraft.operations.stages import timed_stage
from adcraft.operations.task_runners import map_shards, split


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
    return check_shard(candidates, banners, brand, known_pii, recent, products)


@task(name="score")
@timed_stage
def score_batch(batch_id: str, brand_name: str) -> dict:
    """Reads content.copy_items, content.banners, marts.briefs, content.publications and raw.customers (names
    and emails to look for); replaces the batch's rows in content.scores."""
    brand = load_brand(brand_name)
    with warehouse() as con:
        candidates = copy_candidates(con, batch_id)
        banners = stored_banners(con, batch_id)
        known_pii = known_pii_from_warehouse(con)
        recent = recently_published(con, batch_id)
        products = banner_facts(con, batch_id)
    shards = _shards(candidates, banners, get_settings().shard_count)
    results = [r for part in map_shards(score_shard, shards, brand=brand, known_pii=known_pii, recent=recent,
                                        products=products) for r in part]
    scores = pd.DataFrame([asdict(r) for r in results], columns=list(CheckResult.__dataclass_fields__))
    scores.insert(1, "batch_id", batch_id)
    with warehouse() as con:
        con.register("new_scores", scores)
        with transaction(con):
            con.execute("DELETE FROM content.scores WHERE batch_id = $batch_id", {"batch_id": batch_id})
            con.execute(sql("content/record_scores"))
    return {
        "rows": len(results),
        "copy_items": len(candidates),
        "banners": len(banners),
        "scores": len(results),
        "failed_hard_checks": sum(r.hard and not r.passed for r in results),
    }
