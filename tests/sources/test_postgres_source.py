"""A shop's database as a source: tables on a real, throwaway PostgreSQL server on localhost, read through
DuckDB's postgres scanner (duckdb-ext-postgres), with the database's own types (integer cents, booleans,
dates, timestamps with a time zone), through ingest, validation, quarantine and staging."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from adcraft.kernel.db import warehouse
from adcraft.kernel.errors import CriticalDataError, MappingError, SourceUnreachableError
from tasks.ingest import ingest_source
from tasks.transform import build_marts
from tasks.validate import validate_loads

pytestmark = pytest.mark.slow  # starts a PostgreSQL server

PASSWORD = "hunter2-not-for-logs"
SHOP = """
CREATE SCHEMA erp;
CREATE TABLE erp.articles (code text PRIMARY KEY, title text, kind text, price_cents integer, qty integer,
                           live boolean, launched date, notes text);
INSERT INTO erp.articles VALUES
  ('A-1', 'Linen Shirt', 'Shirts', 4900, 3, true, '2025-03-01', 'Light & airy <b>linen</b>'),
  ('A-2', 'Wool Hat', 'Accessories', 1995, 0, true, '2024-10-10', NULL),
  ('A-3', 'Broken Price', 'Shirts', -5, 2, false, NULL, 'A hat.');
CREATE TABLE erp.no_articles (LIKE erp.articles);
CREATE TABLE erp.clients (id integer PRIMARY KEY, mail text, town text, land char(2), joined timestamptz);
INSERT INTO erp.clients VALUES (1, 'a@example.org', 'Berlin', 'DE', '2025-01-02 00:30+01'),
                               (2, 'b@example.org', 'Paris', 'FR', '2026-02-03 12:00+00');
CREATE TABLE erp.order_items (order_no bigint, pos smallint, client integer, article text, amount integer,
                              unit_price numeric(10, 2), cur text, placed timestamptz);
INSERT INTO erp.order_items VALUES (1001, 1, 1, 'A-1', 2, 49.00, 'EUR', '2026-11-01 09:30+01'),
                                   (1001, 2, 1, 'A-2', 1, 19.95, 'EUR', '2026-11-01 09:30+01'),
                                   (1002, 1, 2, 'A-1', 1, 49.00, 'EUR', '2026-11-02 11:00+00');
