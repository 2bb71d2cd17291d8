"""Entities built from several exports, compiled to one FROM clause that reads like a single export: files
joined to an export by key (`join:`), or a SQL query over named files (`query:` with `tables:`).

Every row of the export (or of the query's first table) stays one row, with its own line number, so a reason
still names the original file and line, and input rows = staged + quarantined holds. A row whose key the
joined file lacks, or that the query does not return, is landed with `_unmatched` saying so, and landing
quarantines it (rule `joined`). A joined file is read once, into a temporary table holding the first row of
each key; a key it repeats, and lines it could not read, are noted for `sources check` and the log.
"""

from dataclasses import dataclass, field

import duckdb

from adcraft.kernel.db import sql
from adcraft.kernel.errors import MappingError
from adcraft.sources.mapping import Input, Joined, check_workbook, csv_header, ident, literal, reader_sql
from adcraft.sources.spec import Source

JOINED = "_adcraft_join_"  # temporary tables of the joined files, and their rejects
ROW = "_adcraft_row"  # a query entity's row number in its first table
SHOWN_LINES = 5
QUOTE = "'"


@dataclass
class Plan:
    """What landing reads: the FROM clause, its row number, its columns (a joined file's as <join>.<column>)
    and the expression for a row's `_unmatched` (NULL when every join found its row)."""

    source: str
    row_number: str
    present: dict[str, str]
    unmatched: str = "NULL"
    notes: list[str] = field(default_factory=list)
    """Keys a joined file repeats, lines it could not read: for `sources check` and the log."""
    joins: list[tuple[str, str]] = field(default_factory=list)
    """(what was joined, the text its unmatched rows' `_unmatched` holds), for `sources check`'s summary."""


def file_columns(con, item: Input) -> dict[str, str]:
    """A file's columns and their DuckDB types (text for CSV, as it is read)."""
    if item.format in ("csv", "tsv"):
        return dict.fromkeys(csv_header(item), "VARCHAR")
    if item.format == "xlsx":
        check_workbook(item)
    reader, _ = reader_sql(item)
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    except duckdb.Error as exc:
        raise MappingError(f"{item.label}: cannot be read: {_first_line(exc)}. Check `format:`"
                           f"{' and `sheet:`' if item.format == 'xlsx' else ''} in the source's YAML.") from None
    present = {name: type_ for name, type_, *_ in described if name not in ("ordinality", "file_row_number")}
    if item.format == "json":
        if list(present) == ["json"]:  # DuckDB's one column for JSON without records
            raise MappingError(f"{item.label} has no records (objects with named fields): the export is empty "
                               "or not a list of records. Export it again, or move it out of the landing folder.")
        present = dict.fromkeys(present, "VARCHAR")  # read as text
    return present


def text_reader(item: Input, present: dict[str, str], rejects: str | None, numbered: bool = True) -> tuple[str, str]:
    """The file's reader as landing uses it: CSV and JSON as text, bad CSV lines to `rejects`."""
    csv = item.format in ("csv", "tsv")
    return reader_sql(item, rejects if csv else None, list(present) if item.format == "json" else None, numbered)


def join_plan(con, item: Input, source: Source, reader: str, row_number: str, present: dict[str, str]) -> Plan:
    """The export (`reader`, as m) left-joined to each of its `join:` files in turn."""
    columns, select, joins = dict(present), ["m.*"], []
    plan = Plan("", row_number, columns)
    unmatched = []
    wanted = _wanted(item)
    for n, joined in enumerate(item.others):
        alias, table = f"j{n}", f"{JOINED}{n}"
        own, rejected = _stage(con, item, source, joined, table, wanted)
        lefts = {}
        for left in joined.spec.by:
            if left not in columns:
                raise MappingError(f"{item.label}: join {joined.name} is by {left!r}, which is not a column here; "
                                   f"the columns are {', '.join(columns)}. Fix `by:` of {joined.name} under "
                                   f"entities.{item.entity}.join in the source's YAML.")
            lefts[left] = _column_ref(left, item, columns[left])
        # Keys compared as trimmed text: the joined file's are trimmed as it is staged, the export's by a bare
        # trim() (a CASE around it, as _key has, would cost the join about as much again).
        conditions = [f"trim({lefts[left]}) = {alias}.{ident(right)}" for left, right in joined.spec.by.items()]
        joins.append(f"LEFT JOIN {table} AS {alias} ON {' AND '.join(conditions)}")
        for column, type_ in own.items():
            name = f"{joined.name}.{column}"
            columns[name] = type_
            if name in wanted:
                select.append(f"{alias}.{ident(column)} AS {ident(name)}")
        plan.notes += rejected
        if joined.spec.unmatched == "quarantine":
            # Only a row the join found nothing for reaches the second WHEN: the rest cost one test.
            given = " AND ".join(f"{_key(key, item, source)} IS NOT NULL" for key in lefts.values())
            keys = " || ', ' || ".join(f"printf({literal(left.replace('%', '%%') + ' %s')}, {literal(QUOTE)} || {key} "
                                       f"|| {literal(QUOTE)})" for left, key in lefts.items())
            unreadable = [n for n in rejected if "could not be read" in n]
            text = f" matches no row of {joined.names}" + (f" ({'; '.join(unreadable)})" if unreadable else "")
            unmatched.append(f"CASE WHEN {alias}._hit THEN NULL WHEN {given} THEN {keys} || {literal(text)} END")
            plan.joins.append((f"{joined.names} (joined as {joined.name}, by {', '.join(joined.spec.by)})",
                               f" matches no row of {joined.names}"))
    if unmatched:
        select.append((unmatched[0] if len(unmatched) == 1 else f"nullif(concat_ws('; ', {', '.join(unmatched)}), '')")
                      + " AS _unmatched")
        plan.unmatched = "_unmatched"
    plan.source = f"(SELECT {', '.join(select)} FROM {reader} AS m {' '.join(joins)})"
    return plan


