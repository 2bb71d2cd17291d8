"""check_editor: would a copywriter ship this line as it is? The editor judge (models/judge.py) reads the line
with its context, the channel, field, brand voice and product facts, and gives a probability; the check
passes at the judge's own threshold (chosen when it was trained, in its training.json).

The score the decision policy reads is the probability put on the policy's scale: the judge's threshold maps
to 0.75, the default approval bar, so a line the judge would not ship is not approved by default, and one far
below goes straight to rejection. Every result carries the judge's version, which decisions store.
"""

from adcraft.checks.base import CheckResult, CopyCandidate
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import Brand
from adcraft.kernel.settings import get_settings
from models.judge import load_judge

APPROVE_AT = 0.75
"""The default policy's approval bar, where the judge's threshold lands."""


def context(item: CopyCandidate, brand: Brand) -> str:
    """What the judge reads beside the line: where it runs, for whom, about what."""
    content = CONTENT_TYPES.get(item.content_type)
    label = content.label if content else item.content_type
    p = item.product
    facts = [f"Product: {p.get('name')}", f"category {p.get('category')}" if p.get("category") else "",
             f"material {p.get('material')}" if p.get("material") else "",
             f"colours {', '.join(p.get('colours') or [])}" if p.get("colours") else "",
             f"sizes {', '.join(str(s) for s in p.get('sizes') or [])}" if p.get("sizes") else "",
             f"about: {p.get('description')}" if p.get("description") else ""]
    return (f"{label}, {item.field.replace('_', ' ')}. Brand {brand.name}: {brand.voice.tone}. "
            + "; ".join(f for f in facts if f))


def policy_score(probability: float, threshold: float) -> float:
    """The probability on the policy's scale: 0 stays 0, the threshold becomes APPROVE_AT, 1 stays 1."""
    if probability < threshold:
        return APPROVE_AT * probability / threshold
    return APPROVE_AT + (1 - APPROVE_AT) * (probability - threshold) / max(1 - threshold, 1e-6)


def check_editor(items: list[CopyCandidate], brand: Brand) -> list[CheckResult]:
    """One soft `editor` result per item, in order; none at all when no judge is installed or
    ADCRAFT_EDITOR_JUDGE is false."""
    judge = load_judge() if get_settings().editor_judge else None
    if judge is None or not items:
        return []
    probabilities = judge.score([(context(item, brand), item.text) for item in items])
    results = []
    for item, p in zip(items, probabilities, strict=True):
        p = float(p)
        passed = p >= judge.threshold
        reason = None if passed else (f"an editor would not ship it as it is (judge {p:.2f}, needs "
                                      f"{judge.threshold:.2f})")
        results.append(CheckResult(item.item_id, "editor", False, passed, round(policy_score(p, judge.threshold), 3),
                                   reason, judge.version))
    return results
