"""A source's mapping (sources/*.yaml) as DuckDB SQL: how each file or table is read, and the select list that
turns the export's columns into the canonical text columns of raw.<entity> (warehouse/entities.yaml).

A value the mapping cannot convert (a date not in date_format, cents that are not a number) is kept as it
was, so validation quarantines it with its row and column instead of it silently becoming null.

Long because every format's reader (CSV, JSON, Parquet, .xlsx, database tables) and every column conversion
make one SELECT, and reading them side by side is how that SELECT is understood; joins are in joins.py.
"""

import csv
import gzip
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from adcraft.kernel.errors import MappingError
from adcraft.kernel.settings import WAREHOUSE_DIR
from adcraft.sources.spec import EntitySource, FileOptions, Join, Source

ENTITIES = ("products", "customers", "order_lines")
FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".parquet": "parquet", ".jsonl": "json",
           ".ndjson": "json", ".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}
OUTPUT_FORMATS = {"date": "%Y-%m-%d", "timestamp": "%Y-%m-%d %H:%M:%S"}
# A time of day followed by a UTC offset or Z, at the end of an ISO date and time.
ZONED_TIME = r"[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"
# Gzip is read (DuckDB's readers by the extension, the header and JSON's first bytes with Python's gzip);
# these other compressions are not.
UNREADABLE_COMPRESSIONS = {".zip", ".zst", ".bz2", ".xz", ".7z"}
SPREADSHEETS = {".xls", ".ods", ".numbers"}  # .xlsx is read by DuckDB's excel extension
# The row-number column reader_sql adds to a reader, which is not one of the export's own columns.
ROW_NUMBER_COLUMNS = ("ordinality", "file_row_number")
# Excel keeps a date as the days since this one (its 1900 leap-year bug included), and DuckDB reads it so.
EXCEL_EPOCH = "1899-12-30"


@dataclass(frozen=True)
class Input:
    """One thing to load: a file, or a database table; or a file another's rows are joined to."""

    entity: str
    spec: EntitySource | FileOptions
    label: str
    """What error messages and ops.loads call it: the file path, sqlite:<path>#<table> or
    postgres:<dsn without its password>#<table>."""
    format: str
    path: Path | None = None
    others: tuple["Joined", ...] = ()
    """The files its rows are joined to (`join:`), or the other tables its entity's query reads."""
    table_name: str | None = None
    """For an entity given as a query: the name the query knows this file by (the first of `tables:`)."""

    @property
    def name(self) -> str:
        return self.label.rsplit("/", 1)[-1]

    @property
    def reading(self) -> FileOptions:
        """How the file is read: the entity's options, or, for a query's first table, that table's."""
        return self.spec.tables[self.table_name] if self.table_name else self.spec

    @property
    def gzipped(self) -> bool:
        return self.path is not None and self.path.suffix.lower() == ".gz"

    @property
    def sqlite_file(self) -> Path:
        """A SQLite table's database file, resolved against the source's folder (in the label)."""
        return Path(self.label.split(":", 1)[1].rsplit("#", 1)[0])

    def open(self, mode: str = "rb", **text_options):
        """The file, decompressed as it is read if it is gzipped."""
        return (gzip.open if self.gzipped else open)(self.path, mode, **text_options)


@dataclass(frozen=True)
class Joined:
    """Files read alongside an export: a `join:` by key, or a table of the entity's query, by its name."""

    name: str
    spec: Join | FileOptions
    files: tuple[Input, ...]
    pattern: str
    """The globs, for a message when nothing matches them."""

    @property
    def names(self) -> str:
        """Its files' names, for reasons: 'orders.csv', or 'orders-1.csv and 2 more'."""
        first = self.files[0].name if self.files else self.pattern
        return first if len(self.files) < 2 else f"{first} and {len(self.files) - 1} more"


@cache
def entity_schema(entity: str) -> dict:
    return yaml.safe_load((WAREHOUSE_DIR / "entities.yaml").read_text())[entity]


