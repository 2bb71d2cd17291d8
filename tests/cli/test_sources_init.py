"""`adcraft sources init FOLDER` on the two documented examples: the YAML it writes needs one edit (the shop's
currency, which no export names) before `sources check` accepts it, and the closing note says so."""

import pytest
import yaml
from typer.testing import CliRunner

from adcraft.cli.main import app
from adcraft.kernel.settings import PROJECT_DIR
from adcraft.sources.check import check_source

EXAMPLES = PROJECT_DIR / "docs" / "examples"
runner = CliRunner(env={"COLUMNS": "250"})


@pytest.mark.parametrize(("example", "currency"), [("harbor_goods", "USD"), ("foreign_shop", "EUR")])
def test_init_guesses_a_mapping_that_check_accepts_after_the_currency_is_written(adcraft_home, tmp_path, example,
                                                                                  currency):
    written = tmp_path / "source.yaml"
    result = runner.invoke(app, ["sources", "init", str(EXAMPLES / example / "exports"), "--output", str(written)])
    assert result.exit_code == 2, result.output  # the check refuses `currencies: [EDIT]`
    assert f"Wrote {written}. Checking it:" in result.output and "currencies: Value error, EDIT" in result.output
    assert "To edit before loading (1), marked EDIT:\n  - write the shop's currency" in result.output
    assert f"Then check it again: adcraft sources check {written}" in result.output
    text = written.read_text()
    assert f"name: {example}\n" in text and "# GUESS" in text
    written.write_text(text.replace("currencies: [EDIT]", f"currencies: [{currency}]"))
    checks = check_source(str(written))
    assert [c.entity for c in checks] == ["products", "customers", "order_lines"]
    assert not any(c.stops_run or c.errors for c in checks)


def test_init_joins_order_lines_to_their_orders_and_products_to_their_categories(adcraft_home, tmp_path):
    written = tmp_path / "source.yaml"
    runner.invoke(app, ["sources", "init", str(EXAMPLES / "harbor_goods" / "exports"), "--output", str(written)])
    entities = yaml.safe_load(written.read_text().replace("[EDIT]", "[USD]"))["entities"]
    lines, products = entities["order_lines"], entities["products"]
    assert lines["join"] == {"orders": {"files": "orders.csv", "by": "orderID"}}
    assert lines["columns"]["customer_id"] == "orders.customerID" and lines["columns"]["sku"] == "productID"
    assert lines["columns"]["ordered_at"] == {"from": "orders.orderDate", "date_format": "%m/%d/%Y"}
    assert lines["columns"]["line_number"] == {"position_in": "orderID"}
    assert products["columns"]["category"] == "categories.categoryName"
    assert products["columns"]["active"] == {"from": "discontinued", "values": {"0": True, "1": False}}
    # A second init does not overwrite the reviewed file.
    again = runner.invoke(app, ["sources", "init", str(EXAMPLES / "harbor_goods" / "exports"), "--output",
                                str(written)])
    assert again.exit_code == 2 and "exists; give another --output, or --force" in again.output
