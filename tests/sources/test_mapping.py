"""How a source's mapping reads exports the demo does not write: numbers written the European way, and
gzip-compressed files. Each case loads for real or runs `sources check` (the same SQL as a load)."""

import gzip
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
import yaml

from adcraft.kernel.db import warehouse
from adcraft.kernel.errors import ConfigError, MappingError
from adcraft.sources.check import check_source
from adcraft.sources.mapping import inputs
from adcraft.sources.spec import load_source
from tasks.ingest import ingest_source
from tasks.transform import build_marts
from tasks.validate import validate_loads

HEADER = "ArtNr;Name;Preis;Bestand;Waehrung\n"


def make_source(root, files: dict[str, bytes | str], **products) -> str:
    for name, content in files.items():
        (root / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    columns = {"sku": "ArtNr", "name": "Name", "price": "Preis", "stock": "Bestand", "currency": "Waehrung"}
    spec = {"name": "shop", "entities": {"products": {
        "files": ["artikel*"], "delimiter": ";", "columns": columns, **products}}}
    path = root / "shop.yaml"
    path.write_text(yaml.safe_dump(spec))
    return str(path)


def test_decimal_comma_and_thousands_points_become_plain_numbers(adcraft_home, tmp_path):
    rows = "A-1;Zelt;1.234,50;1.000;EUR\nA-2;Hut;12,5;3;EUR\nA-3;Kanu;-7;2;EUR\n"
    source = make_source(tmp_path, {"artikel.csv": HEADER + rows}, decimal_separator=",", thousands_separator=".")
    [check] = check_source(source)
    assert [(r["price"], r["stock"]) for r in check.preview] == [("1234.50", "1000"), ("12.5", "3"), ("-7", "2")]
    assert [p.split(" (row")[0] for _, p in check.problems] == ["price -7 is not > 0"]


def test_a_number_not_written_the_declared_way_is_held_back_as_it_was(adcraft_home, tmp_path):
    rows = "A-1;Zelt;49,90;1;EUR\nA-2;Hut;1,234.50;1;EUR\nA-3;Kanu;12,345,6;1;EUR\n"
    source = make_source(tmp_path, {"artikel.csv": HEADER + rows}, decimal_separator=",", thousands_separator=" ")
    [check] = check_source(source)
    found = [reason for _, reason in check.problems]
    assert [p.split(" (row")[0] for p in found if p.startswith("price")] == [
        "price '1,234.50' does not match ^-?[0-9]+(?:\\.[0-9]+)?$",
        "price '12,345,6' does not match ^-?[0-9]+(?:\\.[0-9]+)?$",
    ]
    assert "(row 2 of artikel.csv)" in found[0] and "`decimal_separator`" in found[0]


def test_space_groups_include_the_no_break_spaces_spreadsheets_write(adcraft_home, tmp_path):
    rows = "A-1;Zelt;1\u00a0234,50;2\u202f000;EUR\nA-2;Hut;1 234,50;1;EUR\n"
    source = make_source(tmp_path, {"artikel.csv": HEADER + rows}, decimal_separator=",", thousands_separator=" ")
    [check] = check_source(source)
    assert [(r["price"], r["stock"]) for r in check.preview] == [("1234.50", "2000"), ("1234.50", "1")]
    assert not check.problems


def test_number_format_applies_before_cents_and_types(adcraft_home, tmp_path):
    columns = {"sku": "ArtNr", "name": "Name", "price": {"from": "Preis", "unit": "cents"},
               "stock": {"from": "Bestand", "type": "integer"}, "currency": "Waehrung"}
    source = make_source(tmp_path, {"artikel.csv": HEADER + "A-1;Zelt;1.250;3,0;EUR\n"},
                         decimal_separator=",", thousands_separator=".", columns=columns)
    [check] = check_source(source)
    assert (check.preview[0]["price"], check.preview[0]["stock"]) == ("12.50", "3")


def test_the_same_separator_twice_is_refused_with_the_file_named(tmp_path):
    source = make_source(tmp_path, {}, decimal_separator=",", thousands_separator=",")
    with pytest.raises(ConfigError, match=r"shop\.yaml: .*both ','.*thousands_separator '\.'"):
        load_source(source)


def test_gzip_exports_load_like_plain_ones_and_stage_typed(adcraft_home, tmp_path):
    # Two gzip members, as `cat a.gz b.gz` writes: both are read.
    content = gzip.compress((HEADER + "A-1;Zelt;49,90;3;EUR\n").encode()) + gzip.compress(b"A-2;Hut;12,00;0;EUR\n")
    source = make_source(tmp_path, {"artikel.csv.gz": content}, decimal_separator=",")
    [item] = inputs(load_source(source))
    assert item.format == "csv"
    result = ingest_source.fn(source)
    assert result["rows_loaded"]["products"] == 2
    assert validate_loads.fn()["entities"]["products"]["rows_quarantined"] == 0
    build_marts.fn(date(2026, 11, 23))
    with warehouse() as con:
        staged = con.execute("SELECT sku, price, stock FROM staging.stg_products ORDER BY sku").fetchall()
    assert staged == [("A-1", Decimal("49.90"), 3), ("A-2", Decimal("12.00"), 0)]
    assert ingest_source.fn(source)["skipped"] == ["artikel.csv.gz"]  # same bytes: loaded once


@pytest.mark.parametrize("name, content, message", [
    ("artikel.csv.gz", b"not gzip at all", r"artikel\.csv\.gz: not a valid gzip file .*name it without \.gz"),
    ("artikel.csv.gz", gzip.compress((HEADER + "A-1;Zelt;4;3;EUR\n" * 5000).encode())[:-40],
     r"artikel\.csv\.gz: the gzip file ends before its data does: the export was cut off"),
    ("artikel.csv.gz", gzip.compress(HEADER.encode()) + gzip.compress(b"A-1;Zelt;4;3;EUR\n")[:-3],
     r"the export was cut off"),
    ("artikel.csv.gz", gzip.compress(b""), r"artikel\.csv\.gz has no header line: the export is empty"),
    ("artikel.csv.zst", b"\x28\xb5\x2f\xfd", r"artikel\.csv\.zst: adcraft reads plain or gzip-compressed .* \.csv\.gz"),
    ("artikel.xlsx", b"PK\x03\x04", r"artikel\.xlsx is not a readable \.xlsx workbook"),
    ("artikel.ods", b"PK\x03\x04", r"artikel\.ods: adcraft reads \.xlsx workbooks, not \.ods\. Save it as \.xlsx"),
])
def test_a_bad_or_unreadable_file_kind_is_a_clear_error(adcraft_home, tmp_path, name, content, message):
    source = make_source(tmp_path, {name: content})
    with pytest.raises(MappingError, match=message):
        ingest_source.fn(source)


def test_header_names_are_trimmed_and_made_unique_so_each_can_be_mapped(adcraft_home, tmp_path):
    # A repeated name and a trailing delimiter, as spreadsheet exports write them.
    header = "ArtNr; Name ;Name;Preis;Bestand;Waehrung;\n"
    columns = {"sku": "ArtNr", "name": "Name_2", "price": "Preis", "stock": "Bestand", "currency": "Waehrung",
               "description": "column7"}
    source = make_source(tmp_path, {"artikel.csv": header + "A-1;Zelt;Zelt Fjord;10;3;EUR;Leicht\n"},
                         columns=columns)
    [check] = check_source(source)
    assert not check.errors and not check.problems
    assert (check.preview[0]["name"], check.preview[0]["description"]) == ("Zelt Fjord", "Leicht")


def test_a_time_zone_offset_is_read_with_date_format_and_stored_in_utc(adcraft_home, tmp_path):
    lines = "order_id,line_number,customer_id,sku,quantity,unit_price,currency,ordered_at\n" \
            "O1,1,C1,A-1,1,49.00,EUR,2026-11-03 10:15:00 +0100\n"
    (tmp_path / "order_lines.csv").write_text(lines)
    spec = {"files": ["order_lines.csv"], "columns": {"ordered_at": {"date_format": "%Y-%m-%d %H:%M:%S %z"}}}
    (tmp_path / "shop.yaml").write_text(yaml.safe_dump({"name": "shop", "entities": {"order_lines": spec}}))
    # In a process of its own, so this machine's time zone is Berlin's, which must not shift the stored time.
    check = subprocess.run([sys.executable, "-m", "adcraft.cli.main", "sources", "check", str(tmp_path / "shop.yaml")],
                           capture_output=True, text=True, env={**os.environ, "TZ": "Europe/Berlin"})
    assert "ordered_at='2026-11-03 09:15:00'" in check.stdout, check.stdout + check.stderr
    assert "every row passes every rule" in check.stdout


def test_an_iso_time_with_an_offset_is_stored_in_utc_and_one_without_as_written(adcraft_home, tmp_path):
    written = ["2026-11-03T10:15:00+01:00", "2026-11-03T10:15:00Z", "2026-11-03T10:15:00.5-05:00",
               "2026-11-03 10:15:00+0530", "2026-11-03 10:15:00", "2026-11-03"]
    header = "order_id,line_number,customer_id,sku,quantity,unit_price,currency,ordered_at\n"
    (tmp_path / "order_lines.csv").write_text(header + "".join(
        f"O1,{n},C1,A-1,1,49.00,EUR,{at}\n" for n, at in enumerate(written, 1)))
    (tmp_path / "shop.yaml").write_text(yaml.safe_dump({"name": "shop", "entities": {
        "order_lines": {"files": ["order_lines.csv"]}}}))
    # In a process of its own, so this machine's time zone is Berlin's, which must shift neither kind of time.
    code = ("import json, sys\nfrom tasks.ingest import ingest_source\nfrom adcraft.kernel.db import warehouse\n"
            "ingest_source.fn(sys.argv[1])\nwith warehouse() as con:\n"
            "    print(json.dumps(con.execute("
            "'SELECT ordered_at FROM raw.order_lines ORDER BY _row_number').fetchall()))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "shop.yaml")], capture_output=True, text=True,
                          env={**os.environ, "TZ": "Europe/Berlin"}, check=False)
    assert done.returncode == 0, done.stderr
    assert [at for (at,) in json.loads(done.stdout.strip().splitlines()[-1])] == [
        "2026-11-03 09:15:00", "2026-11-03 10:15:00", "2026-11-03 15:15:00", "2026-11-03 04:45:00",
        "2026-11-03 10:15:00", "2026-11-03"]


# Shaped like Shopify's exports: a product's fields on its first variant row only, and an order's lines as
# rows without a line number, with order fields on the first row only.
SHOPIFY_PRODUCTS = """Handle,Title,Type,Variant SKU,Variant Price,Variant Inventory Qty,Option1 Value
linen-shirt,Fjord Linen Shirt,Shirts,LS-S,49.00,3,S
linen-shirt,,,LS-M,49.00,0,M
wool-hat,Heath Wool Hat,Accessories,WH-1,19.95,7,One Size
"""
SHOPIFY_ORDERS = """Name,Email,Created at,Lineitem quantity,Lineitem sku,Lineitem price
#1001,anna@example.com,2026-11-03 10:15:00 +0100,1,LS-S,49.00
#1001,,,2,WH-1,19.95
#1002,ben@example.com,2026-11-04 09:00:00 +0100,1,LS-M,49.00
"""


def test_first_row_only_fields_fill_down_and_lines_are_numbered_in_their_order(adcraft_home, tmp_path):
    (tmp_path / "products_export.csv").write_text(SHOPIFY_PRODUCTS)
    (tmp_path / "orders_export.csv").write_text(SHOPIFY_ORDERS)
    fill = {"fill_down": "Handle"}
    spec = {"name": "shop", "entities": {
        "products": {"files": "products_export.csv", "columns": {
            "sku": "Variant SKU", "name": {"from": "Title", **fill}, "category": {"from": "Type", **fill},
            "price": "Variant Price", "stock": "Variant Inventory Qty", "currency": {"value": "EUR"}}},
        "order_lines": {"files": "orders_export.csv", "columns": {
            "order_id": "Name", "line_number": {"position_in": "Name"},
            "customer_id": {"from": "Email", "fill_down": "Name"},
            "sku": "Lineitem sku", "quantity": "Lineitem quantity", "unit_price": "Lineitem price",
            "currency": {"value": "EUR"},
            "ordered_at": {"from": "Created at", "fill_down": "Name", "date_format": "%Y-%m-%d %H:%M:%S %z"}}}}}
    (tmp_path / "shop.yaml").write_text(yaml.safe_dump(spec))
    ingest_source.fn(str(tmp_path / "shop.yaml"))
    assert validate_loads.fn()["entities"]["order_lines"]["rows_quarantined"] == 0
    build_marts.fn(date(2026, 11, 23))
    with warehouse() as con:
        products = con.execute("SELECT sku, name, category, stock FROM staging.stg_products ORDER BY sku").fetchall()
        lines = con.execute("SELECT order_id, line_number, customer_id, sku, CAST(ordered_at AS VARCHAR) "
                            "FROM staging.stg_order_lines ORDER BY 1, 2").fetchall()
    assert products == [("LS-M", "Fjord Linen Shirt", "Shirts", 0), ("LS-S", "Fjord Linen Shirt", "Shirts", 3),
                        ("WH-1", "Heath Wool Hat", "Accessories", 7)]
    assert lines == [("#1001", 1, "anna@example.com", "LS-S", "2026-11-03 09:15:00"),
                     ("#1001", 2, "anna@example.com", "WH-1", "2026-11-03 09:15:00"),
                     ("#1002", 1, "ben@example.com", "LS-M", "2026-11-04 08:00:00")]


def test_a_grouping_column_the_file_lacks_is_named(adcraft_home, tmp_path):
    (tmp_path / "products_export.csv").write_text(SHOPIFY_PRODUCTS)
    spec = {"name": "shop", "entities": {"products": {"files": "products_export.csv", "columns": {
        "sku": "Variant SKU", "name": {"from": "Title", "fill_down": "Product Handle"}, "price": "Variant Price",
        "stock": "Variant Inventory Qty", "currency": {"value": "EUR"}}}}}
    (tmp_path / "shop.yaml").write_text(yaml.safe_dump(spec))
    [check] = check_source(str(tmp_path / "shop.yaml"))
    assert "column 'Product Handle' (that groups the rows for name) is not in the file" in check.errors[0]
    spec["entities"]["products"]["columns"]["name"] = {"from": "Title", "position_in": "Handle"}
    (tmp_path / "shop.yaml").write_text(yaml.safe_dump(spec))
    with pytest.raises(ConfigError, match="give one of from, value and position_in, not from and position_in"):
        load_source(str(tmp_path / "shop.yaml"))


def test_a_json_array_of_records_loads_like_json_lines(adcraft_home, tmp_path):
    records = '[\n  {"sku": "A-1", "name": "Zelt", "price": 49.9, "currency": "EUR", "stock": 3},\n' \
              '  {"sku": "A-2", "name": "Hut", "price": -1, "currency": "EUR", "stock": 1}\n]\n'
    (tmp_path / "products.json").write_text(records)
    (tmp_path / "shop.yaml").write_text(yaml.safe_dump({"name": "shop", "entities": {"products": {
        "files": "products.json"}}}))
    [check] = check_source(str(tmp_path / "shop.yaml"))
    assert [(r["sku"], r["_row_number"]) for r in check.preview] == [("A-1", 1), ("A-2", 2)]
    assert [p for _, p in check.problems][0].startswith("price -1 is not > 0 (row 2 of products.json)")
    (tmp_path / "products.json").write_text("[]")
    with pytest.raises(MappingError, match=r"products\.json has no records \(objects with named fields\)"):
        ingest_source.fn(str(tmp_path / "shop.yaml"))


def test_json_lines_keep_a_key_and_a_value_that_the_type_sample_never_saw(adcraft_home, tmp_path):
    # DuckDB guesses JSON types from the first 20,480 records; past them, these would be dropped or nulled.
    rows = [{"sku": f"A-{i}", "name": "Zelt", "price": 49.9, "currency": "EUR", "stock": 3} for i in range(1, 25001)]
    rows[24000 - 1]["description"] = "Only this record has one."
    rows[25000 - 1]["stock"] = "n/a"
    (tmp_path / "products.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "shop.yaml").write_text(yaml.safe_dump({"name": "shop", "entities": {"products": {
        "files": "products.jsonl"}}}))
    ingest_source.fn(str(tmp_path / "shop.yaml"))
    validate_loads.fn()
    with warehouse() as con:
        described = con.execute("SELECT _row_number FROM raw.products WHERE description IS NOT NULL").fetchall()
        held = con.execute("SELECT _row_number, reason FROM quarantine.held").fetchall()
    assert described == [(24000,)]
    assert [row for row, _ in held] == [25000] and held[0][1].startswith("stock 'n/a' does not match")