def key_columns(entity: str) -> list[str]:
    key = entity_schema(entity)["key"]
    return [key] if isinstance(key, str) else key


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def inputs(source: Source) -> list[Input]:
    """Every file the source's globs match now, and every table it names, per entity in a fixed order."""
    base = source.base_dir()
    found = []
    for entity, spec in sorted(source.entities.items(), key=lambda e: ENTITIES.index(e[0])):
        if spec.table:
            ref = spec.table
            where = str((base / ref.path).resolve()) if ref.type == "sqlite" else without_password(ref.dsn)
            found.append(Input(entity, spec, f"{ref.type}:{where}#{ref.name}", ref.type))
            continue
        if spec.query:
            (first, driving), *rest = spec.tables.items()
            others = tuple(_joined(name, table, entity, source) for name, table in rest)
            for item in _joined(first, driving, entity, source).files:
                found.append(Input(entity, spec, item.label, item.format, item.path, others, first))
            continue
        others = tuple(_joined(name, join, entity, source) for name, join in spec.join.items())
        for path in _matching(base, spec.files):
            found.append(Input(entity, spec, str(path), _file_format(path, spec, entity, source), path, others))
    return found


def _matching(base: Path, patterns: list[str]) -> list[Path]:
    return sorted({p for pattern in patterns for p in base.glob(pattern) if p.is_file()})


def _joined(name: str, spec: Join | FileOptions, entity: str, source: Source) -> Joined:
    files = tuple(Input(entity, spec, str(path), _file_format(path, spec, entity, source), path)
                  for path in _matching(source.base_dir(), spec.files))
    return Joined(name, spec, files, ", ".join(spec.files))


def without_password(dsn: str) -> str:
    """A connection string as a label shows it, in logs, reports and ops.loads: any password starred out."""
    dsn = re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", dsn, flags=re.IGNORECASE)
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", dsn)


