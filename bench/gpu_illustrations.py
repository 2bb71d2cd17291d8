"""Issue 5's GPU checks as one prepared run: train the illustration generator at full size on a lent GPU
machine for a fixed time, and time its sampling there. That machine reaches no package index or model hub,
so what it needs travels with the working tree, in .device/ (git-ignored):

    make device-kit                          # here: wheels for its Python 3.12, OpenMoji's captions and their
                                             # MiniLM embeddings (about 40 MB)
    # the device tool's run, carry [".device"], timeout_s 600:
    python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .device/wheels/*.whl \
      && PYTHONPATH=/tmp/site python3 -m bench.gpu_illustrations train --minutes 6 --out $OUT
    python -m bench.gpu_illustrations import <the run's files_at>   # here: weights into place, quality

`train` writes the sampling weights in parts (a returned file may have at most 16 MiB), a grid of pictures
for test captions, and gpu_illustrations.json. The checkpoint (generator, discriminator and optimiser
states, about 290 MB) cannot come back, so a later device run trains afresh. `import` puts the weights
where banners look for them ($ADCRAFT_MODEL_CACHE/illustration-gan), measures them against retrieval on
this machine's CPU (quality.json: banners use them only if they pass), and saves the figures in
bench/results/gpu_illustrations.json.
"""

import argparse
import json
import os
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

FIGURES = "gpu_illustrations.json"
PART_BYTES = 15 * 2**20


def train_for(minutes: float, out: Path, tiny: bool = False, part_bytes: int = PART_BYTES) -> dict:
    """Train a fresh generator for about `minutes` (a tiny one for a few steps with `tiny`), then write its
    weights in parts, a picture grid and the figures to `out`."""
    import torch

    from bench.banners import _sampling_seconds
    from models.illustration_gan import WEIGHTS, GANConfig, train

    work = Path(tempfile.mkdtemp(prefix="adcraft-gan-"))
    config = GANConfig.tiny() if tiny else GANConfig(checkpoint_every=2000)
    log: list[str] = []
    started = time.perf_counter()
    # A first leg learns the speed (and pays for rasterising the pictures); the budget sets the rest.
    first = min(config.steps, 200)
    train(replace(config, steps=first), work, log=log.append)
    per_step = (time.perf_counter() - started) / first
    steps = config.steps if tiny else max(
        first, first + int((minutes * 60 - (time.perf_counter() - started)) / per_step))
    result = train(replace(config, steps=steps), work, log=log.append)
    seconds = time.perf_counter() - started

    out.mkdir(parents=True, exist_ok=True)
    data = (work / WEIGHTS).read_bytes()
    parts = [data[i:i + part_bytes] for i in range(0, len(data), part_bytes)]
    for n, part in enumerate(parts):
        (out / f"{WEIGHTS}.part{n}").write_bytes(part)
    _picture_grid(work / WEIGHTS, out / "samples.png")
    device = result["device"]
    figures = {
        "device": device, "gpu": torch.cuda.get_device_name() if device == "cuda" else None,
        "torch": torch.__version__, "config": asdict(replace(config, steps=steps)), "steps": result["steps"],
        "train_seconds": round(seconds, 1), "steps_per_second": round(result["steps"] / seconds, 2),
        "last_log": next((line for line in reversed(log) if line.startswith("step ")), ""),
        "weights_parts": len(parts), "weights_bytes": len(data),
        "generator_sample_seconds_cuda": _sampling_seconds("cuda") if device == "cuda" else None,
        "generator_sample_seconds_cpu_there": _sampling_seconds("cpu"), "cpu_threads_there": torch.get_num_threads(),
    }
    (out / FIGURES).write_text(json.dumps(figures, indent=2))
    return figures


def _picture_grid(weights: Path, path: Path, n: int = 32) -> None:
    """Generated pictures for the first test captions (never trained on), 8 to a row, on white."""
    from PIL import Image

    from models.illustration_gan import Sampler
    from models.illustration_quality import to_images
    from models.openmoji import caption_embeddings, product_emojis

    test = [e for e in product_emojis() if e.split == "test"][:n]
    pictures = to_images(Sampler(weights).sample(caption_embeddings(test)))
    side = pictures[0].width
    grid = Image.new("RGB", (8 * side, -(-len(pictures) // 8) * side), "white")
    for i, picture in enumerate(pictures):
        grid.paste(picture, ((i % 8) * side, (i // 8) * side), picture)
    grid.save(path)


def import_run(folder: Path) -> dict:
    """Join the weights from a `train` run's files into the generator folder, measure them on this machine,
    and save the figures with the quality."""
    from adcraft.kernel.settings import get_settings
    from models.illustration_gan import WEIGHTS
    from tasks.train_image import measure_generator

    figures = json.loads((folder / FIGURES).read_text())
    target = get_settings().models_dir / "illustration-gan"
    target.mkdir(parents=True, exist_ok=True)
    data = b"".join((folder / f"{WEIGHTS}.part{n}").read_bytes() for n in range(figures["weights_parts"]))
    if len(data) != figures["weights_bytes"]:
        raise ValueError(f"{folder}: the weights' parts hold {len(data)} bytes, not {figures['weights_bytes']}")
    (target / WEIGHTS).write_bytes(data)
    (target / "config.json").write_text(json.dumps({**figures["config"], "trained_steps": figures["steps"]}, indent=2))
    measured = measure_generator.fn(str(target / WEIGHTS), str(target))
    return {**figures, "quality": measured["quality"], "summary": measured["summary"], "weights": str(target)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("train", help="On the GPU machine: train for a time, write weights and figures.")
    run.add_argument("--minutes", type=float, default=6.0)
    run.add_argument("--out", type=Path, required=True)
    run.add_argument("--tiny", action="store_true", help="A toy model for a few steps, to try this on a CPU.")
    back = commands.add_parser("import", help="Here: put a train run's weights in place and measure them.")
    back.add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.command == "train":
        os.environ.setdefault("ADCRAFT_HOME", tempfile.mkdtemp(prefix="adcraft-gpu-"))
        if Path(".device").is_dir():  # the captions and their embeddings made by `make device-kit`
            os.environ.setdefault("ADCRAFT_OPENMOJI_CSV", ".device/openmoji.csv")
            os.environ.setdefault("ADCRAFT_MODEL_CACHE", ".device/models")
        found = train_for(args.minutes, args.out, args.tiny)
    else:
        from bench.run import write_results

        found = write_results("gpu_illustrations", import_run(args.folder))
    print(json.dumps(found, indent=2))
