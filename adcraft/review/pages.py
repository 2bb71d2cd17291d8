"""What each review page shows, read from the warehouse (SQL in warehouse/queries/review/).

Items are grouped by product, then channel, from the rows' own columns, so new content types and fields
show up without a change here.
"""

from dataclasses import dataclass
from pathlib import Path

from adcraft.kernel.settings import get_settings
from adcraft.review.store import query, reading

STATUSES = ("approved", "needs_review", "rejected")
FILTERS = ("status", "channel", "segment", "check")


class NotFound(LookupError):
    pass


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    channel: str | None = None
    segment: str | None = None
    check: str | None = None

    @classmethod
    def from_query(cls, params) -> "Filters":
        values = {name: (params.get(name) or None) for name in FILTERS}
        if values["status"] not in STATUSES:
            values["status"] = None
        return cls(**values)

    def as_params(self) -> dict:
        return {name: getattr(self, name) for name in FILTERS}


def batches() -> list[dict]:
    with reading() as con:
        return query(con, "batches", batch_id=None)


def _batch(con, batch_id: str) -> dict:
    rows = query(con, "batch", batch_id=batch_id)
    if not rows:
        raise NotFound(f"There is no batch {batch_id!r}. Pick one from the list of batches.")
    return rows[0] | query(con, "batches", batch_id=batch_id)[0]


def media_path(path: str) -> str | None:
    """The banner's path under the banners folder, for its thumbnail URL; None for a file outside it."""
    root = get_settings().banners_dir.resolve()
    resolved = Path(path).resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else None


def _group(items: list[dict]) -> list[dict]:
    """Items as products, each with its channels in order of appearance, each with its items."""
    products: dict[str, dict] = {}
    for item in items:
        product = products.setdefault(item["sku"], {"sku": item["sku"], "name": item["product_name"], "channels": {}})
        product["channels"].setdefault(item["channel"], []).append(item)
    return [
        {**p, "channels": [{"channel": c, "entries": entries} for c, entries in p["channels"].items()]}
        for p in sorted(products.values(), key=lambda p: (str(p["name"]), p["sku"]))
    ]


def batch_page(batch_id: str, filters: Filters) -> dict:
    with reading() as con:
        batch = _batch(con, batch_id)
        copy = query(con, "copy_lines", batch_id=batch_id, **filters.as_params())
        banners = query(con, "banners", batch_id=batch_id, **filters.as_params())
        scores = query(con, "scores", batch_id=batch_id)
        options = query(con, "filter_options", batch_id=batch_id)
    checks: dict[str, list[dict]] = {}
    for score in scores:
        checks.setdefault(score["item_id"], []).append(score)
    for item in copy + banners:
        item["checks"] = checks.get(item["item_id"], [])
    for banner in banners:
        banner["media"] = media_path(banner["path"])
    choices = {name: [o["value"] for o in options if o["filter"] == name] for name in ("channel", "segment", "check")}
    return {
        "batch": batch,
        "products": _group(copy + banners),
        "shown": len(copy) + len(banners),
        "filters": filters,
        "choices": choices | {"status": list(STATUSES)},
    }


def diff_page(batch_id: str) -> dict:
    with reading() as con:
        batch = _batch(con, batch_id)
        previous = batch["previous_batch_id"]
        rows = query(con, "diff", batch_id=batch_id, previous_id=previous) if previous else []
    counts = {change: sum(r["change"] == change for r in rows) for change in ("new", "removed", "changed", "same")}
    return {"batch": batch, "previous": previous, "counts": counts,
            "products": _group([r for r in rows if r["change"] != "same"])}


def audit_page(batch_id: str | None) -> dict:
    with reading() as con:
        return {"rows": query(con, "audit", batch_id=batch_id), "batch_id": batch_id}