def _file_format(path: Path, spec: FileOptions, entity: str, source: Source) -> str:
    """The file's format: as the mapping sets it, else by its extension (under a .gz one)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in UNREADABLE_COMPRESSIONS:
        raise MappingError(f"{path}: adcraft reads plain or gzip-compressed exports, not {suffixes[-1]}. "
                           f"Unpack it into the landing folder, or export it as .csv.gz.")
    if suffixes and suffixes[-1] in SPREADSHEETS:
        raise MappingError(f"{path}: adcraft reads .xlsx workbooks, not {suffixes[-1]}. Save it as .xlsx, or the "
                           "sheet as CSV (UTF-8), from the spreadsheet program into the landing folder.")
    if suffixes[-2:-1] and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = spec.format or FORMATS.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        raise MappingError(f"{path}: cannot tell the format from the extension; set format: csv, tsv, "
                           f"parquet, json or xlsx for {entity} in {source.file or 'the source'}.")
    if fmt in ("parquet", "xlsx") and path.suffix.lower() == ".gz":
        raise MappingError(f"{path}: a {fmt} file compresses itself; unpack it, or export it without .gz.")
    return fmt


def csv_header(item: Input) -> list[str]:
    """The column names on a CSV file's first line. Read here rather than sniffed by DuckDB, so a few
    malformed lines in a small file cannot make it guess the wrong number of columns."""
    codec = "utf-8-sig" if item.reading.encoding == "utf-8" else item.reading.encoding
    try:
        if codec == "utf-16":  # a line ends in two bytes there, so read it as text
            with item.open("rt", encoding=codec, newline="") as f:
                line = f.readline()
        else:  # only the first line: a bad byte further down is the reader's to report, with its line
            with item.open() as f:
                line = f.readline().decode(codec)
    except UnicodeDecodeError:
        raise MappingError(f"{item.label}: line 1 (the header) is not {item.reading.encoding}; set `encoding:` "
                           f"(utf-8, utf-16 or latin-1) for {item.entity} in the source's YAML.") from None
    if not line.strip():
        raise MappingError(f"{item.label} has no header line: the export is empty or cut off. Export it again, "
                           "or move it out of the landing folder.")
    return _unique_names(next(csv.reader([line.rstrip("\r\n")], delimiter=_delimiter(item)), []))


def check_workbook(item: Input) -> None:
    """An .xlsx file is a whole zip archive with a workbook in it. Checked first, since DuckDB's excel reader
    does not return on some broken archives."""
    try:
        with zipfile.ZipFile(item.path) as archive:
            whole = "xl/workbook.xml" in archive.namelist() and archive.testzip() is None
    except (zipfile.BadZipFile, OSError, EOFError):
        whole = False
    if not whole:
        raise MappingError(f"{item.label} is not a readable .xlsx workbook: it is cut off, or another kind of file. "
                           "Save it again as .xlsx (Excel Workbook) from the spreadsheet program.")


def _unique_names(names: list[str]) -> list[str]:
    """Header names trimmed and made unique, as DuckDB needs them: an empty one (a trailing delimiter) is
    column<N> by its position, and a repeated one gets _2, _3... (docs/bring-your-own-data.md)."""
    unique: list[str] = []
    for position, name in enumerate(names, 1):
        base = name.strip() or f"column{position}"
        name, copy = base, 1
        while name in unique:
            copy += 1
            name = f"{base}_{copy}"
        unique.append(name)
    return unique


def _json_array(item: Input) -> bool:
    """Whether a JSON file holds one array of records rather than a record per line."""
    with item.open() as f:
        start = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"[")


def _delimiter(item: Input) -> str:
    return item.reading.delimiter or ("\t" if item.format == "tsv" else ",")


def reader_sql(item: Input, rejects: str | None = None, json_columns: list[str] | None = None,
               numbered: bool = True) -> tuple[str, str]:
    """(FROM clause, 1-based row number expression). CSV is read as text; bad lines go to `rejects` if given.
    JSON is read with its types detected from every record, or, given `json_columns` (those names), as text.
    A workbook's sheet is read as text, its rows numbered as the sheet shows them (the header is row 1), and
    its empty rows left out. `numbered=False` reads a CSV on every thread, without row numbers (a file joined
    to an export needs none), its rows still in file order."""
    spec = item.reading
    if item.format in ("csv", "tsv"):
        names = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in csv_header(item))
        # One reader thread: WITH ORDINALITY then numbers the rows as the file has them at no cost, and rows
        # arriving in file order are cheaper to store than a parallel read's batches (bench/report.md).
        options = ["header = true", f"columns = {{{names}}}", f"encoding = {literal(spec.encoding)}",
                   f"delim = {literal(_delimiter(item))}", "quote = '\"'", "escape = '\"'"]
        options += ["parallel = false"] if numbered else []
        if rejects:
            options += ["ignore_errors = true", "store_rejects = true",
                        f"rejects_table = {literal(rejects)}", f"rejects_scan = {literal(rejects + '_scan')}"]
        reader = f"read_csv({literal(str(item.path))}, {', '.join(options)})"
        return (f"{reader} WITH ORDINALITY", "ordinality") if numbered else (reader, "NULL")
    if item.format == "parquet":
        return f"read_parquet({literal(str(item.path))}, file_row_number = true)", "file_row_number + 1"
    if item.format == "json":
        # Types are guessed from a sample of records by default: a key first seen after it would be dropped,
        # and a later value that does not fit the guess ('n/a' among numbers) would quietly become null. So
        # the names come from every record, and the values are read as the text they are.
        if json_columns is None:
            options = ["sample_size = -1"]
        else:
            options = ["columns = {" + ", ".join(f"{literal(name)}: 'VARCHAR'" for name in json_columns) + "}"]
        if _json_array(item):  # one array of records, as APIs return them: a row is an element
            options.append("format = 'array'")
        else:
            # Unparseable lines become all-null rows, so they keep their row number and fail the not-null rules.
            options += ["format = 'newline_delimited'", "ignore_errors = true"]
        return f"read_json({literal(str(item.path))}, {', '.join(options)}) WITH ORDINALITY", "ordinality"
    if item.format == "xlsx":
        # As text: DuckDB would type each column by its first row, and turn a later cell that does not fit
        # into an error. A date cell reads as Excel's day number, which excel_dates() turns back into a date.
        options = ["header = true", "all_varchar = true", "stop_at_empty = false"]
        if spec.sheet:
            options.append(f"sheet = {literal(spec.sheet)}")
        cells = "list_count(list_value(*COLUMNS(* EXCLUDE (ordinality))))"
        sheet = f"read_xlsx({literal(str(item.path))}, {', '.join(options)}) WITH ORDINALITY"
        return f"(SELECT * EXCLUDE (_cells) FROM (SELECT *, {cells} AS _cells FROM {sheet}) WHERE _cells > 0)", \
            "ordinality + 1"
    table = spec.table
    if table.type == "sqlite":
        return f"sqlite_scan({literal(str(item.sqlite_file))}, {literal(table.name)}) WITH ORDINALITY", "ordinality"
    schema, _, name = table.name.rpartition(".")
    return (f"postgres_scan({literal(table.dsn)}, {literal(schema or 'public')}, {literal(name)}) "
            "WITH ORDINALITY", "ordinality")


def check_columns(item: Input, present: list[str], source: Source) -> list[str]:
    """Every way the export's columns do not fit the mapping, as messages that say how to fix it. `present`
    holds a joined file's columns as <join name>.<column>."""
    columns = entity_schema(item.entity)["columns"]
    where = f"entities.{item.entity}.columns in {source.file or 'sources/' + source.name + '.yaml'}"
    problems = [f"{item.label}: the mapping names {name!r}, which is not a {item.entity} column; "
                f"use one of {', '.join(columns)} ({where})." for name in item.spec.columns if name not in columns]
    for name, meta in columns.items():
        spec = item.spec.columns.get(name)
        if spec is not None and spec.value is not None:
            continue
        for group in (spec.fill_down, spec.position_in) if spec else ():
            if group and group not in present:
                problems.append(f"{item.label}: column {group!r} (that groups the rows for {name}) is not in the "
                                f"file; its columns are {_listed(item, present)}. Fix `{name}:` under {where}.")
        if spec and spec.position_in:
            continue
        wanted = (spec.from_ if spec and spec.from_ else name)
        if wanted in present:
            continue
        joined = next((o for o in item.others if wanted.startswith(o.name + ".")), None)
        if spec and spec.from_ and joined:
            own = [c.split(".", 1)[1] for c in present if c.startswith(joined.name + ".")]
            problems.append(f"{item.label}: {joined.names} (joined as {joined.name}) has no column "
                            f"{wanted.split('.', 1)[1]!r} (mapped to {name}); its columns are {', '.join(own)}. "
                            f"Fix `{name}: {{from: {joined.name}.<column>}}` under {where}.")
        elif spec and spec.from_:
            problems.append(f"{item.label}: column {wanted!r} (mapped to {name}) is not in the file; its columns "
                            f"are {_listed(item, present)}. Fix `{name}: {{from: ...}}` under {where}.")
        elif meta.get("required") and default_value(name, source) is None:
            problems.append(f"{item.label}: required column {name!r} is missing; the file has "
                            f"{_listed(item, present)}. Map it under {where}, e.g. `{name}: {{from: <column>}}`, "
                            f"or give a constant with `{name}: {{value: ...}}`.")
    return problems


