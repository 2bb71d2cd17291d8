"""One card per product for the batch page: its facts, its banners, and per channel each ad's preview with
its lines under it (docs/review.md).

Items are grouped from their own columns (channel, content type, brief, field), so new content types and
fields show up with no change here. A reason that many of a product's items share (a product-level problem,
such as a fact the catalogue lacks, or the one reason a reviewer rejected the product for) is shown once on
the card, with how many items it concerns, instead of on every line.
"""

import json
import math
from collections import Counter

from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.review.present import field_label, field_limit, label, plain, quality
from adcraft.review.previews import preview

FACTS = [("price", "price"), ("price_before_drop", "was"), ("category", "category"), ("brand", "brand"),
         ("material", "material"), ("colours", "colours"), ("sizes", "sizes"), ("stock", "in stock"),
         ("selection", "picked as"), ("description", "description")]


def facts(product_json: str | None) -> list[tuple[str, str]]:
    """The product's facts as (label, value), as the copy was written from them."""
    product = json.loads(product_json) if product_json else {}
    shown = []
    for key, name in FACTS:
        value = product.get(key)
        if value in (None, "", []):
            continue
        if key in ("price", "price_before_drop") and isinstance(value, int | float):
            value = f"{value:.2f} {product.get('currency') or ''}".strip()
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        shown.append((name, str(value).replace("_", " ")))
    return shown


def line_reasons(item: dict) -> list[str]:
    """An item's reasons in plain words: its decision's, or its failed checks' when the decision gives none."""
    reasons = [plain(r) for r in item.get("reasons") or []]
    if not reasons:
        reasons = [plain(f"{c['check_name']}: {c['reason']}") for c in item.get("checks", [])
                   if not c["passed"] and c["reason"]]
    return list(dict.fromkeys(reasons))


def dress(item: dict, checks: dict[str, list[dict]], edits: dict[str, dict]) -> dict:
    """An item with what its line shows: checks, reasons, labels, limit, quality, its last edit's scores."""
    item["checks"] = checks.get(item["item_id"], [])
    for check in item["checks"]:
        check["reason"] = plain(check["reason"]) if check["reason"] else check["reason"]
    item["all_reasons"] = line_reasons(item)
    item["label"] = field_label(item)
    item["limit"] = field_limit(item["content_type"], item["field"]) if item["item_kind"] == "copy" else None
    item["quality_shown"] = quality(item)
    item["last_edit"] = edits.get(item["item_id"])
    return item


def _product_reasons(items: list[dict]) -> Counter:
    """Reasons that concern the product rather than a line: those on at least 3 of its items, and on at
    least a quarter of them (two lines that happen to share a score are not a product's problem)."""
    counts = Counter(reason for item in items for reason in item["all_reasons"])
    least = max(3, math.ceil(len(items) / 4))
    return Counter({reason: n for reason, n in counts.items() if n >= least})


def _line_order(line: dict) -> tuple:
    """A brief's lines in the order its content type lists its fields (subject before preheader), then variant."""
    spec = CONTENT_TYPES.get(line["content_type"])
    names = [f.name for f in spec.fields] if spec else []
    return (names.index(line["field"]) if line["field"] in names else len(names), line["field"], line["variant"])


def _picture(banners: list[dict], segment: str) -> str | None:
    """The banner a Meta feed preview shows: the segment's own, in the size nearest a feed's square or 1.91:1
    picture (a 728x90 strip is a poor stand-in), else any of the product's."""
    def fit(banner: dict) -> tuple:
        width, _, height = str(banner.get("size") or "1x1").partition("x")
        ratio = int(width) / max(1, int(height or 1)) if width.isdigit() and height.isdigit() else 9
        return (banner["segment"] != segment, min(abs(ratio - 1), abs(ratio - 1.91)), -int(width or 0))

    usable = [b for b in banners if b.get("media")]
    return min(usable, key=fit)["media"] if usable else None


def _channel(channel: str, lines: list[dict], shown: set[str], context: dict) -> dict | None:
    """One channel of a product: for copy, each brief's ads and its shown lines; for banners, the banners."""
    if channel == "banners":
        entries = [line for line in lines if line["item_id"] in shown]
        return {"channel": channel, "label": label(channel), "briefs": [], "banners": entries} if entries else None
    briefs = {}
    for line in lines:
        briefs.setdefault((line["segment"], line["content_type"], line["brief_id"]), []).append(line)
    groups = []
    for (segment, content_type, _), brief_lines in briefs.items():
        brief_lines.sort(key=_line_order)
        visible = [line for line in brief_lines if line["item_id"] in shown]
        if not visible:
            continue
        image = _picture(context["banners"].get(brief_lines[0]["sku"], []), segment)
        spec = CONTENT_TYPES.get(content_type)
        audience = "everyone" if spec and spec.per_product else segment  # a search ad answers a query, not a segment
        groups.append({"segment": segment, "audience": audience, "content_type": content_type, "lines": visible,
                       "ads": preview(content_type, brief_lines, context | {"image": image})})
    return {"channel": channel, "label": label(channel), "briefs": groups, "banners": []} if groups else None


def cards(rows: list[dict], shown: set[str], context: dict) -> list[dict]:
    """Product cards, in the rows' order. rows: every item of the products (so each preview shows the whole
    ad), already dressed; shown: the item ids that match the page's filters, the only lines listed.
    context: brand, cta, link; banners by SKU are added here."""
    products: dict[str, list[dict]] = {}
    for row in rows:
        products.setdefault(row["sku"], []).append(row)
    context = context | {"banners": {sku: [r for r in items if r["item_kind"] == "banner"]
                                     for sku, items in products.items()}}
    result = []
    for sku, items in products.items():
        channels: dict[str, list[dict]] = {}
        for item in items:
            channels.setdefault(item["channel"], []).append(item)
        groups = [g for c, lines in channels.items() if (g := _channel(c, lines, shown, context))]
        listed = [item for item in items if item["item_id"] in shown]
        common = _product_reasons(items)
        for item in items:
            item["reasons_shown"] = [r for r in item["all_reasons"] if r not in common]
            item["product_reasons"] = sum(r in common for r in item["all_reasons"])
        result.append({
            "sku": sku, "name": items[0]["product_name"], "facts": facts(items[0]["product"]),
            "channels": groups, "reasons": common.most_common(), "listed": len(listed),
            "counts": Counter(item["decision"] for item in items), "item_count": len(items),
            "lines": {item["item_id"]: item for item in listed},
        })
    return result
