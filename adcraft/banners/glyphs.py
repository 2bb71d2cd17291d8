"""Which font draws which characters of a banner's text.

A line is cut into runs, each set in the first font of its chain that has glyphs for the run's characters:
the brand's font first, then the Noto fonts that `make fonts` installs from Debian (fonts-noto-core: Noto
Sans and its script families, Noto Sans Symbols and Symbols2; fonts-noto-cjk: Noto Sans CJK, which also has
the fullwidth Latin forms). Coverage is each font file's cmap, read once with fontTools. Characters that no
font covers are drawn in the brand font (as the empty boxes they are) and reported, so the banner check can
reject the banner.

Right-to-left runs (Arabic, Hebrew) are put in visual order here, and each run is shaped by Pillow's raqm
layout (HarfBuzz and FriBiDi). Pillow built without raqm cannot join Arabic letters nor reorder them;
`needs_shaping` names the characters such a Pillow would draw wrongly, and the banner check rejects them.

Colour emoji fonts (CBDT bitmaps at one fixed size) are not used: emoji that the symbol fonts draw in
outline come out in the text colour, and the rest are reported as missing.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

from PIL import ImageDraw, ImageFont, features

RAQM = features.check("raqm")
"""Whether this Pillow shapes text with libraqm (complex scripts, right-to-left); tests may switch it off."""
FALLBACK_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
"""Where Debian's fonts-noto-core and fonts-noto-cjk put their files (see the Makefile's `fonts` target)."""
SKIPPED_FAMILIES = {"NotoSansDisplay", "NotoSerifDisplay", "NotoSansMono", "NotoSerif", "NotoColorEmoji",
                    "NotoSansAdlamUnjoined", "NotoSerifCJK"}
"""Latin faces the brand font and Noto Sans already cover, a colour bitmap font, and duplicates."""
SYMBOL_FAMILIES = ("NotoSansSymbols", "NotoSansSymbols2", "NotoSansMath", "NotoMusic")
COMPLEX_RANGES = ((0x0900, 0x0DFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0xA980, 0xA9DF))
"""Indic, Tibetan, Myanmar, Khmer and Javanese letters: they need shaping as much as Arabic does."""


@dataclass(frozen=True)
class FontFile:
    name: str
    """What the layout record calls it: the file's stem ('Roboto-Bold', 'NotoSansArabic-Bold')."""
    path: str
    index: int = 0
    """The face inside a collection (.ttc); 0 for a single font."""


@dataclass(frozen=True)
class Run:
    text: str
    font: FontFile | None
    """None: no font in the chain has these characters."""
    rtl: bool = False


