"""Land one export (a file or a database table) in raw.<entity> through its source's mapping, in one
transaction with its ops.loads record. Used by the ingest task and, on a throwaway in-memory warehouse, by
`adcraft sources check`, so the preview and the real load cannot disagree.
"""

import functools
import hashlib
import logging
import sqlite3
import zlib
from contextlib import closing

import duckdb

from adcraft.kernel.db import sql, transaction
from adcraft.kernel.errors import MappingError, SourceUnreachableError
from adcraft.sources.joins import JOINED, Plan, file_columns, join_plan, query_plan, repeated_rows, text_reader
from adcraft.sources.mapping import (
    Input,
    check_columns,
    key_columns,
    reader_sql,
    select_sql,
    without_password,
)
from adcraft.sources.preload import import_in_background
from adcraft.sources.spec import Source

log = logging.getLogger(__name__)
REJECTS = "_adcraft_rejects"
UNMATCHED_REASON = ("Without that row, the columns mapped from the joined file (an order's customer and date, a "
                    "product's category) would be empty.")
UNMATCHED_FIX = ("Check that the files were exported together and completely; a key written differently on each "
                 "side (with leading zeros, say) needs the same writing in both exports, or another column in "
                 "`by:`. To keep such rows with the joined columns empty, set `unmatched: keep` on the join.")


def _database_errors(fn):
    """For a database table, DuckDB's errors as adcraft's: the DSN's password starred out of the message (DuckDB
    quotes the DSN), and what to check. A connection that failed may work on a retry; the rest will not."""

    @functools.wraps(fn)
    def wrapper(con, item: Input, *args):
        if item.path is not None:
            return fn(con, item, *args)
        try:
            return fn(con, item, *args)
        except duckdb.Error as exc:
            message = without_password(str(exc).split("\n\nLINE ", 1)[0]).rstrip(". \n")
            check = f"Check `table:` for {item.entity} in the source's YAML"
            if isinstance(exc, duckdb.IOException) and item.format == "postgres":
                raise SourceUnreachableError(f"{item.label}: cannot reach the database: {message}. {check}, and "
                                             "that the server is up and lets this machine in.") from None
            may_read = ", and may `user` read it" if item.format == "postgres" else ""
            raise MappingError(f"{item.label}: {message}. {check}: does the table exist{may_read}?") from None

    return wrapper


@_database_errors
def checksum(con, item: Input) -> str:
    """SHA-256 of a file's bytes; for a table, of its row count and an order-free hash of its rows. For an
    export joined to other files (or read by a query with them), of all their checksums: a change to any one
    of them loads the export again."""
    if item.others:
        parts = [_checksum(con, item)]
        for joined in item.others:
            if not joined.files:
                raise MappingError(f"{item.label}: no file matches {joined.pattern} ({joined.name}) under the "
                                   "source's folder. Land the file, or fix its `files:` in the source's YAML.")
            parts += [joined.name] + [_checksum(con, file) for file in joined.files]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()
    return _checksum(con, item)


def _checksum(con, item: Input) -> str:
    if item.path is not None:
        digest = hashlib.sha256()
        whole = _GzipCheck(item.label) if item.gzipped else None
        with item.path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
                if whole:
                    whole.feed(block)
        if whole:
            whole.finish()
        return digest.hexdigest()
    source, _ = reader_sql(item)
    count, total = con.execute(f"SELECT count(*), sum(hash(t))::VARCHAR FROM {source} AS t").fetchone()
    return hashlib.sha256(f"{item.label}|{count}|{total}".encode()).hexdigest()


class _GzipCheck:
    """Decompresses a .gz export as its checksum is read, and throws the output away, only to learn whether
    the file is whole: DuckDB's reader stops quietly where a cut-off file ends, which loses the rest."""

    def __init__(self, label: str):
        self.label = label
        self.stream = zlib.decompressobj(wbits=31)

    def feed(self, block: bytes) -> None:
        while block:
            try:
                self.stream.decompress(block)
            except zlib.error as exc:
                raise MappingError(f"{self.label}: not a valid gzip file ({exc}). Export it again, or name it "
                                   "without .gz if it is not compressed.") from None
            block = self.stream.unused_data if self.stream.eof else b""
            if self.stream.eof and block:  # a file of several gzip members, as `cat a.gz b.gz` makes
                self.stream = zlib.decompressobj(wbits=31)

    def finish(self) -> None:
        if not self.stream.eof:
            raise MappingError(f"{self.label}: the gzip file ends before its data does: the export was cut off. "
                               "Export it again.")


