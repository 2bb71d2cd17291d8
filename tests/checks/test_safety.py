"""check_safety: nothing profane, hateful, violent or sexual, and no claim an ad may not make."""

import profanity_check
import pytest

from adcraft.checks.base import CopyCandidate
from adcraft.checks.gate import check_copy
from gate_helpers import BRAND, PII, PRODUCT, assert_fails, check

BAD = [
    # safety
    ("meta_feed", "This Linen Shirt is the shit, made for long summer days. Easy care.", "shit"),
    ("meta_feed", "This Linen Shirt is sh1t hot, made for long summer days. Easy care.", '"sh1t"'),
    ("meta_feed", "No more f*cking sweaty days: the Linen Shirt in navy keeps you cool.", "f*cking"),
    ("meta_feed", "The Linen Shirt in navy, a b!tch to iron? Not at all. Easy care.", '"b!tch"'),
    ("meta_feed", "The Linen Shirt in navy cures summer sweat, made for long days. Easy care.", '"cures"'),
    ("meta_feed", "The Linen Shirt in navy is risk-free, made for long summer days. Easy care.",
     '"risk-free"'),
    ("meta_feed", "The #1 Linen Shirt in navy, made for long summer days. Easy care, built to last.",
     '"#1"'),
    ("meta_feed", "The best in the world: the Linen Shirt in navy, made for long summer days.",
     '"the best in the world"'),
    ("meta_feed", "The Linen Shirt in navy, clinically proven to help you lose weight this summer.",
     '"clinically proven"'),
    # An approved Meta text of the demo, 2026-12-02.
    ("meta_feed", "The Kestrel Mohair throw provides unparalleled comfort underfoot while running.",
     '"unparalleled"'),
    ("meta_feed", "The Linen Shirt in navy: unrivalled comfort for long summer days. Easy care.",
     '"unrivalled"'),
    # Approved on the held-out product in a LoRA round of 2026-12-03.
    ("google_rsa", "Eternal Linen Shirt Fakes!", '"Fakes"'),
    ("google_rsa", "A true gem from the world's finest linen.", '"world\'s finest"'),
]

@pytest.mark.parametrize("content_type,text,reason", BAD)
def test_bad_lines_fail_safety_with_a_reason(content_type, text, reason):
    assert_fails("safety", content_type, text, reason)

@pytest.mark.parametrize(
    "text",
    ["Soft, breathable and crafted to last: the Linen Shirt in navy for every summer day.",
     "The Linen Shirt in navy: soft 100% linen, made for long summer days. Now €39."],
)
def test_garment_words_do_not_trip_the_classifier(text):
    assert check(text, product={"name": "Merino Wool Jumper", "material": "100% linen"})["safety"].passed
    assert check("Lace Bra in navy, soft and easy care.", "email", product={"name": "Lace Bra"})["safety"].passed

@pytest.mark.parametrize(
    "text,reason",
    [
        ("Keep the immigrants out, wear the Linen Shirt in navy. Easy care.", "singles out a group"),
        ("Boots for the master race: the Linen Shirt in navy, built to last.", "hateful or demeaning"),
        ("Stab anyone who touches your Linen Shirt in navy. Easy care, built to last.", "violent language"),
        ("This load of jihad will be your Linen Shirt in navy. Easy care, built to last.", "violent language"),
        ("Who gives a f u c k about wrinkles? The Linen Shirt in navy, easy care.", 'blocked word "f u c k"'),
        ("This Linen Shirt in navy is fück-ing soft. Easy care, built to last.", "blocked word"),
    ],
)
def test_hate_violence_and_disguised_swearing_fail_safety(text, reason):
    result = check(text)["safety"]
    assert not result.passed and reason in result.reason

@pytest.mark.parametrize(
    "text",
    [
        "It's hit the shelves: the Linen Shirt in navy for cocktail hour. Easy care, built to last.",
        "Kick your feet up in the Linen Shirt in navy, a classic for every summer day.",
    ],
)
def test_ordinary_words_are_not_swearing_or_violence(text):
    result = check(text)["safety"]
    assert result.passed, result.reason

@pytest.mark.parametrize(
    "text,insult",
    [
        ("Your feet are ugly, hide them in the Linen Shirt in navy.", "your feet are ugly"),
        ("Stop looking like a slob: the Linen Shirt in navy.", "slob"),
        ("The Linen Shirt in navy is soft, unlike your brain.", "unlike your brain"),
        ("The Linen Shirt in navy, because your partner thinks you're pathetic.", "you're pathetic"),
        ("A Linen Shirt for people who aren't stupid.", "aren't stupid"),
        ("Tea towels even your lazy flatmate will use.", "your lazy"),
    ],
)
def test_insulting_the_reader_fails_safety(text, insult):
    result = check(text)["safety"]
    assert not result.passed and f'insults or mocks the reader: "{insult}"' in result.reason