def escape(char: str) -> str:
    """'U+2615 (HOT BEVERAGE)': a character named so that a reader sees it even where it cannot be drawn."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


@cache
def coverage(font: FontFile) -> frozenset[int]:
    """The code points the font has glyphs for (its best cmap), read once per file."""
    from fontTools.ttLib import TTFont

    with TTFont(font.path, fontNumber=font.index, lazy=True) as ttf:
        return frozenset(ttf.getBestCmap() or ())


@lru_cache
def brand_font(name: str) -> FontFile:
    """A brand font from the font-roboto wheel, so every machine draws the same pixels."""
    folder = files("font_roboto") / "files"
    path = folder / f"{name}.ttf"
    if not name.replace("-", "").isalnum() or not path.is_file():
        available = sorted(p.name.removesuffix(".ttf") for p in folder.iterdir() if p.name.endswith(".ttf"))
        raise ValueError(f"font {name!r} is not in font-roboto; choose one of {available} in the brand file")
    return FontFile(name, str(path))


def _rank(family: str) -> tuple[int, str]:
    if family == "NotoSans":
        return 0, family
    if family in SYMBOL_FAMILIES:
        return 3, f"{SYMBOL_FAMILIES.index(family)}"
    if family == "NotoSansCJK":
        return 2, family
    return (1 if family.startswith("NotoSans") else 4), family


@lru_cache
def fallbacks(bold: bool) -> tuple[FontFile, ...]:
    """The installed Noto fonts, in the order they are tried: Noto Sans, its script families, CJK, the
    symbol fonts, then serif faces of scripts with no sans. Bold faces for bold text where there are any."""
    found: dict[str, dict[str, Path]] = {}
    for folder in FALLBACK_DIRS:
        for path in sorted(folder.glob("Noto*-*.tt[fc]")) if folder.is_dir() else ():
            family, _, weight = path.stem.partition("-")
            if family not in SKIPPED_FAMILIES and "UI" not in family:
                found.setdefault(family, {})[weight] = path
    chain = []
    for family in sorted(found, key=_rank):
        weights = found[family]
        path = (bold and weights.get("Bold")) or weights.get("Regular") or weights.get("Bold")
        if path is not None:
            chain.append(FontFile(path.stem, str(path)))
    return tuple(chain)


@lru_cache
def chain(font_name: str) -> tuple[FontFile, ...]:
    """The brand font, then every fallback."""
    return (brand_font(font_name), *fallbacks("Bold" in font_name or "Black" in font_name))


def font_named(name: str) -> FontFile | None:
    """A font the layout record names, for the banner check to read its cmap."""
    try:
        return brand_font(name)
    except ValueError:
        return next((f for bold in (True, False) for f in fallbacks(bold) if f.name == name), None)


def _sticky(char: str) -> bool:
    """Spaces, punctuation, digits and marks stay in the run they are in when its font has them, so a run of
    Arabic or CJK words is shaped as one."""
    return unicodedata.category(char)[0] in "ZPNM" or unicodedata.category(char) in ("Sm", "Sc", "Sk")


def _strong_rtl(text: str) -> bool | None:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return None


@lru_cache(maxsize=4096)
def runs(text: str, font_name: str) -> tuple[Run, ...]:
    """The text cut into runs of one font each (of font_name's chain), in logical (typed) order."""
    fonts = chain(font_name)
    pieces: list[list] = []  # [font, characters]
    for char in text:
        code = ord(char)
        if pieces and pieces[-1][0] is not None and _sticky(char) and code in coverage(pieces[-1][0]):
            pieces[-1][1].append(char)
            continue
        font = next((f for f in fonts if code in coverage(f)), None)
        if pieces and pieces[-1][0] == font:
            pieces[-1][1].append(char)
        else:
            pieces.append([font, [char]])
    texts = ["".join(chars) for _, chars in pieces]
    cut: list[tuple[FontFile | None, str]] = []
    for i, ((font, _), text) in enumerate(zip(pieces, texts)):
        this, after = _strong_rtl(text), _strong_rtl(texts[i + 1]) if i + 1 < len(texts) else None
        body = text.rstrip()
        if None not in (this, after) and this != after and body != text:  # the space between Latin and Arabic
            cut += [(font, body), (font, text[len(body):])]  # is neutral: bidi places it, not its run
        else:
            cut.append((font, text))
    return tuple(Run(text, font, bool(_strong_rtl(text))) for font, text in cut)


def visual_order(line_runs: tuple[Run, ...]) -> list[Run]:
    """Runs left to right on the line: a simplified Unicode bidi algorithm at the level of runs (each run is
    ordered inside by raqm). Neutral runs between two runs of one direction take it, others the paragraph's."""
    strong = [_strong_rtl(r.text) for r in line_runs]
    paragraph_rtl = next((s for s in strong if s is not None), False)
    rtl = []
    for i, s in enumerate(strong):
        if s is None:
            before = next((x for x in reversed(strong[:i]) if x is not None), paragraph_rtl)
            after = next((x for x in strong[i + 1:] if x is not None), paragraph_rtl)
            s = before if before == after else paragraph_rtl
        rtl.append(s)
    ordered, i = [], 0
    while i < len(line_runs):  # each right-to-left stretch of runs is read backwards...
        j = i
        while j < len(line_runs) and rtl[j] == rtl[i]:
            j += 1
        stretch = list(line_runs[i:j])
        ordered.append(stretch[::-1] if rtl[i] else stretch)
        i = j
    if paragraph_rtl:  # ...and a right-to-left line sets its stretches from the right
        ordered.reverse()
    return [run for stretch in ordered for run in stretch]


def needs_shaping(char: str) -> bool:
    """A character that Pillow's basic layout would draw wrongly: right-to-left or complex-script letters."""
    code = ord(char)
    return unicodedata.bidirectional(char) in ("R", "AL") or any(lo <= code <= hi for lo, hi in COMPLEX_RANGES)


@lru_cache(maxsize=1024)
def _pil_font(font: FontFile, size: int, raqm: bool) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    return ImageFont.truetype(font.path, size, index=font.index, layout_engine=engine)


class Face:
    """A font chain at one size: measures and draws a line run by run, as one FreeTypeFont would."""

    def __init__(self, font_name: str, size: int):
        self.name, self.size, self.fonts = font_name, size, chain(font_name)
        self.brand = _pil_font(self.fonts[0], size, RAQM)

    def runs(self, line: str) -> tuple[Run, ...]:
        return runs(line, self.name)

    def _font(self, run: Run) -> ImageFont.FreeTypeFont:
        return _pil_font(run.font, self.size, RAQM) if run.font is not None else self.brand

    def _options(self, run: Run) -> dict:
        return {"direction": "rtl" if run.rtl else "ltr"} if RAQM else {}

    def _placed(self, line: str) -> list[tuple[int, Run]]:
        x, placed = 0.0, []
        for run in visual_order(self.runs(line)):
            placed.append((round(x), run))
            x += self._font(run).getlength(run.text, **self._options(run))
        return placed

    def getbbox(self, line: str, anchor: str = "ls") -> tuple[int, int, int, int]:
        line_runs = self.runs(line)
        if len(line_runs) == 1 and not line_runs[0].rtl:  # the common case: exactly what the font measures
            return self._font(line_runs[0]).getbbox(line, anchor=anchor)
        boxes = []
        for x, run in self._placed(line):
            x0, y0, x1, y1 = self._font(run).getbbox(run.text, anchor=anchor, **self._options(run))
            boxes.append((x0 + x, y0, x1 + x, y1))
        return (round(min(b[0] for b in boxes)), min(b[1] for b in boxes),
                round(max(b[2] for b in boxes)), max(b[3] for b in boxes))

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[int, int], line: str, fill: str) -> list[int]:
        """Draw the line with its baseline at xy; return its drawn bounding box."""
        x, y = xy
        boxes = [(x, y, x, y)]
        for dx, run in self._placed(line):
            font, options = self._font(run), self._options(run)
            draw.text((x + dx, y), run.text, font=font, fill=fill, anchor="ls", **options)
            boxes.append(draw.textbbox((x + dx, y), run.text, font=font, anchor="ls", **options))
        boxes = boxes[1:] or boxes
        return [round(min(b[0] for b in boxes)), round(min(b[1] for b in boxes)),
                round(max(b[2] for b in boxes)), round(max(b[3] for b in boxes))]


@lru_cache(maxsize=512)
def face(font_name: str, size: int) -> Face:
    return Face(font_name, size)


def describe(face_: Face, lines: list[str]) -> dict:
    """What the layout record keeps about the fonts of a box's lines: which font drew which text (per line),
    the characters no font has, and those this Pillow cannot shape."""
    per_line, missing, unshaped = [], [], []
    for line in lines:
        line_runs = face_.runs(line)
        per_line.append([{"font": (r.font or face_.fonts[0]).name, "text": r.text} for r in line_runs])
        missing += [c for r in line_runs if r.font is None for c in r.text if not c.isspace()]
        if not RAQM:
            unshaped += [c for c in line if needs_shaping(c)]
    fonts = list(dict.fromkeys(run["font"] for line in per_line for run in line))
    return {"runs": per_line, "fonts": fonts, "layout_engine": "raqm" if RAQM else "basic",
            "missing_glyphs": [escape(c) for c in dict.fromkeys(missing)],
            "unshaped": [escape(c) for c in dict.fromkeys(unshaped)]}