def query_plan(con, item: Input, source: Source, reader: str, row_number: str) -> Plan:
    """The entity's query over its tables. The first table is this file, read once (its bad CSV lines go to
    the rejects as for any export); each of its rows is kept, and one the query does not return is unmatched."""
    number_column = row_number.split()[0]
    driving = (f"{ident(item.table_name)} AS MATERIALIZED (SELECT * EXCLUDE ({number_column}), "
               f"{row_number} AS _row FROM {reader})")
    ctes, notes = [driving], []
    for n, joined in enumerate(item.others):
        table, rejected = _table(con, item, joined, f"{JOINED}{n}")
        ctes.append(f"{ident(joined.name)} AS ({table})")
        notes += rejected
    with_tables = "WITH " + ", ".join(ctes)
    where = f"`query:` of {item.entity} in {source.file or 'the source'}"
    try:
        described = con.execute(f"DESCRIBE {with_tables} SELECT * FROM ({item.spec.query})").fetchall()
    except duckdb.Error as exc:
        raise MappingError(f"{item.label}: the query fails: {_first_line(exc)}. Fix {where}; it reads the tables "
                           f"{', '.join([item.table_name] + [o.name for o in item.others])}.") from None
    present = {name: type_ for name, type_, *_ in described}
    if "_row" not in present:
        raise MappingError(f"{item.label}: the query must return the _row of {item.table_name} (each of its rows "
                           f"once), so reasons can name the line; select {item.table_name}._row. Fix {where}.")
    del present["_row"]
    text = f"the query for {item.entity} returns no row for it"
    source_sql = (f"({with_tables}, _query AS (SELECT * FROM ({item.spec.query})) "
                  f"SELECT _d._row AS {ROW}, _q.* EXCLUDE (_row), CASE WHEN _q._row IS NULL THEN {literal(text)} END "
                  f"AS _unmatched FROM {ident(item.table_name)} AS _d LEFT JOIN _query AS _q ON _q._row = _d._row)")
    return Plan(source_sql, ROW, present, "_unmatched", notes,
                [(f"the query over {', '.join([item.table_name] + [o.name for o in item.others])}", text)])


def repeated_rows(con, entity: str, load_id: str) -> list[int]:
    """Rows a query returned more than once: a join in it matched several rows of another table."""
    return [n for (n,) in con.execute(sql("ingest/repeated_rows", entity=entity), {"load_id": load_id}).fetchall()]


def _wanted(item: Input) -> set[str]:
    """The joined columns the mapping and the later joins use: only those are carried into the rows."""
    names = {spec.from_ for spec in item.spec.columns.values() if spec.from_}
    names |= {g for spec in item.spec.columns.values() for g in (spec.fill_down, spec.position_in) if g}
    names |= {left for joined in item.others for left in joined.spec.by}
    return names


def _column_ref(name: str, item: Input, type_: str) -> str:
    """A column of the export (m) or of an earlier join (orders.customerID), in the joined FROM clause, as
    text (a Parquet file's number, say)."""
    for n, joined in enumerate(item.others):
        if name.startswith(joined.name + "."):
            column = f"j{n}.{ident(name.split('.', 1)[1])}"
            break
    else:
        column = f"m.{ident(name)}"
    return column if type_ == "VARCHAR" else f"CAST({column} AS VARCHAR)"


def _key(column: str, item: Input, source: Source) -> str:
    """A key as trimmed text, NULL where it is empty or a null value: such a row has no key to match, so it is
    not unmatched (nor is a joined file's row with such a key staged)."""
    nulls = item.spec.null_values if item.spec.null_values is not None else source.null_values
    text = f"trim(CAST({column} AS VARCHAR))"
    empty = ", ".join(literal(n.strip()) for n in {"", *nulls})
    return f"(CASE WHEN {text} IN ({empty}) THEN NULL ELSE {text} END)"


