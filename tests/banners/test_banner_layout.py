"""Real Pillow rendering of every banner size with awkward product names."""

import pytest
from PIL import Image

from adcraft.banners.layout import (
    ELLIPSIS,
    WEIGHT_LIMITS,
    contrast_ratio,
    fit_text,
    load_layout,
    render_banner,
)
from adcraft.checks.banners import check_banner
from adcraft.kernel.config import BANNER_SIZES, load_brand

NAMES = {
    "short": "Linen Shirt",
    "long": "Relaxed Fit Organic Linen Summer Shirt with Mother-of-Pearl Buttons, Two Pockets",
    "unbroken": "Supercalifragilisticexpialidociousnessxx",
    "html": "<img src=x onerror=alert(1)>",
}


@pytest.fixture(scope="module")
def brand():
    return load_brand("demo")


def test_names_are_the_lengths_the_brief_asks_for():
    assert len(NAMES["long"]) == 80 and len(NAMES["unbroken"]) == 40


def test_every_size_has_a_limit():
    assert BANNER_SIZES == set(WEIGHT_LIMITS)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("size", sorted(BANNER_SIZES))
def test_every_hard_check_passes(size, name, brand, tmp_path):
    layout = render_banner(size, NAMES[name], "€39.00", brand, tmp_path / "b.png")
    results = {r.check_name: r for r in check_banner("ban_x", tmp_path / "b.png", size, layout)}
    assert all(r.passed for r in results.values()), [r.reason for r in results.values() if not r.passed]
    assert layout["format"] == "png" and layout["bytes"] <= WEIGHT_LIMITS[size]
    with Image.open(tmp_path / "b.png") as image:
        assert image.size == tuple(map(int, size.split("x")))


@pytest.mark.parametrize("size", sorted(BANNER_SIZES))
def test_text_is_shown_as_typed(size, brand, tmp_path):
    layout = render_banner(size, NAMES["html"], "€39.00", brand, tmp_path / "b.png")
    shown = " ".join(line["text"] for line in layout["text"]["headline"]["lines"])
    assert shown.rstrip(ELLIPSIS) in NAMES["html"]
    assert layout["text"]["price"]["lines"][0]["text"] == "€39.00"


def test_layout_comes_from_the_template_for_each_shape(brand):
    shapes = {size: load_layout(*map(int, size.split("x")), brand)["shape"] for size in BANNER_SIZES}
    assert shapes["160x600"] == "tall" and shapes["728x90"] == "strip" and shapes["1200x628"] == "landscape"
    assert shapes["300x250"] == shapes["1080x1080"] == "square"


def test_long_text_shrinks_then_truncates_at_a_word():
    text = "one two three four five six seven eight nine ten"
    fit = fit_text(text, "Roboto-Bold", 120, 14, 10, 30, 1.15)
    assert fit.truncated and fit.size == 10 and len(fit.lines) == 1
    kept = fit.lines[0].removesuffix(ELLIPSIS)
    assert kept != fit.lines[0] and text.startswith(kept + " ")


def test_short_text_gets_the_largest_size():
    assert fit_text("Hi", "Roboto-Bold", 200, 100, 10, 30, 1.15).size == 30


def test_control_characters_are_dropped(brand, tmp_path):
    layout = render_banner("300x250", "Linen\u202e Shirt\x00", "€1.00", brand, tmp_path / "b.png")
    assert [line["text"] for line in layout["text"]["headline"]["lines"]] == ["Linen Shirt"]


def test_unreadable_brand_colour_is_replaced(brand, tmp_path):
    pale = brand.model_copy(update={"colours": brand.colours.model_copy(update={"text": "#EEEEEE"})})
    layout = render_banner("300x250", "Linen Shirt", "€1.00", pale, tmp_path / "b.png")
    headline = layout["text"]["headline"]
    assert headline["colour_replaced"] and headline["colour"] == "#000000"
    assert contrast_ratio(headline["colour"], headline["background"]) >= headline["threshold"]
