"""Quarantine: putting rows that break a rule aside (the same SQL for validation and `sources check`),
listing them, and releasing them after an engineer has looked, so staging reads them again."""

import getpass

from adcraft.kernel.db import records, sql
from adcraft.sources.landing import record_key_sql
from adcraft.sources.rules import Rule, load_sql


def check_load(con, load_id: str, entity: str, file_name: str,
               rules: tuple[Rule, ...]) -> dict[str, tuple[int, int, int]]:
    """Check every rule on a load in one pass, then quarantine the rows that break any. Returns, per rule, the
    rows checked and the rows GX counts as failing (for the `mostly` decision), and the rows quarantine holds
    for the load under the rule (what this call added, and anything an earlier try left)."""
    if not rules:
        return {}
    pieces = load_sql(rules)
    con.execute(sql("validate/rule_counts", entity=entity, **pieces), {"load_id": load_id})
    *counts, failing = con.execute("SELECT * EXCLUDE (failing_rows), len(failing_rows) FROM rule_check").fetchone()
    if failing:
        data_columns = [c for (c,) in con.execute(sql("validate/raw_columns"), {"entity": entity}).fetchall()]
        row_data = "json_object(" + ", ".join(f"'{c}', \"{c}\"" for c in data_columns) + ")"
        insert = sql("validate/quarantine", entity=entity, row_data=row_data, record_key=record_key_sql(entity),
                     **pieces)
        con.execute(insert, {"entity": entity, "load_id": load_id, "file": file_name})
    con.execute("DROP TABLE rule_check")
    held = dict(con.execute(sql("validate/held_by_rule"), {"entity": entity, "load_id": load_id}).fetchall())
    return {rule.name: (counts[2 * i], counts[2 * i + 1], held.get(rule.name, 0)) for i, rule in enumerate(rules)}


def list_rows(con, entity=None, load=None, rule=None, rows=(), include_released=False, limit=50) -> list[dict]:
    return records(con, sql("quarantine/matching"), {"entity": entity or None, "load": load or None,
                                                    "rule": rule or None, "rows": list(rows),
                                                    "include_released": include_released, "limit": limit})


def release(con, note: str, entity=None, load=None, rule=None, rows=()) -> int:
    """Re-admit the held rows that match; a row held by several rules is released from all of them."""
    if not (load or rule or rows):
        raise ValueError("Say which rows to release: give --load, --rule or --row (or several).")
    released = con.execute(sql("quarantine/release"), {
        "entity": entity or None, "load": load or None, "rule": rule or None, "rows": list(rows),
        "released_by": getpass.getuser(), "note": note}).fetchall()
    return len(set(released))
