"""check_editor: would a copywriter ship this line as it is? The editor judge (models/judge.py) reads the line
in its context (adcraft/checks/judge_features.py: the line and its product's facts, the field) and gives a
probability; the check passes at the judge's own threshold (chosen when it was trained, in its training.json).

The score the decision policy reads is the probability put on the policy's scale: the judge's threshold maps
to 0.75, the default approval bar, so a line the judge would not ship is not approved by default; it goes to
a person, never straight to rejection. Every result carries the judge's version, which decisions store.
"""

from adcraft.checks.base import CheckResult, CopyCandidate
from adcraft.checks.judge_features import FEATURE_NAMES, judge_features
from adcraft.kernel.settings import get_settings
from models.judge import feature_names, load_judge

APPROVE_AT = 0.75
"""The default policy's approval bar, where the judge's threshold lands."""
REVIEW_FLOOR = 0.5
"""The lowest score the judge gives: above the default review bar (0.40), so the judge alone sends a line to a
person and never rejects it. It is right about most lines, not all; the rules reject."""


def policy_score(probability: float, threshold: float) -> float:
    """The probability on the policy's scale: 0 becomes REVIEW_FLOOR, the threshold APPROVE_AT, 1 stays 1."""
    if probability < threshold:
        return REVIEW_FLOOR + (APPROVE_AT - REVIEW_FLOOR) * probability / threshold
    return APPROVE_AT + (1 - APPROVE_AT) * (probability - threshold) / max(1 - threshold, 1e-6)


def check_editor(items: list[CopyCandidate]) -> list[CheckResult]:
    """One soft `editor` result per item, in order; none at all when no judge is installed or
    ADCRAFT_EDITOR_JUDGE is false."""
    judge = load_judge() if get_settings().editor_judge else None
    if judge is None or not items:
        return []
    if feature_names() != FEATURE_NAMES:
        raise RuntimeError("models/weights/editor-judge was trained on other features than adcraft reads now: "
                           "run `adcraft train judge` to retrain it")
    probabilities = judge.score(judge_features(items))
    results = []
    for item, p in zip(items, probabilities, strict=True):
        p = float(p)
        passed = p >= judge.threshold
        reason = None if passed else (f"an editor would not ship it as it is (judge {p:.2f}, needs "
                                      f"{judge.threshold:.2f})")
        results.append(CheckResult(item.item_id, "editor", False, passed, round(policy_score(p, judge.threshold), 3),
                                   reason, judge.version))
    return results
