"""Illustration quality: how often a small classifier recovers a product's category from retrieved and
from generated illustrations (models/illustration_quality.py), and which source banners use by default."""

import os
import sys
from pathlib import Path


def main() -> dict:
    """Measures the generator at $ADCRAFT_BENCH_GENERATOR (a weights folder), else the one banners would use."""
    from adcraft.kernel.settings import get_settings
    from models.illustration_gan import WEIGHTS, Sampler
    from models.illustration_quality import measure, quality_bar

    weights_dir = Path(os.environ.get("ADCRAFT_BENCH_GENERATOR", get_settings().models_dir / "illustration-gan"))
    sampler = Sampler(weights_dir / WEIGHTS, device="cpu") if (weights_dir / WEIGHTS).is_file() else None
    result = measure(sampler)
    generator = f"generator at {weights_dir}" if sampler else "no trained generator"
    result["default_source"] = "generated" if quality_bar(result) else "retrieved"
    result["why"] = (f"{generator}; generated illustrations become the default only when their category accuracy "
                     "is at least retrieval's and twice chance, and at least 80% of them are usable pictures")
    return result


if __name__ == "__main__":
    from bench.run import main as run

    if len(sys.argv) > 1:
        os.environ["ADCRAFT_BENCH_GENERATOR"] = sys.argv[1]
    run(["illustration_quality"])
