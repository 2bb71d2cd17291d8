"""Train the editor judge (models/judge.py) on the pairs adcraft/checks/judge_data.py assembles, and write it
with its data hash, config, threshold and validation figures (training.json)."""

import hashlib
import json
from pathlib import Path

from prefect import task

from adcraft.checks.judge_data import judge_pairs
from adcraft.operations.stages import timed_stage
from models.judge import WEIGHTS, JudgeConfig, train_judge


@task(name="train-judge")
@timed_stage
def train_editor_judge(config: JudgeConfig = JudgeConfig(), out: str | None = None, log=print) -> dict:
    """Reads the copy corpus and corpus/judge/ (no warehouse); writes the judge's adapter, head and
    training.json to out (default models/weights/editor-judge)."""
    pairs = judge_pairs(config.seed)
    out_dir = Path(out) if out else WEIGHTS
    digest = hashlib.sha256(json.dumps([[p.context, p.line, p.label] for p in pairs]).encode()).hexdigest()
    training = train_judge([(p.context, p.line) for p in pairs], [p.label for p in pairs], [p.group for p in pairs],
                           config, out_dir, log)
    sources = {}
    for p in pairs:
        sources.setdefault(p.source, [0, 0])[p.label] += 1
    training |= {"data_sha256": digest, "sources": {k: {"bad": v[0], "good": v[1]} for k, v in sorted(sources.items())},
                 "rebuild": "adcraft train judge"}
    (out_dir / "training.json").write_text(json.dumps(training, indent=2) + "\n")
    return {"rows": len(pairs), **{k: training[k] for k in ("version", "threshold", "validation", "seconds")}}
