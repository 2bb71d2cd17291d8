"""`adcraft sources check`: a dry run of ingest and the SQL side of validation on a throwaway in-memory
warehouse, so every mapping problem and every row a rule would quarantine is reported before a real load."""

from dataclasses import dataclass, field

import duckdb

from adcraft.config import load_source
from adcraft.db import migrate
from adcraft.landing import SourceUnreachableError, checksum, land, prepare
from adcraft.mapping import MappingError, inputs
from adcraft.quarantine import check_load
from adcraft.rules import load_rules, passes

PREVIEW_ROWS = 3


@dataclass
class FileCheck:
    label: str
    entity: str
    rows: int = 0
    errors: list[str] = field(default_factory=list)
    """Problems that stop the file from loading at all: missing columns, an empty file."""
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(severity, reason) for each row a rule or the reader would quarantine, in file order: a row breaking
    two rules has two."""
    held_rows: int = 0
    preview: list[dict] = field(default_factory=list)
    failed_rules: list[str] = field(default_factory=list)
    """Critical rules failing on more rows than their `mostly` allows: loading this file would stop the run."""

    @property
    def stops_run(self) -> bool:
        return bool(self.errors or self.failed_rules)


def check_source(ref: str) -> list[FileCheck]:
    source = load_source(ref)
    checks = []
    con = duckdb.connect()
    try:
        migrate(con)
        items = inputs(source)
        if not items:
            raise MappingError(f"Source {source.name!r}: no file matches the globs under {source.base_dir()}.")
        for n, item in enumerate(items):
            check = FileCheck(item.label, item.entity)
            checks.append(check)
            load_id = f"check-{n}"
            try:
                prepare(con, item)
                check.rows = land(con, item, source, load_id, checksum(con, item))
            except (MappingError, SourceUnreachableError, duckdb.Error) as exc:
                check.errors.append(str(exc))
                continue
            pii = set(item.spec.pii_columns)
            rules = load_rules(item.entity, frozenset(pii))
            pii |= {rule.column for rule in rules if rule.pii}
            counts = check_load(con, load_id, item.entity, item.label.rsplit("/", 1)[-1], rules)
            for rule in rules:
                checked, failing, _ = counts[rule.name]
                if rule.severity == "critical" and not passes(rule, checked, failing):
                    check.failed_rules.append(f"{rule.name} fails on {failing} of {checked} rows "
                                              f"(at least {rule.mostly:.0%} must pass)")
            (malformed,) = con.execute("SELECT count(*) FROM quarantine.rows WHERE _load_id = ? "
                                       "AND rule = 'well_formed'", [load_id]).fetchone()
            if malformed:
                check.failed_rules.append(f"well_formed: {malformed} line(s) could not be read")
            check.problems = con.execute(
                "SELECT severity, reason FROM quarantine.rows WHERE _load_id = ? ORDER BY _row_number, rule",
                [load_id]).fetchall()
            (check.held_rows,) = con.execute("SELECT count(DISTINCT _row_number) FROM quarantine.rows "
                                             "WHERE _load_id = ?", [load_id]).fetchone()
            result = con.execute(f"SELECT * EXCLUDE (_load_id) FROM raw.{item.entity} WHERE _load_id = ? "
                                 "ORDER BY _row_number LIMIT ?", [load_id, PREVIEW_ROWS])
            names = [d[0] for d in result.description]
            check.preview = [{k: "(personal data)" if k in pii and v is not None else v
                              for k, v in zip(names, row)} for row in result.fetchall()]
    finally:
        con.close()
    return checks
