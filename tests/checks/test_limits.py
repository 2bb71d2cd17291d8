"""check_channel_limits: a line within its field's limits."""

import pytest

from gate_helpers import LINK, assert_fails

BAD = [
    # channel_limits
    ("google_rsa", "Crafted Linen Shirt for Long Summer Days", "over the 30 allowed"),
    ("google_rsa", "Linen", "under the 10 needed"),
    ("product_description", "The Linen Shirt is soft and cool. It costs 39.00 EUR.",
     "11 words, under the 30 needed for product_description.paragraph"),
    ("sms", f"The Linen Shirt in navy is here 😀 Easy care, built to last. {LINK}",
     '"😀" not in the GSM-7'),
    ("sms", "Linen Shirt in navy, easy care " + "[]" * 60, "over one 160-septet SMS"),
]

@pytest.mark.parametrize("content_type,text,reason", BAD)
def test_bad_lines_fail_channel_limits_with_a_reason(content_type, text, reason):
    assert_fails("channel_limits", content_type, text, reason)
