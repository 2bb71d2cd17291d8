"""Campaign and brand YAML files, as typed objects. A bad file fails with the file and field named."""

import hashlib
import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from adcraft.channels import CONTENT_TYPES
from adcraft.settings import PROJECT_DIR

BANNER_SIZES = {"300x250", "728x90", "160x600", "320x50", "970x250", "1200x628", "1080x1080"}


class ConfigError(ValueError):
    pass


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Schedule(Strict):
    cron: str = "0 2 * * *"
    timezone: str = "Europe/Berlin"


class ProductSelection(Strict):
    rule: Literal["top_sellers"] = "top_sellers"
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


class Campaign(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    brand: str
    description: str = ""
    source: str = "demo"
    """The landing sub-folder whose exports feed this campaign."""
    schedule: Schedule = Schedule()
    segments: list[str] = Field(min_length=1)
    products: ProductSelection = ProductSelection()
    content_types: list[str] = Field(min_length=1)
    variants: int = Field(2, ge=1, le=20)
    banners: Banners = Banners()
    policy: Policy = Policy()
    link: str = "https://example.com/p/{sku}"

    @field_validator("content_types")
    @classmethod
    def known_content_types(cls, types: list[str]) -> list[str]:
        unknown = sorted(set(types) - set(CONTENT_TYPES))
        if unknown:
            raise ValueError(f"unknown content types {unknown}; choose from {sorted(CONTENT_TYPES)}")
        return types

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
