"""Entities built from several exports with YAML alone: a column from another file by key, order lines joined
to their orders, an entity as a SQL query over named files, and .xlsx workbooks. Every test loads for real."""

import shutil
from datetime import date

import duckdb
import pytest
import yaml

from adcraft.kernel.db import warehouse
from adcraft.kernel.errors import MappingError
from adcraft.kernel.settings import PROJECT_DIR
from adcraft.sources.check import check_source
from tasks.ingest import ingest_source
from tasks.transform import build_marts
from tasks.validate import validate_loads

EXAMPLE = PROJECT_DIR / "docs" / "examples" / "harbor_goods"
AS_OF = date(2026, 11, 23)


@pytest.fixture
def example(tmp_path):
    """A copy of the documented USD example, so a test can change one of its files."""
    shutil.copytree(EXAMPLE, tmp_path / "harbor_goods")
    return tmp_path / "harbor_goods"


def _per_entity(con, sql: str) -> dict:
    return dict(con.execute(sql).fetchall())


def test_the_example_loads_from_yaml_alone_and_every_input_row_is_staged_or_quarantined(adcraft_home, example):
    loaded = ingest_source.fn(str(example / "source.yaml"))
    validate_loads.fn()
    build_marts.fn(AS_OF)
    with warehouse() as con:
        inputs = _per_entity(con, "SELECT entity, sum(row_count) FROM ops.loads GROUP BY 1")
        held = _per_entity(con, "SELECT entity, count(DISTINCT (_load_id, _row_number)) FROM quarantine.held "
                                "GROUP BY 1")
        staged = {e: con.execute(f"SELECT count(*) FROM staging.{t}").fetchone()[0] for e, t in
                  [("products", "stg_products"), ("customers", "stg_customers"), ("order_lines", "stg_order_lines")]}
        joined = con.execute("SELECT entity, _row_number, column_name, reason FROM quarantine.held "
                             "WHERE rule = 'joined' ORDER BY 1").fetchall()
        line = con.execute("SELECT customer_id, ordered_at, currency FROM staging.stg_order_lines "
                           "WHERE order_id = '10248'").fetchone()
        category = con.execute("SELECT category, currency FROM staging.stg_products WHERE sku = '3'").fetchone()
    assert loaded["rows_loaded"] == inputs == {"products": 24, "customers": 24, "order_lines": 161}
    assert {e: staged[e] + held.get(e, 0) for e in inputs} == inputs
    # Each unmatched key is held back with its key, its file and its line, and nothing else about it.
    assert [(e, n, c) for e, n, c, _ in joined] == [("order_lines", 41, "orderID"), ("products", 24, "categoryID")]
    assert joined[0][3].startswith("orderID '10400' matches no row of orders.csv (row 41 of order-details.csv).")
    assert joined[1][3].startswith("categoryID '7' matches no row of categories.csv (row 24 of products.csv).")
    assert line[0] == "C004" and str(line[1]) == "2025-12-02 00:00:00" and line[2] == "USD"
    assert category == ("Kitchen", "USD")  # from categories.csv; the currency the source declares


def test_a_change_to_any_one_file_loads_its_export_again_and_an_unchanged_one_is_skipped(adcraft_home, example):
    source = str(example / "source.yaml")
    ingest_source.fn(source)
    assert sorted(ingest_source.fn(source)["skipped"]) == ["customers.csv", "order-details.csv", "products.csv"]
    orders = example / "exports" / "orders.csv"
    orders.write_text(orders.read_text() + "10400,C001,11/20/2026,Boston\n")  # the missing order arrives
    again = ingest_source.fn(source)
    assert again["rows_loaded"] == {"products": 0, "customers": 0, "order_lines": 161}
    assert sorted(again["skipped"]) == ["customers.csv", "products.csv"]
    validate_loads.fn()
    build_marts.fn(AS_OF)
    with warehouse() as con:
        newest = con.execute("SELECT count(*) FROM quarantine.held q JOIN ops.newest_loads n "
                             "ON n.load_id = q._load_id WHERE q.entity = 'order_lines'").fetchone()[0]
        late = con.execute("SELECT customer_id FROM staging.stg_order_lines WHERE order_id = '10400'").fetchone()
        lines = con.execute("SELECT count(*) FROM staging.stg_order_lines").fetchone()[0]
    assert newest == 0 and late == ("C001",) and lines == 161  # upserted by key: nothing twice
    categories = example / "exports" / "categories.csv"
    categories.write_text(categories.read_text() + "7,Garden,Pots and cans\n")
    assert ingest_source.fn(source)["rows_loaded"]["products"] == 24


