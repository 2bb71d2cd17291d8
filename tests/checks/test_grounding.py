"""check_grounding: every fact a line states is true of its product."""

import pytest

from gate_helpers import assert_fails, check

BAD = [
    # grounding: prices and currencies
    ("meta_feed", "The Linen Shirt in navy is here for just £39. Easy care, built to last.",
     'mentions "£39" but the product costs €39.00'),
    ("meta_feed", "The Linen Shirt in navy is here for €45. Easy care, built to last.",
     'mentions "€45" but the product costs €39.00'),
    ("meta_feed", "The Linen Shirt in navy is here for $12.50. Easy care, built to last.", '"$12.50"'),
    ("meta_feed", "The Linen Shirt in navy, yours for 29.00 this week. Easy care, built to last.",
     'mentions "29.00"'),
    ("meta_feed", "The Linen Shirt in navy, now priced in USD for our friends abroad. Easy care.",
     'currency "USD"'),
    # grounding: promotions
    ("meta_feed", "Take 20% off the Linen Shirt in navy this weekend. Easy care, built to last.",
     'promotion ("20%")'),
    ("meta_feed", "The Linen Shirt in navy at half price this week. Easy care, built to last.",
     '"half price"'),
    ("meta_feed", "Two for one on the Linen Shirt in navy this week. Easy care, built to last.",
     '"2 for 1"'),
    ("meta_feed", "The Linen Shirt in navy is on sale now. Easy care, built to last for years.",
     '"on sale"'),
    # grounding: colours, materials, stock
    ("meta_feed", "The Linen Shirt in bright red, made for long summer days. Easy care.",
     'colour "red" but the product comes in navy, sand'),
    ("meta_feed", "The Linen Shirt in navy: the leathers are soft and built to last. Easy care.",
     'names "leathers" but the product is made of 100% linen'),
    ("meta_feed", "The Linen Shirt in navy, made from hand-blown glass for long summer days.",
     'names "glass"'),
    # "Eternal Foam Footwear" for felt loafers: approved in a LoRA round of 2026-12-03.
    ("google_rsa", "Eternal Foam Linen Shirt", 'names "Foam" but the product is made of 100% linen'),
    # Approved for felt loafers in a LoRA round of 2026-12-03.
    ("meta_feed", "A classic, timeless choice from our vintage lace collection.",
     'names "lace" but the product is made of 100% linen'),
    ("meta_feed", "The Linen Shirt in soft organic cotton, made for long summer days. Easy care.",
     'names "cotton" but the product is made of 100% linen'),
    ("meta_feed", "The Linen Shirt in navy: only 3 left, so do not wait too long. Easy care.",
     'claims scarcity ("only 3 left") but 40 are in stock'),
    ("meta_feed", "Last chance for the Linen Shirt in navy, made for long summer days.",
     '"Last chance"'),
    ("meta_feed", "The Linen Shirt in navy is selling fast this summer. Easy care, built to last.",
     '"selling fast"'),
]

@pytest.mark.parametrize("content_type,text,reason", BAD)
def test_bad_lines_fail_grounding_with_a_reason(content_type, text, reason):
    assert_fails("grounding", content_type, text, reason)

@pytest.mark.parametrize(
    "text,product",
    [
        ("The Linen Shirt in navy: only 3 left. Made for long summer days.", {"stock": 3}),
        ("Last chance for the Linen Shirt in navy, made for long summer days.", {"stock": 5}),
        ("The Linen Shirt in heather grey, made for long summer days. Easy care.", {"colours": ["Heather Gray"]}),
        ("The Denim Shirt in navy, made for long summer days. Easy care, built to last.",
         {"name": "Denim Shirt", "material": "cotton"}),
        ("The Linen Shirt in navy, 95% linen for long summer days. Easy care.", {"material": "95% linen, 5% elastane"}),
        ("The Linen Shirt in navy for £39, made for long summer days. Easy care.", {"currency": "GBP"}),
        ("The Linen Shirt in navy for just 1,299.00 kr. Made for long summer days.",
         {"currency": "SEK", "price": 1299}),
        # Laces to tie are no lace fabric.
        ("Lace up the Fjord Suede Boots and take the long way home.",
         {"name": "Fjord Suede Boots", "material": "suede"}),
        ("The lace-up Fjord Suede Boots with waxed laces, made for long walks.",
         {"name": "Fjord Suede Boots", "material": "suede"}),
    ],
)
def test_grounded_claims_pass(text, product):
    result = check(text, product=product)["grounding"]
    assert result.passed, result.reason

def test_wrong_stock_count_fails_even_when_stock_is_low():
    reason = check("The Linen Shirt in navy: only 2 left. Made for long summer days.", product={"stock": 4})[
        "grounding"
    ].reason
    assert 'says "only 2 left" but 4 are in stock' in reason

