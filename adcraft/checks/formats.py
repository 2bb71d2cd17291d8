"""The format check: can a brief's lines make a valid item of its content type (adcraft/copy/formats.py)?

Lines are generated, checked and decided one by one, but published as items: an RSA needs 3 headlines and 2
descriptions, an email a subject and a preheader. The brief's lines that passed their own hard checks are
assembled, best first; when they make no valid item, each of them fails, with pydantic's message.
"""

from pydantic import ValidationError

from adcraft.checks.base import CheckResult, CopyCandidate
from adcraft.copy.formats import assemble, describe
from adcraft.kernel.channels import CONTENT_TYPES


def check_formats(items: list[CopyCandidate], results: list[CheckResult]) -> list[CheckResult]:
    """A hard `format` result for every item of a brief that passed its own hard checks (given their results):
    a line that failed one is rejected already, and its brief's format would add nothing to say why."""
    failed = {r.item_id for r in results if r.hard and not r.passed}
    briefs: dict[tuple[str, str], list[CopyCandidate]] = {}
    for item in items:
        if item.brief_id is not None and item.item_id not in failed:
            briefs.setdefault((item.brief_id, item.content_type), []).append(item)
    checked = []
    for (_, content_type), usable in briefs.items():
        problem = _problem(content_type, usable)
        checked += [CheckResult(i.item_id, "format", True, problem is None, 0.0 if problem else 1.0, problem)
                    for i in usable]
    return checked


def _problem(content_type: str, usable: list[CopyCandidate]) -> str | None:
    if content_type not in CONTENT_TYPES:
        return f'unknown content type "{content_type}"'
    texts: dict[str, list[str]] = {}
    for item in sorted(usable, key=lambda i: i.variant):
        texts.setdefault(item.field, []).append(item.text)
    try:
        assemble(content_type, texts)
    except ValidationError as error:
        return f"the brief's lines that pass their own checks make no valid {content_type} item: {describe(error)}"
    return None
