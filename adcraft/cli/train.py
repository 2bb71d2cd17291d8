"""`adcraft train ...`: training the project's own models. Heavy imports happen inside the commands."""

from pathlib import Path
from typing import Annotated

import typer

from adcraft.kernel.settings import get_settings
from models.text_train_config import TrainConfig

app = typer.Typer(help="Train the project's own models (picks cuda when there is one).", no_args_is_help=True)


@app.command(short_help="Train the illustration generator (GPU) and check if banners may use it.")
def image(
    steps: Annotated[int, typer.Option(help="Train until this many steps in all; a re-run resumes.")] = 20_000,
    image_size: Annotated[int, typer.Option(help="Picture side in pixels: 16, 32, 64 or 128.")] = 64,
    width: Annotated[int, typer.Option(help="Channels of the largest feature map.")] = 64,
    batch_size: Annotated[int, typer.Option()] = 64,
    subgroups: Annotated[str, typer.Option(help="'product' (product-like OpenMoji subgroups) or 'all'.")] = "product",
    checkpoint_every: Annotated[int, typer.Option()] = 500,
    tiny: Annotated[bool, typer.Option(help="A toy configuration that trains a few steps on a CPU.")] = False,
    out: Annotated[
        Path, typer.Option(help="Weights folder; defaults to $ADCRAFT_MODEL_CACHE/illustration-gan.")
    ] = None,
):
    """Train the illustration generator on OpenMoji, then measure it against retrieval and record whether
    banners may use it (quality.json next to the weights)."""
    from tasks.train_image import gan_config, measure_generator, train_generator

    out = out or get_settings().models_dir / "illustration-gan"
    try:  # bad settings, or a checkpoint of another shape
        config = gan_config(steps, image_size, width, batch_size, subgroups, checkpoint_every, tiny)
        result = train_generator.fn(config, str(out), log=typer.echo)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(measure_generator.fn(result["weights"], str(out))["summary"])


@app.command(short_help="Fine-tune the copy model with LoRA on approved copy; it replaces the current model "
                        "only if it does better on held-out products.")
def text(
    epochs: Annotated[int, typer.Option(help="Passes over the training examples.")] = TrainConfig.epochs,
    batch_size: Annotated[int, typer.Option(help="Examples per optimiser step.")] = TrainConfig.batch_size,
    learning_rate: Annotated[float, typer.Option()] = TrainConfig.learning_rate,
    rank: Annotated[int, typer.Option(help="LoRA rank (alpha is twice the rank).")] = TrainConfig.rank,
    held_out_pct: Annotated[int, typer.Option(
        min=1, max=99, help="Share of products (by a hash of the sku) never trained on; evaluated on.")] = 25,
    min_quality: Annotated[float, typer.Option(
        min=0, max=1, help="Lowest policy quality score of an auto-approved item to learn from; "
                           "items a person approved are always used.")] = 0.75,
    max_examples: Annotated[int, typer.Option(min=1, help="At most this many examples, people's first.")] = 2000,
    samples: Annotated[int, typer.Option(min=1, help="Answers per held-out brief and model.")] = 2,
    base_model: Annotated[Path, typer.Option(
        help="Model folder to train on; defaults to ADCRAFT_TEXT_MODEL, else SmolLM2-135M-Instruct.",
        exists=True, file_okay=False)] = None,
):
    """Fine-tune the copy model with LoRA on approved copy (people's approvals first, then the policy's
    best), holding out a share of products. The current model (the champion) and the new one (the
    challenger) then write copy for the held-out briefs with the same seeds, and the gate scores it under
    each campaign's policy. The challenger replaces the champion for nightly runs only if its first-pass
    auto-approval rate is higher and its distinct-2 at most 0.05 lower. Either way it is recorded in
    ops.model_registry, with its adapter, training.json and evaluation.json under
    $ADCRAFT_MODEL_CACHE/text-lora/. Takes minutes on a CPU at demo scale."""
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()
    from adcraft.kernel.errors import TrainingDataError
    from flows.train_text import train_text

    try:
        result = train_text(
            epochs=epochs, batch_size=batch_size, learning_rate=learning_rate, rank=rank, held_out_pct=held_out_pct,
            min_quality=min_quality, max_examples=max_examples, samples=samples,
            base_model=str(base_model) if base_model else None,
        )
    except TrainingDataError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    data, training, promotion = result["data"], result["training"], result["promotion"]
    typer.echo(f"trained on {data['train_examples']} generations behind {data['train_items']} approved lines "
               f"({data['by_people']} approved by people) in "
               f"{training['seconds']:.0f} s on {training['device']}, final loss {training['final_loss']:.3f}")
    typer.echo(f"held-out: {data['held_out_lines']} lines of {data['held_out_products']} products")
    for role in ("champion", "challenger"):
        figures = result["evaluation"][role]
        typer.echo(f"  {role:<10} approval {figures['approval_rate']:.0%}, distinct-2 {figures['distinct_2']:.2f}"
                   f"  {figures['version']}")
    verdict = "promoted: generation uses it from now on" if promotion["promoted"] else \
        "not promoted: it stays a challenger and generation keeps the champion"
    typer.echo(f"{promotion['challenger']}: {verdict}")
    typer.echo(f"files: {training['path']}")