def _listed(item: Input, present: list[str]) -> str:
    """The export's own columns, for a message (a joined file's are named where they are missing)."""
    joined = tuple(o.name + "." for o in item.others)
    return ", ".join(c for c in present if not c.startswith(joined)) if joined else ", ".join(present)


def default_value(name: str, source: Source) -> str | None:
    """What a canonical column holds where neither the mapping nor the export gives it: a shop that declares
    one currency sells in it."""
    return source.currencies[0] if name == "currency" and len(source.currencies) == 1 else None


def select_sql(item: Input, source: Source, present: dict[str, str], row_number: str) -> str:
    """The select list producing every canonical column the export provides, as text. `present` maps the
    export's columns to their DuckDB types (all VARCHAR in a CSV). `row_number` is the reader's expression for
    a row's place in the file (reader_sql), which fill_down and position_in follow."""
    columns = entity_schema(item.entity)["columns"]
    nulls = item.spec.null_values if item.spec.null_values is not None else source.null_values
    parts = []
    for name, meta in columns.items():
        spec = item.spec.columns.get(name)
        if spec is not None and spec.value is not None:
            parts.append(f"{literal(spec.value)} AS {ident(name)}")
            continue
        if spec is not None and spec.position_in:
            position = f"row_number() OVER (PARTITION BY {ident(spec.position_in)} ORDER BY {row_number})"
            parts.append(f"CAST({position} AS VARCHAR) AS {ident(name)}")
            continue
        column = spec.from_ if spec and spec.from_ else name
        if column not in present:
            if default_value(name, source) is not None and not (spec and spec.from_):
                parts.append(f"{literal(default_value(name, source))} AS {ident(name)}")
            continue  # an optional column the export lacks stays null
        value = _as_text(ident(column), present[column], meta["type"])
        if spec is not None and spec.fill_down:
            value = _filled_down(value, spec.fill_down, row_number)
        excel = _from_workbook(item, column) and meta["type"] in ("date", "timestamp")
        value = _convert(value, spec, meta["type"], nulls, item.spec, excel)
        if name == "currency":  # ' usd' is the ISO code USD, as staging would read it
            value = f"upper(trim({value}))"
        parts.append(f"{value} AS {ident(name)}")
    return ", ".join(parts)


