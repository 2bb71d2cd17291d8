"""A batch's banners: each product and segment drawn in every size from the layout template, with the product's
illustration, and the rows that record them."""

import hashlib
import json
import re
from pathlib import Path

from adcraft.banners.layout import LAYOUT_TEMPLATE, render_banner
from adcraft.kernel.config import Brand
from adcraft.kernel.settings import get_settings
from adcraft.kernel.templating import template_version


def banner_id(batch_id: str, sku: str, segment: str, size: str) -> str:
    return "ban_" + hashlib.sha1(f"{batch_id}|{sku}|{segment}|{size}".encode()).hexdigest()[:16]


def safe_name(part: str) -> str:
    """A file-name-safe version of a SKU, segment or batch id, which come from source data."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", part)[:64]


def render_products(products: list[tuple[str, str, str]], batch_id: str, brand: Brand, sizes: list[str],
                    out_dir: Path) -> tuple[list[dict], list[dict]]:
    """Draw the (sku, segment, product JSON) banners into out_dir, in every size; return their content.banners
    rows and contact sheet entries."""
    from adcraft.banners.illustrations import Illustrator  # loads MiniLM and torch: only when banners are drawn

    version = template_version(LAYOUT_TEMPLATE)
    parsed = [json.loads(product_json) for _, _, product_json in products]
    arts = Illustrator(brand).for_products(parsed) if get_settings().banner_illustrations else [None] * len(products)
    rows, sheet = [], []
    for (sku, segment, _), product, art in zip(products, parsed, arts, strict=True):
        headline = str(product.get("name") or sku)
        price = brand.price(product.get("price"), product.get("currency"), "banner")
        for size in sizes:
            out_path = out_dir / f"{safe_name(sku)}_{safe_name(segment)}_{size}.png"
            layout = render_banner(size, headline, price, brand, out_path, art)
            rows.append({"item_id": banner_id(batch_id, sku, segment, size), "batch_id": batch_id, "sku": sku,
                         "segment": segment, "size": size, "path": layout["path"], "bytes": layout["bytes"],
                         "headline": headline, "layout": json.dumps(layout), "template_version": version})
            illustration = layout["illustration"]
            sheet.append({"path": layout["path"], "sku": sku, "segment": segment, "size": size,
                          "headline": headline, "bytes": layout["bytes"], "source": illustration["source"],
                          "credit": illustration if "attribution" in illustration else None})
    return rows, sheet
