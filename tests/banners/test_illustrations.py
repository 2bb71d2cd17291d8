"""Illustrations: OpenMoji retrieval by caption embedding, brand recolouring, the quality gate on
generated pictures, and the user's own image model setting."""

import json

import numpy as np
import pytest
import torch
from PIL import Image

from adcraft.banners.illustrations import (
    FIT_BAR,
    Illustrator,
    fit_scores,
    normalised,
    picture_name,
    recolour,
    trained_generator,
)
from adcraft.kernel.config import load_brand
from adcraft.kernel.settings import Settings
from models.illustration_gan import WEIGHTS, GANConfig, Generator
from models.illustration_quality import QUALITY_FILE, passes_check
from models.illustration_retrieval import Retriever, product_text
from models.image_pipeline import UserImageModel
from models.openmoji import catalogue, rasterise


@pytest.fixture(scope="module")
def brand():
    return load_brand("demo")


def test_catalogue_has_captions_subgroups_and_a_fair_split():
    emojis = catalogue()
    shirt = next(e for e in emojis if e.hexcode == "1F455")
    assert shirt.caption.startswith("t-shirt") and shirt.subgroup == "clothing" and shirt.product_like
    splits = [e.split for e in emojis if e.product_like]
    assert {"train", "judge", "test"} == set(splits) and splits.count("test") > 50
    assert not any(e.group == "flags" for e in emojis)


def test_product_text_leads_with_what_the_product_is():
    product = {"name": "Harbour Linen Shirt", "category": "Shirts", "material": "Linen", "description": "x" * 500}
    assert product_text(product).startswith("Harbour Linen Shirt, Shirts, Linen. xxx")
    assert len(product_text(product)) < 220


def test_retrieval_finds_the_product(brand):
    picked = Retriever().nearest(["Fjord Leather Boots, Footwear, Leather", "Dune Swim Shorts, Swimwear, Cotton"])
    assert [e.caption.split(":")[0] for e, _ in picked] == ["hiking boot", "shorts"]
    assert all(0 < score <= 1 for _, score in picked)


def test_recolour_moves_toward_the_brand_and_keeps_the_shape(brand):
    original = rasterise("1F455", 64)
    tinted = recolour(original, brand)
    assert tinted.getchannel("A").tobytes() == original.getchannel("A").tobytes()
    navy = np.array([0x1F, 0x3A, 0x5F])
    ink = np.asarray(original)[..., 3] > 127
    before, after = (np.abs(np.asarray(i)[..., :3][ink] - navy).mean() for i in (original, tinted))
    assert after < before


def test_illustrator_records_the_source_and_the_licence(brand, adcraft_home):
    art = Illustrator(brand).for_products([{"name": "Linen Shirt", "category": "Shirts"}])[0]
    assert art.fit == "contain" and art.image.size == (512, 512)
    assert art.record["source"] == "retrieved" and art.record["subgroup"] == "clothing"
    assert "OpenMoji" in art.record["attribution"] and art.record["license"] == "CC BY-SA 4.0"
    assert any((adcraft_home / "illustrations" / "retrieved").iterdir())  # cached for the next sizes and runs


def test_generated_pictures_must_pass_their_check():
    assert not passes_check(Image.new("RGBA", (64, 64)), "clothing")  # empty
    assert not passes_check(Image.new("RGBA", (64, 64), "#1F3A5F"), "clothing")  # a filled block
    assert not passes_check(rasterise("1F455", 64), "food-fruit")  # a shirt is not fruit


def test_generator_is_used_only_when_its_own_quality_passed(tmp_path):
    weights = tmp_path / "illustration-gan"
    weights.mkdir()
    config = GANConfig.tiny()
    torch.save({"G_ema": Generator(config).state_dict(), "config": config.__dict__, "step": 4}, weights / WEIGHTS)
    assert trained_generator(tmp_path) is None  # never measured
    (weights / QUALITY_FILE).write_text(json.dumps({"passed": False, "generator_steps": 4}))
    assert trained_generator(tmp_path) is None
    (weights / QUALITY_FILE).write_text(json.dumps({"passed": True, "generator_steps": 2}))
    assert trained_generator(tmp_path) is None  # measured on other weights
    (weights / QUALITY_FILE).write_text(json.dumps({"passed": True, "generator_steps": 4}))
    assert trained_generator(tmp_path).step == 4


