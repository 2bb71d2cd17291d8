import csv
import shutil

import pytest

from adcraft.kernel.db import warehouse
from adcraft.kernel.errors import MappingError
from adcraft.sources.demo_shop import generate_demo_shop
from tasks.ingest import ingest_source


@pytest.fixture
def landing(adcraft_home):
    folder = adcraft_home / "landing" / "demo"
    counts = generate_demo_shop(folder, scale=0.05)
    return folder, counts


def _raw_counts():
    with warehouse() as con:
        return {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0]
                for t in ("products", "customers", "order_lines")}


def test_loads_every_file_with_row_numbers_in_file_order(landing):
    folder, counts = landing
    result = ingest_source.fn(str(folder))
    assert result["rows_loaded"] == counts and result["rows"] == sum(counts.values())
    assert sorted(load_id.split("-")[0] for load_id in result["load_ids"]) == sorted(counts)
    assert _raw_counts() == counts
    with warehouse() as con:
        loads = con.execute("SELECT entity, row_count, length(checksum) FROM ops.loads ORDER BY 1").fetchall()
        skus = [s for (s,) in con.execute("SELECT sku FROM raw.products ORDER BY _row_number").fetchall()]
        numbers = con.execute("SELECT min(_row_number), max(_row_number) FROM raw.order_lines").fetchone()
    assert loads == [(e, counts[e], 64) for e in sorted(counts)]
    with (folder / "products.csv").open() as f:
        assert skus == [row["sku"] for row in csv.DictReader(f)]
    assert numbers == (1, counts["order_lines"])


def test_reingest_skips_known_files_even_renamed(landing):
    folder, counts = landing
    first = ingest_source.fn(str(folder))
    shutil.copy(folder / "products.csv", folder / "products_copy.csv")
    again = ingest_source.fn(str(folder))
    assert again["load_ids"] == [] and again["rows"] == 0
    assert sorted(again["skipped"]) == sorted(["customers.csv", "order_lines.parquet", "products.csv",
                                               "products_copy.csv"])
    assert _raw_counts() == counts
    with warehouse() as con:
        assert con.execute("SELECT count(*) FROM ops.loads").fetchone()[0] == len(first["load_ids"])


def test_missing_column_names_the_file_and_column(adcraft_home):
    folder = adcraft_home / "landing" / "broken"
    folder.mkdir(parents=True)
    (folder / "customers.csv").write_text("id,name,phone,city,country,signup_date\nC1,A B,1,X,DE,2025-01-01\n")
    with pytest.raises(MappingError, match=r"customers\.csv: required column 'customer_id' is missing"):
        ingest_source.fn(str(folder))
    assert _raw_counts()["customers"] == 0


def test_missing_folder_is_a_clear_error(adcraft_home):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ingest_source.fn(str(adcraft_home / "nowhere"))
