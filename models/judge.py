"""The editor judge's classifier: the probability that a copywriter would ship a line as it is, from the row
of numbers adcraft/checks/judge_features.py makes of the line in its context (sentence embeddings of the line
and its product, the field, and counts an editor notices).

A small MLP (one hidden layer) trained here in a minute on a CPU; it ships in models/weights/editor-judge as
judge.safetensors with training.json (data hash, config, feature names, validation figures, threshold), and
`adcraft train judge` rebuilds it. Scoring is two matrix products in numpy, so the judge adds almost nothing
to the gate: the embeddings are the ones the relevance check already computed.
"""

import hashlib
import json
import math
import random
import time
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "weights" / "editor-judge"
WEIGHTS_FILE = "judge.safetensors"


@dataclass(frozen=True)
class JudgeConfig:
    components: int = 16
    """The line's embedding is read as its first principal components (of the training lines): with all 384
    dimensions the judge learnt the training lines' wording rather than their craft."""
    hidden: int = 64
    epochs: int = 40
    batch_size: int = 128
    learning_rate: float = 2e-3
    weight_decay: float = 1e-2
    dropout: float = 0.3
    seed: int = 7
    validation_share: float = 0.15
    """Of the training pairs, by product: the threshold is chosen on these, never on the editor set."""
    reject_share: float = 0.95
    """The threshold is set so that this share of the validation pairs' bad lines scores below it."""


def _network(inputs: int, config: JudgeConfig):
    import torch

    return torch.nn.Sequential(torch.nn.Dropout(config.dropout / 2), torch.nn.Linear(inputs, config.hidden),
                               torch.nn.ReLU(), torch.nn.Dropout(config.dropout), torch.nn.Linear(config.hidden, 1))


def split(groups: list[str], config: JudgeConfig) -> set[str]:
    """The groups (products) held out to choose the threshold on."""
    names = sorted(set(groups))
    random.Random(config.seed).shuffle(names)
    return set(names[: max(1, int(len(names) * config.validation_share))])