def test_image_model_setting_names_a_diffusers_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ADCRAFT_IMAGE_MODEL", str(tmp_path))
    assert Settings().image_model == tmp_path
    with pytest.raises(FileNotFoundError, match="not a diffusers pipeline folder"):
        UserImageModel(tmp_path)


def test_a_generated_picture_that_fails_its_check_falls_back_to_retrieval(brand, tmp_path):
    config = GANConfig.tiny()
    generator = Generator(config)
    with torch.no_grad():  # a generator that draws nothing: every pixel fully transparent
        generator.to_rgba.weight.zero_()
        generator.to_rgba.bias.fill_(-10.0)
    weights = tmp_path / "models" / "illustration-gan"
    weights.mkdir(parents=True)
    torch.save({"G_ema": generator.state_dict(), "config": config.__dict__, "step": 4}, weights / WEIGHTS)
    (weights / QUALITY_FILE).write_text(json.dumps({"passed": True, "generator_steps": 4}))

    illustrator = Illustrator(brand, Settings(home=tmp_path / "home", model_cache=tmp_path / "models"))
    assert illustrator.sampler is not None
    art = illustrator.for_products([{"name": "Linen Shirt", "category": "Shirts"}])[0]
    assert art.record["source"] == "retrieved"
    assert any((tmp_path / "home" / "illustrations" / "generated").iterdir())  # drawn, checked and rejected


def named(caption: str):
    """The OpenMoji picture whose caption begins with this name."""
    return next(e for e in catalogue() if picture_name(e) == caption)


PAPER_MUG = {"name": "Mug", "category": "Kitchen", "material": "Recycled Paper",
             "description": "Soft-touch recycled paper, 350 ml."}


def test_a_mug_gets_the_motif_not_a_toilet_roll(brand, adcraft_home):
    (emoji, _), = Retriever().nearest([product_text(PAPER_MUG)])
    assert picture_name(emoji) == "roll of paper" and "toilet" in emoji.caption  # what retrieval alone picks
    art = Illustrator(brand).for_products([PAPER_MUG])[0]
    assert art.image is None and art.record["source"] == "motif"
    assert art.record["rejected"]["caption"].startswith("roll of paper") and art.record["rejected"]["fit"] < FIT_BAR
    assert "'roll of paper', does not fit the product" in art.record["reason"]


def test_a_backpack_still_gets_a_backpack(brand, adcraft_home):
    art = Illustrator(brand).for_products([{"name": "Kestrel Canvas Backpack", "category": "Bags",
                                            "material": "Canvas"}])[0]
    assert art.record["source"] == "retrieved" and art.record["caption"].startswith("backpack")
    assert art.record["fit"] >= art.record["fit_bar"] == FIT_BAR


@pytest.mark.parametrize(("product", "picture", "fits"), [
    ({"name": "Harbour Wool Cap", "category": "Accessories"}, "washing machine", False),
    ({"name": "Nice Mug", "category": "Home"}, "roll of paper", False),
    ({"name": "NICE MUG", "category": "Home"}, "houses", False),  # like 'Home', but a place: the name must match
    ({"name": "Scented Candle", "category": "Home"}, "candle", True),  # by name
    ({"name": "Harbour Lambswool Sweater", "category": "Knitwear"}, "yarn", True),  # by category
    ({"name": "Umbrella", "category": "Accessories"}, "umbrella", True),  # no product subgroup, but the name
])
def test_fit_is_the_picture_name_against_the_product_name_or_category(product, picture, fits):
    (score,) = fit_scores([product], [named(picture)])
    assert (score >= FIT_BAR) is fits, score


def test_without_a_category_the_fit_is_not_judged():
    assert fit_scores([{"name": "Linen Shirt"}], [named("t-shirt")]) == [None]


def test_fullwidth_names_are_read_as_their_letters():
    assert product_text(normalised({"name": "ＮＩＣＥ ＭＵＧ", "category": "Home", "price": 9})) == "NICE MUG, Home"