def _as_text(column: str, source_type: str, canonical_type: str) -> str:
    """A column as text. A typed date or time (Parquet, a database table) is written as staging reads the
    canonical type: a timestamp for a date column keeps its day, and a time with a zone is stored in UTC."""
    if canonical_type in ("date", "timestamp") and source_type.startswith(("DATE", "TIMESTAMP")):
        if source_type == "TIMESTAMP WITH TIME ZONE":
            column = f"timezone('UTC', {column})"
        column = f"CAST({column} AS {canonical_type.upper()})"
    return f"CAST({column} AS VARCHAR)"


def _filled_down(value: str, group: str, row_number: str) -> str:
    """An empty value replaced by the last non-empty one above it among the rows of its group."""
    given = f"CASE WHEN trim({value}) <> '' THEN {value} END"
    return (f"coalesce({given}, last_value({given} IGNORE NULLS) OVER (PARTITION BY {ident(group)} "
            f"ORDER BY {row_number} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))")


def _from_workbook(item: Input, column: str) -> bool:
    """Whether the column comes from an .xlsx file: the export, or a file joined to it."""
    joined = next((o for o in item.others if column.startswith(o.name + ".")), None)
    return any(f.format == "xlsx" for f in joined.files) if joined else item.format == "xlsx"


def _convert(value: str, spec, canonical_type: str, nulls: list[str], entity_spec: EntitySource,
             excel: bool = False) -> str:
    if nulls:
        value = f"CASE WHEN trim({value}) IN ({', '.join(literal(n) for n in nulls)}) THEN NULL ELSE {value} END"
    if spec is not None and spec.values:
        cases = " ".join(f"WHEN {literal(k)} THEN {'NULL' if v is None else literal(v)}"
                         for k, v in spec.values.items())
        value = f"(CASE trim({value}) {cases} ELSE {value} END)"
    if excel:
        value = _excel_date(value, canonical_type)
    if canonical_type in ("decimal", "integer"):
        value = _plain_number(value, entity_spec.decimal_separator, entity_spec.thousands_separator)
    if canonical_type == "timestamp" and not (spec and spec.date_format):
        value = _utc_if_zoned(value)
    if spec is None:
        return value
    converted = None
    if spec.unit == "cents":
        number = f"TRY_CAST(trim({value}) AS DOUBLE)"
        converted = f"CASE WHEN {number} = round({number}) THEN printf('%.2f', {number} / 100) END"
    elif spec.date_format:
        out = OUTPUT_FORMATS["timestamp" if canonical_type == "timestamp" else "date"]
        parsed = f"try_strptime(trim({value}), {literal(spec.date_format)})"
        if "%z" in spec.date_format or "%Z" in spec.date_format:  # in UTC, whatever this machine's time zone
            parsed = f"timezone('UTC', {parsed})"
        converted = f"strftime({parsed}, {literal(out)})"
    elif spec.type == "integer":
        number = f"TRY_CAST(trim({value}) AS DOUBLE)"
        converted = f"CASE WHEN {number} = round({number}) THEN CAST(CAST({number} AS BIGINT) AS VARCHAR) END"
    elif spec.type == "decimal":
        converted = f"CAST(TRY_CAST(trim({value}) AS DOUBLE) AS VARCHAR)"
    elif spec.type in ("boolean", "date", "timestamp"):
        converted = f"CAST(TRY_CAST(trim({value}) AS {spec.type.upper()}) AS VARCHAR)"
    return f"coalesce({converted}, {value})" if converted else value


