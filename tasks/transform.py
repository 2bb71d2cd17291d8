"""Transform: staging and marts from the validated raw rows, by the SQL files in order.

Products are small and their history needs every load, so their staging is rebuilt from all loads each run.
Customers and order lines are staged incrementally: each load not staged yet is upserted by key, oldest first
(its admitted rows replace the rows with their keys, so the newest load's row wins, as a rebuild would have
it). ops.staged_loads remembers what each staged load looked like (its raw rows, the rows quarantine held
back); when that changed (rows released, a load deleted) or a load arrives out of order, the table is
rebuilt from every load. The marts are rebuilt each run, as of its date. Re-running changes nothing.
"""

from datetime import date

from prefect import task

from adcraft.db import sql, warehouse
from adcraft.landing import uncompressed_text
from adcraft.stages import TRANSIENT_RETRIES, timed_stage

MODELS = [
    "staging/product_rows",
    "staging/stg_products",
    "staging/product_history",
    "staging/stg_customers",
    "staging/stg_order_lines",
    "marts/fct_order_lines",
    "marts/dim_product",
    "marts/dim_customer",
    "marts/segment_members",
    "marts/customer_segments",
]
INCREMENTAL = {"staging/stg_customers": "customers", "staging/stg_order_lines": "order_lines"}
NOT_COUNTED = {"staging.product_rows"}  # a view over raw: counting it would scan every load again


@task(name="transform", timeout_seconds=3600, **TRANSIENT_RETRIES)
@timed_stage
def build_marts(as_of: date) -> dict:
    """Bring staging up to date and rebuild every mart as of a date. Safe to re-run."""
    rows, staged = {}, {}
    with warehouse() as con:
        con.execute("SET VARIABLE as_of = ?::DATE", [as_of])
        for name in MODELS:
            if name in INCREMENTAL:
                staged[INCREMENTAL[name]] = stage_incrementally(con, name, INCREMENTAL[name])
            else:
                con.execute(sql(name).replace("{as_of}", as_of.isoformat()))
            table = name.replace("/", ".")
            if table not in NOT_COUNTED:
                rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return {"rows": sum(rows.values()), "tables": rows, "staged": staged}


def stage_incrementally(con, model: str, entity: str) -> dict:
    """Upsert the entity's loads not staged yet into its staging table, or rebuild the table from every load
    when a staged load changed since (or a new load is older than one staged). Returns what it did."""
    table = model.replace("/", ".")
    loads = [(load_id, tuple(state)) for load_id, *state in con.execute(
        sql("staging/load_state").format(entity=entity), {"entity": entity}).fetchall()]
    staged = {load_id: tuple(state) for load_id, *state in con.execute(
        "SELECT load_id, raw_rows, held_rows, held_hash FROM ops.staged_loads WHERE entity = ?", [entity]).fetchall()}
    schema, name = table.split(".")
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                         [schema, name]).fetchone()[0] > 0
    # The staged loads must still be the oldest loads, each as it was when staged; then only the rest are new.
    unchanged = exists and len(loads) >= len(staged) and all(
        staged.get(load_id) == state for load_id, state in loads[:len(staged)])
    todo = loads[len(staged):] if unchanged else loads
    with uncompressed_text(con):
        _stage(con, model, entity, table, todo, exists, rebuild=not unchanged)
    return {"loads": len(todo), "rebuilt": not unchanged}


def _stage(con, model: str, entity: str, table: str, todo: list, exists: bool, rebuild: bool) -> None:
    con.execute("BEGIN")
    try:
        if rebuild:
            con.execute(f"DROP TABLE IF EXISTS {table}")
            con.execute("DELETE FROM ops.staged_loads WHERE entity = ?", [entity])
        if not todo and (rebuild or not exists):
            con.execute("SET VARIABLE load_id = NULL")  # no load: creates the empty table
            con.execute(sql(model))
        for load_id, (raw_rows, held_rows, held_hash) in todo:
            con.execute("SET VARIABLE load_id = ?", [load_id])
            con.execute(sql(model))
            con.execute("INSERT INTO ops.staged_loads (entity, load_id, raw_rows, held_rows, held_hash) "
                        "VALUES (?, ?, ?, ?, ?)", [entity, load_id, raw_rows, held_rows, held_hash])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
