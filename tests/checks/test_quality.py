"""check_repetition and check_quality: the craft of a line."""

import pytest

from gate_helpers import check


@pytest.mark.parametrize(
    "text,score_below,note",
    [
        ("Linen Shirt Linen Shirt Linen Shirt Linen Shirt for summer days and nights.", 0.5, '"linen" ×4'),
        ("The Linen Shirt is here!!!!! Made for long summer days. Easy care, built to last.", 0.5, "a run of one"),
    ],
)
def test_repetition_scores_low(text, score_below, note):
    result = check(text)["repetition"]
    assert not result.hard and result.score < score_below and note in result.reason

@pytest.mark.parametrize(
    "content_type,text,note",
    [
        ("meta_feed", "Soft fabric, made for long summer days and easy evenings in the garden.", "does not mention"),
        ("meta_feed", "The Linen Shirt in navy, made for long summer days with", 'ends on "with"'),
        ("meta_feed", "The Linen Shirt in navy, made for long summer days,", 'ends with ","'),
        ("meta_feed", "The Linen Shirt in navy is NEW and it is HERE NOW. Made for summer.", "shouts in capitals"),
        ("meta_feed", "The Linen Shirt in navy: everyday linen, never cheap. Made for summer days.", '"cheap"'),
        ("meta_feed", "The Linen Shirt in navy.", "uses 24 of 125 characters"),
        ("sms", "Northwind: the Linen Shirt in navy is here, made for long summer days.", "no link"),
    ],
)
def test_quality_explains_its_deductions(content_type, text, note):
    result = check(text, content_type)["quality"]
    assert result.score < 1 and note in result.reason

def test_copy_that_speaks_as_a_person_loses_quality():
    result = check("I'm happy to craft the Linen Shirt for you!")["quality"]
    assert "speaks as a person" in result.reason and result.score < 0.75  # never approved