def test_allowed_promotions_pass():
    text = "Take 20% off the Linen Shirt in navy this weekend. Easy care, built to last."
    assert check(text, allowed_promotions=["20% off"])["grounding"].passed

@pytest.mark.parametrize(
    "text,product,reason",
    [
        ("Only three left of the Linen Shirt in navy, made for long summer days.", {}, 'scarcity ("Only 3 left")'),
        ("The Linen Shirt in navy for just forty-five euros. Easy care, built to last.", {}, '"45 euros"'),
        ("The Linen Shirt in navy, now in sizes up to 4XL. Easy care, built to last.", {}, 'size "4XL"'),
        ("The Linen Shirt in navy, now in size 46. Easy care, built to last.", {"sizes": ["38", "40"]}, 'size "46"'),
        ("The Linen Shirt in navy, €39.00 with a voucher code this week. Easy care.", {}, '"voucher"'),
    ],
)
def test_number_words_sizes_and_offers_are_grounded(text, product, reason):
    result = check(text, product=product)["grounding"]
    assert not result.passed and reason in result.reason

@pytest.mark.parametrize(
    "text,product",
    [
        ("The Linen Shirt in forest green, made for long summer days. Easy care.", {"colours": ["forest"]}),
        ("The Linen Shirt in navy, sizes XS to XL. Easy care, built to last for years.", {"sizes": ["XS", "M", "XL"]}),
        ("The Linen Shirt in navy, 39.00, made for long summer days. Easy care.", {}),
        ("Soft leathers in navy and sand: the Linen Shirt's trim, built to last.", {"material": "linen, leather"}),
    ],
)
def test_compounds_listed_sizes_and_the_true_price_pass(text, product):
    result = check(text, product=product)["grounding"]
    assert result.passed, result.reason

def test_a_colour_after_a_sentence_break_is_its_own_claim_not_a_compound():
    result = check("The Linen Shirt is here in navy! Gold. Easy care, built to last.")["grounding"]
    assert not result.passed and 'names the colour "Gold"' in result.reason

GILET = {"name": "Skerry Softshell Gilet", "material": "softshell", "category": "outerwear", "colours": ["olive"],
         "description": "A light gilet."}

@pytest.mark.parametrize(
    "text,product,garbled",
    [
        ("Beware of the Skerry Softshell Gletch, in olive for windy days.", GILET, '"Gletch"'),
        ("Toys out there, make sure you're wearing SKRY in olive!", GILET, '"SKRY"'),
        ("Dream big, Kester: a Linen Shirt in navy for you.", {"name": "Kestrel Linen Shirt"}, '"Kester"'),
        ("The Harbour Linen Shrit in navy, made for long summer days.", {"name": "Harbour Linen Shirt"}, '"Shrit"'),
        # No singular of "Canvas": the word cut short.
        ("The Kestrel Canva Backpack is perfect for your needs!", {"name": "Kestrel Canvas Backpack"}, '"Canva"'),
        # A word of the name begun, then written whole (three approved Meta texts of the demo, 2026-12-02).
        ("The Kestrel can canvas pack your favorite items into fabric.", {"name": "Kestrel Canvas Backpack"},
         '"can"'),
        # The name's opening words, then another word begun like the next one (approved Meta texts, 2026-12-03).
        ("Canyon corduroy corsage pants are not just any outfit.", {"name": "Canyon Corduroy Cargo Pants"},
         '"corsage"'),
        ("The Bramble bamboo sleep shivers your soul.", {"name": "Bramble Bamboo Sleep Shorts"}, '"shivers"'),
        # A rare word begun like the name's first word (approved in a LoRA round, 2026-12-03).
        ("The Everglow Felt Lover's Dream, inspired by nature.", {"name": "Evergreen Felt Loafers"}, '"Everglow"'),
    ],
)
def test_a_garbled_product_name_fails_grounding(text, product, garbled):
    result = check(text, product=product)["grounding"]
    assert not result.passed and f"misspells the product name: {garbled}" in result.reason