def test_check_previews_the_join_and_lists_the_unmatched_keys(adcraft_home):
    checks = {c.entity: c for c in check_source(str(EXAMPLE / "source.yaml"))}
    lines = checks["order_lines"]
    assert lines.joins == ["orders.csv (joined as orders, by orderID): 160 of 161 rows matched; 1 did not, "
                           "and are held back (below)"]
    assert lines.preview[0]["customer_id"] == "C004" and lines.preview[0]["ordered_at"] == "2025-12-02 00:00:00"
    assert [p for _, p in lines.problems if "matches no row" in p][0].startswith("orderID '10400'")
    assert not any(c.stops_run for c in checks.values())
    assert checks["products"].preview[0]["category"] == "Outdoor"


def _source(root, entities: dict, **top) -> str:
    path = root / "shop.yaml"
    path.write_text(yaml.safe_dump({"name": "shop", "currencies": ["USD"], **top, "entities": entities}))
    return str(path)


LINES = {"files": "details.csv", "join": {"orders": {"files": "orders*.csv", "by": "order"}},
         "columns": {"order_id": "order", "line_number": "pos", "sku": "sku", "quantity": "qty",
                     "unit_price": "price", "customer_id": "orders.customer", "ordered_at": "orders.at"}}


def test_most_keys_unmatched_stops_the_run_and_a_repeated_or_unreadable_joined_row_is_noted(adcraft_home, tmp_path):
    (tmp_path / "details.csv").write_text("order,pos,sku,qty,price\n" + "".join(
        f"O{n},1,A-1,1,5.00\n" for n in range(1, 11)))
    (tmp_path / "orders.csv").write_text('order,customer,at\nO1,C1,2026-01-01 10:00:00\nO1,C9,2026-01-02 10:00:00\n'
                                         'O2,C2\nO3,C3,2026-01-03 10:00:00,extra\n')
    [check] = check_source(_source(tmp_path, {"order_lines": LINES}))
    assert check.failed_rules == ["joined fails on 9 of 10 rows (90%), more than the 5% allowed"]
    assert check.preview[0]["customer_id"] == "C1"  # the first of a repeated key
    assert any("repeats 1 key(s), and the first row of each is used: 'O1'" in j for j in check.joins)
    assert any("line(s) of orders.csv could not be read and were left out" in j for j in check.joins)


def test_keys_match_as_trimmed_text_and_a_repeated_key_keeps_its_first_row_across_files(adcraft_home, tmp_path):
    (tmp_path / "details.csv").write_text("order,pos,sku,qty,price\n O1 ,1,A-1,1,5.00\nO2,1,A-1,1,5.00\n"
                                          "NULL,1,A-1,1,5.00\n")
    (tmp_path / "orders-1.csv").write_text("order,customer,at\nO1,C1,2026-01-01 10:00:00\n"
                                           " O2,C2,2026-01-02 10:00:00\nO1,C8,2026-01-03 10:00:00\n")
    (tmp_path / "orders-2.csv").write_text("order,customer,at\nO1 ,C9,2026-01-04 10:00:00\n")
    [check] = check_source(_source(tmp_path, {"order_lines": LINES}, null_values=["NULL"]))
    assert [p["customer_id"] for p in check.preview] == ["C1", "C2", None]  # a null key is not unmatched
    assert not [p for _, p in check.problems if "matches no row" in p]
    assert any("repeats 1 key(s), and the first row of each is used: 'O1'" in j for j in check.joins)


def test_a_join_by_a_column_either_file_lacks_names_the_file_and_its_columns(adcraft_home, tmp_path):
    (tmp_path / "details.csv").write_text("order,pos,sku,qty,price\nO1,1,A-1,1,5.00\n")
    (tmp_path / "orders.csv").write_text("id,customer,at\nO1,C1,2026-01-01 10:00:00\n")
    [check] = check_source(_source(tmp_path, {"order_lines": LINES}))
    assert "orders.csv (joined as orders) has no column 'order' to join by; its columns are id, customer, at" \
        in check.errors[0]
    bad = {**LINES, "join": {"orders": {"files": "orders.csv", "by": {"order": "id"}}},
           "columns": {**LINES["columns"], "customer_id": "orders.client"}}
    [check] = check_source(_source(tmp_path, {"order_lines": bad}))
    assert "orders.csv (joined as orders) has no column 'client' (mapped to customer_id); its columns are id, " \
           "customer, at" in check.errors[0]


