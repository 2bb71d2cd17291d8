"""Which text model should be the default: each candidate answers the same prompts (every model-written line
of the newest demo briefs), composed as the templates do and scored by the gate under the campaign's policy,
as `adcraft train text` scores a challenger. It reports the approval rate, distinct-2 and seconds per line.

`python -m bench.model_choice [MODEL_DIR ...]` always measures the default SmolLM2-135M-Instruct; add other
Hugging Face model folders (e.g. a converted Gemma 3 270M, docs/models.md). It runs one nightly demo night
first to have prompts; with MODEL_CHOICE_HOME set to an ADCRAFT_HOME where a nightly already ran, it uses
that warehouse instead. Writes bench/results/model_choice.json.
"""

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

RUN_DATE = date(2026, 11, 23)
SAMPLES = 2


def _home() -> Path:
    home = Path(os.environ.get("MODEL_CHOICE_HOME") or tempfile.mkdtemp(prefix="adcraft-models-"))
    os.environ["ADCRAFT_HOME"] = str(home)
    from adcraft.kernel.settings import PROJECT_DIR, get_settings

    # The converted default model is shared with the default home, so a fresh home does not convert it again.
    os.environ.setdefault("ADCRAFT_MODEL_CACHE", str(PROJECT_DIR / "var" / "models"))
    get_settings.cache_clear()
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()  # before prefect is imported
    if not (home / "warehouse.duckdb").exists():
        from adcraft.sources.demo_shop import generate_demo_shop
        from flows.nightly import nightly_campaign

        generate_demo_shop(home / "landing" / "demo", scale=1.0, seed=get_settings().seed)
        nightly_campaign(str(PROJECT_DIR / "campaigns" / "demo.yaml"), RUN_DATE)
    return home


def main(model_dirs: list[str] = ()) -> dict:
    home = _home()
    from adcraft.checks.pii import known_pii_from_warehouse
    from adcraft.generation.evaluation import evaluate
    from adcraft.kernel.config import load_brand
    from adcraft.kernel.db import warehouse
    from adcraft.kernel.settings import get_settings
    from models.text_generator import TextGenerator, default_model_dir
    from tasks.train_text import held_out_lines

    settings = get_settings()
    with warehouse(read_only=True) as con:
        lines = held_out_lines(con, 100)
        known_pii = known_pii_from_warehouse(con)
    brands = {name: load_brand(name) for name in {line.brand for line in lines}}
    figures = {"home": str(home), "lines": len(lines), "samples": SAMPLES, "models": {}}
    for model_dir in [default_model_dir(settings.models_dir), *map(Path, model_dirs)]:
        generator = TextGenerator(model_dir, settings.device)
        started = time.perf_counter()
        result = evaluate(generator, lines, brands, known_pii, SAMPLES, settings.seed,
                          settings.generation_batch_size)
        seconds = time.perf_counter() - started
        figures["models"][model_dir.name] = {
            **{k: v for k, v in result.items() if k != "texts"},
            "parameters": sum(p.numel() for p in generator.model.parameters()),
            "device": generator.device,
            "seconds": round(seconds, 1),
            "seconds_per_line": round(seconds / result["items"], 2),
            "examples": [t for t in result["texts"] if t["content_type"] == "meta_feed"][:6],
        }
        print(f"{model_dir.name}: approved {result['approval_rate']:.0%} of {result['items']} lines, distinct-2 "
              f"{result['distinct_2']:.2f}, {seconds / result['items']:.2f} s per line on {generator.device}")
    figures["load_average_1m"] = round(os.getloadavg()[0], 2)
    return figures


if __name__ == "__main__":
    from bench.run import write_results

    write_results("model_choice", main(sys.argv[1:]))