@pytest.mark.parametrize(
    "text,product",
    [
        ("Retire your tired old trainers: the Linen Shirt in navy is here.", None),
        ("Unlike your old shirt, the Linen Shirt in navy keeps its shape.", None),
        ("Full-fat Greek yoghurt for slow breakfasts, 500 g.", {"name": "Greek Yoghurt", "category": "dairy"}),
        ("A fat quarter bundle for your next quilt, ten prints.", {"name": "Fat Quarter Bundle"}),
    ],
)
def test_copy_that_talks_to_the_reader_is_no_insult(text, product):
    result = check(text, product=product)["safety"] if product else check(text)["safety"]
    assert result.passed, result.reason


def test_a_superlative_no_one_can_prove_fails_safety():
    result = check("The Linen Shirt in navy: the most comfortable shirt you will own.")["safety"]
    assert not result.passed and 'makes a claim an ad may not make: "the most comfortable"' in result.reason
    assert check("Make the most of summer in the Linen Shirt in navy.")["safety"].passed


def test_profanity_classifier_runs_once_per_batch(monkeypatch):
    calls = []
    monkeypatch.setattr(profanity_check, "predict_prob", lambda texts: calls.append(len(texts)) or [0.0] * len(texts))
    items = [CopyCandidate(f"c{i}", "google_rsa", "headline", "Linen Shirt for Summer", PRODUCT) for i in range(50)]
    results = check_copy(items, BRAND, PII)
    assert calls == [50] and len(results) == 50 * len({r.check_name for r in results})


def _record(name, category, material=None, colours=()):
    return {"name": name, "category": category, "material": material, "colours": list(colours), "sizes": [],
            "description": None}


BUNNY = _record("Knitted Bunny", "Soft Toys", "Cotton knit, polyester filling")
HAM = _record("Serrano Ham, Sliced 100 g", "Cured Meats")
LIP_BALM = _record("Tinted Lip Balm", "Lip Care", colours=["Nude", "Rose"])
BOOTS = _record("Waterproof Hiking Boots", "Boots", "Waterproof leather")


@pytest.mark.parametrize(
    "text,product",
    [
        # Ordinary words that only the disguise patterns fit ("fing", "asses"): not disguised swearing.
        ("Knitted cotton, polyester filling", BUNNY),
        ("Assess the fit, then roll the sleeves: the Linen Shirt in navy.", {}),
        # Food cured in salt is no cure; a bath bomb, a glue gun are no weapons.
        ("Dry-cured Spanish ham, sliced thin: cured ham for the picnic.", HAM),
        ("Drop a bath bomb in the tub and lie back.", _record("Lavender Bath Bomb", "Bath")),
        ("Fill the glue gun and fix the chair leg.", _record("Cordless Glue Gun", "Power Tools", "Plastic")),
        # A shade the product is listed in.
        ("A nude lip balm for every day.", LIP_BALM),
        # The product's own words in the plural are masked for the classifier (0.84 before).
        ("A set of massage balls", _record("Massage Ball Set", "Massage", "Rubber")),
        # Everyday copy the classifier scores between its two bars on mild words alone (0.73; "wet" 0.57).
        ("Made for wet trails and muddy paths", BOOTS),
        ("Unglazed terracotta with a drainage hole and a matching saucer.",
         _record("Terracotta Plant Pot 20 cm", "Plant Pots", "Terracotta")),
    ],
)
def test_ordinary_product_words_pass_safety(text, product):
    result = check(text, product=product)["safety"]
    assert result.passed, result.reason


@pytest.mark.parametrize(
    "text,product,reason",
    [
        ("Knitted cotton, f1ng soft filling", BUNNY, 'blocked word "f1ng"'),
        ("The Linen Shirt in navy cures acne, made for long summer days.", {}, '"cures"'),
        ("The Linen Shirt in navy cured my eczema in a week.", {}, '"cured my"'),
        ("The Linen Shirt in navy is a bomb for summer.", {}, "violent language"),
        ("Pack a gun with the Linen Shirt in navy.", {}, "violent language"),
        ("A nude lip balm for every day.", {**LIP_BALM, "colours": ["Rose"]}, "sexual"),
        # Between the classifier's two bars an insult is carried by one offensive word, where harmless copy
        # only adds up mild ones: "Shut up ..." 0.67 with "shut" 0.98 alone, "Hey loser, ..." 0.66.
        ("Shut up and buy the Linen Shirt in navy.", {}, '"shut" alone 0.98'),
        ("Hey loser, upgrade to the Linen Shirt in navy.", {}, '"loser" alone'),
    ],
)
def test_unsafe_lines_of_a_relaxed_shape_still_fail(text, product, reason):
    result = check(text, product=product)["safety"]
    assert not result.passed and reason in result.reason, result.reason
