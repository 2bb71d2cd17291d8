"""`adcraft sources check`: a dry run of ingest and the SQL side of validation on a throwaway in-memory
warehouse, so every mapping problem and every row a rule would quarantine is reported before a real load."""

from dataclasses import dataclass, field

import duckdb

from adcraft.kernel.db import migrate, sql
from adcraft.kernel.errors import MappingError, SourceUnreachableError
from adcraft.sources.landing import checksum, land_plan, prepare
from adcraft.sources.mapping import inputs
from adcraft.sources.quarantine import check_load
from adcraft.sources.rules import counted, critical_mostly, load_rules, passes, passes_share, share_text
from adcraft.sources.spec import load_source

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
    joins: list[str] = field(default_factory=list)
    """For an export joined to other files (or read by a query): how many of its rows each join matched,
    keys a joined file repeats, and lines of it that could not be read."""

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
                check.rows, plan = land_plan(con, item, source, load_id, checksum(con, item))
            except (MappingError, SourceUnreachableError, duckdb.Error) as exc:
                check.errors.append(str(exc))
                continue
            check.joins = _join_summary(con, item.entity, load_id, plan) + plan.notes
            pii = set(item.spec.pii_columns)
            rules = load_rules(item.entity, frozenset(pii), tuple(source.currencies))
            pii |= {rule.column for rule in rules if rule.pii}
            counts = check_load(con, load_id, item.entity, item.label.rsplit("/", 1)[-1], rules)
            for rule in rules:
                checked, failing, _ = counts[rule.name]
                if rule.severity == "critical" and not passes(rule, checked, failing):
                    check.failed_rules.append(
                        f"{rule.name} fails on {share_text(failing, checked, counted(rule), rule.mostly)}")
            [(malformed, problems, check.held_rows)] = con.execute(sql("validate/load_problems"),
                                                                    {"load_id": load_id}).fetchall()
            if malformed:
                check.failed_rules.append(f"well_formed: {malformed} line(s) could not be read")
            (unmatched,) = con.execute(sql("validate/unmatched_rows"), {"load_id": load_id}).fetchone()
            if not passes_share(check.rows, unmatched, critical_mostly(item.entity)):
                check.failed_rules.append(
                    f"joined fails on {share_text(unmatched, check.rows, 'rows', critical_mostly(item.entity))}")
            check.problems = [tuple(p.values()) if isinstance(p, dict) else tuple(p) for p in problems or []]
            result = con.execute(sql("validate/preview", entity=item.entity),
                                 {"load_id": load_id, "limit": PREVIEW_ROWS})
            names = [d[0] for d in result.description]
            check.preview = [{k: "(personal data)" if k in pii and v is not None else v
                              for k, v in zip(names, row)} for row in result.fetchall()]
    finally:
        con.close()
    return checks


def _join_summary(con, entity: str, load_id: str, plan) -> list[str]:
    """'orders.csv (joined as orders, by orderID): 2,150 of 2,155 rows matched; 5 did not (held back)'."""
    lines = []
    for what, text in plan.joins:
        (rows, missed) = con.execute(sql("validate/join_summary", entity=entity),
                                     {"load_id": load_id, "text": text}).fetchone()
        held = f"; {missed:,} did not, and are held back (below)" if missed else ""
        lines.append(f"{what}: {rows - missed:,} of {rows:,} rows matched{held}")
    return lines
