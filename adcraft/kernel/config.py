"""Campaign and brand YAML files, as typed objects. A bad file fails with the file and field named."""

import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.errors import ConfigError
from adcraft.kernel.prices import format_price, known_locale
from adcraft.kernel.settings import PROJECT_DIR

BANNER_SIZES = {"300x250", "728x90", "160x600", "320x50", "970x250", "1200x628", "1080x1080"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Schedule(Strict):
    cron: str = "0 2 * * *"
    timezone: str = "Europe/Berlin"


class ProductSelection(Strict):
    rule: Literal["top_sellers", "new_arrivals", "price_drops", "back_in_stock"] = "top_sellers"
    """Which products a campaign writes about (warehouse/queries/content/briefs.sql): best sellers per segment,
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
    locale: str | None = None
    """The Babel locale copy and banners write prices in: en_US '$18.00', de_DE '18,00 €', en_GB '£5.50'.
    Unset, copy writes '18.00 EUR' and banners '€18.00', as before locales existed."""
    price_format: Literal["locale", "code"] | None = None
    """'code' writes '18.00 EUR' in copy and banners whatever the locale; 'locale' the locale's way (English
    where `locale` is unset)."""

    @field_validator("locale")
    @classmethod
    def babel_locale(cls, locale: str | None) -> str | None:
        return None if locale is None else known_locale(locale)

    def price(self, amount, currency: str | None, where: Literal["copy", "banner"] = "copy") -> str:
        """A product's price as this brand writes it in copy or on a banner (adcraft/kernel/prices.py)."""
        style = self.price_format or ("locale" if self.locale or where == "banner" else "code")
        return format_price(amount, currency, self.locale, style)


def load_yaml(model: type[BaseModel], path: Path):
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
    return load_yaml(Campaign, Path(path))


def load_brand(name_or_path: str | Path) -> Brand:
    path = Path(name_or_path)
    if path.suffix not in {".yaml", ".yml"}:
        path = PROJECT_DIR / "brands" / f"{name_or_path}.yaml"
    return load_yaml(Brand, path)
