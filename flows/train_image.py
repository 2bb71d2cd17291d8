"""Train the illustration generator on the GPU pool, then measure it: banners use it only if it beats
retrieval (models/illustration_quality.py). Same work as `adcraft train image`."""

from prefect import flow

from tasks.train_image import default_out, gan_config, measure_generator, train_generator


@flow(name="train-image")
def train_image(steps: int = 20_000, image_size: int = 64, width: int = 64, batch_size: int = 64,
                subgroups: str = "product", checkpoint_every: int = 500, tiny: bool = False,
                out: str | None = None) -> dict:
    """tiny: a toy configuration that trains a few steps on a CPU. out: weights folder, default
    $ADCRAFT_MODEL_CACHE/illustration-gan; a re-run resumes from its checkpoint."""
    config = gan_config(steps, image_size, width, batch_size, subgroups, checkpoint_every, tiny)
    out = out or str(default_out())
    trained = train_generator(config, out)
    return measure_generator(trained["weights"], out)