def _stage(con, item: Input, source: Source, joined: Joined, table: str,
           wanted: set[str]) -> tuple[dict[str, str], list[str]]:
    """Read a joined file into `table`, in one pass on every thread: its keys as trimmed text (a row whose key
    is empty or a null value has none, and is left out), the columns the mapping uses, and `_hit` (true). A key
    it repeats keeps its first row, in file order. Returns all its columns and notes on what could not be read
    of it and the keys it repeats."""
    union, rejects = _union(con, item, joined, table, numbered=False)
    described = con.execute(f"DESCRIBE {union}").fetchall()
    own = {name: type_ for name, type_, *_ in described if name not in ("_row", "_file")}
    missing = [right for right in joined.spec.by.values() if right not in own]
    if missing:
        raise MappingError(f"{joined.names} (joined as {joined.name}) has no column {missing[0]!r} to join by; its "
                           f"columns are {', '.join(own)}. Fix `by:` of {joined.name} under "
                           f"entities.{item.entity}.join in the source's YAML.")
    keys = [ident(right) for right in joined.spec.by.values()]
    rest = [ident(c) for c in own if c not in joined.spec.by.values() and f"{joined.name}.{c}" in wanted]
    # Its rows arrive in file order, so a row's rowid in `table` is its place among them.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM (SELECT "
                + ", ".join([f"{_key(k, item, source)} AS {k}" for k in keys] + rest)
                + f", true AS _hit FROM ({union})) WHERE " + " AND ".join(f"{k} IS NOT NULL" for k in keys))
    notes = _unreadable(con, rejects)
    key_list = ", ".join(keys)
    (extra,) = con.execute(f"SELECT count(*) - count(DISTINCT ({key_list})) FROM {table}").fetchone()
    if extra:  # rows beyond the first of a key: name the keys, in file order
        shown = con.execute(f"SELECT count(*) OVER (), concat_ws(', ', {key_list}) FROM {table} GROUP BY {key_list} "
                            f"HAVING count(*) > 1 ORDER BY min(rowid) LIMIT {SHOWN_LINES}").fetchall()
        repeats = shown[0][0]
        notes.append(f"{joined.names} (joined as {joined.name}) repeats {repeats} key(s), and the first row of "
                     f"each is used: " + ", ".join(repr(k) for _, k in shown) + (" ..." if repeats > SHOWN_LINES
                                                                                  else ""))
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM (SELECT *, rowid AS _place FROM {table}) "
                    f"QUALIFY row_number() OVER (PARTITION BY {key_list} ORDER BY _place) = 1")
    return own, notes


def _table(con, item: Input, joined: Joined, table: str) -> tuple[str, list[str]]:
    """A table the entity's query reads, in `table`; returns the query's name for it (a CTE) and what
    could not be read of it."""
    union, rejects = _union(con, item, joined, table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {union}")
    return f"SELECT * EXCLUDE (_file) FROM {table}", _unreadable(con, rejects)


def _union(con, item: Input, joined: Joined, table: str, numbered: bool = True) -> tuple[str, list[tuple[Input, str]]]:
    """A SELECT of every file of `joined`, one after the other, with each row's file and row (`_file`,
    `_row`; NULL unless `numbered`), and the rejects tables its CSV files' bad lines go to (read as for any
    export)."""
    if not joined.files:
        raise MappingError(f"{item.label}: no file matches {joined.pattern} ({joined.name}) under the source's "
                           "folder. Land the file, or fix its `files:` in the source's YAML.")
    parts, rejects = [], []
    for i, file in enumerate(joined.files):
        present = file_columns(con, file)
        rejected = f"{table}_rejects_{i}" if file.format in ("csv", "tsv") else None
        if rejected:
            rejects.append((file, rejected))
            con.execute(f"DROP TABLE IF EXISTS {rejected}")
        reader, row_number = text_reader(file, present, rejected, numbered)
        column = row_number.split()[0]
        exclude = f" EXCLUDE ({column})" if column != "NULL" else ""
        parts.append(f"SELECT *{exclude}, {i} AS _file, {row_number} AS _row FROM {reader}")
    return " UNION ALL BY NAME ".join(parts), rejects


def _unreadable(con, rejects: list[tuple[Input, str]]) -> list[str]:
    """Lines of the files that could not be read (and are left out), one note per file."""
    notes = []
    for file, rejected in rejects:
        lines = [n for (n,) in con.execute(f"SELECT DISTINCT line FROM {rejected} ORDER BY 1").fetchall()]
        con.execute(f"DROP TABLE IF EXISTS {rejected}")
        con.execute(f"DROP TABLE IF EXISTS {rejected}_scan")
        if lines:
            shown = ", ".join(map(str, lines[:SHOWN_LINES])) + (" ..." if len(lines) > SHOWN_LINES else "")
            notes.append(f"{len(lines)} line(s) of {file.name} could not be read and were left out: line {shown}")
    return notes


def _first_line(exc: Exception) -> str:
    return str(exc).split("\n\nLINE ", 1)[0].splitlines()[0].rstrip(". ")
