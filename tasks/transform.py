"""Transform: staging and marts, rebuilt from the validated raw rows by the SQL files in order.

Staging keeps the newest loaded row per key (an upsert by key over all loads, so it is idempotent and a
released quarantine row simply appears), plus staging.product_history with every price or stock change.
"""

from datetime import date

from prefect import task

from adcraft.db import sql, warehouse
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


@task(name="transform", timeout_seconds=3600, **TRANSIENT_RETRIES)
@timed_stage
def build_marts(as_of: date) -> dict:
    """Rebuild every staging table and mart as of a date. Safe to re-run: each is replaced whole."""
    rows = {}
    with warehouse() as con:
        con.execute("SET VARIABLE as_of = ?::DATE", [as_of])
        for name in MODELS:
            con.execute(sql(name))
            table = name.replace("/", ".")
            if table != "staging.product_rows":  # a view over raw: counting it would scan every load again
                rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return {"rows": sum(rows.values()), "tables": rows}
