"""Campaign and brand YAML files, as typed objects. A bad file fails with the file and field named."""

import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from adcraft.channels import CONTENT_TYPES
from adcraft.settings import PROJECT_DIR, get_settings

BANNER_SIZES = {"300x250", "728x90", "160x600", "320x50", "970x250", "1200x628", "1080x1080"}


class ConfigError(ValueError):
    pass


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Schedule(Strict):
    cron: str = "0 2 * * *"
    timezone: str = "Europe/Berlin"


class ProductSelection(Strict):
    rule: Literal["top_sellers", "new_arrivals", "price_drops", "back_in_stock"] = "top_sellers"
    """Which products a campaign writes about (warehouse/sql/marts/briefs.sql): best sellers per segment,
    products launched within lookback_days, products whose price fell, or products restocked after
    selling out, the last two within lookback_days. Out-of-stock and quarantined products never qualify."""
    per_segment: int = Field(4, ge=1, le=500)
    min_stock: int = Field(1, ge=0)
    lookback_days: int = Field(365, ge=1)


class Banners(Strict):
    sizes: list[str] = ["300x250", "728x90"]

    @field_validator("sizes")
    @classmethod
    def known_sizes(cls, sizes: list[str]) -> list[str]:
        unknown = sorted(set(sizes) - BANNER_SIZES)
        if unknown:
            raise ValueError(f"unknown banner sizes {unknown}; choose from {sorted(BANNER_SIZES)}")
        return sizes


class Policy(Strict):
    version: str = "v1"
    approve_at: float = Field(0.75, ge=0, le=1)
    """Items with no failed hard check and a quality score at or above this are approved."""
    review_at: float = Field(0.4, ge=0, le=1)
    """Between review_at and approve_at an analyst must look; below it the item is rejected."""


DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Review(Strict):
    """The review gate between decide and publish (tasks/review_gate.py, docs/publishing.md)."""

    required: bool = False
    """True: the nightly run waits for a person to mark the batch reviewed before it publishes."""
    timeout: float = Field(12 * 3600, ge=1, le=7 * 86400)
    """How long to wait, in seconds; YAML may say 45s, 30m, 12h or 2d."""
    on_timeout: Literal["publish_auto_approved", "hold"] = "hold"
    """When nobody reviewed in time: publish only what the policy approved, or publish nothing."""

    @field_validator("timeout", mode="before")
    @classmethod
    def duration(cls, value):
        if isinstance(value, str):
            match = DURATION.match(value)
            if not match:
                raise ValueError(f"{value!r} is not a duration; write seconds or e.g. 45s, 30m, 12h, 2d")
            return float(match[1]) * UNIT_SECONDS[match[2] or "s"]
        return value


class FolderDestination(Strict):
    type: Literal["folder"]
    """copy.json, copy.csv and the banner files in the batch's publish folder."""


class ExportDestination(Strict):
    type: Literal["google_ads_csv", "meta_csv", "email_json"]
    """A channel export file under the batch's publish folder, in exports/."""


