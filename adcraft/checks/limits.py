"""check_channel_limits: the line against its field's limits, as the content type's pydantic model validates it."""

from adcraft.checks.base import CheckResult, CopyCandidate, field_spec, hard_result
from adcraft.copy.formats import line_problems


def check_channel_limits(item: CopyCandidate) -> CheckResult:
    if field_spec(item) is None:
        return hard_result(item, "channel_limits",
                           [f'unknown field "{item.field}" for content type "{item.content_type}"'])
    return hard_result(item, "channel_limits", line_problems(item.content_type, item.field, item.text))
