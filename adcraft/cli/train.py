"""`adcraft train ...`: training the project's own models. Heavy imports happen inside the commands."""

from pathlib import Path
from typing import Annotated

import typer

from adcraft.kernel.settings import get_settings
from models.judge import JudgeConfig
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


@app.command(short_help="Train the editor judge, the gate's 'would we ship this' check.")
def judge(
    epochs: Annotated[int, typer.Option(help="Passes over the training pairs.")] = JudgeConfig.epochs,
    out: Annotated[Path, typer.Option(
        file_okay=False,
        help="Where to write it; defaults to models/weights/editor-judge, which the gate uses.")] = None,
):
    """Train the editor judge on the copy corpus (positives), people's labels on real model lines, hand-written
    bad lines and systematic negatives (corpus/judge/; adcraft/checks/judge_data.py). Its threshold is chosen
    on products it never trained on, so that with the gate's other checks 95% of their bad lines are held.
    Writes it with its data hash, config and figures (training.json). About two minutes on 2 CPU cores, most
    of it embedding the lines. The held-out editor set (tests/data/editor_set.jsonl) is never trained on:
    `python -m bench.editor_eval` measures the gate on it."""
    from tasks.train_judge import train_editor_judge

    result = train_editor_judge.fn(JudgeConfig(epochs=epochs), str(out) if out else None, log=typer.echo)
    v, w = result["validation"], result["validation_whole_gate"]
    typer.echo(f"{result['version']}: threshold {result['threshold']:.3f}. On products it never trained on, the judge "
               f"alone approves {v['good_recall']:.0%} of good lines and holds {v['bad_held_share']:.0%} of bad "
               f"ones; with the gate's other checks, {w['good_recall']:.0%} and {w['bad_held_share']:.0%} "
               f"({result['seconds']:.0f} s)")


@app.command(short_help="Fine-tune the copy model with LoRA on the copy corpus, a brand's past copy and approved "
                        "copy; it replaces the current model only if it does better on held-out products.")
def text(
    epochs: Annotated[int, typer.Option(help="Passes over the training examples.")] = TrainConfig.epochs,
    pack_tokens: Annotated[int, typer.Option(
        help="Tokens per optimiser step, the examples packed as prefix trees.")] = TrainConfig.pack_tokens,
    learning_rate: Annotated[float, typer.Option()] = TrainConfig.learning_rate,
    rank: Annotated[int, typer.Option(help="LoRA rank (alpha is twice the rank).")] = TrainConfig.rank,
    corpus: Annotated[bool, typer.Option(help="Learn from the copy corpus (corpus/).")] = True,
    examples: Annotated[list[Path], typer.Option(
        "--examples", exists=True, dir_okay=False,
        help="A brand's past copy: a Google Ads Editor export, or a CSV of product, field and line. Repeat for "
             "several files. Rows that cannot be used are reported and skipped.")] = None,
    brand: Annotated[str, typer.Option(help="The brand (brands/<name>.yaml) whose voice --examples are in.")] = "demo",
    history: Annotated[bool, typer.Option(help="Learn from copy approved in the warehouse.")] = True,
    min_quality: Annotated[float, typer.Option(
        min=0, max=1, help="Lowest policy quality score of an auto-approved line to learn from; "
                           "lines a person approved are always used.")] = 0.75,
    max_examples: Annotated[int, typer.Option(min=1, help="At most this many approved lines, people's first.")] = 2000,
    eval_lines: Annotated[int, typer.Option(min=1, help="Held-out lines each model writes to be judged.")] = 300,
    minutes: Annotated[float, typer.Option(
        min=1, help="Stop after this many minutes with a checkpoint; the same command resumes.")] = None,
    ship: Annotated[bool, typer.Option(
        help="Train the copy model the project ships, on the corpus alone, and write it to "
             "models/weights/copy-lora (make train-copy-model).")] = False,
    base_model: Annotated[Path, typer.Option(
        help="Model folder to train on; defaults to ADCRAFT_TEXT_MODEL, else SmolLM2-135M-Instruct.",
        exists=True, file_okay=False)] = None,
):
    """Fine-tune the copy model with LoRA: on the copy corpus (whole categories and one product in ten held
    out), on a brand's past copy (--examples), and on copy approved in the warehouse. The current model (the
    champion) and the new one (the challenger) then write copy for the held-out products with the same seeds,
    and the gate scores it. The challenger replaces the champion only if its first-pass auto-approval rate is
    higher and its distinct-2 at most 0.05 lower. Either way it is recorded in ops.model_registry, with its
    adapter, training.json and evaluation.json under $ADCRAFT_MODEL_CACHE/text-lora/. On 2 CPU cores a full
    round on the corpus takes most of an hour; --minutes splits it into runs that resume."""
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()
    from adcraft.cli.main import explained_errors
    from adcraft.kernel.errors import TrainingDataError
    from flows.train_text import train_text

    try:
        with explained_errors():
            result = train_text(
                epochs=epochs, pack_tokens=pack_tokens, learning_rate=learning_rate, rank=rank, corpus=corpus,
                examples=[str(p) for p in examples or []], brand=brand, history=history, min_quality=min_quality,
                max_examples=max_examples, eval_lines=eval_lines, max_minutes=minutes, ship=ship,
                base_model=str(base_model) if base_model else None,
            )
    except TrainingDataError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    data, training = result["data"], result["training"]
    for row in data.get("skipped_rows", []):
        typer.echo(f"skipped {row}")
    if not training["finished"]:
        typer.echo(f"stopped at step {training['step']} of {training['steps']}; run the same command to resume")
        return
    typer.echo(f"trained on {data['train_examples']} examples (corpus {data['corpus_used']}, brand "
               f"{data['brand_examples']}, approved history {data['history_examples']}) in "
               f"{training['seconds'] / 60:.1f} min on {training['device']}, final loss {training['final_loss']:.3f}")
    for role, figures in result["evaluation"].items():
        if not isinstance(figures, dict):  # the stage's seconds
            continue
        typer.echo(f"  {role:<10} approval {figures['approval_rate']:.0%} (held-out categories "
                   f"{figures['held_out_categories']['approval_rate']:.0%}), distinct-2 {figures['distinct_2']:.2f}"
                   f"  {figures['version']}")
    if ship:
        typer.echo(f"shipped: {result['shipped']['path']}")
        return
    promotion = result["promotion"]
    verdict = "promoted: generation uses it from now on" if promotion["promoted"] else \
        "not promoted: it stays a challenger and generation keeps the champion"
    typer.echo(f"{promotion['challenger']}: {verdict}")
    typer.echo(f"files: {training['path']}")
