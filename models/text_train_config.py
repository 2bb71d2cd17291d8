"""The LoRA training settings of `adcraft train text`, apart from the training code so that the command's
--help shows the defaults without importing torch. How the defaults were chosen: bench/report.md."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 2
    pack_tokens: int = 1024
    """Tokens per step: examples packed as prefix trees (models/text_finetune.py), about 14 of them a step."""
    learning_rate: float = 3e-4
    rank: int = 8
    alpha: int = 16
    dropout: float = 0.05
    max_length: int = 320
    """Longer examples are skipped: the corpus's requests and answers take 80 to 250 tokens."""
    seed: int = 7
    layers: int | None = 16
    """LoRA on the top this many decoder layers (None: all): the backward pass stops below them, which on 2 CPU
    cores trains nearly twice as fast as all 30 (bench/report.md)."""
    bf16: bool = False
    """bfloat16 autocast for the forward pass; on the 2-core CPU here it was no faster than float32."""
    checkpoint_every: int = 50
    """Steps between checkpoints, so an interrupted run resumes where it was."""
