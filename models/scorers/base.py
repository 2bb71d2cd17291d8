"""What every check returns."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    item_id: str
    check_name: str
    hard: bool
    """A failed hard check rejects the item whatever its other scores."""
    passed: bool
    score: float
    """0..1, higher is better; soft checks are averaged into the item's quality."""
    reason: str | None = None
    """Why it failed (or a note when it passed), in words an analyst can act on."""
