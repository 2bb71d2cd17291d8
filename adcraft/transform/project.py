"""warehouse/models.yaml as typed models, ordered so that each comes after the models it depends on."""

from functools import cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from adcraft.kernel.errors import ConfigError
from adcraft.kernel.settings import WAREHOUSE_DIR

PROJECT_FILE = WAREHOUSE_DIR / "models.yaml"


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: tuple[str, ...]
    severity: Literal["error", "warn"] = "error"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    """schema.table, which is also where its SELECT lives: warehouse/models/<schema>/<table>.sql."""
    description: str
    materialized: Literal["view", "table", "incremental"]
    key: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    entity: str | None = None
    """An incremental model's source entity: it is upserted one load of that entity at a time."""
    checks: dict[Literal["not_null", "unique"], Check] = {}
    count: bool = True
    """Count its rows for the run summary; false for a view over every raw load, where that is a full scan."""

    @field_validator("checks", mode="before")
    @classmethod
    def column_lists(cls, checks):
        return {kind: {"columns": c} if isinstance(c, list) else c for kind, c in (checks or {}).items()}

    @property
    def path(self) -> Path:
        schema, table = self.name.split(".")
        return WAREHOUSE_DIR / "models" / schema / f"{table}.sql"

    @property
    def select(self) -> str:
        return self.path.read_text()


@cache
def load_models(path: Path = PROJECT_FILE) -> tuple[Model, ...]:
    """Every model, dependencies first."""
    declared = yaml.safe_load(path.read_text())["models"]
    try:
        models = {name: Model(name=name, **spec) for name, spec in declared.items()}
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    for model in models.values():
        unknown = set(model.depends_on) - set(models)
        if unknown:
            raise ConfigError(f"{path}: {model.name} depends on {sorted(unknown)}, which are not models")
        if (model.materialized == "incremental") != (model.entity is not None):
            raise ConfigError(f"{path}: {model.name}: an incremental model names its entity, and only it does")
        if not model.path.is_file():
            raise ConfigError(f"{path}: {model.name} has no SELECT at {model.path}")
    try:
        order = TopologicalSorter({m.name: m.depends_on for m in models.values()}).static_order()
        return tuple(models[name] for name in order)
    except CycleError as exc:
        raise ConfigError(f"{path}: the models depend on each other in a circle: {exc.args[1]}") from None
