"""check_language and check_readability."""


from gate_helpers import check


def test_language_flags_non_english():
    result = check("Das schöne Leinenhemd für lange Sommertage, leicht zu pflegen und langlebig.")["language"]
    assert not result.passed and '"de"' in result.reason and "schöne" in result.reason

def test_a_foreign_brand_name_is_not_a_foreign_language():
    text = "Saltkråka's Linen Shirt in navy brings calm to busy summer mornings."
    assert check(text, product={"brand": "Saltkråka"})["language"].score == 1

def test_words_that_are_no_english_words_fail_the_language_check():
    result = check("Soft, perfect fit. High-end kerbazle, jelbak, good value.")["language"]
    assert result.score < 0.4 and '"kerbazle", "jelbak"' in result.reason
    # The product's and brand's own names are not typos.
    assert check("Havbris makes the Skerry Linen Shirt.", product={"brand": "Havbris", "name": "Skerry Linen Shirt"}
                 )["language"].score == 1

def test_readability_marks_dense_prose():
    dense = ("Characteristically multifunctional outerwear, incorporating revolutionary thermoregulatory "
             "technologies, accommodates unpredictable meteorological variability.")
    assert check(dense)["readability"].score < 0.4
    assert check("Meet the Linen Shirt in navy, made for long summer days. Easy care.")["readability"].score == 1

def test_forms_of_english_words_and_of_the_facts_words_are_english():
    brush = {"name": "Wooden Paddle Hairbrush", "description": "A wide paddle brush for detangling long hair."}
    assert check("Detangles longer hair with a wide paddle.", product=brush)["language"].score == 1
    for text in ("Buttery, crumbly, dunkable cookies.", "Light grains for curries, pilafs and dal.",
                 "A ball for drills, passing and kickabouts."):
        assert check(text)["language"].score == 1, check(text)["language"].reason
    # A made-up word in the plural is still no English word.
    result = check("Soft, perfect fit. High-end kerbazles, good value.")["language"]
    assert result.score < 0.4 and '"kerbazles"' in result.reason
