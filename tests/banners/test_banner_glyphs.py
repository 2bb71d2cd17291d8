"""Banners check their own glyphs: every character is set in a font that has it (real fonts: the brand's from
font-roboto, the fallbacks from Debian's Noto packages, `make fonts`), and what no font has is rejected."""

import pytest
from PIL import features

from adcraft.banners import glyphs
from adcraft.banners.glyphs import Run, coverage, fallbacks, visual_order
from adcraft.banners.layout import clean_text, render_banner
from adcraft.checks.banners import check_banner
from adcraft.kernel.config import BANNER_SIZES, load_brand

FULLWIDTH = "ＮＩＣＥ ＭＵＧ"
ARABIC = "كوب قهوة"
UNCOVERED_EMOJI = "\U0001FAE9"  # face with bags under eyes (Emoji 16.0): newer than every installed font


@pytest.fixture(scope="module")
def brand():
    names = {f.name for f in fallbacks(True)}
    assert {"NotoSans-Bold", "NotoSansArabic-Bold", "NotoSansCJK-Bold"} <= names, "run `make fonts`"
    return load_brand("demo")


def render(name: str, brand, tmp_path, size: str = "300x250"):
    layout = render_banner(size, name, "€39.00", brand, tmp_path / "b.png")
    return layout, {r.check_name: r for r in check_banner("ban_x", tmp_path / "b.png", size, layout)}


def headline_fonts(layout) -> set[str]:
    return {run["font"] for line in layout["text"]["headline"]["lines"] for run in line["runs"]}


def drawn(layout) -> str:
    return " ".join("".join(run["text"] for run in line["runs"]) for line in layout["text"]["headline"]["lines"])


@pytest.mark.parametrize("size", sorted(BANNER_SIZES))
def test_a_latin_name_uses_the_brand_font_only(size, brand, tmp_path):
    layout, results = render("Harbour Linen Shirt", brand, tmp_path, size)
    assert all(r.passed for r in results.values())
    for name, text in layout["text"].items():
        assert text["fonts"] == [text["font"]] and not text["missing_glyphs"], name
        assert all(run["font"] == text["font"] for line in text["lines"] for run in line["runs"])


@pytest.mark.parametrize("size", sorted(BANNER_SIZES))
def test_a_fullwidth_name_falls_back_to_noto_cjk_and_passes(size, brand, tmp_path):
    layout, results = render(FULLWIDTH, brand, tmp_path, size)
    assert all(r.passed for r in results.values()), [r.reason for r in results.values() if not r.passed]
    assert headline_fonts(layout) == {"NotoSansCJK-Bold"}
    assert drawn(layout) == FULLWIDTH and not layout["text"]["headline"]["missing_glyphs"]
    assert layout["text"]["price"]["fonts"] == ["Roboto-Bold"]  # only the text that needs it falls back


def test_mixed_text_is_set_run_by_run(brand, tmp_path):
    layout, results = render("Café ☕ Mug", brand, tmp_path)
    assert results["banner_glyphs"].passed
    runs = [(run["font"], run["text"]) for line in layout["text"]["headline"]["lines"] for run in line["runs"]]
    assert runs[0] == ("Roboto-Bold", "Café ") and ("NotoSansSymbols2-Regular", "☕ ") in runs
    assert runs[-1] == ("Roboto-Bold", "Mug")


@pytest.mark.skipif(not features.check("raqm"), reason="this Pillow has no raqm: see the basic-layout test")
def test_an_arabic_name_is_shaped_with_raqm_and_keeps_every_letter(brand, tmp_path):
    layout, results = render(ARABIC, brand, tmp_path)
    assert all(r.passed for r in results.values()), [r.reason for r in results.values() if not r.passed]
    headline = layout["text"]["headline"]
    assert headline_fonts(layout) == {"NotoSansArabic-Bold"} and headline["layout_engine"] == "raqm"
    assert drawn(layout) == ARABIC  # one run per line: no letter lost, the words kept together for shaping


def test_without_raqm_an_arabic_name_is_rejected_with_the_reason(brand, tmp_path, monkeypatch):
    monkeypatch.setattr(glyphs, "RAQM", False)
    layout, results = render(ARABIC, brand, tmp_path)
    assert layout["text"]["headline"]["layout_engine"] == "basic"
    result = results["banner_glyphs"]
    assert not result.passed and result.hard
    assert "U+0643 (ARABIC LETTER KAF)" in result.reason and "basic layout cannot shape" in result.reason
    _, latin = render("Linen Shirt", brand, tmp_path)
    assert latin["banner_glyphs"].passed  # Latin needs no shaping


def test_an_emoji_no_font_has_is_rejected(brand, tmp_path):
    assert not any(ord(UNCOVERED_EMOJI) in coverage(f) for bold in (True, False) for f in glyphs.chain(
        "Roboto-Bold" if bold else "Roboto-Regular"))
    layout, results = render(UNCOVERED_EMOJI, brand, tmp_path)
    assert layout["text"]["headline"]["missing_glyphs"] == ["U+1FAE9"]
    result = results["banner_glyphs"]
    assert not result.passed and result.hard
    assert result.reason.startswith("font has no glyphs for U+1FAE9 in the headline")


def test_a_symbol_emoji_is_drawn_by_noto_symbols(brand, tmp_path):
    layout, results = render("☕", brand, tmp_path)
    assert results["banner_glyphs"].passed and headline_fonts(layout) == {"NotoSansSymbols2-Regular"}


def test_variation_selectors_are_dropped_and_text_composed():
    assert clean_text("☕\ufe0f Mug") == "☕ Mug"
    assert clean_text("Cafe\u0301") == "Café"


def test_right_to_left_runs_are_put_in_visual_order():
    latin, space, arabic, digits = Run("Mug", None), Run(" ", None), Run("كوب", None, True), Run("2", None)
    assert visual_order((latin, space, arabic, space, digits)) == [latin, space, arabic, space, digits]
    assert visual_order((arabic, space, latin)) == [latin, space, arabic]  # a right-to-left paragraph
    second = Run("قهوة", None, True)
    assert visual_order((latin, space, arabic, space, second)) == [latin, space, second, space, arabic]
