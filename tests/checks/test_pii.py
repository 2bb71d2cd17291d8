"""check_pii: no personal data in a line."""

import duckdb
import pytest

from adcraft.checks.base import KnownPII
from adcraft.checks.pii import known_pii_from_warehouse
from gate_helpers import assert_fails, check

BAD = [
    # pii
    ("meta_feed", "Love your Linen Shirt? Write to jane.doe@example.com and tell us about it today.",
     "a customer's email address"),
    ("meta_feed", "Love your Linen Shirt? Write to hello@northwind.example and tell us today.",
     "an email address"),
    ("meta_feed", "Questions about the Linen Shirt? Call +44 20 7946 0958 any day this week.", "a phone number"),
    ("meta_feed", "Questions about the Linen Shirt? Call 030 1234567 any day this week, we answer.",
     "a phone number"),
    ("meta_feed", "Pay for the Linen Shirt with card 4111 1111 1111 1111 today, easy and quick.",
     "a card number"),
    ("meta_feed", "Transfer for your Linen Shirt to DE89 3704 0044 0532 0130 00 and relax today.", "an IBAN"),
    ("meta_feed", "Jane Doe loves her Linen Shirt in navy, made for long summer days. Easy care.",
     "a customer's name"),
    ("meta_feed", "Made for Anne-Marie O'Neil: the Linen Shirt in navy for long summer days.",
     "a customer's name"),
]

@pytest.mark.parametrize("content_type,text,reason", BAD)
def test_bad_lines_fail_pii_with_a_reason(content_type, text, reason):
    assert_fails("pii", content_type, text, reason)

def test_pii_reasons_do_not_copy_the_personal_data():
    reason = check("Pay for the Linen Shirt with card 4111 1111 1111 1111 today, easy.")["pii"].reason
    assert "4111 1111 1111 1111" not in reason and "at character 34" in reason

def test_an_email_address_written_out_is_pii():
    result = check("Love the Linen Shirt? Write to jane [at] example [dot] com and tell us today.")["pii"]
    assert not result.passed and "written out" in result.reason

def test_known_pii_from_warehouse():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw; CREATE TABLE raw.customers (name VARCHAR, email VARCHAR)")
    con.execute("INSERT INTO raw.customers VALUES ('Jane Doe', 'Jane@Example.com'), (NULL, ''), ('Jane Doe', NULL)")
    assert known_pii_from_warehouse(con) == KnownPII(frozenset({"jane doe"}), frozenset({"jane@example.com"}))
