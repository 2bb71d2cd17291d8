"""Build the SQL models (warehouse/models.yaml) in dependency order, then check their keys.

Views and tables are replaced every run; an incremental model is upserted one new load at a time, or rebuilt
from every load when a load it already holds changed since (rows released, a load deleted) or a new load is
older than one it holds. Re-running changes nothing.
"""

import re
from datetime import date

from adcraft.kernel.db import PARAMETER, parameters, sql, transaction, uncompressed_text
from adcraft.kernel.errors import TransformCheckError
from adcraft.transform.project import Model, load_models


def build_models(con, as_of: date) -> dict:
    """Every model as of a date: rows per model, what each incremental model staged, and failed checks."""
    rows, staged, warnings = {}, {}, []
    for model in load_models():
        new_loads = None
        if model.materialized == "view":
            con.execute(f"CREATE OR REPLACE VIEW {model.name} AS {literal_parameters(model.select, as_of=as_of)}")
        elif model.materialized == "table":
            select = model.select
            con.execute(f"CREATE OR REPLACE TABLE {model.name} AS {select}", parameters(select, as_of=as_of))
        else:
            staged[model.entity], new_loads = upsert_loads(con, model)
        warnings += check_model(con, model, new_loads)
        if model.count:
            rows[model.name] = con.execute(f"SELECT count(*) FROM {model.name}").fetchone()[0]
    return {"rows": sum(rows.values()), "tables": rows, "staged": staged, "warnings": warnings}


def literal_parameters(query: str, **values) -> str:
    """The query with its $parameters written in as SQL literals, for a view, which keeps none."""
    def literal(m: re.Match) -> str:
        value = values[m.group(1)]
        if value is None:
            return "NULL"
        if isinstance(value, date):
            return f"DATE '{value.isoformat()}'"
        if isinstance(value, (int, float)):
            return str(value)
        return _quoted(str(value))

    return PARAMETER.sub(literal, query)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upsert_loads(con, model: Model) -> tuple[dict, list[str]]:
    """Upsert the entity's loads not staged yet, or rebuild the table from every load when a staged load
    changed since (or a new load is older than one staged). Returns what it did and the loads it staged."""
    entity = model.entity
    loads = [(load_id, tuple(state)) for load_id, *state in
             con.execute(sql("transform/load_state", entity=entity), {"entity": entity}).fetchall()]
    staged = {load_id: tuple(state) for load_id, *state in
              con.execute(sql("transform/staged_loads"), {"entity": entity}).fetchall()}
    schema, table = model.name.split(".")
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = $schema AND table_name = $table",
                         {"schema": schema, "table": table}).fetchone()[0] > 0
    # The staged loads must still be the oldest loads, each as it was when staged; then only the rest are new.
    unchanged = exists and len(loads) >= len(staged) and all(
        staged.get(load_id) == state for load_id, state in loads[:len(staged)])
    todo = loads[len(staged):] if unchanged else loads
    with uncompressed_text(con), transaction(con):
        if not unchanged:
            con.execute(f"DROP TABLE IF EXISTS {model.name}")
            con.execute("DELETE FROM ops.staged_loads WHERE entity = $entity", {"entity": entity})
        if not todo and not (unchanged and exists):
            con.execute(_upsert(model, None))  # no load: creates the empty table
        for load_id, (raw_rows, held_rows, held_hash) in todo:
            con.execute(_upsert(model, load_id))
            con.execute(sql("transform/record_staged_load"), {"entity": entity, "load_id": load_id,
                                                                "raw_rows": raw_rows, "held_rows": held_rows,
                                                                "held_hash": held_hash})
    return {"loads": len(todo), "rebuilt": not unchanged}, [load_id for load_id, _ in todo]


def _upsert(model: Model, load_id: str | None) -> str:
    return sql("transform/upsert", table=model.name, key=", ".join(model.key),
               same_key=" AND ".join(f"n.{k} IS NOT DISTINCT FROM s.{k}" for k in model.key),
               select=literal_parameters(model.select, load_id=load_id))


def check_model(con, model: Model, new_loads: list[str] | None) -> list[str]:
    """Run the model's checks. A failed error check raises; a failed warn check is returned. An incremental
    model's upsert keeps its keys unique across loads, so only the loads just staged are checked."""
    if new_loads == []:
        return []
    rows = "true" if new_loads is None else f"load_id IN ({', '.join(_quoted(load) for load in new_loads)})"
    failures = []
    for kind, check in model.checks.items():
        columns = ", ".join(check.columns)
        if kind == "not_null":
            query = sql("transform/null_keys", table=model.name, columns=columns,
                        any_null=" OR ".join(f"{c} IS NULL" for c in check.columns))
            what = "rows with no"
        else:
            query = sql("transform/duplicate_keys", table=model.name, columns=columns, rows=rows)
            what = "keys repeated in"
        (count,) = con.execute(query).fetchone()
        if count:
            failures.append((check.severity, f"{model.name}: {count:,} {what} {columns}"))
    errors = [message for severity, message in failures if severity == "error"]
    if errors:
        raise TransformCheckError(
            "The warehouse's models failed their checks (warehouse/models.yaml): " + "; ".join(errors)
            + ". This is a bug in a model's SQL; report it with the rows the check names.")
    return [message for _, message in failures]
