"""A source's YAML (sources/<name>.yaml) as typed objects: where each entity's exports are, and how their
columns map onto the canonical ones (warehouse/entities.yaml). docs/bring-your-own-data.md."""

import re
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from adcraft.kernel.config import Strict, load_yaml
from adcraft.kernel.settings import PROJECT_DIR, get_settings


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


class FileOptions(Strict):
    """How to read a set of files: an entity's exports, a file joined to them, or a table of its query."""

    files: list[str] = []
    """Globs, relative to the source's folder, e.g. ['products*.csv']."""
    format: Literal["csv", "tsv", "parquet", "json", "xlsx"] | None = None
    """Defaults to the file extension (.jsonl and .ndjson are JSON lines)."""
    sheet: str | None = None
    """xlsx: the workbook's sheet to read; defaults to the first."""
    delimiter: str | None = None
    encoding: Literal["utf-8", "utf-16", "latin-1"] = "utf-8"

    @field_validator("files", mode="before")
    @classmethod
    def one_or_many(cls, files):
        return [files] if isinstance(files, str) else files


class Join(FileOptions):
    """Another export joined to each row by key, e.g. orders.csv to order details by orderID: its columns are
    mapped as `<join name>.<column>` (customer_id: orders.customerID)."""

    by: dict[str, str]
    """This export's key column -> the joined file's key column; a plain name is the same on both sides. The
    left side may name an earlier join's column (orders.customerID)."""
    unmatched: Literal["quarantine", "keep"] = "quarantine"
    """A row whose key the joined file lacks: quarantined with its key (the default), or kept with the joined
    columns empty. A row with an empty key is kept either way."""

    @field_validator("by", mode="before")
    @classmethod
    def same_name(cls, by):
        if isinstance(by, str):
            return {by: by}
        if isinstance(by, list):
            return {k: k for k in by}
        return by

    @model_validator(mode="after")
    def has_files(self):
        if not self.files:
            raise ValueError("give the joined file's `files:` (a glob)")
        return self


class EntitySource(FileOptions):
    table: TableRef | None = None
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
    join: dict[str, Join] = {}
    """Other exports joined to each row by key, in order, by a name its columns are mapped by."""
    tables: dict[str, FileOptions] = {}
    """With `query`: the files the query reads, each by the name it uses. The entity's rows are those of the
    first table, one load per file it matches; a bare glob is read with this entity's options."""
    query: str | None = None
    """A SELECT over `tables`, for what `join` cannot say. It must return the first table's `_row` (each of
    its rows at most once); its columns are then mapped by `columns` like an export's."""

    @field_validator("columns", mode="before")
    @classmethod
    def shorthand(cls, columns):
        return {k: {"from": v} if isinstance(v, str) else v for k, v in (columns or {}).items()}

    @field_validator("tables", mode="before")
    @classmethod
    def bare_globs(cls, tables, info):
        inherited = {k: info.data[k] for k in ("format", "sheet", "delimiter", "encoding") if info.data.get(k)}
        return {name: {**inherited, "files": t} if isinstance(t, str | list) else t
                for name, t in (tables or {}).items()}

    @field_validator("join", "tables")
    @classmethod
    def names_are_identifiers(cls, named):
        bad = [name for name in named if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)]
        if bad:
            raise ValueError(f"{', '.join(map(repr, bad))}: name it with letters, digits and _ only (e.g. orders)")
        return named

    @model_validator(mode="after")
    def one_origin(self):
        origins = [name for name, given in (("files", self.files), ("table", self.table), ("query", self.query))
                   if given]
        if len(origins) != 1:
            raise ValueError("give one of files (globs), table or query (with tables), not "
                             + (" and ".join(origins) if origins else "none"))
        if self.query and not self.tables:
            raise ValueError("a query needs `tables:`, the files it reads by the names it uses")
        if self.tables and not self.query:
            raise ValueError("`tables:` are read by a `query:`; give one, or use files and join")
        if self.query and not re.match(r"\s*(select|with|from)\b", self.query, re.IGNORECASE):
            raise ValueError("query must be a SELECT (or WITH ... SELECT)")
        if self.join and not self.files:
            raise ValueError("join works on files; for a table or a query, write the join in SQL")
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
    currencies: list[str] = ["EUR"]
    """The ISO 4217 currencies the shop sells in: validation holds back a price in any other. With one
    currency, it is also the currency column's value where an entity's mapping and export have none."""
    folder: str = "."
    """Where relative globs and sqlite paths start: relative to this YAML file, or {landing}/... or {home}/..."""
    null_values: list[str] = []
    entities: dict[Literal["products", "customers", "order_lines"], EntitySource]
    file: str = ""
    """Set on load: the YAML file this came from, for error messages."""

    @field_validator("currencies", mode="before")
    @classmethod
    def iso_codes(cls, currencies):
        from babel.numbers import list_currencies

        currencies = [currencies] if isinstance(currencies, str) else currencies
        codes = [str(c).strip().upper() for c in currencies or []]
        unknown = [c for c in codes if c not in list_currencies()]
        if not codes or unknown:
            raise ValueError(f"{', '.join(unknown) or 'nothing'}: give ISO 4217 codes, e.g. [USD] or [EUR, CHF]")
        return codes

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
        return load_yaml(Source, path).model_copy(update={"file": str(path.resolve())})
    folder = Path(ref) if Path(ref).is_absolute() or "/" in ref else get_settings().landing_dir / ref
    if folder.is_dir():  # a bare landing folder: the demo's file names and columns
        demo = load_source("demo")
        return demo.model_copy(update={"name": folder.name.lower(), "folder": str(folder.resolve()), "file": ""})
    known = sorted(p.stem for p in SOURCES_DIR.glob("*.yaml"))
    raise FileNotFoundError(
        f"Source {ref!r} does not exist: no file {path} and no landing folder {folder}. "
        f"Known sources: {', '.join(known)}. "
        "Declare it in sources/<name>.yaml (see docs/bring-your-own-data.md), or generate the demo with "
        "`adcraft demo`.")