@pytest.mark.parametrize(
    "text,product",
    [
        ("Rainy days call for the Harbor Rain Jacket in navy.", {"name": "Harbor Rain Jacket"}),
        ("The Kestrel can carry a laptop and a Linen Shirt in navy.", {"name": "Kestrel Linen Shirt"}),
        ("The Skerry Softshell gets you through the wind, in olive.", GILET),
        ("Linen shirts with clean lines, in navy and sand.", {}),
        ("Each Evergreen Felt Loafer is soft underfoot.", {"name": "Evergreen Felt Loafers", "material": "felt"}),
        ("Everyday Felt Loafers, soft underfoot.", {"name": "Evergreen Felt Loafers", "material": "felt"}),
        ("The Kestrel can carry a laptop in its canvas.", {"name": "Kestrel Canvas Backpack", "material": "canvas"}),
        # The name's opening words, then the sentence going on.
        ("The Bramble Bamboo Sleep keeps you cool all night.", {"name": "Bramble Bamboo Sleep Shorts"}),
        ("The Bramble Bamboo Sleep stays soft, wash after wash.", {"name": "Bramble Bamboo Sleep Shorts"}),
        ("Canyon Corduroy pants in ecru, made of corduroy.", {"name": "Canyon Corduroy Cargo Pants",
                                                           "category": "Pants", "colours": ["ecru"]}),
    ],
)
def test_words_that_only_resemble_the_name_pass(text, product):
    result = check(text, product=product)["grounding"]
    assert result.passed, result.reason

# What the demo batch of 2026-12-01 approved before these checks (quoted from its approved lines).
CLAIMS_AGAINST_FACTS = [
    ("The Mohair Throw has a golden essence.", {"colours": ["sand"]}, 'names the colour "golden"'),
    ("A minty fresh gilet with a hint of lemon.", {"colours": ["mustard", "olive", "sand"]},
     'names the colour "minty", "lemon"'),
    ("You can choose from three different sizes.", {"sizes": ["One Size"]}, 'says "3 different sizes"'),
    ("Made for every size and shape.", {"sizes": ["One Size"]}, 'says "every size"'),
    ("Available on a limited basis.", {"stock": 316}, 'claims scarcity ("limited basis")'),
    ("A waterproof shirt for rainy days.", {}, 'claims "waterproof", which the product\'s facts do not say'),
    ("Scented, soft and sustainably made.", {}, 'claims "Scented", "sustainably"'),
    # ...and of 2026-12-02.
    ("The fabric's been around since 3687, so you can't go wrong with it.", {}, 'claims "since 3687"'),
    ("Tiny wooden feet make up an everlasting piece of clothing.", {"material": "felt"}, 'names "wooden"'),
    # ...and of a LoRA's held-out answers, 2026-12-02: the words of a listed claim run together.
    ("EcoFriendly Footwear", {"category": "Footwear"}, 'claims "EcoFriendly"'),
    ("Machinewashable and Water-Resistant.", {}, 'claims "Machinewashable", "Water-Resistant"'),
    # ...and of the demo, 2026-12-02 (a Meta primary text; an email preheader).
    ("Your footware will be perfect for the beach.", {"category": "Footwear"}, 'misspells "footwear" as "footware"'),
    ("A bespoke canvas back pack featuring the Kestrel Canvas", {"material": "canvas"}, 'claims "bespoke"'),
    # ...and of a LoRA's held-out answers, 2026-12-03.
    ("A tale of sustainability woven into every fabric you wear today!", {}, 'claims "sustainability"'),
]

@pytest.mark.parametrize("text,facts,reason", CLAIMS_AGAINST_FACTS)
def test_a_claim_the_facts_do_not_make_fails_grounding(text, facts, reason):
    result = check(text, product=facts)["grounding"]
    assert not result.passed and reason in result.reason, result.reason

def test_claims_the_facts_make_pass():
    facts = {"name": "Organic Linen Shirt", "colours": ["gold", "navy"], "sizes": ["S", "M", "L"],
             "description": "A waterproof, recycled linen shirt."}
    text = "The Organic Linen Shirt in golden navy: waterproof, made from recycled linen, in 3 sizes."
    assert check(text, product=facts)["grounding"].passed, check(text, product=facts)["grounding"].reason
    eco = {"name": "Linen Shirt", "description": "An eco-friendly, machine washable linen shirt."}
    assert check("The EcoFriendly, machine-washable Linen Shirt.", product=eco)["grounding"].passed
    sustainable = {"name": "Linen Shirt", "description": "Sustainably grown linen."}
    assert check("A Linen Shirt made with sustainability in mind.", product=sustainable)["grounding"].passed
    heritage = {"name": "Linen Shirt", "description": "Woven in Porto since 1921."}
    assert check("The Linen Shirt: woven since 1921.", product=heritage)["grounding"].passed

def test_a_rare_word_in_front_of_the_rest_of_the_name_renames_the_product():
    loafers = {"name": "Evergreen Felt Loafers", "material": "felt"}
    result = check("Ember Felt Loafers for cold floors.", "google_rsa", product=loafers)["grounding"]
    assert not result.passed and 'misspells the product name: "Ember"' in result.reason
    assert check("Shop Felt Loafers for cold floors.", "google_rsa", product=loafers)["grounding"].passed
