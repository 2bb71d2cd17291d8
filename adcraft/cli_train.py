"""`adcraft train ...`: training the project's own models. Heavy imports happen inside the commands."""

from pathlib import Path
from typing import Annotated

import typer

from adcraft.settings import get_settings

app = typer.Typer(help="Train the project's own models (meant for a GPU; picks cuda when there is one).",
                  no_args_is_help=True)


@app.command()
def image(
    steps: Annotated[int, typer.Option(help="Train until this many steps in all; a re-run resumes.")] = 20_000,
    image_size: Annotated[int, typer.Option(help="Picture side in pixels: 16, 32, 64 or 128.")] = 64,
    width: Annotated[int, typer.Option(help="Channels of the largest feature map.")] = 64,
    batch_size: Annotated[int, typer.Option()] = 64,
    subgroups: Annotated[str, typer.Option(help="'product' (product-like OpenMoji subgroups) or 'all'.")] = "product",
    checkpoint_every: Annotated[int, typer.Option()] = 500,
    tiny: Annotated[bool, typer.Option(help="A toy configuration that trains a few steps on a CPU.")] = False,
    out: Annotated[Path, typer.Option(help="Weights folder; defaults to $ADCRAFT_MODEL_CACHE/illustration-gan.")] = None,
):
    """Train the illustration generator on OpenMoji, then measure it against retrieval and record whether
    banners may use it (quality.json next to the weights)."""
    from models.illustration_gan import GANConfig, Sampler, train
    from models.illustration_quality import measure, write_quality

    if image_size not in (16, 32, 64, 128) or subgroups not in ("product", "all"):
        raise typer.BadParameter("--image-size takes 16, 32, 64 or 128, and --subgroups 'product' or 'all'.")
    config = GANConfig.tiny() if tiny else GANConfig(
        image_size=image_size, width=width, batch_size=batch_size, steps=steps, subgroups=subgroups,
        checkpoint_every=checkpoint_every,
    )
    out = out or get_settings().models_dir / "illustration-gan"
    try:
        result = train(config, out, log=typer.echo)
    except ValueError as exc:  # a checkpoint of another shape
        raise typer.BadParameter(str(exc)) from None
    quality = write_quality(out, measure(Sampler(Path(result["weights"]))))
    verdict = "banners will use it" if quality["passed"] else "banners keep using retrieved OpenMoji pictures"
    typer.echo(f"category accuracy: generated {quality['generated']:.3f}, retrieved {quality['retrieved']:.3f} "
               f"(real pictures {quality['real']:.3f}, chance {quality['chance']:.3f}): {verdict}")
