"""The prepared GPU run (bench/gpu_illustrations.py), on a toy model on the CPU: its weights come back in
parts under the size a returned file may have, and `import` puts them where banners look and measures them."""

import json

import torch

from adcraft.kernel.settings import get_settings
from bench.gpu_illustrations import FIGURES, import_run, train_for
from models.illustration_gan import WEIGHTS, Sampler


def test_a_device_run_trains_returns_its_weights_in_parts_and_imports_here(adcraft_home, tmp_path):
    out = tmp_path / "out"
    figures = train_for(0, out, tiny=True, part_bytes=100_000)
    assert figures["device"] == ("cuda" if torch.cuda.is_available() else "cpu") and figures["steps"] == 4
    parts = sorted(p.name for p in out.glob(f"{WEIGHTS}.part*"))
    assert len(parts) == figures["weights_parts"] > 1 and all((out / p).stat().st_size <= 100_000 for p in parts)
    assert (out / "samples.png").stat().st_size > 0 and json.loads((out / FIGURES).read_text()) == figures

    imported = import_run(out)
    weights = get_settings().models_dir / "illustration-gan" / WEIGHTS
    assert weights.stat().st_size == figures["weights_bytes"] and Sampler(weights).step == 4
    quality = json.loads((weights.parent / "quality.json").read_text())
    assert imported["quality"] == quality and quality["generator_steps"] == 4 and not quality["passed"]
