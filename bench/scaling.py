"""Scaling: the nightly flow's wall time per stage at 1x, 10x and 100x the demo campaign's briefs.

What a CPU can afford, and how each figure is labelled (bench/results/scaling.json, bench/report.md):
- Every run is the real nightly flow on Prefect's ephemeral API, one process per scale (its own peak
  memory), on a demo shop big enough for the scale's products per segment.
- Generation uses the real default model at the factors in --model-factors (default 1x and 10x), with
  one variant per brief field and no best-of-N. At 100x the real model would take hours on a CPU, so that
  run generates with a stand-in: a one-layer, randomly initialised copy of the model's architecture with
  its tokenizer, whose every token ends the answer (one random word per item). Every other stage then
  scores, draws and publishes the right number of real items; the stand-in's own time is not a
  generation figure. Generation at 100x is extrapolated from the largest model run's seconds per brief,
  and marked "extrapolated".

    python -m bench.scaling                         # 1x 10x 100x (the 10x model run takes minutes)
    python -m bench.scaling --factors 0.25 1 --model-factors 0.25   # a quick check of the machinery
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

from bench.memory import peak_rss_mb

BRIEFS_PER_SEGMENT_1X = 4  # campaigns/demo.yaml: products.per_segment
RUN_DATE = date(2026, 11, 23)


def shop_scale(factor: float) -> float:
    """Demo shops have 240 * sqrt(scale) products: keep 1.5x the products a segment needs."""
    per_segment = BRIEFS_PER_SEGMENT_1X * factor
    return max(1.0, (1.5 * per_segment / 240) ** 2)


def standin_model(models_dir: Path, out: Path) -> Path:
    """A one-layer, randomly initialised model with the default model's tokenizer and chat template."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    from models.text_generator import default_model_dir

    source = default_model_dir(models_dir)
    config = AutoConfig.from_pretrained(source)
    config.update({"num_hidden_layers": 1, "hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 2,
                   "num_key_value_heads": 1, "head_dim": 32})
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config)
    # Every token ends the answer, so each item is one random word: sampling 48 tokens from a random model
    # over a 49k vocabulary would cost about as much as the real model does on a CPU.
    model.generation_config.eos_token_id = list(range(config.vocab_size))
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(source).save_pretrained(out)
    return out


def _run(factor: float, real_model: bool, folder: Path) -> dict:
    """One scale, in this process: a shop, a campaign, one nightly flow run."""
    from adcraft.kernel.settings import PROJECT_DIR

    home = folder / "home"
    os.environ["ADCRAFT_HOME"] = str(home)
    os.environ.setdefault("ADCRAFT_MODEL_CACHE", str(PROJECT_DIR / ".cache" / "models"))
    os.environ.setdefault("PREFECT_HOME", str(Path(tempfile.gettempdir()) / "adcraft-bench-prefect"))
    from adcraft.kernel.settings import get_settings
    from adcraft.operations.prefect_env import configure_prefect
    from adcraft.sources.demo_shop import generate_demo_shop

    if not real_model:
        os.environ["ADCRAFT_TEXT_MODEL"] = str(standin_model(get_settings().models_dir, folder / "standin"))
    get_settings.cache_clear()
    configure_prefect()
    from flows.nightly import nightly_campaign

    generate_demo_shop(home / "landing" / "demo", scale=shop_scale(factor), seed=7)
    campaign = yaml.safe_load((PROJECT_DIR / "campaigns" / "demo.yaml").read_text())
    campaign["products"]["per_segment"] = max(1, round(BRIEFS_PER_SEGMENT_1X * factor))
    campaign.update({"variants": 1, "candidates": None})
    campaign.pop("review", None)  # no review gate: nobody is there to answer it
    (folder / "bench.yaml").write_text(yaml.safe_dump(campaign))

    started = time.perf_counter()
    summary = nightly_campaign(str(folder / "bench.yaml"), RUN_DATE)
    wall = time.perf_counter() - started
    stages = {name: stage["seconds"] for name, stage in summary["stages"].items()}
    return {
        "factor": factor, "shop_scale": round(shop_scale(factor), 2),
        "generator": "model" if real_model else "stand-in",
        "briefs": summary["stages"]["briefs"]["rows"], "copy_items": sum(summary["decisions"].get("copy", {}).values()),
        "banners": sum(summary["decisions"].get("banner", {}).values()),
        "wall_seconds": round(wall, 1), "stage_seconds": stages,
        "prefect_overhead_pct": round(100 * (wall - sum(stages.values())) / wall, 1),
        "peak_mb": round(peak_rss_mb()),
        "load_average_1m": round(os.getloadavg()[0], 2),  # other work on the machine slows every figure
    }


def _child(factor: float, real_model: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="adcraft-scaling-") as tmp:
        args = [sys.executable, "-m", "bench.scaling", "--child", str(factor), "--folder", tmp]
        out = subprocess.run(args + ([] if real_model else ["--standin"]), check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(factors=(1, 10, 100), model_factors=(1, 10)) -> dict:
    runs = []
    for factor in factors:
        run = _child(factor, real_model=factor in model_factors)
        runs.append(run)
        print(f"{factor}x: {run['briefs']} briefs, {run['wall_seconds']} s ({run['generator']})", flush=True)
    return summarise(runs)


def summarise(runs: list[dict]) -> dict:
    """The runs, and generation extrapolated to each stand-in run from the largest model run."""
    measured = [r for r in runs if r["generator"] == "model"]
    extrapolated = []
    if measured:
        basis = max(measured, key=lambda r: r["briefs"])
        per_brief = basis["stage_seconds"]["generate"] / basis["briefs"]
        extrapolated = [{"factor": r["factor"], "briefs": r["briefs"], "from_factor": basis["factor"],
                         "generate_seconds": round(per_brief * r["briefs"], 1)}
                        for r in runs if r["generator"] == "stand-in"]
    return {
        "run_date": str(RUN_DATE), "cpus": os.cpu_count(), "runs": runs, "generation_extrapolated": extrapolated,
        "notes": "stand-in runs generate one random word per item with a random one-layer model: their generate "
                 "time is not a generation figure; see generation_extrapolated. One variant per field, no best-of-N.",
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--factors", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--model-factors", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--child", type=float)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--standin", action="store_true")
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_run(args.child, not args.standin, args.folder)))
    else:
        from bench.run import write_results

        print(json.dumps(write_results("scaling", main(args.factors, args.model_factors)), indent=2))