EXTENSIONS = {"sqlite": "sqlite", "postgres": "postgres", "xlsx": "excel"}
"""The DuckDB extension each format needs, shipped by the duckdb-ext-<name> package (no download)."""


def prepare(con, item: Input) -> None:
    """Load the DuckDB extensions the export and the files joined to it need (a database scanner, excel)."""
    formats = {item.format} | {file.format for joined in item.others for file in joined.files}
    for extension in sorted({EXTENSIONS[f] for f in formats if f in EXTENSIONS}):
        import duckdb_ext

        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET extension_directory = $path", {"path": duckdb_ext.get_extension_dir()})
        try:
            con.execute(f"LOAD {extension}")
        except Exception as exc:
            raise MappingError(f"{item.label}: DuckDB's {extension} extension is not installed ({exc}). "
                               f"Install it with `pip install duckdb-ext-{extension}`.") from None
    if item.format == "sqlite":
        _check_sqlite_table(item)
        # SQLite keeps any value in any column: read each as the text it is, so a 'n/a' in an INTEGER column
        # is one row for quarantine, not a type error that stops the whole table.
        con.execute("SET sqlite_all_varchar = true")


def _check_sqlite_table(item: Input) -> None:
    """The SQLite file and table exist. Checked first because DuckDB's scanner fails on a missing table with an
    internal error, after which its connection is unusable."""
    path, name = item.sqlite_file, item.spec.table.name
    fix = f"under `table:` for {item.entity} in the source's YAML"
    if not path.is_file():
        raise MappingError(f"{item.label}: there is no file {path}. Fix `path:` {fix}; it is relative to the "
                           "source's folder.")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            tables = [t for (t,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name").fetchall()]
    except sqlite3.DatabaseError as exc:
        raise MappingError(f"{item.label}: {path} is not a SQLite database ({exc}). Fix `path:` {fix}.") from None
    if name.lower() not in {t.lower() for t in tables}:
        raise MappingError(f"{item.label}: the database has no table {name!r}; it has "
                           f"{', '.join(tables) or 'none'}. Fix `name:` {fix}.")


@_database_errors
def land(con, item: Input, source: Source, load_id: str, digest: str) -> int:
    """Insert the export's rows (and quarantine its unreadable lines, and rows a join found nothing for);
    returns the rows in the export."""
    return land_plan(con, item, source, load_id, digest)[0]


def land_plan(con, item: Input, source: Source, load_id: str, digest: str) -> tuple[int, Plan]:
    """land(), also returning how the export was read (its joins, and what `sources check` shows of them)."""
    if item.path is not None and item.path.stat().st_size == 0:
        raise MappingError(f"{item.label} is empty (0 bytes): the export failed or was cut off. Export it again, "
                           "or move it out of the landing folder.")
    with_rejects = item.format in ("csv", "tsv")
    try:
        plan = _plan(con, item, source, REJECTS if with_rejects else None)
        problems = check_columns(item, list(plan.present), source)
        if problems:
            raise MappingError("\n".join(problems))
        insert = sql("ingest/insert_raw", entity=item.entity, source=plan.source, row_number=plan.row_number,
                     columns=select_sql(item, source, plan.present, plan.row_number), unmatched=plan.unmatched)
        rows, rejected = _insert(con, item, source, load_id, digest, insert, with_rejects)
    finally:
        for n in range(len(item.others)):
            con.execute(f"DROP TABLE IF EXISTS {JOINED}{n}")
    for note in plan.notes:
        log.warning("%s: %s", item.label, note)
    log.info("loaded %s rows of %s as %s (%s malformed)", rows, item.label, load_id, rejected)
    return rows + rejected, plan


def _plan(con, item: Input, source: Source, rejects: str | None) -> Plan:
    """How to read the export: on its own, joined to other files, or through the entity's query."""
    if item.path is None:  # a database table, its types as the database has them
        reader, row_number = reader_sql(item)
        described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        return Plan(reader, row_number, {n: t for n, t, *_ in described if n != "ordinality"})
    present = file_columns(con, item)
    reader, row_number = text_reader(item, present, rejects)
    if item.spec.query:
        return query_plan(con, item, source, reader, row_number)
    if item.others:
        return join_plan(con, item, source, reader, row_number, present)
    return Plan(reader, row_number, present)


def _insert(con, item: Input, source: Source, load_id: str, digest: str, insert: str,
            with_rejects: bool) -> tuple[int, int]:
    with transaction(con):
        (rows,) = con.execute(insert, {"load_id": load_id}).fetchone()
        if item.spec.query and (repeated := repeated_rows(con, item.entity, load_id)):
            raise MappingError(f"{item.label}: the query returns row(s) {', '.join(map(str, repeated))} of "
                               f"{item.table_name} more than once, so a join in it matches several rows. Return "
                               f"each row of {item.table_name} once (join on a unique key, or pick one row with "
                               f"QUALIFY); fix `query:` of {item.entity} in the source's YAML.")
        rejected = _quarantine_rejects(con, item, source, load_id) if with_rejects else 0
        if item.others:
            _quarantine_unmatched(con, item, load_id)
        if rows + rejected == 0 and item.path is None:
            raise MappingError(f"{item.label} has no rows. Check `table:` for {item.entity} in the source's YAML "
                               "(a view or query that filters everything out?), or leave the entity out of it.")
        if rows + rejected == 0:
            what = "a header but no data rows" if with_rejects else "no rows"
            raise MappingError(f"{item.label} has {what}: the export is empty. Export it again, or move it out "
                               "of the landing folder.")
        con.execute(sql("ingest/record_load"), {"load_id": load_id, "entity": item.entity, "source_file": item.label,
                                                "checksum": digest, "row_count": rows + rejected,
                                                "source": source.name, "currencies": source.currencies})
    return rows, rejected


def _quarantine_unmatched(con, item: Input, load_id: str) -> None:
    """Rows a join found nothing for (or the query did not return), with their file and line: `joined`."""
    data_columns = [c for (c,) in con.execute(sql("validate/raw_columns"), {"entity": item.entity}).fetchall()]
    row_data = "json_object(" + ", ".join(f"'{c}', \"{c}\"" for c in data_columns) + ")"
    con.execute(sql("ingest/quarantine_unmatched", entity=item.entity, row_data=row_data,
                    record_key=record_key_sql(item.entity)),
                {"entity": item.entity, "load_id": load_id, "file": item.name,
                 "column_name": ", ".join(left for joined in item.others for left in getattr(joined.spec, "by", {}))
                 or None, "reason": UNMATCHED_REASON, "fix": UNMATCHED_FIX})


def _quarantine_rejects(con, item: Input, source: Source, load_id: str) -> int:
    (rejected,) = con.execute(f"SELECT count(DISTINCT line) FROM {REJECTS}").fetchone()
    if rejected:
        where = f"{item.entity} in {source.file or 'sources/' + source.name + '.yaml'}"
        con.execute(sql("ingest/renumber_after_rejects", entity=item.entity, rejects=REJECTS), {"load_id": load_id})
        con.execute(sql("ingest/quarantine_rejects", rejects=REJECTS), {
            "entity": item.entity, "load_id": load_id, "file": item.path.name,
            "encoding_hint": f"The file is not UTF-8: set `encoding: latin-1` (or utf-16) for {where}, or export it "
                             "as UTF-8.",
            "line_hint": "Fix the line in the export (quote fields that contain the delimiter), or set `delimiter:` "
                         f"for {where}."})
    con.execute(f"DROP TABLE IF EXISTS {REJECTS}")
    con.execute(f"DROP TABLE IF EXISTS {REJECTS}_scan")
    return rejected


def record_key_sql(entity: str) -> str:
    """The row's key as one text value, for quarantine.rows.record_key."""
    return "concat_ws('|', " + ", ".join(f'"{c}"' for c in key_columns(entity)) + ")"


def land_entity(con, items: list[Input], source: Source) -> list[tuple[Input, str | None, int]]:
    """Land one entity's new exports in order on this connection: (item, load id or None if skipped, rows)."""
    outcomes = []
    try:
        for item in items:
            prepare(con, item)
            digest = checksum(con, item)
            seen = con.execute(sql("ingest/loaded_before"), {"entity": item.entity, "checksum": digest}).fetchone()
            if seen:
                log.info("skipping %s: already loaded as %s", item.label, seen[0])
                outcomes.append((item, None, 0))
                continue
            load_id = f"{item.entity}-{digest[:12]}"
            outcomes.append((item, load_id, land(con, item, source, load_id, digest)))
    finally:
        con.close()
    if any(load_id for _, load_id, _ in outcomes):
        # Validation comes next and waits for GX's import (seconds of CPU): start it while a larger export may
        # still be landing on another thread.
        import_in_background("great_expectations")
    return outcomes