def _principal(rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The centre and first k principal directions (k x width) of rows."""
    centre = rows.mean(axis=0)
    _, _, directions = np.linalg.svd(rows - centre, full_matrices=False)
    return centre, directions[:k]


def train_judge(features: np.ndarray, labels: list[int], groups: list[str], feature_names: list[str],
                config: JudgeConfig, out_dir: Path, held_by_rules: np.ndarray | None = None,
                embedding_width: int = 0, log=print) -> dict:
    """Train on feature rows labelled 1 (ship) or 0, holding out the split() groups to choose the threshold
    on; write judge.safetensors to out_dir and return what training.json records. held_by_rules: per row,
    whether the gate's other checks already keep the line from approval; the threshold then only has to
    hold back enough of the rest. embedding_width: the first columns that hold an embedding, which the
    judge reads as its config.components principal components."""
    import torch
    from safetensors.numpy import save_file

    started = time.perf_counter()
    held = split(groups, config)
    train = np.array([i for i, g in enumerate(groups) if g not in held])
    valid = np.array([i for i, g in enumerate(groups) if g in held])
    y = np.array(labels, dtype=np.float32)
    projection = {}
    if embedding_width:
        centre, components = _principal(features[train, :embedding_width], config.components)
        projection = {"centre": centre, "components": components}
    read = _project(features, projection)
    mean = read[train].mean(axis=0)
    scale = read[train].std(axis=0) + 1e-6
    x = torch.from_numpy(((read - mean) / scale).astype(np.float32))
    target = torch.from_numpy(y)
    torch.manual_seed(config.seed)
    network = _network(read.shape[1], config)
    optimizer = torch.optim.AdamW(network.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    positive = float(y[train].sum())
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(train) - positive) / max(positive, 1.0)))
    generator = torch.Generator().manual_seed(config.seed)
    for epoch in range(config.epochs):
        network.train()
        order = torch.from_numpy(train)[torch.randperm(len(train), generator=generator)]
        total = 0.0
        for start in range(0, len(order), config.batch_size):
            batch = order[start:start + config.batch_size]
            loss = loss_fn(network(x[batch]).squeeze(-1), target[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        if (epoch + 1) % 10 == 0 or epoch + 1 == config.epochs:
            log(f"judge epoch {epoch + 1}/{config.epochs}: loss {total / len(train):.3f}")
    network.eval()
    layers = [m for m in network if isinstance(m, torch.nn.Linear)]
    tensors = {**projection, "mean": mean, "scale": scale, "w1": layers[0].weight.detach().numpy(),
               "b1": layers[0].bias.detach().numpy(), "w2": layers[1].weight.detach().numpy()[0],
               "b2": layers[1].bias.detach().numpy()}
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()}, out_dir / WEIGHTS_FILE)
    judge = Judge("validation", 0.5, {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items()})
    scores = judge.score(features[valid])
    valid_labels = y[valid].astype(int).tolist()
    rules = held_by_rules[valid] if held_by_rules is not None else np.zeros(len(valid), dtype=bool)
    threshold = choose_threshold(scores, valid_labels, config.reject_share, rules)
    return {
        "version": f"editor-judge@{_digest(out_dir)}", "threshold": threshold, "config": asdict(config),
        "features": feature_names, "pairs": len(labels), "train_pairs": len(train), "validation_pairs": len(valid),
        "validation_groups": sorted(held),
        "validation": confusion(scores, valid_labels, threshold),
        "validation_whole_gate": confusion(np.where(rules, 0.0, scores), valid_labels, threshold),
        "seconds": round(time.perf_counter() - started, 1),
    }


def choose_threshold(scores: np.ndarray, labels: list[int], reject_share: float,
                     held_by_rules: np.ndarray | None = None) -> float:
    """The lowest score at or above which at most 1 - reject_share of the bad lines are approved, counting
    those the other checks hold as held whatever their score."""
    labels = np.array(labels)
    rules = held_by_rules if held_by_rules is not None else np.zeros(len(labels), dtype=bool)
    bad = int((labels == 0).sum())
    if not bad:
        return 0.5
    allowed = int(math.floor((1 - reject_share) * bad + 1e-9))
    open_bad = np.sort(scores[(labels == 0) & ~rules])[::-1]
    if len(open_bad) <= allowed:
        return round(float(scores.min()), 4)
    return round(float(open_bad[allowed]) + 1e-4, 4)


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
    return hashlib.sha256((folder / WEIGHTS_FILE).read_bytes()).hexdigest()[:10]


def _project(features: np.ndarray, projection: dict) -> np.ndarray:
    """The features with their embedding columns replaced by its principal components, when there are any."""
    if not projection:
        return features
    width = projection["centre"].shape[0]
    head = (features[:, :width] - projection["centre"]) @ projection["components"].T
    return np.hstack([head, features[:, width:]])


@dataclass(frozen=True)
class Judge:
    version: str
    threshold: float
    tensors: dict

    def score(self, features: np.ndarray) -> np.ndarray:
        """P(a copywriter ships the line), one per feature row."""
        t = self.tensors
        read = _project(features, {k: t[k] for k in ("centre", "components") if k in t})
        hidden = np.maximum(((read - t["mean"]) / t["scale"]) @ t["w1"].T + t["b1"], 0.0)
        return 1.0 / (1.0 + np.exp(-(hidden @ t["w2"] + t["b2"][0])))


@cache
def load_judge(weights: Path = WEIGHTS) -> Judge | None:
    """The shipped (or retrained) judge; None when no judge is there."""
    training_file = weights / "training.json"
    if not training_file.exists() or not (weights / WEIGHTS_FILE).exists():
        return None
    from safetensors.numpy import load_file

    training = json.loads(training_file.read_text())
    return Judge(training["version"], training["threshold"], load_file(weights / WEIGHTS_FILE))


def feature_names(weights: Path = WEIGHTS) -> list[str] | None:
    """The features the judge in weights was trained on, in order."""
    training_file = weights / "training.json"
    return json.loads(training_file.read_text()).get("features") if training_file.exists() else None
