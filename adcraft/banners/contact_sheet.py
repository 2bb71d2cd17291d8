"""A batch's contact sheet: every banner in one grid, as a PNG and as an HTML page, for review.

Rows are products and segments, columns are sizes; each banner is scaled to fit its cell.
"""

from pathlib import Path

from PIL import Image, ImageDraw

from adcraft.banners.glyphs import face
from adcraft.banners.layout import _font
from adcraft.kernel.templating import render

CELL_W, CELL_H, LABEL_W, CAPTION_H, GAP = 220, 150, 200, 16, 10
TEMPLATE = "reports/contact_sheet.html.j2"


def _rows(banners: list[dict]) -> list[dict]:
    rows: dict[tuple[str, str], dict] = {}
    for b in banners:
        row = rows.setdefault((b["sku"], b["segment"]), {"sku": b["sku"], "segment": b["segment"],
                                                         "headline": b["headline"], "banners": {}})
        row["banners"][b["size"]] = b
    return list(rows.values())


def _grid(rows: list[dict], sizes: list[str]) -> Image.Image:
    width = LABEL_W + len(sizes) * (CELL_W + GAP)
    height = CAPTION_H + GAP + len(rows) * (CELL_H + CAPTION_H + GAP)
    sheet = Image.new("RGB", (width, height), "#FAF8F3")
    draw = ImageDraw.Draw(sheet)
    font, bold = _font("Roboto-Regular", 12), _font("Roboto-Bold", 12)
    for col, size in enumerate(sizes):
        draw.text((LABEL_W + col * (CELL_W + GAP), 0), size, font=bold, fill="#1B1B1B")
    for r, row in enumerate(rows):
        top = CAPTION_H + GAP + r * (CELL_H + CAPTION_H + GAP)
        # product names in any script: set with the banners' font fallbacks, on the baseline bold's text would have
        face("Roboto-Bold", 12).draw(draw, (0, top + bold.getmetrics()[0]), row["headline"][:30], "#1B1B1B")
        draw.text((0, top + 16), f"{row['sku'][:30]} · {row['segment'][:20]}", font=font, fill="#555555")
        for col, size in enumerate(sizes):
            banner = row["banners"].get(size)
            if banner is None:
                continue
            with Image.open(banner["path"]) as image:
                thumb = image.convert("RGB")
                thumb.thumbnail((CELL_W, CELL_H), Image.Resampling.LANCZOS)
            left = LABEL_W + col * (CELL_W + GAP)
            sheet.paste(thumb, (left, top))
            draw.text((left, top + thumb.height + 2), banner["source"], font=font, fill="#555555")
    return sheet


def write_contact_sheet(out_dir: Path, batch_id: str, banners: list[dict], sizes: list[str]) -> dict:
    """contact_sheet.png and contact_sheet.html in out_dir, next to the banners. Each banner dict has
    path, sku, segment, size, headline, source, bytes and, for licensed illustrations, a credit."""
    rows = _rows(banners)
    _grid(rows, sizes).save(out_dir / "contact_sheet.png", optimize=False)
    for b in banners:
        b["src"] = Path(b["path"]).name
    credits = list({c["attribution"]: c for b in banners if (c := b.get("credit"))}.values())
    html = render(TEMPLATE, batch_id=batch_id, sizes=sizes, rows=rows, credits=credits)
    (out_dir / "contact_sheet.html").write_text(html, encoding="utf-8")
    return {"png": str(out_dir / "contact_sheet.png"), "html": str(out_dir / "contact_sheet.html")}
