"""Ads from copy lines, for the channel exports.

Copy is one row per (brief, field, variant). An export takes one channel's rows and puts each field's lines
in its columns, so it needs the channel and the field names, never the content type's name.
"""

from collections import defaultdict


def by_brief(copy: list[dict], channel: str) -> dict[str, dict[str, list[dict]]]:
    """brief_id -> field -> lines in variant order: one ad per brief, its fields' lines pooled (Google RSA)."""
    ads: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for line in sorted((c for c in copy if c["channel"] == channel), key=lambda c: (c["brief_id"], c["variant"])):
        ads[line["brief_id"]][line["field"]].append(line)
    return ads


def by_variant(copy: list[dict], channel: str) -> dict[tuple[str, int], dict[str, dict]]:
    """(brief_id, variant) -> field -> line: one ad per variant, its fields side by side (Meta, email)."""
    ads: dict[tuple[str, int], dict[str, dict]] = defaultdict(dict)
    for line in sorted((c for c in copy if c["channel"] == channel), key=lambda c: (c["brief_id"], c["variant"])):
        ads[(line["brief_id"], line["variant"])][line["field"]] = line
    return ads