class WebhookDestination(Strict):
    type: Literal["webhook"]
    name: str = Field("webhook", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    url: str = Field(pattern=r"^https?://")
    secret_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """The environment variable holding the shared secret the body is signed with (HMAC-SHA256)."""
    timeout_s: float = Field(10, gt=0, le=120)
    max_attempts: int = Field(5, ge=1, le=10)
    backoff_s: float = Field(1.0, ge=0, le=60)
    """Wait before the second attempt; it doubles each attempt after."""


Destination = Annotated[FolderDestination | ExportDestination | WebhookDestination, Field(discriminator="type")]


def destination_id(destination: FolderDestination | ExportDestination | WebhookDestination) -> str:
    """The destination's name in the publication ledger: its type, or webhook:<name>."""
    return f"webhook:{destination.name}" if destination.type == "webhook" else destination.type


class Campaign(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    brand: str
    description: str = ""
    source: str = "demo"
    """The source feeding this campaign: sources/<source>.yaml, or a landing sub-folder in the demo's layout."""
    schedule: Schedule = Schedule()
    segments: list[str] = Field(min_length=1)
    products: ProductSelection = ProductSelection()
    content_types: list[str] = Field(min_length=1)
    variants: int = Field(2, ge=1, le=20)
    """Copy variants stored per brief field."""
    candidates: int | None = Field(None, ge=1, le=20)
    """Best-of-N: generate this many per brief field and keep the best diverse `variants` (default: no selection)."""
    banners: Banners = Banners()
    policy: Policy = Policy()
    link: str = "https://example.com/p/{sku}"
    review: Review = Review()
    destinations: list[Destination] = Field(default_factory=lambda: [FolderDestination(type="folder")], min_length=1)
    """Where publish delivers the batch (docs/publishing.md); a bare name stands for {type: name}."""

    @field_validator("destinations", mode="before")
    @classmethod
    def bare_names(cls, destinations):
        return [{"type": d} if isinstance(d, str) else d for d in destinations or []]

    @field_validator("destinations")
    @classmethod
    def distinct_destinations(cls, destinations: list) -> list:
        ids = [destination_id(d) for d in destinations]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"destinations {repeated} appear twice; give each webhook its own name")
        return destinations

    @field_validator("content_types")
    @classmethod
    def known_content_types(cls, types: list[str]) -> list[str]:
        unknown = sorted(set(types) - set(CONTENT_TYPES))
        if unknown:
            raise ValueError(f"unknown content types {unknown}; choose from {sorted(CONTENT_TYPES)}")
        return types

    @model_validator(mode="after")
    def enough_candidates(self) -> "Campaign":
        if self.candidates is not None and self.candidates < self.variants:
            raise ValueError(f"candidates ({self.candidates}) must be at least variants ({self.variants})")
        return self

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.model_dump(), sort_keys=True).encode()).hexdigest()[:12]


class Voice(Strict):
    tone: str
    use: list[str] = []
    avoid: list[str] = []
    examples: list[str] = []


class Colours(Strict):
    background: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    text: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    primary: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    accent: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    cta_text: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Fonts(Strict):
    headline: str = "Roboto-Bold"
    body: str = "Roboto-Regular"


class Brand(Strict):
    name: str
    logo_text: str
    voice: Voice
    colours: Colours
    fonts: Fonts = Fonts()
    corner_radius: int = Field(12, ge=0, le=64)
    cta: str = "Shop now"
    banned_words: list[str] = []


class ColumnMap(Strict):
    """How one canonical column (warehouse/entities.yaml) is made from the export. Applied in that order:
    null_values, values, the entity's number format (EntitySource.decimal_separator), then unit, date_format
    or type."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str | None = Field(None, alias="from")
    """The export's column; defaults to the canonical name."""
    value: str | None = None
    """A constant, for a column the export lacks (e.g. currency: {value: EUR})."""
    values: dict[str, str | None] = {}
    """Value mapping, e.g. {'0': false, '1': true} or {'n/a': null}."""
    unit: Literal["cents"] | None = None
    """The export's unit: cents are divided by 100."""
    date_format: str | None = None
    """strptime format of a date or timestamp column, e.g. '%d.%m.%Y'."""
    type: Literal["integer", "decimal", "boolean", "date", "timestamp"] | None = None
    """Normalise the text to this type (e.g. '12.0' to '12'); text that does not convert is kept for validation."""
    fill_down: str | None = None
    """The export's column that groups rows (e.g. Handle): an empty value takes the last one above it in the
    same group, for exports that write a product's or an order's fields on its first row only."""
    position_in: str | None = None
    """The export's column that groups rows (e.g. an order number): the value is the row's position in its
    group, 1, 2, ..., in file order. An order's line number, for an export that has none."""

    @field_validator("values", mode="before")
    @classmethod
    def as_text(cls, values):
        def text(v):
            return None if v is None else str(v).lower() if isinstance(v, bool) else str(v)

        return {text(k): text(v) for k, v in (values or {}).items()}

    @field_validator("value", mode="before")
    @classmethod
    def value_as_text(cls, value):
        return None if value is None else str(value)

    @model_validator(mode="after")
    def one_origin(self):
        origins = [name for name, given in (("from", self.from_), ("value", self.value),
                                            ("position_in", self.position_in)) if given is not None]
        if len(origins) > 1:
            raise ValueError(f"give one of from, value and position_in, not {' and '.join(origins)}")
        return self


