"""Structured copy: one pydantic model per content type, built from the field limits in adcraft/kernel/channels.py.

Copy is generated and stored one line per (brief, field, index), so the gate, decisions and review stay per
line. An export needs whole items (an RSA with its headlines and descriptions, an email with its subject and
preheader): `assemble` builds one from lines and validates it, and `approved_items` does it for every brief
of a batch from its approved lines. A line that is in no valid item is never published on its own: decide
holds it for review and publish leaves it out (`incomplete_lines`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from adcraft.kernel.channels import CONTENT_TYPES, FieldSpec, limit_problems
from adcraft.kernel.db import records, sql


def _spec(content_type: str, field: str) -> FieldSpec:
    return CONTENT_TYPES[content_type].field(field)


def Line(content_type: str, field: str):
    """A str that meets the field's limits; the error message names what is wrong."""
    spec = _spec(content_type, field)

    def within_limits(text: str) -> str:
        if problems := limit_problems(content_type, spec, text):
            raise PydanticCustomError("channel_limits", "{problems}", {"problems": "; ".join(problems)})
        return text

    return Annotated[str, AfterValidator(within_limits)]


def Lines(content_type: str, field: str):
    """A list of Line, as many as one item of the content type takes."""
    spec = _spec(content_type, field)
    return Annotated[list[Line(content_type, field)], Field(min_length=spec.min_lines, max_length=spec.max_lines)]


class CopyItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The field types, named so each model reads as the channel's format. Limits come from the FieldSpecs.
RSAHeadlines = Lines("google_rsa", "headline")
RSADescriptions = Lines("google_rsa", "description")
MetaPrimaryText = Line("meta_feed", "primary_text")
MetaHeadline = Line("meta_feed", "headline")
DescriptionParagraph = Line("product_description", "paragraph")
DescriptionBullets = Lines("product_description", "bullet")
EmailSubject = Line("email", "subject")
EmailPreheader = Line("email", "preheader")
SMSText = Line("sms", "text")


class GoogleRSA(CopyItem):
    """A responsive search ad: Google combines its headlines and descriptions itself."""

    headlines: RSAHeadlines
    descriptions: RSADescriptions


class MetaFeed(CopyItem):
    primary_text: MetaPrimaryText
    headline: MetaHeadline


class ProductDescription(CopyItem):
    paragraph: DescriptionParagraph
    bullets: DescriptionBullets


class Email(CopyItem):
    subject: EmailSubject
    preheader: EmailPreheader


class SMS(CopyItem):
    text: SMSText
    """The whole message, price and product link included."""


MODELS: dict[str, type[CopyItem]] = {
    "google_rsa": GoogleRSA,
    "meta_feed": MetaFeed,
    "product_description": ProductDescription,
    "email": Email,
    "sms": SMS,
}


def line_problems(content_type: str, field: str, text: str) -> list[str]:
    """The field type's validation errors for one line; [] when it is valid."""
    try:
        _line_adapter(content_type, field).validate_python(text)
    except ValidationError as error:
        return [e["msg"] for e in error.errors()]
    return []


@lru_cache
def _line_adapter(content_type: str, field: str) -> TypeAdapter:
    return TypeAdapter(Line(content_type, field))


def item_count(content_type: str, lines: Mapping[str, Sequence[str]]) -> int:
    """How many items the lines make: one per line of the fullest single-line field (at least one)."""
    singles = [len(lines.get(f.name, ())) for f in CONTENT_TYPES[content_type].fields if not f.is_list]
    return max(singles + [1])


def assemble(content_type: str, lines: Mapping[str, Sequence[str]], index: int = 0) -> CopyItem:
    """The content type's item from its lines (field name -> texts, best first). Every item of a brief shares
    its list fields' lines (up to the channel's maximum); item `index` takes each single-line field's
    index-th line. Raises pydantic.ValidationError when they do not make a valid item."""
    values = {}
    for spec in CONTENT_TYPES[content_type].fields:
        texts = list(lines.get(spec.name, ()))
        if spec.is_list:
            values[spec.attribute] = texts[: spec.max_lines]
        elif index < len(texts):
            values[spec.attribute] = texts[index]
    return MODELS[content_type].model_validate(values)


def describe(error: ValidationError) -> str:
    """A validation error as one line: 'headlines: List should have at least 3 items ...; preheader: ...'."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'item'}: {e['msg']}" for e in error.errors())


@dataclass(frozen=True)
class AssembledItem:
    brief_id: str
    sku: str
    segment: str
    channel: str
    content_type: str
    index: int
    item: CopyItem | None
    """None when the approved lines do not make a valid item; `error` says why."""
    error: str | None
    item_ids: tuple[str, ...]
    """The copy_items rows the item was built from."""


def approved_items(con, batch_id: str) -> list[AssembledItem]:
    """Every brief's approved lines of one batch, assembled into items (see `assemble`)."""
    return assemble_briefs(records(con, sql("content/approved_lines"), {"batch_id": batch_id}))


def incomplete_lines(items: list[AssembledItem]) -> dict[str, str]:
    """Lines that are in no valid item, each with why its item failed: they cannot be published alone."""
    complete = {i for item in items if item.item is not None for i in item.item_ids}
    return {line: f"its brief's approved lines make no complete {item.content_type} item ({item.error})"
            for item in items if item.item is None for line in item.item_ids if line not in complete}


def assemble_briefs(rows: list[dict]) -> list[AssembledItem]:
    """Lines (item_id, brief_id, sku, segment, channel, content_type, field, text; best first within each brief
    and field) assembled into each brief's items."""
    briefs: dict[str, list[dict]] = {}
    for row in rows:
        briefs.setdefault(row["brief_id"], []).append(row)
    assembled = []
    for brief_id, rows in briefs.items():
        first = rows[0]
        content_type = first["content_type"]
        by_field: dict[str, list[dict]] = {}
        for row in rows:  # the query orders lines best first (by variant)
            by_field.setdefault(row["field"], []).append(row)
        texts = {field: [r["text"] for r in field_rows] for field, field_rows in by_field.items()}
        for index in range(item_count(content_type, texts)):
            used = [r for f, field_rows in by_field.items() for r in _used(content_type, f, field_rows, index)]
            try:
                item, error = assemble(content_type, texts, index), None
            except ValidationError as e:
                item, error = None, describe(e)
            assembled.append(AssembledItem(
                brief_id, first["sku"], first["segment"], first["channel"], content_type, index, item, error,
                tuple(r["item_id"] for r in used),
            ))
    return assembled


def _used(content_type: str, field: str, rows: list[dict], index: int) -> list[dict]:
    spec = _spec(content_type, field)
    if spec is None:
        return []
    return rows[: spec.max_lines] if spec.is_list else rows[index : index + 1]
