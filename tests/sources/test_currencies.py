"""A shop's currencies are its own: the source declares them, validation checks prices against that
declaration (whatever the source's file is called), and a fix hint never relabels a currency."""

import pytest
import yaml

from adcraft.kernel.db import warehouse
from adcraft.kernel.errors import ConfigError, CriticalDataError
from adcraft.sources.check import check_source
from adcraft.sources.spec import load_source
from tasks.ingest import ingest_source
from tasks.validate import validate_loads

HEADER = "sku,name,price,stock,currency\n"


def _source(root, currencies, rows: str, columns: dict | None = None) -> str:
    (root / "products.csv").write_text(HEADER + rows)
    path = root / "shop.yaml"
    spec = {"name": "shop", "entities": {"products": {"files": "products.csv", "columns": columns or {}}}}
    path.write_text(yaml.safe_dump({**spec, "currencies": currencies} if currencies else spec))
    return str(path)


def test_prices_are_checked_against_the_currencies_the_source_declares(adcraft_home, tmp_path):
    rows = "A-1,Mug,18.00,3,USD\nA-2,Towel,14.50,2,usd\nA-3,Pan,49.00,1,EUR\n"
    source = _source(tmp_path, ["USD", "cad"], rows)
    assert load_source(source).currencies == ["USD", "CAD"]
    ingest_source.fn(source)
    with pytest.raises(CriticalDataError, match="rule currency_known on column currency failed on 1 of 3 rows"):
        validate_loads.fn()  # reads the declaration the load recorded: the YAML is not in sources/
    with warehouse() as con:
        held = con.execute("SELECT _row_number, reason FROM quarantine.held").fetchall()
        staged = con.execute("SELECT DISTINCT currency FROM raw.products WHERE sku = 'A-2'").fetchall()
    assert [n for n, _ in held] == [3] and staged == [("USD",)]  # 'usd' is read as the code it is
    euro = held[0][1]
    assert euro.startswith("currency 'EUR' is not one of USD, CAD (row 3 of products.csv).")
    assert "add it to `currencies:`" in euro and "{value:" not in euro


def test_a_source_that_declares_nothing_sells_in_euros_as_before(adcraft_home, tmp_path):
    [check] = check_source(_source(tmp_path, None, "A-1,Mug,18.00,3,USD\n"))
    assert [p.split(" (row")[0] for _, p in check.problems] == ["currency 'USD' is not one of EUR"]


def test_one_declared_currency_fills_an_export_without_a_currency_column(adcraft_home, tmp_path):
    (tmp_path / "products.csv").write_text("sku,name,price,stock\nA-1,Mug,5.50,3\n")
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump({"name": "shop", "currencies": "GBP",
                                    "entities": {"products": {"files": "products.csv"}}}))
    [check] = check_source(str(path))
    assert check.preview[0]["currency"] == "GBP" and not check.problems and not check.errors
    path.write_text(yaml.safe_dump({"name": "shop", "currencies": ["GBP", "EUR"],
                                    "entities": {"products": {"files": "products.csv"}}}))
    [check] = check_source(str(path))  # two currencies: which one a row is in must come from the export
    assert "required column 'currency' is missing" in check.errors[0]


def test_an_unknown_currency_code_is_refused_with_the_file(tmp_path):
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump({"name": "shop", "currencies": ["DOLLARS"],
                                    "entities": {"products": {"files": "p.csv"}}}))
    with pytest.raises(ConfigError, match=r"shop\.yaml: currencies: .*DOLLARS: give ISO 4217 codes"):
        load_source(path)
