"""The LoRA training settings of `adcraft train text`, apart from the training code so that the command's
--help shows the defaults without importing torch."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 4
    batch_size: int = 8
    learning_rate: float = 3e-4
    """4 epochs at 3e-4: at demo scale (about 30 examples) 2 epochs at 2e-4 left the loss where it began, and
    8 at 5e-4 learnt the lines by heart (docs/models.md)."""
    rank: int = 8
    alpha: int = 16
    dropout: float = 0.05
    max_length: int = 512
    """Longer examples are skipped: the demo's prompts and answers take about 300 tokens."""
    seed: int = 7
