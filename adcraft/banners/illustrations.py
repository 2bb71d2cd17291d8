"""Where each banner's illustration comes from, in order of preference:

1. `ADCRAFT_IMAGE_MODEL`: the user's own diffusers pipeline (source `user_model`);
2. the trained generator, when its weights passed the measured quality bar and the picture passes its
   check (source `generated`);
3. the nearest OpenMoji picture by caption embedding (source `retrieved`): always there, the fallback;
4. the brand motif (source `motif`), when the nearest picture does not fit the product (`fit`, below).

Generated and retrieved pictures are recoloured toward the brand palette. Every picture is cached under
ADCRAFT_HOME/illustrations, so a re-run, and every size of the same product, costs nothing.
"""

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from adcraft.kernel.config import Brand
from adcraft.kernel.settings import Settings, get_settings

PX = 512
"""Cached pictures are this square; the layout scales them into each size's box."""
TINT = 0.55
"""How far colours move toward the brand duotone: enough to match the banner, not so far a shirt reads as a blob."""
FIT_BAR = 0.43
"""A retrieved picture is used only when its name ('roll of paper') is at least this similar (MiniLM cosine) to the
product's name or to its category. Calibrated on 177 labelled picks (150 demo-shop products, 27 others):
it turns 36 of 46 misfits into the motif and loses 13 of 131 fitting pictures (docs/banners.md)."""


@dataclass
class Art:
    image: Image.Image | None
    """None: draw the brand motif (the record says why)."""
    fit: str
    """'contain': a drawing on transparency, set on a brand panel; 'cover': a full picture, cropped to fill."""
    record: dict
    """What the layout record stores: source, what was picked, attribution where a licence asks for one."""


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def recolour(image: Image.Image, brand: Brand) -> Image.Image:
    """Blend the picture toward a duotone from the brand's text colour (darks) through primary to its
    background (lights); black outlines stay dark, so the drawing stays readable."""
    rgba = image.convert("RGBA")
    c = brand.colours
    duotone = ImageOps.colorize(ImageOps.grayscale(rgba), black=_hex_rgb(c.text), mid=_hex_rgb(c.primary),
                                white=_hex_rgb(c.background)).convert("RGBA")
    blended = Image.blend(rgba, duotone, TINT)
    blended.putalpha(rgba.getchannel("A"))
    return blended


class Illustrator:
    """Pictures for a batch's products, for one brand."""

    def __init__(self, brand: Brand, settings: Settings | None = None):
        from models.illustration_retrieval import Retriever

        self.brand, self.settings = brand, settings or get_settings()
        self.cache = self.settings.home / "illustrations"
        self.palette = hashlib.sha1(brand.colours.model_dump_json().encode()).hexdigest()[:8]
        self.retriever = Retriever()
        self.sampler = trained_generator(self.settings.models_dir)
        self.pipeline = None
        if self.settings.image_model:
            from models.image_pipeline import UserImageModel

            self.pipeline = UserImageModel(self.settings.image_model)

    def for_products(self, products: list[dict]) -> list[Art]:
        from models.illustration_retrieval import product_text

        products = [normalised(p) for p in products]
        texts = [product_text(p) for p in products]
        if self.pipeline is not None:
            return [self._user_model(text) for text in texts]
        picked = self.retriever.nearest(texts)  # the fallback, and the subgroup a generated picture must show
        fits = fit_scores(products, [emoji for emoji, _ in picked])
        arts = [self._retrieved(emoji, score, fit) if fit is None or fit >= FIT_BAR else _misfit(emoji, score, fit)
                for (emoji, score), fit in zip(picked, fits)]
        if self.sampler is None:
            return arts
        return [self._generated(text, emoji.subgroup) or art if art.image is not None else art
                for text, (emoji, _), art in zip(texts, picked, arts)]

    def _cached(self, kind: str, key: str, draw) -> Image.Image:
        path = self.cache / kind / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.png"
        if path.is_file():
            return Image.open(path).convert("RGBA")
        image = draw()
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path)
        return image

    def _retrieved(self, emoji, score: float, fit: float | None) -> Art:
        from models.openmoji import ATTRIBUTION, LICENSE_URL, VERSION, rasterise

        image = self._cached("retrieved", f"{emoji.hexcode}|{VERSION}|{self.palette}",
                             lambda: recolour(rasterise(emoji.hexcode, PX), self.brand))
        return Art(image, "contain", {
            "source": "retrieved", "openmoji": emoji.hexcode, "caption": emoji.caption,
            "subgroup": emoji.subgroup, "similarity": round(score, 3),
            "fit": None if fit is None else round(fit, 3), "fit_bar": FIT_BAR,
            # BY-SA asks for the credit, the licence link and a note that the picture was changed.
            "attribution": f"{ATTRIBUTION}; recoloured", "license": "CC BY-SA 4.0", "license_url": LICENSE_URL,
        })

    def _generated(self, text: str, expected_subgroup: str) -> Art | None:
        """The generator's picture, or None when it fails its check (the caller keeps the retrieved one)."""
        from models import minilm
        from models.illustration_quality import passes_check

        def draw() -> Image.Image:
            sample = self.sampler.sample(minilm.embed([text]), seed=self.settings.seed)[0]
            return Image.fromarray(sample, "RGBA")

        raw = self._cached("generated", f"{text}|{self.sampler.step}|{self.settings.seed}", draw)
        if not passes_check(raw, expected_subgroup):
            return None
        image = recolour(raw.resize((PX, PX), Image.Resampling.LANCZOS), self.brand)
        return Art(image, "contain", {"source": "generated", "generator_steps": self.sampler.step,
                                      "expected_subgroup": expected_subgroup})

    def _user_model(self, text: str) -> Art:
        image = self._cached("user_model", f"{text}|{self.pipeline.version}|{self.settings.seed}",
                             lambda: self.pipeline.draw(text, self.settings.seed))
        return Art(image, "cover", {"source": "user_model", "model": self.pipeline.version})


