"""Transform: staging and marts, rebuilt from the validated raw rows by the SQL files in order."""

from datetime import date

from prefect import task

from adcraft.db import sql, warehouse
from adcraft.stages import timed_stage

MODELS = [
    "staging/stg_products",
    "staging/stg_customers",
    "staging/stg_order_lines",
    "marts/fct_order_lines",
    "marts/dim_product",
    "marts/dim_customer",
    "marts/customer_segments",
]


@task(name="transform")
@timed_stage
def build_marts(as_of: date) -> dict:
    """Rebuild every staging table and mart as of a date. Safe to re-run: each is replaced whole."""
    rows = {}
    with warehouse() as con:
        con.execute("SET VARIABLE as_of = ?::DATE", [as_of])
        for name in MODELS:
            con.execute(sql(name))
            table = name.replace("/", ".")
            rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return {"rows": sum(rows.values()), "tables": rows}
