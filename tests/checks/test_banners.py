"""The banner checks pass good banners (see test_banner_layout) and fail broken ones."""

import copy

import pytest
from PIL import Image

from adcraft.banners.layout import render_banner
from adcraft.checks.banners import check_banner
from adcraft.kernel.config import load_brand


@pytest.fixture(scope="module")
def banner(tmp_path_factory):
    path = tmp_path_factory.mktemp("banner") / "b.png"
    layout = render_banner("300x250", "Linen Shirt", "€39.00", load_brand("demo"), path)
    return path, layout


def results(path, size, layout):
    return {r.check_name: r for r in check_banner("ban_x", path, size, layout)}


def test_good_banner_passes(banner):
    path, layout = banner
    assert all(r.passed for r in results(path, "300x250", layout).values())


def test_wrong_dimensions_fail(banner, tmp_path):
    _, layout = banner
    Image.new("RGB", (300, 251), "white").save(tmp_path / "b.png")
    result = results(tmp_path / "b.png", "300x250", layout)["banner_size"]
    assert not result.passed and result.hard and "300x251" in result.reason


def test_over_weight_file_fails(banner, tmp_path):
    _, layout = banner
    noise = Image.effect_noise((400, 80), 120).convert("RGB")  # noise does not compress
    noise.save(tmp_path / "b.png", compress_level=0)
    result = results(tmp_path / "b.png", "320x50", layout)["banner_weight"]
    assert not result.passed and "50,000-byte limit for 320x50" in result.reason


def test_low_contrast_fails(banner):
    path, layout = banner
    bad = copy.deepcopy(layout)
    bad["text"]["headline"].update(colour="#999999", background="#AAAAAA", font_size=14, bold=False)
    result = results(path, "300x250", bad)["banner_contrast"]
    assert not result.passed
    assert result.reason.startswith("contrast 1.2:1 for headline is below 4.5:1")


def test_overflowing_line_fails(banner):
    path, layout = banner
    bad = copy.deepcopy(layout)
    box = bad["boxes"]["headline"]
    bad["text"]["headline"]["lines"][0]["bbox"][2] = box["x"] + box["w"] + 5
    result = results(path, "300x250", bad)["banner_overflow"]
    assert not result.passed and "outside its box" in result.reason


def test_overlapping_boxes_fail(banner):
    path, layout = banner
    bad = copy.deepcopy(layout)
    bad["boxes"]["price"] = dict(bad["boxes"]["headline"])
    bad["text"]["price"]["lines"] = []
    result = results(path, "300x250", bad)["banner_overflow"]
    assert not result.passed and "boxes headline and price overlap" in result.reason


def test_blank_image_is_a_soft_failure(banner, tmp_path):
    _, layout = banner
    Image.new("RGB", (300, 250), "#F5F1E8").save(tmp_path / "b.png")
    result = results(tmp_path / "b.png", "300x250", layout)["banner_not_blank"]
    assert not result.passed and not result.hard and "looks blank" in result.reason


def test_missing_file_fails_every_check(banner, tmp_path):
    _, layout = banner
    assert not any(r.passed for r in results(tmp_path / "nope.png", "300x250", layout).values())


def test_glyph_check_passes_a_good_banner(banner):
    path, layout = banner
    result = results(path, "300x250", layout)["banner_glyphs"]
    assert result.passed and result.hard and "Roboto-Bold" in result.reason


def test_a_character_its_font_lacks_fails_by_its_code_point(banner):
    path, layout = banner
    bad = copy.deepcopy(layout)
    bad["text"]["headline"]["lines"][0]["runs"] = [{"font": "Roboto-Bold", "text": "Mug \u2615"}]
    result = results(path, "300x250", bad)["banner_glyphs"]
    assert not result.passed and result.hard
    assert result.reason.startswith("font has no glyphs for U+2615 (HOT BEVERAGE) in the headline")


def test_glyphs_are_recomputed_not_taken_from_the_record(banner):
    path, layout = banner
    bad = copy.deepcopy(layout)
    bad["text"]["price"]["lines"][0]["runs"] = [{"font": "Roboto-Bold", "text": "\U0001FAE9"}]
    bad["text"]["price"]["missing_glyphs"] = []  # the record's own verdict says nothing is missing
    result = results(path, "300x250", bad)["banner_glyphs"]
    assert not result.passed and "U+1FAE9 in the price" in result.reason


def test_a_layout_from_before_font_runs_is_checked_by_its_lines(banner):
    path, layout = banner
    old = copy.deepcopy(layout)
    for text in old["text"].values():
        for line in text["lines"]:
            del line["runs"]
    assert results(path, "300x250", old)["banner_glyphs"].passed
    old["text"]["headline"]["lines"][0]["text"] = "ＮＩＣＥ"  # Roboto has no fullwidth letters
    assert "U+FF2E (FULLWIDTH LATIN CAPITAL LETTER N)" in results(path, "300x250", old)["banner_glyphs"].reason


def test_a_font_that_is_not_installed_fails(banner):
    path, layout = banner
    bad = copy.deepcopy(layout)
    bad["text"]["cta"]["lines"][0]["runs"] = [{"font": "Comic-Sans", "text": "Shop now"}]
    result = results(path, "300x250", bad)["banner_glyphs"]
    assert not result.passed and "font Comic-Sans that drew the cta is not installed" in result.reason