def _excel_date(value: str, canonical_type: str) -> str:
    """A workbook's date cell, which reads as Excel's day number (45293.5), as the ISO date or time it is.
    Text that is no such number (a date typed as text) is kept, for `date_format` or validation."""
    days = f"TRY_CAST(trim({value}) AS DOUBLE)"
    moment = f"(TIMESTAMP '{EXCEL_EPOCH}' + to_seconds(CAST(round({days} * 86400) AS BIGINT)))"
    out = OUTPUT_FORMATS["timestamp" if canonical_type == "timestamp" else "date"]
    return (f"(CASE WHEN regexp_full_match(trim({value}), '[0-9]+(\\.[0-9]+)?') "
            f"THEN strftime({moment}, {literal(out)}) ELSE {value} END)")


def _utc_if_zoned(value: str) -> str:
    """An ISO time with an offset ('2026-11-03T10:15:00+01:00', '...Z') as the UTC time it names, since
    DuckDB's TIMESTAMP cast drops the offset. A time without one is kept as written: reading it as a zoned
    time would take this machine's zone. Only text longer than a plain 'YYYY-MM-DD HH:MM:SS' or holding a
    '+' or 'Z' is matched against ZONED_TIME, which is slow on every row; that leaves out one
    rare form, a time without seconds and a negative offset ('2026-11-03T10:15-05')."""
    text = f"trim({value})"
    maybe = f"(strlen({value}) > 19 OR contains({value}, '+') OR contains({value}, 'Z'))"
    zoned = f"regexp_matches({text}, {literal(ZONED_TIME)})"
    utc = f"strftime(timezone('UTC', TRY_CAST({text} AS TIMESTAMPTZ)), {literal(OUTPUT_FORMATS['timestamp'])})"
    return f"(CASE WHEN {maybe} AND {zoned} THEN coalesce({utc}, {value}) ELSE {value} END)"


def _plain_number(value: str, decimal: str, thousands: str | None) -> str:
    """A number written the export's way (1.234,50) rewritten the plain way (1234.50). Text that is not a
    number written that way is kept as it was, for validation to hold back with its row."""
    if decimal == "." and thousands is None:
        return value
    # A space also stands for the no-break spaces that spreadsheets group digits with.
    group = "[ \u00a0\u202f]" if thousands == " " else re.escape(thousands or "")
    digits = f"[0-9]{{1,3}}(?:{group}[0-9]{{3}})+|[0-9]+" if thousands else "[0-9]+"
    pattern = f"[+-]?(?:{digits})(?:{re.escape(decimal)}[0-9]+)?"
    plain = f"trim({value})"
    if thousands:
        plain = f"regexp_replace({plain}, {literal(group)}, '', 'g')"
    if decimal != ".":
        plain = f"replace({plain}, {literal(decimal)}, '.')"
    return f"(CASE WHEN regexp_full_match(trim({value}), {literal(pattern)}) THEN {plain} ELSE {value} END)"
