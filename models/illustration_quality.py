"""How recognisable an illustration is, measured the same way for every source.

A small classifier (a three-layer CNN on 32x32 pixels) learns a shop's product categories (clothing,
food, electronics, ...; grouped from OpenMoji subgroups) from the 'judge' pictures only (Emoji.split). Each
'test' picture's caption stands in for a product: each source draws an illustration for that caption
without having seen the picture (retrieval picks from 'train' and non-product pictures, the generator
trained on 'train'), and the score is how often the classifier recovers the caption's true category.
Neither source can score by copying a picture the classifier memorised.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from adcraft.kernel.settings import get_settings
from models.openmoji import VERSION, caption_embeddings, catalogue, image_array, product_emojis, rasterise

PX = 32
CATEGORIES = {
    "clothing": ["clothing"],
    "food & drink": ["drink", "food-fruit", "food-vegetable", "food-prepared", "food-sweet", "food-asian",
                     "food-drink"],
    "home & garden": ["household", "dishware", "gardening", "plant-flower", "plant-other"],
    "tools": ["tool", "science"],
    "office & books": ["book-paper", "office", "writing"],
    "electronics": ["computer", "phone", "light-video", "sound", "technology"],
    "leisure": ["musical-instrument", "sport", "game", "arts-crafts"],
    "other": ["objects"],
}
CATEGORY = {subgroup: category for category, subgroups in CATEGORIES.items() for subgroup in subgroups}
QUALITY_FILE = "quality.json"
MIN_INK, MAX_INK = 0.05, 0.95
"""A usable illustration covers between 5% and 95% of its square: neither empty nor a filled block."""


def pixels(images: list[Image.Image]) -> torch.Tensor:
    """RGB on white at 32x32, in [0, 1]: shape (n, 3, 32, 32)."""
    rows = []
    for image in images:
        rgba = image.convert("RGBA").resize((PX, PX), Image.Resampling.BILINEAR)
        flat = Image.new("RGBA", rgba.size, "white")
        flat.alpha_composite(rgba)
        rows.append(np.asarray(flat.convert("RGB"), dtype=np.float32).transpose(2, 0, 1) / 255)
    return torch.from_numpy(np.stack(rows))


def to_images(rgba: np.ndarray) -> list[Image.Image]:
    """(n, h, w, 4) uint8, as the generator samples them, to PIL images."""
    return [Image.fromarray(a, "RGBA") for a in rgba]


def _network(classes: int) -> nn.Sequential:
    """Three convolutions and a linear layer: about 25k weights, enough for 8 categories of flat drawings."""
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Dropout(0.3), nn.Linear(64, classes),
    )


@dataclass
class Classifier:
    net: nn.Module
    classes: list[str]

    @torch.inference_mode()
    def predict(self, images: list[Image.Image]) -> list[str]:
        """The product category each picture looks like."""
        return [self.classes[i] for i in self.net(pixels(images)).argmax(dim=1).tolist()]


def _train(x: torch.Tensor, y: torch.Tensor, classes: int, epochs: int = 60) -> nn.Module:
    """Class-balanced, with flips, shifts and colour jitter: 200 pictures are few."""
    torch.manual_seed(0)
    net = _network(classes)
    counts = torch.bincount(y, minlength=classes).float().clamp(min=1)
    weight = counts.sum() / (classes * counts)
    optimiser = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-3)
    net.train()
    for _ in range(epochs):
        order = torch.randperm(len(x))
        for i in range(0, len(x), 32):
            idx = order[i:i + 32]
            batch = torch.where(torch.rand(len(idx), 1, 1, 1) < 0.5, x[idx], x[idx].flip(3))
            batch = torch.roll(batch, tuple(torch.randint(-3, 4, (2,)).tolist()), (2, 3))
            batch = batch * (0.8 + 0.4 * torch.rand(len(idx), 3, 1, 1))
            loss = F.cross_entropy(net(batch), y[idx], weight=weight)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return net.eval()


@lru_cache(maxsize=1)
def classifier() -> Classifier:
    """Trained once (seconds) on the 'judge' pictures; kept under ADCRAFT_HOME."""
    path = get_settings().models_dir / "illustrations" / f"category-cnn-{VERSION}.pt"
    classes = list(CATEGORIES)
    if not path.is_file():
        judge = [e for e in product_emojis() if e.split == "judge"]
        x = pixels(to_images((image_array(judge, PX * 2) * 255).astype(np.uint8).transpose(0, 2, 3, 1)))
        y = torch.tensor([classes.index(CATEGORY[e.subgroup]) for e in judge])
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(_train(x, y, len(classes)).state_dict(), path)
    net = _network(len(classes))
    net.load_state_dict(torch.load(path, weights_only=True))
    return Classifier(net.eval(), classes)


def ink(image: Image.Image) -> float:
    """The share of the square the drawing covers (alpha above half)."""
    alpha = np.asarray(image.convert("RGBA"))[..., 3]
    return float((alpha > 127).mean())


def passes_check(image: Image.Image, expected_subgroup: str) -> bool:
    """A generated picture is used only when it is neither empty nor a block, and the classifier sees in it
    the category of the OpenMoji picture retrieval picked for the same product."""
    expected = CATEGORY.get(expected_subgroup)
    return MIN_INK <= ink(image) <= MAX_INK and classifier().predict([image])[0] == expected


def measure(sampler=None) -> dict:
    """Balanced category accuracy on 'test' captions: their real pictures (the classifier's ceiling),
    retrieved and generated ones, and chance."""
    from models.illustration_retrieval import Retriever

    test = [e for e in product_emojis() if e.split == "test"]
    truth = [CATEGORY[e.subgroup] for e in test]
    model = classifier()

    def accuracy(images: list[Image.Image]) -> float:
        """Balanced accuracy: the mean over categories of how often that category is recovered."""
        hits = [p == t for p, t in zip(model.predict(images), truth)]
        return round(float(np.mean([np.mean([h for h, t in zip(hits, truth) if t == c]) for c in set(truth)])), 3)

    retriever = Retriever(tuple(e for e in catalogue() if e.split in ("train", "other")))
    picked = retriever.nearest([e.caption for e in test])
    result = {
        "openmoji": VERSION, "test_pictures": len(test), "classes": len(model.classes),
        "chance": round(1 / len(set(truth)), 3),
        "real": accuracy([rasterise(e.hexcode, PX * 2) for e in test]),
        "retrieved": accuracy([rasterise(e.hexcode, PX * 2) for e, _ in picked]),
        # No classifier needed here: the retrieved picture's own OpenMoji category against the caption's.
        "retrieved_same_category": round(float(np.mean([CATEGORY.get(p.subgroup) == t
                                                        for (p, _), t in zip(picked, truth)])), 3),
    }
    if sampler is not None:
        generated = to_images(sampler.sample(caption_embeddings(test)))
        result["generated"] = accuracy(generated)
        result["generated_usable"] = round(float(np.mean([MIN_INK <= ink(g) <= MAX_INK for g in generated])), 3)
        result["generator_steps"] = sampler.step
    return result


def quality_bar(result: dict) -> bool:
    """Generated illustrations become the default only when they are at least as recognisable as retrieved
    ones, and most of them are usable pictures (neither empty nor a block)."""
    return ("generated" in result and result["generated"] >= max(result["retrieved"], 2 * result["chance"])
            and result["generated_usable"] >= 0.8)


def write_quality(weights_dir: Path, result: dict) -> dict:
    record = {**result, "passed": quality_bar(result)}
    (weights_dir / QUALITY_FILE).write_text(json.dumps(record, indent=2))
    return record
