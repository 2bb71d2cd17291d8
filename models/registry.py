"""The model registry: every trained version in ops.model_registry, and which one generation uses.

A version starts as 'challenger'. It becomes 'champion' only by promotion, which retires the champion it
replaces; generation then loads the newest promoted champion. The files live under the model cache
(the path column); the table says what they are: base model, training data, config, metrics, status.
"""

import json

from adcraft.kernel.db import sql, transaction, warehouse
from adcraft.kernel.settings import get_settings

MAX_DIVERSITY_DROP = 0.05
"""A challenger may lose this much distinct-2 and still win on approval rate: more approved lines that
all say the same thing would not be an improvement."""


def register(con, model_version: str, kind: str, source: str, path: str, base_model: str, base_path: str,
             data_snapshot: dict, training_config: dict, item_ids: list[str]) -> None:
    """Record a newly trained version as challenger, with the items it learnt from."""
    with transaction(con):
        con.execute(sql("training/register"), {
            "model_version": model_version, "kind": kind, "source": source, "path": path, "base_model": base_model,
            "base_path": base_path, "data_snapshot": json.dumps(data_snapshot),
            "training_config": json.dumps(training_config),
        })
        if item_ids:
            con.executemany(sql("training/record_item"),
                            [{"model_version": model_version, "item_id": item_id} for item_id in item_ids])


def record_metrics(con, model_version: str, metrics: dict) -> None:
    con.execute(sql("training/metrics"), {"model_version": model_version, "metrics": json.dumps(metrics)})


def champion(con, kind: str = "text") -> dict | None:
    """The newest promoted champion of a kind, or None while nothing has been promoted."""
    cursor = con.execute(sql("training/champion"), {"kind": kind})
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    return dict(zip(names, rows[0])) if rows else None


def promote(con, model_version: str, kind: str = "text") -> None:
    con.execute(sql("training/promote"), {"model_version": model_version, "kind": kind})


def beats(challenger: dict, champion: dict) -> bool:
    """The promotion rule, on the same held-out briefs: a strictly higher first-pass approval rate, without
    losing more than MAX_DIVERSITY_DROP of distinct-2."""
    return (challenger["approval_rate"] > champion["approval_rate"]
            and challenger["distinct_2"] >= champion["distinct_2"] - MAX_DIVERSITY_DROP)


def text_champion() -> dict | None:
    """The warehouse's text champion; None when there is no warehouse yet."""
    if not get_settings().warehouse.exists():
        return None
    with warehouse() as con:  # not read-only: an older warehouse may predate the columns champion.sql reads
        return champion(con, "text")