"""


def _postgres_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    initdb = shutil.which("initdb") or (found[-1] if found else None)
    assert initdb, "PostgreSQL's server programs are missing; `make test` installs them (apt-get install postgresql)"
    return os.path.dirname(os.path.realpath(initdb))


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on a free localhost port, with the shop's tables; yields how to reach it. PostgreSQL
    refuses to run as root, so under root it runs as the postgres user the Debian package creates."""
    bin_dir = _postgres_bin()
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = tempfile.mkdtemp(prefix="adcraft-pg-")
    if as_user:
        shutil.chown(folder, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = os.path.join(folder, "data")
    subprocess.run([*as_user, f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "--auth=trust"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, f"{bin_dir}/pg_ctl", "-D", data, "-l", os.path.join(folder, "log"), "-w", "-o",
                    f"-p {port} -k {folder} -h 127.0.0.1", "start"], check=True, capture_output=True)
    psql = [f"{bin_dir}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
    try:
        subprocess.run([*psql, "-c", SHOP], check=True, capture_output=True)
        # The server trusts localhost, so the password is never checked; it is here to be kept out of labels.
        yield {"dsn": f"host=127.0.0.1 port={port} dbname=postgres user=postgres password={PASSWORD}", "psql": psql}
    finally:
        subprocess.run([*as_user, f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True,
                       check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _source(folder, dsn: str):
    def table(name):
        return {"type": "postgres", "dsn": dsn, "name": name}

    path = folder / "erp.yaml"
    path.write_text(yaml.safe_dump({"name": "erp", "entities": {
        "products": {"table": table("erp.articles"), "columns": {
            "sku": "code", "name": "title", "category": "kind", "price": {"from": "price_cents", "unit": "cents"},
            "currency": {"value": "EUR"}, "stock": "qty", "active": "live", "launch_date": "launched",
            "description": "notes"}},
        "customers": {"table": table("erp.clients"), "pii_columns": ["email"], "columns": {
            "customer_id": "id", "email": "mail", "city": "town", "country": "land", "signup_date": "joined"}},
        "order_lines": {"table": table("erp.order_items"), "columns": {
            "order_id": "order_no", "line_number": "pos", "customer_id": "client", "sku": "article",
            "quantity": "amount", "unit_price": "unit_price", "currency": "cur", "ordered_at": "placed"}},
    }}))
    return str(path)


def test_a_postgres_shop_loads_with_its_own_types_and_bad_rows_go_to_quarantine(adcraft_home, tmp_path, postgres):
    source = _source(tmp_path, postgres["dsn"])
    loaded = ingest_source.fn(source)
    assert loaded["rows_loaded"] == {"products": 3, "customers": 2, "order_lines": 3}
    with pytest.raises(CriticalDataError, match="price_positive"):  # 1 of 3 products is over the 5% allowed
        validate_loads.fn()
    build_marts.fn(date(2026, 11, 23))
    with warehouse() as con:
        products = {r[0]: r[1:] for r in con.execute(
            "SELECT sku, price, stock, active, launch_date, description FROM staging.stg_products").fetchall()}
        customers = dict(con.execute("SELECT customer_id, signup_date FROM staging.stg_customers").fetchall())
        lines = con.execute("SELECT order_id, line_number, unit_price, ordered_at FROM staging.stg_order_lines "
                            "ORDER BY 1, 2").fetchall()
        held = con.execute("SELECT _row_number, rule, reason FROM quarantine.held").fetchall()
        labels = [label for (label,) in con.execute("SELECT source_file FROM ops.loads").fetchall()]
        raw = con.execute("SELECT (SELECT count(*) FROM raw.products), (SELECT count(*) FROM raw.customers), "
                          "(SELECT count(*) FROM raw.order_lines)").fetchone()
    assert products == {"A-1": (Decimal("49.00"), 3, True, date(2025, 3, 1), "Light & airy <b>linen</b>"),
                        "A-2": (Decimal("19.95"), 0, True, date(2024, 10, 10), None)}
    # A timestamp with a time zone is stored in UTC; for a date column, its day in UTC.
    assert customers == {"1": date(2025, 1, 1), "2": date(2026, 2, 3)}
    assert lines == [("1001", 1, Decimal("49.00"), datetime(2026, 11, 1, 8, 30)),
                     ("1001", 2, Decimal("19.95"), datetime(2026, 11, 1, 8, 30)),
                     ("1002", 1, Decimal("49.00"), datetime(2026, 11, 2, 11, 0))]
    assert [(row, rule) for row, rule, _ in held] == [(3, "price_positive")]
    assert "price -0.05 is not > 0 (row 3 of" in held[0][2] and "#erp.articles)" in held[0][2]
    # Nothing is lost: every row read is staged or held back.
    assert raw == (len(products) + len(held), len(customers), len(lines))
    assert all(label.startswith("postgres:host=127.0.0.1") and "password=***" in label for label in labels)
    assert not any(PASSWORD in label or PASSWORD in reason for label in labels for *_, reason in held)


def test_an_unchanged_postgres_table_is_skipped_and_a_changed_row_is_upserted(adcraft_home, tmp_path, postgres):
    source = _source(tmp_path, postgres["dsn"])
    ingest_source.fn(source)
    again = ingest_source.fn(source)
    assert again["rows_loaded"] == {"products": 0, "customers": 0, "order_lines": 0} and len(again["skipped"]) == 3
    subprocess.run([*postgres["psql"], "-c", "UPDATE erp.articles SET price_cents = 100 WHERE code = 'A-3'"],
                   check=True, capture_output=True)
    try:
        changed = ingest_source.fn(source)
        assert changed["rows_loaded"] == {"products": 3, "customers": 0, "order_lines": 0}
        validate_loads.fn()  # the newest products load has no bad price: nothing stops the run
        build_marts.fn(date(2026, 11, 23))
        with warehouse() as con:
            price = con.execute("SELECT price FROM staging.stg_products WHERE sku = 'A-3'").fetchone()
        assert price == (Decimal("1.00"),)
    finally:
        subprocess.run([*postgres["psql"], "-c", "UPDATE erp.articles SET price_cents = -5 WHERE code = 'A-3'"],
                       check=True, capture_output=True)


def test_an_empty_postgres_table_names_the_table_and_what_to_check(adcraft_home, tmp_path, postgres):
    spec = yaml.safe_load(Path(_source(tmp_path, postgres["dsn"])).read_text())
    spec["entities"] = {"products": spec["entities"]["products"]}
    spec["entities"]["products"]["table"]["name"] = "erp.no_articles"
    (tmp_path / "erp.yaml").write_text(yaml.safe_dump(spec))
    with pytest.raises(MappingError, match=r"#erp\.no_articles has no rows\. Check `table:` for products"):
        ingest_source.fn(str(tmp_path / "erp.yaml"))


def test_a_database_that_does_not_answer_is_retried_and_its_error_hides_the_password(adcraft_home, tmp_path, postgres):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    dsn = postgres["dsn"].replace(postgres["dsn"].split()[1], f"port={closed}")
    with pytest.raises(SourceUnreachableError) as raised:
        ingest_source.fn(_source(tmp_path, dsn))
    assert isinstance(raised.value, ConnectionError)  # what the ingest task's retry condition retries
    assert "cannot reach the database" in str(raised.value) and "password=***" in str(raised.value)
    assert PASSWORD not in str(raised.value)


def test_a_missing_postgres_table_is_explained_without_the_password(adcraft_home, tmp_path, postgres):
    source = _source(tmp_path, postgres["dsn"])
    Path(source).write_text(Path(source).read_text().replace("erp.articles", "erp.no_such_table"))
    with pytest.raises(MappingError, match=r"#erp\.no_such_table: .*does the table exist, and may `user` read it") \
            as raised:
        ingest_source.fn(source)
    assert PASSWORD not in str(raised.value)
