"""Train the illustration generator (models/illustration_gan.py) on OpenMoji, then measure it against
retrieval and record whether banners may use it (quality.json next to the weights). `adcraft train image`
calls these functions directly; flows/train_image.py runs them as Prefect tasks on the GPU pool."""

from pathlib import Path

from prefect import task

from adcraft.kernel.settings import get_settings
from adcraft.operations.stages import gpu_slot, timed_stage

IMAGE_SIZES = (16, 32, 64, 128)
SUBGROUPS = ("product", "all")


def gan_config(steps: int = 20_000, image_size: int = 64, width: int = 64, batch_size: int = 64,
               subgroups: str = "product", checkpoint_every: int = 500, tiny: bool = False):
    """The training configuration; ValueError names the bad setting and the choices."""
    from models.illustration_gan import GANConfig

    if image_size not in IMAGE_SIZES or subgroups not in SUBGROUPS:
        raise ValueError("--image-size takes 16, 32, 64 or 128, and --subgroups 'product' or 'all'.")
    return GANConfig.tiny() if tiny else GANConfig(
        image_size=image_size, width=width, batch_size=batch_size, steps=steps, subgroups=subgroups,
        checkpoint_every=checkpoint_every,
    )


def default_out() -> Path:
    return get_settings().models_dir / "illustration-gan"


def _log():
    from prefect import get_run_logger

    try:
        return get_run_logger().info
    except Exception:  # called outside a Prefect run
        return print


@task(name="train-illustration-generator")
@timed_stage
def train_generator(config, out: str, log=None) -> dict:
    """Train to config.steps, resuming from out's checkpoint; holds the `gpu` slot while it trains. Reads no
    warehouse: OpenMoji's pictures and captions; writes the weights and checkpoints under out."""
    from models.illustration_gan import train

    with gpu_slot():
        result = train(config, Path(out), log=log or _log())
    return {"rows": result["steps"], **result}


@task(name="measure-illustrations")
@timed_stage
def measure_generator(weights: str, out: str) -> dict:
    """Category accuracy of generated pictures against retrieved and real ones. Reads no warehouse; writes
    quality.json beside the weights."""
    from models.illustration_gan import Sampler
    from models.illustration_quality import measure, write_quality

    quality = write_quality(Path(out), measure(Sampler(Path(weights))))
    verdict = "banners will use it" if quality["passed"] else "banners keep using retrieved OpenMoji pictures"
    summary = (f"category accuracy: generated {quality['generated']:.3f}, retrieved {quality['retrieved']:.3f} "
               f"(real pictures {quality['real']:.3f}, chance {quality['chance']:.3f}): {verdict}")
    return {"rows": quality["test_pictures"], "quality": quality, "summary": summary}
