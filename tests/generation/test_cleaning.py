import pytest

from adcraft.generation.cleaning import clean_output, whole_sentences


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"Soft Linen Shirt in Navy"', "Soft Linen Shirt in Navy"),
        ("Headline: Soft Linen Shirt", "Soft Linen Shirt"),
        ("**Subject:** Meet your new shirt", "Meet your new shirt"),
        ("- Soft Linen Shirt\n- another", "Soft Linen Shirt"),
        ("\n\n  Soft   linen,\tmade to last.  \nExplanation: ...", "Soft linen, made to last."),
        ("“Curly quotes”", "Curly quotes"),
        ("Preheader: Soft linen for warm days.", "Soft linen for warm days."),
        ("Description - Breathable linen in navy.", "Breathable linen in navy."),
    ],
)
def test_wrapping_is_removed(raw, expected):
    assert clean_output(raw, 100) == expected


def test_long_text_is_cut_at_the_last_sentence_that_fits():
    text = "Soft linen for summer. Breathable and easy to care for all season long."
    assert clean_output(text, 30) == "Soft linen for summer."


def test_long_text_is_cut_at_a_clause_when_no_sentence_fits():
    text = "Soft washed linen in navy, made for long summer days by the sea"
    assert clean_output(text, 40) == "Soft washed linen in navy"


def test_text_that_cannot_be_cut_cleanly_stays_long_for_the_gate_to_reject():
    text = "Supercalifragilistic linen shirt for every single summer day"
    assert clean_output(text, 20) == text


def test_a_sentence_to_be_joined_keeps_only_whole_sentences():
    assert whole_sentences("Soft and light. Made from recycled canvas, perfect for creating") == "Soft and light."
    assert whole_sentences("Made from recycled canvas, perfect for creating beautiful") == ""
    assert whole_sentences("Soft and light! Easy care.") == "Soft and light! Easy care."