QUERY = {"tables": {"d": "details.csv", "o": "orders.csv"}, "query": (
    "SELECT d._row, d.order, d.pos, d.sku, d.qty, d.price, o.customer, o.at "
    "FROM d JOIN o USING (\"order\")"),
    "columns": {"order_id": "order", "line_number": "pos", "quantity": "qty", "unit_price": "price",
                "customer_id": "customer", "ordered_at": "at"}}


def test_an_entity_can_be_a_query_and_the_rows_it_drops_are_held_back_by_line(adcraft_home, tmp_path):
    (tmp_path / "details.csv").write_text("order,pos,sku,qty,price\nO1,1,A-1,1,5.00\nO2,1,A-2,2,7.00\n"
                                          "O1,2,A-3,x,1,2\nO1,3,A-3,1,3.00\n")
    (tmp_path / "orders.csv").write_text("order,customer,at\nO1,C1,2026-01-01 10:00:00\n")
    source = _source(tmp_path, {"order_lines": QUERY})
    loaded = ingest_source.fn(source)
    assert loaded["rows_loaded"]["order_lines"] == 4
    with warehouse() as con:
        held = con.execute("SELECT _row_number, rule, reason FROM quarantine.held ORDER BY 1").fetchall()
        raw = con.execute("SELECT _row_number, customer_id FROM raw.order_lines ORDER BY 1").fetchall()
    # Row 3 is malformed (a line of details.csv), row 2 has no order: both named by their line in details.csv.
    assert [(n, rule) for n, rule, _ in held] == [(2, "joined"), (3, "well_formed")]
    assert held[0][2].startswith("the query for order_lines returns no row for it (row 2 of details.csv).")
    assert raw == [(1, "C1"), (2, None), (4, "C1")]
    assert ingest_source.fn(source)["skipped"] == ["details.csv"]


def test_a_query_that_returns_a_row_twice_or_no_row_numbers_is_refused(adcraft_home, tmp_path):
    (tmp_path / "details.csv").write_text("order,pos,sku,qty,price\nO1,1,A-1,1,5.00\n")
    (tmp_path / "orders.csv").write_text("order,customer,at\nO1,C1,2026-01-01 10:00:00\nO1,C2,2026-01-01 10:00:00\n")
    with pytest.raises(MappingError, match=r"returns row\(s\) 1 of d more than once"):
        ingest_source.fn(_source(tmp_path, {"order_lines": QUERY}))
    no_rows = {**QUERY, "query": QUERY["query"].replace("d._row, ", "")}
    with pytest.raises(MappingError, match=r"the query must return the _row of d"):
        ingest_source.fn(_source(tmp_path, {"order_lines": no_rows}))
    with warehouse() as con:
        assert con.execute("SELECT count(*) FROM raw.order_lines").fetchone()[0] == 0


def _workbook(path, sheet: str, rows: str) -> None:
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")
    import duckdb_ext

    con.execute("SET extension_directory = $p", {"p": duckdb_ext.get_extension_dir()})
    con.execute("LOAD excel")
    con.execute(f"COPY ({rows}) TO '{path}' (FORMAT xlsx, HEADER true, SHEET '{sheet}')")
    con.close()


def test_an_xlsx_sheet_is_read_directly_with_its_dates_and_sheet_rows(adcraft_home, tmp_path):
    _workbook(tmp_path / "shop.xlsx", "Artikel", "SELECT * FROM (VALUES ('A-1', 'Shirt', 18.5, 3, DATE '2024-01-02'), "
              "(NULL, NULL, NULL, NULL, NULL), ('A-2', 'Hat', -5.0, 1, DATE '2024-02-29')) "
              "t(sku, name, price, stock, day)")
    products = {"files": "shop.xlsx", "sheet": "Artikel", "columns": {"launch_date": "day"}}
    [check] = check_source(_source(tmp_path, {"products": products}))
    assert [(r["sku"], r["price"], r["launch_date"], r["_row_number"]) for r in check.preview] == [
        ("A-1", "18.5", "2024-01-02", 2), ("A-2", "-5.0", "2024-02-29", 4)]  # the empty row 3 is left out
    assert [p.split(". ")[0] for _, p in check.problems] == ["price -5.0 is not > 0 (row 4 of shop.xlsx)"]
    [check] = check_source(_source(tmp_path, {"products": {**products, "sheet": "Products"}}))
    assert 'Sheet "Products" not found' in check.errors[0] and "`sheet:`" in check.errors[0]
