"""One display banner: boxes from templates/banners/layout.yaml.j2, text fitted into them with Pillow,
and an image encoded under the channel's weight limit.

Product text is untrusted: it is only ever measured and drawn, never put into a template. Each line is set
run by run in the first font that has its characters (adcraft/banners/glyphs.py), and the record says which
font drew what and which characters no font has.
"""

import copy
import io
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps, PngImagePlugin

from adcraft.banners.glyphs import Face, brand_font, describe, face
from adcraft.kernel import templating
from adcraft.kernel.config import Brand

if TYPE_CHECKING:
    from adcraft.banners.illustrations import Art

LAYOUT_TEMPLATE = "banners/layout.yaml.j2"
TEXT_BOXES = ("logo", "headline", "price", "cta")

# IAB / Google Display limits. KB read as 1,000 bytes, the stricter reading.
WEIGHT_LIMITS = {
    "300x250": 150_000, "728x90": 150_000, "160x600": 150_000, "970x250": 250_000,
    "320x50": 50_000, "1200x628": 150_000, "1080x1080": 150_000,
}
ELLIPSIS = "\u2026"
MAX_TEXT_CHARS = 300
"""Far more than any box shows; caps the fitting work a hostile product name can cause."""


def parse_size(size: str) -> tuple[int, int]:
    width, _, height = size.partition("x")
    return int(width), int(height)


# WCAG 2.x contrast.
def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    lighter, darker = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_threshold(font_size: float, bold: bool) -> float:
    """4.5:1 for normal text, 3:1 for large text (24 px, or 18.7 px bold)."""
    large = font_size >= 24 or (bold and font_size >= 18.7)
    return 3.0 if large else 4.5


def _readable(colour: str, bg: str, threshold: float) -> str:
    """The brand colour when it is readable on bg, else black or white, whichever contrasts more."""
    if contrast_ratio(colour, bg) >= threshold:
        return colour
    return max(("#000000", "#FFFFFF"), key=lambda c: contrast_ratio(c, bg))


# Brand fonts come from the font-roboto wheel, so every machine draws the same pixels; glyphs.py adds the
# fallbacks for characters they lack.
@lru_cache(maxsize=512)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """The brand font alone (the contact sheet's labels)."""
    return ImageFont.truetype(brand_font(name).path, size)


def load_layout(width: int, height: int, brand: Brand) -> dict:
    """The template's boxes for this canvas (a fresh copy, so callers may change it)."""
    return copy.deepcopy(_layout(width, height, brand.model_dump_json()))


@lru_cache(maxsize=64)
def _layout(width: int, height: int, brand_json: str) -> dict:
    text = templating.render(LAYOUT_TEMPLATE, width=width, height=height, brand=json.loads(brand_json))
    layout = yaml.safe_load(text)
    missing = [name for name in (*TEXT_BOXES, "illustration") if name not in layout.get("boxes", {})]
    if missing:
        raise ValueError(f"{LAYOUT_TEMPLATE} gave no {missing} boxes for {width}x{height}")
    return layout


def clean_text(text: str) -> str:
    """One line of printable text, composed (NFC): control and format characters (bidi overrides too) and
    variation selectors (which only ask for emoji or text presentation) dropped."""
    kept = "".join(c for c in unicodedata.normalize("NFC", str(text))
                   if (unicodedata.category(c) not in {"Cc", "Cf"} or c in "\t\n") and not _selector(c))
    return " ".join(kept.split())[:MAX_TEXT_CHARS]


def _selector(char: str) -> bool:
    return 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF


# Fitting text into a box.
@dataclass
class Fit:
    size: int
    lines: list[str]
    truncated: bool = False


def _line_width(font: Face, line: str) -> int:
    x0, _, x1, _ = font.getbbox(line, anchor="ls")
    return x1 - min(x0, 0)


def _block(font: Face, lines: list[str], spacing: int) -> tuple[int, int, int]:
    """Width, top and bottom of the lines set on baselines `spacing` apart, the first at y=0."""
    boxes = [font.getbbox(line, anchor="ls") for line in lines]
    width = max(x1 - min(x0, 0) for x0, _, x1, _ in boxes)
    top = min(y0 + i * spacing for i, (_, y0, _, _) in enumerate(boxes))
    bottom = max(y1 + i * spacing for i, (_, _, _, y1) in enumerate(boxes))
    return width, top, bottom