def normalised(product: dict) -> dict:
    """The product with its text in compatibility form (NFKC): MiniLM reads fullwidth 'ＭＵＧ' as 'MUG'."""
    return {k: unicodedata.normalize("NFKC", v) if isinstance(v, str) else v for k, v in product.items()}


def picture_name(emoji) -> str:
    """What the picture shows, in OpenMoji's words: the caption before its tags ('roll of paper')."""
    return emoji.caption.split(":")[0].strip()


def fit_scores(products: list[dict], emojis: list) -> list[float | None]:
    """How well each picture fits its product: the MiniLM similarity of the picture's name to the product's
    name or to its category, whichever is higher. A picture from a subgroup that is no product (buildings,
    weather, places) must match the name itself: 'houses' is like the category 'Home', but is no mug.
    None for a product without a category: there is nothing to check the picture against."""
    from models import minilm

    rows = [i for i, p in enumerate(products) if str(p.get("category") or "").strip()]
    scores: list[float | None] = [None] * len(products)
    if not rows:
        return scores
    names = minilm.embed([picture_name(emojis[i]) for i in rows])
    product_names = minilm.embed([str(products[i].get("name") or "") for i in rows])
    categories = minilm.embed([str(products[i]["category"]) for i in rows])
    for row, i in enumerate(rows):
        by_name, by_category = float(names[row] @ product_names[row]), float(names[row] @ categories[row])
        scores[i] = max(by_name, by_category) if emojis[i].product_like else by_name
    return scores


def _misfit(emoji, score: float, fit: float) -> Art:
    """The motif, with the picture that was turned down and why."""
    return Art(None, "contain", {
        "source": "motif", "reason": f"the nearest picture, {picture_name(emoji)!r}, does not fit the product "
                                     f"(fit {fit:.2f} is below {FIT_BAR})",
        "rejected": {"openmoji": emoji.hexcode, "caption": emoji.caption, "subgroup": emoji.subgroup,
                     "similarity": round(score, 3), "fit": round(fit, 3)},
    })


def trained_generator(models_dir: Path):
    """The trained generator, only when its recorded quality passed the bar for these very weights."""
    from models.illustration_gan import WEIGHTS, Sampler
    from models.illustration_quality import QUALITY_FILE

    weights_dir = models_dir / "illustration-gan"
    quality_path = weights_dir / QUALITY_FILE
    if not (weights_dir / WEIGHTS).is_file() or not quality_path.is_file():
        return None
    quality = json.loads(quality_path.read_text())
    sampler = Sampler(weights_dir / WEIGHTS, device="cpu")
    return sampler if quality.get("passed") and quality.get("generator_steps") == sampler.step else None
