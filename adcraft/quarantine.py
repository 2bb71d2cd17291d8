"""Quarantine: putting rows that break a rule aside (the same SQL for validation and `sources check`),
listing them, and releasing them after an engineer has looked, so staging reads them again."""

import getpass

from adcraft.db import sql
from adcraft.landing import record_key_sql
from adcraft.rules import Rule, to_sql


def quarantine_rule(con, load_id: str, entity: str, file_name: str, rule: Rule) -> int:
    """Quarantine the load's rows that break the rule; returns how many."""
    data_columns = [c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? "
        "AND NOT starts_with(column_name, '_') ORDER BY column_index", [entity]).fetchall()]
    row_data = "json_object(" + ", ".join(f"'{c}', \"{c}\"" for c in data_columns) + ")"
    insert = sql("validate/quarantine").format(entity=entity, row_data=row_data, record_key=record_key_sql(entity),
                                               **to_sql(rule))
    (count,) = con.execute(insert, {
        "entity": entity, "load_id": load_id, "rule": rule.name, "column": rule.column, "severity": rule.severity,
        "file": file_name, "reason": rule.reason, "fix": rule.fix, "kind": rule.kind,
    }).fetchone()
    return count


def _filters(entity, load, rule, rows) -> tuple[str, list]:
    clauses, params = [], []
    for column, value in (("q.entity", entity), ("q._load_id", load), ("q.rule", rule)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if rows:
        clauses.append("list_contains(?, q._row_number)")
        params.append(list(rows))
    return " AND ".join(clauses) or "true", params


def list_rows(con, entity=None, load=None, rule=None, rows=(), include_released=False, limit=50) -> list[dict]:
    where, params = _filters(entity, load, rule, rows)
    table = "quarantine.rows" if include_released else "quarantine.held"
    result = con.execute(
        "SELECT q.entity, q._load_id, q._row_number, q.rule, q.column_name, q.severity, q.reason, "
        f"q.released_at IS NOT NULL AS released FROM {table} AS q "
        f"WHERE {where} ORDER BY q.entity, q._load_id, q._row_number, q.rule LIMIT ?", params + [limit])
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def release(con, note: str, entity=None, load=None, rule=None, rows=()) -> int:
    """Re-admit the held rows that match; a row held by several rules is released from all of them."""
    if not (load or rule or rows):
        raise ValueError("Say which rows to release: give --load, --rule or --row (or several).")
    where, params = _filters(entity, load, rule, rows)
    matching = f"SELECT DISTINCT q.entity, q._load_id, q._row_number FROM quarantine.held AS q WHERE {where}"
    (count,) = con.execute(f"SELECT count(*) FROM ({matching})", params).fetchone()
    con.execute(
        "UPDATE quarantine.rows SET released_at = now(), released_by = ?, release_note = ? "
        f"WHERE released_at IS NULL AND (entity, _load_id, _row_number) IN ({matching})",
        [getpass.getuser(), note] + params)
    return count
