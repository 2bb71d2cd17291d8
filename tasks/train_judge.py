"""Train the editor judge (models/judge.py) on the pairs adcraft/checks/judge_data.py assembles, read as
adcraft/checks/judge_features.py reads a line, and write it with its data hash, config, threshold and
validation figures (training.json)."""

import hashlib
import json
from pathlib import Path

from prefect import task

from adcraft.checks.judge_data import held_by_rules, judge_pairs
from adcraft.checks.judge_features import EMBEDDING_WIDTH, FEATURE_NAMES, judge_features
from adcraft.operations.stages import timed_stage
from models.judge import WEIGHTS, JudgeConfig, split, train_judge


@task(name="train-judge")
@timed_stage
def train_editor_judge(config: JudgeConfig = JudgeConfig(), out: str | None = None, log=print) -> dict:
    """Reads the copy corpus and corpus/judge/ (no warehouse); writes the judge's weights and training.json
    to out (default models/weights/editor-judge)."""
    pairs = judge_pairs(config.seed)
    out_dir = Path(out) if out else WEIGHTS
    rows = [[p.item.content_type, p.item.field, p.item.text, p.item.product, p.label] for p in pairs]
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    log(f"judge: reading {len(pairs)} lines")
    features = judge_features([p.item for p in pairs])
    groups = [p.group for p in pairs]
    validation = split(groups, config)
    held = held_by_rules(pairs, {i for i, g in enumerate(groups) if g in validation})
    training = train_judge(features, [p.label for p in pairs], groups, FEATURE_NAMES, config, out_dir, held,
                           embedding_width=EMBEDDING_WIDTH, log=log)
    sources = {}
    for p in pairs:
        sources.setdefault(p.source, [0, 0])[p.label] += 1
    training |= {"data_sha256": digest, "sources": {k: {"bad": v[0], "good": v[1]} for k, v in sorted(sources.items())},
                 "rebuild": "adcraft train judge"}
    (out_dir / "training.json").write_text(json.dumps(training, indent=2) + "\n")
    keys = ("version", "threshold", "validation", "validation_whole_gate", "seconds")
    return {"rows": len(pairs), **{k: training[k] for k in keys}}