def _wrap(words: list[str], font: Face, width: int, break_words: bool) -> list[str] | None:
    """Greedy word wrap; None when a word is wider than the line and breaking words is not allowed."""
    lines, current = [], ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if _line_width(font, candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if _line_width(font, word) > width:
            if not break_words:
                return None
            while len(word) > 1 and _line_width(font, word) > width:
                cut = _longest_prefix(word, font, width)
                lines.append(word[:cut])
                word = word[cut:]
        current = word
    lines.append(current)
    return lines


def _longest_prefix(word: str, font: Face, width: int) -> int:
    lo, hi = 1, len(word) - 1  # always at least one character, so wrapping ends
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _line_width(font, word[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def fit_text(text: str, font_name: str, width: int, height: int, lo: int, hi: int, line_height: float) -> Fit:
    """The largest font size in [lo, hi] at which the wrapped text fits, else lo, truncated with an ellipsis."""
    words = text.split()
    if not words:
        return Fit(hi, [])

    def attempt(size: int, words: list[str], break_words: bool) -> list[str] | None:
        font = face(font_name, size)
        lines = _wrap(words, font, width, break_words)
        if lines is None:
            return None
        block_width, top, bottom = _block(font, lines, round(size * line_height))
        return lines if block_width <= width and bottom - top <= height else None

    if (lines := attempt(lo, words, False)) is not None:
        best = lo  # bisect: fitting only gets harder as the size grows
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if (found := attempt(mid, words, False)) is not None:
                best, lines, lo = mid, found, mid
            else:
                hi = mid - 1
        return Fit(best, lines)
    if (lines := attempt(lo, words, True)) is not None:
        return Fit(lo, lines)  # only a word longer than the line: broken across lines
    return Fit(lo, _truncate(words, lambda ws: attempt(lo, ws, True)), truncated=True)


def _truncate(words: list[str], attempt) -> list[str]:
    """The most leading words, then an ellipsis, that fit; a single long word is cut by characters."""
    def with_ellipsis(ws: list[str]) -> list[str]:
        return [*ws[:-1], ws[-1] + ELLIPSIS]

    best, lo, hi = None, 1, len(words) - 1
    while lo <= hi:  # bisect on the number of words kept
        mid = (lo + hi) // 2
        if (lines := attempt(with_ellipsis(words[:mid]))) is not None:
            best, lo = lines, mid + 1
        else:
            hi = mid - 1
    if best is not None:
        return best
    first = words[0]
    for cut in range(len(first) - 1, 0, -1):
        if (lines := attempt([first[:cut] + ELLIPSIS])) is not None:
            return lines
    return []  # not even one character fits: the box is too small for its minimum font


# Drawing.
def _supersampled(size: tuple[int, int], draw_fn) -> Image.Image:
    """Shapes drawn large and scaled down, so their edges are smooth (Pillow shapes are not anti-aliased)."""
    scale = 4 if min(size) < 200 else 2
    big = Image.new("RGBA", (size[0] * scale, size[1] * scale), (0, 0, 0, 0))
    draw_fn(ImageDraw.Draw(big), scale)
    return big.reduce(scale)


def _motif(box: dict, brand: Brand) -> Image.Image:
    """A quiet geometric motif in brand colours, for a banner drawn without an illustration."""
    w, h = box["w"], box["h"]
    c = brand.colours

    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        u = min(w, h) * s
        d.rectangle((0, 0, w * s, h * s), fill=c.primary)
        cx, cy, r = w * s * 0.62, h * s * 0.42, u * 0.42
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=c.accent)
        cx, cy, r = w * s * 0.3, h * s * 0.7, u * 0.3
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=c.background, width=max(1, round(u * 0.035)))
        cx, cy, r = w * s * 0.82, h * s * 0.84, u * 0.07
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=c.background)

    return _supersampled((w, h), draw)


