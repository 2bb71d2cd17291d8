"""The illustration generator: the real training command for a few steps on a tiny model, resumed, and
sampled at full size on the CPU."""

import json

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from adcraft.cli.main import app
from models.illustration_gan import CHECKPOINT, WEIGHTS, GANConfig, Generator, Sampler, train


def test_training_writes_a_checkpoint_and_resumes(tmp_path):
    tiny = GANConfig.tiny()
    assert train(tiny, tmp_path)["steps"] == tiny.steps
    assert {CHECKPOINT, WEIGHTS, "config.json"} <= {p.name for p in tmp_path.iterdir()}
    first = torch.load(tmp_path / CHECKPOINT, weights_only=True)["step"]

    logged = []
    longer = GANConfig(**{**tiny.__dict__, "steps": tiny.steps + 2})
    assert train(longer, tmp_path, log=logged.append)["steps"] == tiny.steps + 2
    assert logged[0] == f"resumed from step {first}"
    assert json.loads((tmp_path / "config.json").read_text())["trained_steps"] == tiny.steps + 2
    with pytest.raises(ValueError, match="same settings to resume"):
        train(GANConfig(**{**longer.__dict__, "width": 16, "steps": 20}), tmp_path)


def test_train_image_command_records_its_quality(tmp_path):
    result = CliRunner().invoke(app, ["train", "image", "--tiny", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    quality = json.loads((tmp_path / "quality.json").read_text())
    assert {"generated", "retrieved", "real", "chance", "passed"} <= set(quality)
    assert quality["generator_steps"] == GANConfig.tiny().steps
    assert not quality["passed"] and "keep using retrieved" in result.output  # four steps cannot beat retrieval


def test_full_size_sampling_on_cpu_draws_rgba_pictures_that_its_seed_repeats(tmp_path):
    # Its time per picture (target < 2 s on 2 cores) is a benchmark: bench/banners.py.
    config = GANConfig()
    torch.save({"G_ema": Generator(config).state_dict(), "config": config.__dict__, "step": 0}, tmp_path / WEIGHTS)
    sampler = Sampler(tmp_path / WEIGHTS, device="cpu")
    text = np.random.default_rng(0).normal(size=(1, 384)).astype(np.float32)
    picture = sampler.sample(text)
    assert picture.shape == (1, 64, 64, 4) and picture.dtype == np.uint8
    assert (sampler.sample(text, seed=3) == sampler.sample(text, seed=3)).all()
