"""What each review page shows, read from the warehouse (SQL in warehouse/queries/review/).

The batch page shows a page of product cards (cards.py) at a time: the products are those with an item that
matches the filters and the search, in order of name; only their items are scored, dressed and rendered, so
a page costs the same in a batch of 300 items or 3,000.
"""

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from adcraft.kernel.config import load_brand
from adcraft.kernel.errors import ConfigError
from adcraft.kernel.settings import get_settings
from adcraft.review.cards import cards, dress
from adcraft.review.store import query, reading

STATUSES = ("approved", "needs_review", "rejected")
FILTERS = ("status", "channel", "segment", "check", "q")
PAGE_SIZE = 6
"""Product cards per page."""


class NotFound(LookupError):
    pass


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    channel: str | None = None
    segment: str | None = None
    check: str | None = None
    q: str | None = None
    page: int = 1

    @classmethod
    def from_query(cls, params) -> "Filters":
        values = {name: (str(params.get(name) or "").strip()[:200] or None) for name in FILTERS}
        if values["status"] not in STATUSES:
            values["status"] = None
        try:
            page = max(1, int(params.get("page") or 1))
        except ValueError:
            page = 1
        return cls(**values, page=page)

    def as_params(self) -> dict:
        return {name: getattr(self, name) for name in FILTERS}

    @property
    def active(self) -> bool:
        return any(self.as_params().values())

    def url(self, base: str, **changes) -> str:
        """The batch page's URL with these filters, changed as given (page=1 by default on a new filter)."""
        values = replace(self, **changes)
        query = {k: v for k, v in values.as_params().items() if v} | ({"page": values.page} if values.page > 1 else {})
        return base + (f"?{urlencode(query)}" if query else "")


def batches() -> list[dict]:
    with reading() as con:
        return query(con, "batches", batch_id=None)


def batch_head(con, batch_id: str) -> dict:
    rows = query(con, "batch", batch_id=batch_id)
    if not rows:
        raise NotFound(f"There is no batch {batch_id!r}. Pick one from the list of batches.")
    batch = rows[0] | query(con, "batches", batch_id=batch_id)[0]
    return batch | {"brand_name": brand(batch["brand"])[0]}


@lru_cache(maxsize=32)
def brand(name_or_path: str) -> tuple[str, str]:
    """The brand's name and call to action, for previews; a brand file that cannot be read gives its file
    name (never its path) and the usual call to action."""
    try:
        found = load_brand(name_or_path)
        return found.name, found.cta
    except (ConfigError, OSError, ValueError):
        return Path(name_or_path).stem, "Shop now"


def media_path(path: str | None) -> str | None:
    """The banner's path under the banners folder, for its picture's URL; None for a file outside it."""
    if not path:
        return None
    root = get_settings().banners_dir.resolve()
    resolved = Path(path).resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else None


def _items(con, batch_id: str, filters: Filters | None = None, skus: list[str] | None = None,
           item_ids: list[str] | None = None) -> list[dict]:
    params = (filters or Filters()).as_params()
    return query(con, "items", batch_id=batch_id, skus=skus, item_ids=item_ids, **params)


def _dressed(con, batch_id: str, rows: list[dict]) -> list[dict]:
    ids = [row["item_id"] for row in rows]
    checks: dict[str, list[dict]] = {}
    for score in query(con, "scores", batch_id=batch_id, item_ids=ids):
        checks.setdefault(score["item_id"], []).append(score)
    edits = {edit["item_id"]: edit for edit in query(con, "edits", batch_id=batch_id, item_ids=ids)}
    for row in rows:
        row["media"] = media_path(row["path"]) if row["item_kind"] == "banner" else None
        dress(row, checks, edits)
    return rows


def _context(batch: dict) -> dict:
    name, cta = brand(batch["brand"])
    return {"brand": name, "cta": cta, "link": batch.get("link")}


def batch_page(batch_id: str, filters: Filters, page_size: int = PAGE_SIZE) -> dict:
    with reading() as con:
        batch = batch_head(con, batch_id)
        matching = _items(con, batch_id, filters)
        skus = list(dict.fromkeys(row["sku"] for row in matching))
        pages = max(1, math.ceil(len(skus) / page_size))
        page = min(filters.page, pages)
        on_page = skus[(page - 1) * page_size:page * page_size]
        rows = _items(con, batch_id, skus=on_page) if filters.active else [r for r in matching if r["sku"] in on_page]
        _dressed(con, batch_id, rows)
        options = query(con, "filter_options", batch_id=batch_id)
    shown = {row["item_id"] for row in matching if row["sku"] in set(on_page)}
    choices = {name: [o["value"] for o in options if o["filter"] == name] for name in ("channel", "segment", "check")}
    return {
        "batch": batch,
        "products": cards(rows, shown, _context(batch)),
        "shown": len(shown),
        "matching": len(matching),
        "product_count": len(skus),
        "page": page,
        "pages": pages,
        "first": (page - 1) * page_size + 1 if skus else 0,
        "last": (page - 1) * page_size + len(on_page),
        "filters": replace(filters, page=page),
        "choices": choices | {"status": list(STATUSES)},
    }


