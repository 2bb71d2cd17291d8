"""Every size still passes the hard checks with an illustration in its box, and carries its credit."""

import pytest
from PIL import Image

from adcraft.banners.illustrations import Art, Illustrator
from adcraft.banners.layout import WEIGHT_LIMITS, render_banner
from adcraft.checks.banners import check_banner
from adcraft.kernel.config import BANNER_SIZES, load_brand

LONG = "Relaxed Fit Organic Linen Summer Shirt with Mother-of-Pearl Buttons, Two Pockets"


@pytest.fixture(scope="module")
def brand():
    return load_brand("demo")


@pytest.fixture(scope="module")
def retrieved(brand, tmp_path_factory):
    from adcraft.kernel.settings import Settings

    settings = Settings(home=tmp_path_factory.mktemp("home"))
    return Illustrator(brand, settings).for_products([{"name": LONG, "category": "Shirts", "material": "Linen"}])[0]


def photo() -> Art:
    """A busy full-bleed picture, as a user's image model draws: the hardest case for file weight."""
    image = Image.radial_gradient("L").resize((512, 512)).convert("RGB")
    image.paste(Image.effect_noise((256, 256), 60).convert("RGB"), (128, 128))
    return Art(image.convert("RGBA"), "cover", {"source": "user_model", "model": "test@0"})


@pytest.mark.parametrize("size", sorted(BANNER_SIZES))
def test_every_size_passes_with_a_retrieved_illustration(size, brand, retrieved, tmp_path):
    layout = render_banner(size, LONG, "€39.00", brand, tmp_path / "b.png", retrieved)
    failed = [r.reason for r in check_banner("ban_x", tmp_path / "b.png", size, layout) if not r.passed]
    assert not failed
    assert layout["illustration"]["source"] == "retrieved" and layout["bytes"] <= WEIGHT_LIMITS[size]
    with Image.open(layout["path"]) as image:
        assert image.size == tuple(map(int, size.split("x")))
        assert "OpenMoji" in image.info["Copyright"]  # the credit travels with the file


@pytest.mark.parametrize("size", sorted(BANNER_SIZES))
def test_every_size_passes_with_a_full_bleed_picture(size, brand, tmp_path):
    layout = render_banner(size, LONG, "€39.00", brand, tmp_path / "b.png", photo())
    failed = [r.reason for r in check_banner("ban_x", tmp_path / "b.png", size, layout) if not r.passed]
    assert not failed and layout["illustration"] == {"source": "user_model", "model": "test@0"}


def test_without_an_illustration_the_box_gets_the_motif(brand, tmp_path):
    banner = render_banner("300x250", "Linen Shirt", "€1.00", brand, tmp_path / "b.png")
    assert banner["illustration"] == {"source": "motif"}


def test_a_picture_that_does_not_fit_draws_the_motif_and_says_why(brand, tmp_path):
    reason = "the nearest picture, 'roll of paper', does not fit the product (fit 0.17 is below 0.43)"
    misfit = Art(None, "contain", {"source": "motif", "reason": reason})
    banner = render_banner("300x250", "Mug", "€9.00", brand, tmp_path / "misfit.png", misfit)
    plain = render_banner("300x250", "Mug", "€9.00", brand, tmp_path / "plain.png")
    assert banner["illustration"] == {"source": "motif", "reason": reason}
    assert (tmp_path / "misfit.png").read_bytes() == (tmp_path / "plain.png").read_bytes() and plain
    assert all(r.passed for r in check_banner("ban_x", tmp_path / "misfit.png", "300x250", banner))
