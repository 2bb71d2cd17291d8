"""Quarantine: putting rows that break a rule aside (the same SQL for validation and `sources check`),
listing them, and releasing them after an engineer has looked, so staging reads them again."""

import getpass

from adcraft.db import sql
from adcraft.landing import record_key_sql
from adcraft.rules import Rule, load_sql


def check_load(con, load_id: str, entity: str, file_name: str,
               rules: tuple[Rule, ...]) -> dict[str, tuple[int, int, int]]:
    """Check every rule on a load in one pass, then quarantine the rows that break any. Returns, per rule, the
    rows checked and the rows GX counts as failing (for the `mostly` decision), and the rows quarantine holds
    for the load under the rule (what this call added, and anything an earlier try left)."""
    if not rules:
        return {}
    pieces = load_sql(rules)
    con.execute(sql("validate/rule_counts").format(entity=entity, **pieces), {"load_id": load_id})
    *counts, failing = con.execute("SELECT * EXCLUDE (failing_rows), len(failing_rows) FROM rule_check").fetchone()
    if failing:
        data_columns = [c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? "
            "AND NOT starts_with(column_name, '_') ORDER BY column_index", [entity]).fetchall()]
        row_data = "json_object(" + ", ".join(f"'{c}', \"{c}\"" for c in data_columns) + ")"
        insert = sql("validate/quarantine").format(entity=entity, row_data=row_data,
                                                   record_key=record_key_sql(entity), **pieces)
        con.execute(insert, {"entity": entity, "load_id": load_id, "file": file_name})
    con.execute("DROP TABLE rule_check")
    held = dict(con.execute("SELECT rule, count(*) FROM quarantine.rows WHERE entity = ? AND _load_id = ? "
                            "GROUP BY rule", [entity, load_id]).fetchall())
    return {rule.name: (counts[2 * i], counts[2 * i + 1], held.get(rule.name, 0)) for i, rule in enumerate(rules)}


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