def lines_view(con, batch_id: str, item_ids: list[str], on_page: set[str] | None = None) -> dict:
    """The given items' lines and their products' cards as they are now, after an action, for the page to
    put in place of the old ones (through `con`, maybe inside the action's transaction). on_page: the SKUs
    whose cards the page shows, when it says; a bulk approve of 2,000 items re-renders only those."""
    batch = batch_head(con, batch_id)
    skus = [row["sku"] for row in query(con, "item_skus", batch_id=batch_id, item_ids=item_ids)
            if on_page is None or row["sku"] in on_page]
    if not skus:
        return {"batch": batch, "products": [], "lines": []}
    rows = _dressed(con, batch_id, _items(con, batch_id, skus=skus))
    products = cards(rows, {row["item_id"] for row in rows}, _context(batch))
    wanted = set(item_ids)
    return {"batch": batch, "products": products,
            "lines": [line for product in products for line in product["lines"].values() if line["item_id"] in wanted]}


def history_page(batch_id: str, item_id: str) -> dict:
    with reading() as con:
        batch = batch_head(con, batch_id)
        found = _items(con, batch_id, item_ids=[item_id])
        if not found:
            raise NotFound(f"Batch {batch_id} has no item {item_id}. Open an item's history from its batch page.")
        item = _dressed(con, batch_id, found)[0]
        actions = query(con, "item_history", batch_id=batch_id, item_id=item_id)
        edits = query(con, "item_edits", batch_id=batch_id, item_id=item_id)
    return {"batch": batch, "item": item, "actions": actions, "edits": edits}


def bulk_scope(con, batch_id: str, filters: Filters | None, selected: dict[str, str] | None,
               threshold: float | None) -> dict:
    """What a bulk approve would take, changing nothing: the items to approve, and those it leaves with why.

    Either the items waiting for review in the page's view (filters, every page of it) with a quality at or
    above the threshold, or the selected items (id -> the fingerprint the page showed). Items that fail a
    hard check, and lines a person edited (approved only one by one), are always left."""
    if selected is not None:
        rows = _items(con, batch_id, item_ids=list(selected))
    else:
        rows = [row for row in _items(con, batch_id, filters) if row["decision"] == "needs_review"]
    take, left = [], []
    for row in rows:
        if selected is not None and selected.get(row["item_id"]) != row["content_sha256"]:
            left.append((row, "changed since you loaded the page: look at it again"))
        elif row["decision"] == "approved":
            left.append((row, "already approved"))
        elif row["hard_failed"]:
            left.append((row, "fails a hard check: edit it or reject it"))
        elif row["edited"]:
            left.append((row, "a person edited it: approve it on its own, after reading the edit"))
        elif threshold is not None and (row["quality"] or 0) < threshold:
            left.append((row, f"quality {row['quality'] or 0:.2f} is under {threshold:.2f}"))
        else:
            take.append(row)
    return {"take": take, "left": left, "threshold": threshold, "selected": selected is not None}


def diff_page(batch_id: str) -> dict:
    with reading() as con:
        batch = batch_head(con, batch_id)
        previous = batch["previous_batch_id"]
        rows = query(con, "diff", batch_id=batch_id, previous_id=previous) if previous else []
    counts = {change: sum(r["change"] == change for r in rows) for change in ("new", "removed", "changed", "same")}
    return {"batch": batch, "previous": previous, "counts": counts,
            "products": _group([r for r in rows if r["change"] != "same"])}


def _group(items: list[dict]) -> list[dict]:
    """Diff lines as products, each with its channels in order of appearance, each with its lines."""
    products: dict[str, dict] = {}
    for item in items:
        product = products.setdefault(item["sku"], {"sku": item["sku"], "name": item["product_name"], "channels": {}})
        product["channels"].setdefault(item["channel"], []).append(item)
    return [
        {**p, "channels": [{"channel": c, "entries": entries} for c, entries in p["channels"].items()]}
        for p in sorted(products.values(), key=lambda p: (str(p["name"]), p["sku"]))
    ]


def audit_page(batch_id: str | None) -> dict:
    with reading() as con:
        return {"rows": query(con, "audit", batch_id=batch_id), "batch_id": batch_id}
