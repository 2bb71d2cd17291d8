"""Bad exports: each error names the file, the line or row, and the column, and says how to fix the export
or the mapping. Most cases run `sources check` (the same SQL as a load, on a throwaway warehouse)."""

import re

import pytest
import yaml

from adcraft.kernel.errors import MappingError
from adcraft.sources.check import check_source
from tasks.ingest import ingest_source

HEADER = "sku,name,price,currency,stock,launch_date,description\n"
GOOD = "A-1,Linen Shirt,49.00,EUR,3,2024-01-01,A shirt.\n"


def make_source(root, files: dict[str, bytes | str], **products) -> str:
    """A source YAML for products (and order_lines if given) over files written into root."""
    for name, content in files.items():
        (root / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    spec = {"name": "shop", "entities": {"products": {"files": ["products*"], **products}}}
    if any(n.startswith("order_lines") for n in files):
        spec["entities"]["order_lines"] = {"files": ["order_lines*"]}
    path = root / "shop.yaml"
    path.write_text(yaml.safe_dump(spec))
    return str(path)


def problems(source: str) -> list[str]:
    return [reason for c in check_source(source) for _, reason in c.problems]


def test_missing_required_column_names_file_column_and_mapping(adcraft_home, tmp_path):
    source = make_source(tmp_path, {"products.csv": "sku,name,currency,stock\nA-1,Shirt,EUR,3\n"})
    with pytest.raises(MappingError) as err:
        ingest_source.fn(source)
    message = str(err.value)
    assert "products.csv: required column 'price' is missing" in message
    assert "sku, name, currency, stock" in message and "`price: {from: <column>}`" in message
    [check] = check_source(source)
    assert check.stops_run and "required column 'price'" in check.errors[0]


def test_mapped_column_absent_from_file(adcraft_home, tmp_path):
    source = make_source(tmp_path, {"products.csv": HEADER + GOOD}, columns={"price": "Preis"})
    [check] = check_source(source)
    assert "column 'Preis' (mapped to price) is not in the file" in check.errors[0]


def test_wrong_types_name_row_column_and_fix(adcraft_home, tmp_path):
    source = make_source(tmp_path, {"products.csv": HEADER + GOOD + "A-2,Wool Hat,12;50,EUR,two,2024-01-01,Hat.\n"})
    found = problems(source)
    price = next(p for p in found if p.startswith("price '12;50'"))
    assert "(row 2 of products.csv)" in price and "unit: cents" in price
    stock = next(p for p in found if p.startswith("stock 'two'"))
    assert "(row 2 of products.csv)" in stock and "type: integer" in stock


def test_malformed_lines_are_quarantined_with_line_numbers(adcraft_home, tmp_path):
    rows = GOOD + "A-2,Too,many,fields,here,x,y,z\n" + "A-3,Wool Hat,12.00,EUR,1,2024-01-01,Hat.\n"
    source = make_source(tmp_path, {"products.csv": HEADER + rows})
    [check] = check_source(source)
    assert check.rows == 3 and check.stops_run
    malformed = next(p for p in problems(source) if "malformed" in p)
    assert malformed.startswith("line 3 of products.csv is malformed: Expected Number of Columns: 7 Found: 8")
    assert "quote fields that contain the delimiter" in malformed
    # The row after the bad line keeps its own row number.
    assert [r["sku"] for r in check.preview] == ["A-1", "A-3"] and check.preview[1]["_row_number"] == 3


def test_bad_encoding_names_the_line_and_the_encoding_setting(adcraft_home, tmp_path):
    latin = (HEADER + GOOD + "A-2,Caf\xe9 Mug,9.00,EUR,4,2024-01-01,Mug.\n").encode("latin-1")
    source = make_source(tmp_path, {"products.csv": latin})
    bad = next(p for p in problems(source) if "line 3" in p)
    assert "INVALID ENCODING" in bad and "set `encoding: latin-1`" in bad
    fixed = make_source(tmp_path, {}, encoding="latin-1")
    [check] = check_source(fixed)
    assert not check.problems and check.preview[1]["name"] == "Café Mug"


def test_duplicates_prices_currencies_and_dates(adcraft_home, tmp_path):
    rows = (GOOD + "A-1,Linen Shirt,49.00,EUR,3,2024-01-01,Again.\n" + "A-3,Free Hat,0,EUR,1,2024-01-01,Hat.\n"
            + "A-4,Minus Hat,-5.00,EUR,1,2024-01-01,Hat.\n" + "A-5,Dollar Hat,5.00,USD,1,2024-01-01,Hat.\n"
            + "A-6,Future Hat,5.00,EUR,1,2099-01-01,Hat.\n")
    lines = "order_id,line_number,customer_id,sku,quantity,unit_price,currency,ordered_at\n" \
            "O1,1,C1,A-1,1,49.00,EUR,2099-05-01 10:00:00\n"
    source = make_source(tmp_path, {"products.csv": HEADER + rows, "order_lines.csv": lines})
    found = problems(source)
    expected = [
        "sku 'A-1' repeats row 1 (row 2 of products.csv).",
        "price 0 is not > 0 (row 3 of products.csv).",
        "price -5.00 is not > 0 (row 4 of products.csv).",
        "currency 'USD' is not one of EUR (row 5 of products.csv).",
        "(row 6 of products.csv). A launch date more than a year ahead",
        "(row 1 of order_lines.csv). An order cannot be placed in the future",
    ]
    for text in expected:
        assert any(text in p for p in found), text
    future = next(p for p in found if "order_lines.csv" in p)
    assert future.startswith("ordered_at '2099-05-01 10:00:00' is ") and "date_format" in future
    currency = next(p for p in found if p.startswith("currency 'USD'"))
    # The hint adds the currency to the source's declaration; it never relabels a dollar price as euros.
    assert "add it to `currencies:`" in currency and "value: EUR" not in currency


def test_empty_files_are_refused_before_loading(adcraft_home, tmp_path):
    source = make_source(tmp_path, {"products.csv": ""})
    with pytest.raises(MappingError, match=r"products\.csv is empty \(0 bytes\).*Export it again"):
        ingest_source.fn(source)
    (tmp_path / "products.csv").write_text(HEADER)
    with pytest.raises(MappingError, match=r"products\.csv has a header but no data rows"):
        ingest_source.fn(source)


def test_huge_text_is_flagged_without_copying_it_into_the_reason(adcraft_home, tmp_path):
    huge = "x" * 20_000
    source = make_source(tmp_path, {"products.csv": HEADER + GOOD + f"A-2,Big Hat,5.00,EUR,1,2024-01-01,{huge}\n"})
    found = problems(source)
    reason = next(p for p in found if p.startswith("description is 20000 characters long, over 5000"))
    assert "(row 2 of products.csv)" in reason and len(reason) < 400


def test_values_that_would_stage_as_null_are_held_back_instead(adcraft_home, tmp_path):
    """A day that does not exist, or a number too big for its staged type, passes a format check but casts
    to null in staging, which would drop the order line from every mart without a word."""
    products = HEADER + GOOD + "A-2,Wool Hat,5.00,EUR,99999999999,2024-02-30,Hat.\n"
    lines = ("order_id,line_number,customer_id,sku,quantity,unit_price,currency,ordered_at\n"
             "O1,1,C1,A-1,1,49.00,EUR,2026-02-31 10:00:00\n"
             "O2,x,C1,A-1,1,49.00,EUR,2026-02-01 10:00:00\n"
             ",,C1,A-1,1,49.00,EUR,2026-02-01 10:00:00\n"
             "O3,1,C1,A-1,1,49.00,EUR,2026-02-01 10:00:00\n")
    source = make_source(tmp_path, {"products.csv": products, "order_lines.csv": lines})
    found = {re.match(r".*? \(row \d+ of \w+\.csv\)", p)[0] for p in problems(source)}
    assert found == {
        "stock '99999999999' cannot be read as a whole number from -2147483648 to 2147483647 (row 2 of products.csv)",
        "launch_date '2024-02-30' cannot be read as a date: no such day, or not YYYY-MM-DD (row 2 of products.csv)",
        "ordered_at '2026-02-31 10:00:00' cannot be read as a date and time: no such day or time, or not "
        "YYYY-MM-DD HH:MM:SS (row 1 of order_lines.csv)",
        "line_number 'x' does not match ^[0-9]+$ (row 2 of order_lines.csv)",
        "order_id is missing (row 3 of order_lines.csv)",
        "line_number is missing (row 3 of order_lines.csv)",
    }


def test_every_staged_cast_has_a_rule_type_that_matches_it():
    """Staging's TRY_CASTs and the of_type rules must name the same DuckDB types, or a value could pass its
    rule and still stage as null."""
    from adcraft.kernel.settings import WAREHOUSE_DIR
    from adcraft.sources.mapping import entity_schema
    from adcraft.sources.rules import STAGED_TYPES, load_rules

    staging = "\n".join(p.read_text() for p in (WAREHOUSE_DIR / "models" / "staging").glob("*.sql"))
    casts = dict(re.findall(r"TRY_CAST\(\w+\.(\w+) AS ([A-Z]+(?:\(\d+, \d+\))?)\)", staging))
    for entity in ("products", "customers", "order_lines"):
        columns = entity_schema(entity)["columns"]
        typed = {name for name, meta in columns.items() if meta["type"] != "text"}
        assert typed <= casts.keys(), entity
        for name in typed:
            assert casts[name] == STAGED_TYPES[columns[name]["type"]][0], (entity, name)
        checked = {r.column for r in load_rules(entity) if r.kind in ("of_type", "in_set")}
        assert typed <= checked, f"{entity}: {typed - checked} staged typed without a rule that the cast works"
