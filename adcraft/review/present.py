"""How the review pages say things: times with their timezone, reasons in plain words, no server paths,
labels for channels and fields, and an SMS's segment count."""

import math
import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from adcraft.kernel.channels import CONTENT_TYPES, gsm7_length
from adcraft.kernel.settings import PROJECT_DIR, get_settings

CHANNELS = {"google_rsa": "Google search ad", "meta_feed": "Meta feed", "email": "Email", "sms": "SMS",
            "product_page": "Product page", "banners": "Banners"}
MAX_TEXT = 1000
"""The longest text an edit may save, whatever the field's own limit (a line over it fails its check)."""


def when(value: datetime | date | None) -> str:
    """A time in UTC, saying so. DuckDB stores naive TIMESTAMPs in the server's local time (its TimeZone
    setting, the machine's zone), so a naive value is read as local time."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.~-])(?:/[\w.@+-]+){2,}/?")


def redact(text: object) -> str:
    """Text for a page with any path on the server cut down to its last part: viewers need no paths."""
    text = str(text)
    settings = get_settings()
    for root in {settings.home, settings.home.resolve(), PROJECT_DIR, PROJECT_DIR.resolve()}:
        text = text.replace(str(root) + "/", "").replace(str(root), Path(root).name)
    return _ABSOLUTE_PATH.sub(lambda m: Path(m.group(0).rstrip("/")).name, text)


_PLAIN = [
    (re.compile(r"\b(\w+): Field required"), lambda m: f"no {m.group(1).replace('_', ' ')} line"),
    (re.compile(r"String should have at most (\d+) characters?"), lambda m: f"longer than {m.group(1)} characters"),
    (re.compile(r"String should have at least (\d+) characters?"), lambda m: f"shorter than {m.group(1)} characters"),
    (re.compile(r"List should have at least (\d+) items? after validation, not (\d+)"),
     lambda m: f"{m.group(2)} lines where it needs at least {m.group(1)}"),
    (re.compile(r"List should have at most (\d+) items? after validation, not (\d+)"),
     lambda m: f"{m.group(2)} lines where it takes at most {m.group(1)}"),
    (re.compile(r"\bitem: its brief's approved lines make no complete (\w+) item"),
     lambda m: f"The approved lines of this ad make no complete {label(m.group(1))} ad yet"),
    (re.compile(r"\blowest soft score (\w+) ([\d.]+) is below the ([\d.]+) (approval|review) bar"),
     lambda m: f"{m.group(1).replace('_', ' ')} score {m.group(2)} is under the {m.group(3)} needed "
               f"{'to approve it without a person' if m.group(4) == 'approval' else 'to keep it for review'}"),
]


def plain(reason: str) -> str:
    """A check's or the policy's reason in words an analyst reads without knowing the code."""
    for pattern, words in _PLAIN:
        reason = pattern.sub(words, reason)
    return redact(reason)


def label(channel: str) -> str:
    return CHANNELS.get(channel) or next((c.label for c in CONTENT_TYPES.values() if c.channel == channel),
                                         channel.replace("_", " "))


def field_label(item: dict) -> str:
    if item["item_kind"] == "banner":
        return f"banner {item['size']}"
    return f"{item['field'].replace('_', ' ')} #{item['variant'] + 1}"


def field_limit(content_type: str, field: str) -> int | None:
    """The field's character limit, for the edit box's counter; None when the app does not know the field."""
    spec = CONTENT_TYPES.get(content_type)
    found = spec.field(field) if spec else None
    return found.max_chars if found else None


def sms_segments(text: str) -> tuple[int, str]:
    """How many SMS the text takes, and its encoding: GSM-7 fits 160 characters in one (153 a part when it
    splits), any other character makes it Unicode at 70 (67 a part)."""
    septets = gsm7_length(text)
    if septets is None:
        size = len(text.encode("utf-16-le")) // 2
        return (1 if size <= 70 else math.ceil(size / 67)), "Unicode"
    return (1 if septets <= 160 else math.ceil(septets / 153)), "GSM-7"


def display_url(link: str | None, sku: str) -> str:
    """The URL a search ad shows: the product link's host and first two path parts, no scheme."""
    if not link:
        return "your shop"
    try:
        parts = urlsplit(link.format(sku=sku))
    except (KeyError, IndexError, ValueError):
        return "your shop"
    path = [p for p in parts.path.split("/") if p][:2]
    return "/".join([parts.netloc.removeprefix("www."), *path])


def quality(item: dict) -> str:
    """The quality to show: none for a rejected item (a hard failure can leave a high soft score)."""
    if item.get("decision") == "rejected" or item.get("quality") is None:
        return "–"
    return f"{item['quality']:.2f}"