class TableRef(Strict):
    """A database table read through DuckDB's scanners."""

    type: Literal["sqlite", "postgres"]
    path: str | None = None
    """sqlite: the database file, relative to the source's folder."""
    dsn: str | None = None
    """postgres: a libpq connection string, e.g. 'host=db dbname=shop user=reader'."""
    name: str
    """The table, e.g. products or public.products."""


class EntitySource(Strict):
    files: list[str] = []
    """Globs, relative to the source's folder, e.g. ['products*.csv']."""
    table: TableRef | None = None
    format: Literal["csv", "tsv", "parquet", "json"] | None = None
    """Defaults to the file extension (.jsonl and .ndjson are JSON lines)."""
    delimiter: str | None = None
    encoding: Literal["utf-8", "utf-16", "latin-1"] = "utf-8"
    decimal_separator: Literal[".", ","] = "."
    thousands_separator: Literal[",", ".", " ", "'"] | None = None
    """How the export writes numbers in its decimal and integer columns: 1.234,50 is decimal_separator ','
    and thousands_separator '.'. They become plain numbers (1234.50) before `unit` and `type` apply."""
    null_values: list[str] | None = None
    """Text that means "no value" here; defaults to the source's null_values."""
    columns: dict[str, ColumnMap] = {}
    """Canonical column -> mapping; a column left out is read from the export's column of the same name."""
    pii_columns: list[str] = []
    """Canonical columns holding personal data: never quoted in reasons, reports or `sources check`."""

    @field_validator("files", mode="before")
    @classmethod
    def one_or_many(cls, files):
        return [files] if isinstance(files, str) else files

    @field_validator("columns", mode="before")
    @classmethod
    def shorthand(cls, columns):
        return {k: {"from": v} if isinstance(v, str) else v for k, v in (columns or {}).items()}

    @model_validator(mode="after")
    def files_or_table(self):
        if bool(self.files) == bool(self.table):
            raise ValueError("give either files (globs) or table, not both or neither")
        return self

    @model_validator(mode="after")
    def separators_differ(self):
        if self.thousands_separator == self.decimal_separator:
            raise ValueError(f"decimal_separator and thousands_separator are both {self.decimal_separator!r}; "
                             "a number such as 1.234,50 has decimal_separator ',' and thousands_separator '.'")
        return self


class Source(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    folder: str = "."
    """Where relative globs and sqlite paths start: relative to this YAML file, or {landing}/... or {home}/..."""
    null_values: list[str] = []
    entities: dict[Literal["products", "customers", "order_lines"], EntitySource]
    file: str = ""
    """Set on load: the YAML file this came from, for error messages."""

    def base_dir(self) -> Path:
        settings = get_settings()
        folder = self.folder.format(landing=settings.landing_dir, home=settings.home)
        return (Path(self.file).parent / folder).resolve() if self.file else Path(folder)


SOURCES_DIR = PROJECT_DIR / "sources"


def load_source(ref: str | Path) -> Source:
    """A source by name (sources/<name>.yaml), by YAML path, or a folder laid out like the demo's exports."""
    ref = str(ref)
    path = Path(ref) if ref.endswith((".yaml", ".yml")) else SOURCES_DIR / f"{ref}.yaml"
    if path.is_file():
        return _load(Source, path).model_copy(update={"file": str(path.resolve())})
    folder = Path(ref) if Path(ref).is_absolute() or "/" in ref else get_settings().landing_dir / ref
    if folder.is_dir():  # a bare landing folder: the demo's file names and columns
        demo = load_source("demo")
        return demo.model_copy(update={"name": folder.name.lower(), "folder": str(folder.resolve()), "file": ""})
    known = sorted(p.stem for p in SOURCES_DIR.glob("*.yaml"))
    raise FileNotFoundError(
        f"Source {ref!r} does not exist: no file {path} and no landing folder {folder}. Known sources: {', '.join(known)}. "
        "Declare it in sources/<name>.yaml (see docs/bring-your-own-data.md), or generate the demo with "
        "`adcraft demo`.")


def _load(model: type[BaseModel], path: Path):
    try:
        data = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None


def load_campaign(path: str | Path) -> Campaign:
    return _load(Campaign, Path(path))


def load_brand(name_or_path: str | Path) -> Brand:
    path = Path(name_or_path)
    if path.suffix not in {".yaml", ".yml"}:
        path = PROJECT_DIR / "brands" / f"{name_or_path}.yaml"
    return _load(Brand, path)