def _mix(a: str, b: str, t: float) -> tuple[int, ...]:
    """The colour t of the way from a to b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(ImageColor.getrgb(a), ImageColor.getrgb(b)))


def _art_panel(box: dict, art: "Art", brand: Brand) -> Image.Image:
    """The illustration in its box: a drawing centred on a pale brand panel and disc, or a picture
    cropped to fill the box."""
    w, h = box["w"], box["h"]
    if art.fit == "cover":
        return ImageOps.fit(art.image.convert("RGB"), (w, h), Image.Resampling.LANCZOS).convert("RGBA")
    c = brand.colours

    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        d.rectangle((0, 0, w * s, h * s), fill=_mix(c.background, c.primary, 0.12))
        r = min(w, h) * s * 0.46
        d.ellipse((w * s / 2 - r, h * s / 2 - r, w * s / 2 + r, h * s / 2 + r), fill=_mix(c.background, c.accent, 0.18))

    panel = _supersampled((w, h), draw)
    side = max(1, round(min(w, h) * 0.8))
    drawing = art.image.resize((side, side), Image.Resampling.LANCZOS)
    panel.alpha_composite(drawing, ((w - side) // 2, (h - side) // 2))
    return panel


def _button(box: dict, colour: str, radius: int) -> Image.Image:
    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        d.rounded_rectangle((0, 0, box["w"] * s - 1, box["h"] * s - 1), radius=radius * s, fill=colour)

    return _supersampled((box["w"], box["h"]), draw)


def _draw_text(draw: ImageDraw.ImageDraw, fit: Fit, font_name: str, area: dict, spec: dict, colour: str) -> list:
    """Set the fitted lines inside area; return each line's text, drawn bounding box and font runs."""
    if not fit.lines:
        return []
    font = face(font_name, fit.size)
    spacing = round(fit.size * spec["line_height"])
    _, top, bottom = _block(font, fit.lines, spacing)
    free = area["h"] - (bottom - top)
    y = area["y"] - top + {"top": 0, "middle": free // 2, "bottom": free}[spec["valign"]]
    drawn = []
    for i, line in enumerate(fit.lines):
        x0 = min(font.getbbox(line, anchor="ls")[0], 0)
        free_x = area["w"] - _line_width(font, line)
        x = area["x"] - x0 + {"left": 0, "center": free_x // 2, "right": free_x}[spec["align"]]
        drawn.append({"text": line, "bbox": font.draw(draw, (x, y + i * spacing), line, colour)})
    return drawn


def render_banner(size: str, headline: str, price: str, brand: Brand, out_path: Path, art: "Art | None" = None) -> dict:
    """Draw one banner to out_path and return its layout record (boxes, fonts, lines, contrast, bytes).

    art is the product's illustration (adcraft/banners/illustrations.py); without one the box gets a brand motif."""
    width, height = parse_size(size)
    layout = load_layout(width, height, brand)
    boxes = layout["boxes"]
    colours = brand.colours.model_dump()
    canvas = Image.new("RGB", (width, height), colours["background"])

    art_box = boxes["illustration"]
    drawn = art is not None and art.image is not None  # an Art without an image: the motif, and why
    canvas.paste(_art_panel(art_box, art, brand) if drawn else _motif(art_box, brand), (art_box["x"], art_box["y"]))
    cta = boxes["cta"]
    button_colour = colours[cta["bg"]]
    radius = min(brand.corner_radius, cta["h"] // 2)
    button = _button(cta, button_colour, radius)
    canvas.paste(button, (cta["x"], cta["y"]), button)

    draw = ImageDraw.Draw(canvas)
    texts = {"logo": brand.logo_text, "headline": headline, "price": price, "cta": brand.cta}
    pad = layout.get("cta_pad", 0)
    record_text = {}
    for name in TEXT_BOXES:
        spec = boxes[name]
        area = dict(spec)
        if name == "cta":  # the label keeps clear of the button's edge
            area.update(x=spec["x"] + pad, y=spec["y"] + pad, w=spec["w"] - 2 * pad, h=spec["h"] - 2 * pad)
        font_name = getattr(brand.fonts, spec["font"])
        fit = fit_text(clean_text(texts[name]), font_name, area["w"], area["h"],
                       spec["min_font"], spec["max_font"], spec["line_height"])
        bold = "Bold" in font_name or "Black" in font_name
        bg, wanted = colours[spec["bg"]], colours[spec["colour"]]
        threshold = contrast_threshold(fit.size, bold)
        colour = _readable(wanted, bg, threshold)
        lines = _draw_text(draw, fit, font_name, area, spec, colour)
        glyphs = describe(face(font_name, fit.size), [line["text"] for line in lines])
        for line, runs in zip(lines, glyphs.pop("runs")):
            line["runs"] = runs
        record_text[name] = {
            "font": font_name, "bold": bold, "font_size": fit.size,
            "min_font": spec["min_font"], "max_font": spec["max_font"],
            "lines": lines, "truncated": fit.truncated, **glyphs,
            "colour": colour, "background": bg, "contrast": round(contrast_ratio(colour, bg), 2),
            "threshold": threshold, "colour_replaced": colour != wanted, "brand_colour": wanted,
        }

    illustration = art.record if art else {"source": "motif"}
    path, encoding = _encode(canvas, Path(out_path), WEIGHT_LIMITS.get(size, 150_000), illustration.get("attribution"))
    return {
        "size": size, "width": width, "height": height, "shape": layout["shape"],
        "boxes": {name: {k: box[k] for k in ("x", "y", "w", "h")} for name, box in boxes.items()},
        "cta_radius": radius,
        "text": record_text,
        "illustration": illustration,
        "path": str(path), **encoding,
    }


def _encode(image: Image.Image, out_path: Path, limit: int, credit: str | None) -> tuple[Path, dict]:
    """PNG when it fits the limit (full colour, then ever smaller palettes), else JPEG at falling quality.

    A licence credit travels inside the file too (PNG text chunk, JPEG comment): a few dozen bytes."""
    info, jpeg_extra = PngImagePlugin.PngInfo(), {"comment": credit} if credit else {}
    if credit:
        info.add_text("Copyright", credit)
    steps = [("png", None), ("png", 256), ("png", 64), ("png", 16)] + [("jpeg", q) for q in (90, 80, 70, 60, 50)]
    for fmt, level in steps:
        buffer = io.BytesIO()
        if fmt == "png":
            frame = image if level is None else image.quantize(colors=level, method=Image.Quantize.FASTOCTREE)
            frame.save(buffer, "PNG", compress_level=6, pnginfo=info)  # higher levels: far slower, barely smaller
        else:
            image.save(buffer, "JPEG", quality=level, optimize=True, progressive=True, **jpeg_extra)
        if buffer.tell() <= limit:
            break  # else the last, smallest attempt is written and the weight check reports it
    path = out_path if fmt == "png" else out_path.with_suffix(".jpg")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path, {"format": fmt, "palette": level if fmt == "png" else None,
                  "jpeg_quality": level if fmt == "jpeg" else None, "bytes": buffer.tell()}
