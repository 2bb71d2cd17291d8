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


def facts(name, category, material=None, colours=(), sizes=(), description=None):
    """A whole product record (no field of the demo shirt left over), for products other than clothes."""
    return {"name": name, "category": category, "material": material, "colours": list(colours), "sizes": list(sizes),
            "description": description, "sku": "X-1"}


EARL_GREY = facts("Earl Grey Loose Leaf", "Black Tea")
ASSAM = facts("Assam Loose Leaf", "Tea")
MACKEREL = facts("Lemon & Pepper Mackerel Fillets 125 g", "Tinned Fish", sizes=["125 g"],
                 description="Smoked mackerel fillets, seasoned with lemon and black pepper.")
COOKIES = facts("Chocolate Chip Cookies 200 g", "Biscuits", sizes=["200 g"],
                description="Crisp-edged cookies baked with butter and brown sugar.")
BOOTS = facts("Waterproof Hiking Boots", "Boots", "Waterproof leather", description="Leather hiking boots.")

# Each relaxation with, beside it, a wrong line of the same shape that still fails: (text, facts, reason).
STILL_WRONG = [
    # A colour the facts give (name, category, material or, with no listed colours, description) or a food
    # called by a colour is no colour claim; any other colour is, and a listed product comes in its list.
    ("The Linen Shirt in black, made for long summer days.", {}, 'names the colour "black"'),
    ("The Linen Shirt in white, made for long summer days.", {"description": "Navy linen, white buttons."},
     'names the colour "white"'),
    ("The Waterproof Hiking Boots in navy, for wet trails.", BOOTS, 'names the colour "navy"'),
    ("A navy tea for cold mornings.", ASSAM, 'names the colour "navy"'),
    ("The Linen Shirt in navy, for a black tea dress look.", {}, 'names the colour "black"'),
    ("The Kindred Linen Shirt in red.", {"name": "Kindred Linen Shirt"}, 'names the colour "red"'),
    ("The Linen Shirt in navy with mustard stripes.", {}, 'names the colour "mustard"'),
    # A drinking glass or a wine's cork is no material; glass the product is made of is.
    ("The Linen Shirt in navy, made from hand-blown glass.", {}, 'names "glass"'),
    ("A glass jar of Chocolate Chip Cookies.", COOKIES, 'names "glass"'),
    ("The Linen Shirt in navy with oak buttons.", {"description": "Wooden buttons."}, 'names "oak"'),
    # A bag a product goes into is no claim about it; a garment word still is, for a garment.
    ("Look sharp in the jacket, in navy or sand.", {}, 'calls the product "jacket"'),
    ("The Linen Shirt in navy: the perfect jacket for summer.", {}, 'calls the product "jacket"'),
    # A share the facts give is a fact; another figure, or a discount, is a promotion.
    ("Take 70% off the Dark Chocolate Bar.", facts("Dark Chocolate Bar", "Chocolate", description="70% cocoa."),
     'promotion ("70%")'),
    ("Dark chocolate with 85% cocoa.", facts("Dark Chocolate Bar", "Chocolate", description="70% cocoa."),
     'promotion ("85%")'),
    ("The Linen Shirt in navy: style for less this weekend.", {}, 'promotion ("for less")'),
    # "L/XL" lists L and XL, not XXL.
    ("The Linen Shirt in navy, now in XXL.", {"sizes": ["S/M", "L/XL"]}, 'size "XXL"'),
    # A history the facts give in other words passes; another span does not.
    ("The Linen Shirt in navy, woven for 12 years.", {"description": "Woven for ten years in Porto."},
     'claims "for 12 years"'),
]


@pytest.mark.parametrize("text,product,reason", STILL_WRONG)
def test_a_wrong_line_of_a_relaxed_shape_still_fails(text, product, reason):
    result = check(text, product=product)["grounding"]
    assert not result.passed and reason in result.reason, result.reason


@pytest.mark.parametrize(
    "text,product",
    [
        # Colours: a food or drink called by a colour, or a colour the product's facts give.
        ("Black tea with the bright lift of bergamot.", EARL_GREY),
        ("A brisk black tea for the afternoon pot.", ASSAM),
        ("Mackerel with Lemon & Black Pepper", MACKEREL),
        ("Baked with butter and brown sugar, with a glass of milk on the side.", COOKIES),
        ("Tart, fruity and pink in the glass.", facts("Raspberry Sour 330 ml", "Sour Beer",
                                                        description="Tart wheat beer, pink in the glass.")),
        ("Peppermint Creams, cool and minty.", facts("Peppermint Creams", "Sweets")),
        ("A Red for the Sunday Roast", facts("Rioja Crianza 2020", "Red Wine")),
        ("It stands up to milk in a flat white or a cappuccino.", facts("House Espresso Beans", "Coffee")),
        ("Park picnics, ice cream runs, long walks home.", {"name": "Canvas Sneakers", "category": "Sneakers"}),
        ("Tuck them into soft rolls with mustard.", facts("Pork Sausages", "Sausages")),
        ("Soft, creamy Brie with a dab of mustard.", facts("Brie de Meaux", "Cheese")),
        ("A pearl on a fine sterling silver chain.", {"name": "Pearl Pendant", "category": "Necklaces",
                                                      "material": "Freshwater pearl, sterling silver chain",
                                                      "colours": ["White"]}),
        # Materials: a drinking glass, a cork pulled, a word of the material in another form.
        ("Long summer evening, a Pilsner Lager poured into a tall glass.", facts("Pilsner Lager", "Lager")),
        ("Pour a glass, pop the cork, and serve it chilled.", facts("Dry Riesling", "White Wine")),
        ("Beer Tasting Glasses, Set of 4", facts("Beer Tasting Glasses, Set of 4", "Glassware")),
        ("A simple toy made of wood.", facts("Wooden Rattle", "Baby Toys")),
        ("Lace them up for day hikes in the hills.", BOOTS),
        # Types: only garments, shoes, bags and home textiles are checked; a bag is where a product goes.
        ("Keep a tin of lip balm in your make-up bag, before you coat your lips.", facts("Lip Balm", "Lip Care")),
        ("The Tea Infuser makes loose leaf as easy as a tea bag.", facts("Tea Infuser", "Tea Infusers")),
        ("Catches loose hair in the coat.", facts("Slicker Brush", "Grooming")),
        ("Memory foam ear cushions", facts("Wireless Headphones", "Headphones", "Memory foam ear cushions")),
        ("The Linen Shirt in navy rolls up small in your bag.", {}),
        # Promotions: a share the facts give; less of something that is not money.
        ("Dark chocolate, 70% cocoa", facts("Dark Chocolate Bar", "Chocolate", description="Dark, 70% cocoa.")),
        ("A crisp pilsner at 4.8% ABV", facts("Pilsner Lager", "Lager", description="A crisp pilsner. 4.8% ABV.")),
        ("A raised bed at a height that asks for less bending.", facts("Wooden Raised Bed", "Raised Beds", "Larch")),
        # Sizes, features and history.
        ("The Linen Shirt in navy, in L/XL and XL fits most.", {"sizes": ["S/M", "L/XL"]}),
        ("Fragrant long-grain rice for curries.", facts("Basmati Rice 1 kg", "Rice")),
        ("Aged for ten years in oak.", facts("Tawny Port 10 Year", "Port", description="Aged in oak.")),
    ],
)
def test_ordinary_words_of_other_products_are_no_wrong_facts(text, product):
    result = check(text, product=product)["grounding"]
    assert result.passed, result.reason


@pytest.mark.parametrize(
    "text,product",
    [
        # Another form of a name word is that word, not a misspelling of it.
        ("Heavyweight Cotton Stripes", {"name": "Striped Cotton Tee"}),
        ("Pleats That Move as You Walk", {"name": "Pleated Midi Skirt"}),
        ("Chunky Ribs, Cosy Ears", {"name": "Chunky Ribbed Beanie"}),
        ("Frothy milk, no barista needed", facts("Handheld Milk Frother", "Kitchen")),
        ("Soft milk froth, no barista needed", facts("Handheld Milk Frother", "Kitchen")),
        ("Salted caramel, soft as you like", facts("Sea Salt Caramel Fudge", "Fudge")),
        ("Brunch Just Got Smokier", facts("Smoked Salmon Slices", "Smoked Fish")),
        ("Anchovies on buttered toast at six.", facts("Anchovy Fillets in Olive Oil", "Tinned Fish")),
        ("Thin Slices of Bresaola", facts("Beef Bresaola, Sliced 80 g", "Cured Meats")),
        ("Six Shuttles for the Hall", facts("Badminton Shuttlecocks, Tube of 6", "Badminton")),
        ("Curled Lashes Every Morning", facts("Eyelash Curler", "Beauty Tools")),
        ("Cats scratch; a Cat Scratching Post gives them a place for it.", facts("Cat Scratching Post", "Pets")),
        # Accents, units and counts, possessives.
        ("Chicken Liver Pate with brandy and thyme.", facts("Chicken Liver Pâté 180 g", "Pâté")),
        ("Hot Water Bottle, 2 Litres", facts("Hot Water Bottle with Knitted Cover", "Wellness", sizes=["2 litres"])),
        ("Up to 15 W Wireless Charging", facts("Wireless Charging Pad", "Chargers", description="Charges at 15 W.")),
        ("A 285 g graphite racket, strung and ready.",
         facts("Graphite Tennis Racket", "Rackets", "Graphite", description="Weighs 285 g, strung.")),
        ("Shop the Men's Signet Ring", facts("Men's Signet Ring", "Rings", "Sterling silver")),
        ("Two USB-C ports and one USB-A", facts("65 W USB-C Charger", "Chargers", description="One USB-A port.")),
        # A new sentence or clause after the name is not the name going on.
        ("Slow weekends start with a French Press. Take a look at ours.", facts("French Press 1 L", "Coffee")),
        ("Torn Buffalo Mozzarella. Lunch in three parts.", facts("Buffalo Mozzarella 125 g", "Cheese")),
        ("Stainless Steel, Easy Care", facts("Stainless Steel Dog Bowl", "Pet Bowls", "Stainless steel")),
        ("Mussels in Five Minutes", facts("Mussels in Garlic Butter", "Shellfish")),
        # A verb with its object after the name's opening words; a common word capitalised anywhere.
        ("Waxed Cotton Sheds the Rain", {"name": "Waxed Cotton Field Jacket", "material": "Waxed cotton"}),
        ("Warm Felt, Quiet Feet", {"name": "Wool Felt Slippers", "material": "Wool felt"}),
        ("Ankle-high desert boots in soft suede.", {"name": "Suede Desert Boots", "material": "suede"}),
    ],
)
def test_words_that_only_look_like_the_name_are_no_misspellings(text, product):
    result = check(text, product=product)["grounding"]
    assert result.passed, result.reason


@pytest.mark.parametrize(
    "text,product,garbled",
    [
        # A common word where the name's word belongs, beside the rest of the name, is still a garble.
        ("The Linen Short in navy, made for long summer days.", {}, '"Short"'),
        # The opening words, then a word begun like the replaced one, even before an object.
        ("The Bramble bamboo sleep shivers your soul.", {"name": "Bramble Bamboo Sleep Shorts"}, '"shivers"'),
        # A word cut from the name is no first half of a compound.
        ("Dream big, Kester: a Linen Shirt in navy for you.", {"name": "Kestrel Linen Shirt"}, '"Kester"'),
        # The rest of the name as the name writes it, after a rare word: renamed.
        ("Ember Felt Loafers for cold floors.", {"name": "Evergreen Felt Loafers", "material": "felt"}, '"Ember"'),
        # In the name's own place, a name word cut back to a shorter word is the name cut short.
        ("Try our Shea Butt Lip Balm this weekend.", facts("Shea Butter Lip Balm", "Lip Care"), '"Butt"'),
        ("Try our Handheld Milk Froth this weekend.", facts("Handheld Milk Frother", "Kitchen"), '"Froth"'),
        # Letters dropped from a doubled one, or an ending on no English word, are no other form of the word.
        ("Wool Felt Slipers for cold floors.", {"name": "Wool Felt Slippers", "material": "felt"}, '"Slipers"'),
        ("Try our Undated Weeky Planner.", facts("Undated Weekly Planner", "Planners"), '"Weeky"'),
        # A common word that looks like a name word, where the line does not spell that word right.
        ("Meet our new Towel, made for the garden.", facts("Stainless Steel Trowel", "Garden Tools"), '"Towel"'),
        # A word after a number that is no unit, and a name's own comma.
        ("Wooden Building Blocks, 60 Peces: take a look.", facts("Wooden Building Blocks, 60 Pieces", "Toys"),
         '"Peces"'),
        ("Fino Sher 37.5 cl, chilled.", facts("Fino Sherry 37.5 cl", "Sherry"), '"Sher"'),
    ],
)
def test_relaxed_name_rules_still_catch_garbled_names(text, product, garbled):
    result = check(text, product=product)["grounding"]
    assert not result.passed and f"misspells the product name: {garbled}" in result.reason, result.reason


@pytest.mark.parametrize("text", ["Up to 15 W Wireless Charging", "A 750 ml pad for the desk."])
def test_a_measure_the_facts_do_not_give_fails(text):
    result = check(text, product=facts("Wireless Charging Pad", "Chargers"))["grounding"]
    assert not result.passed and "which the product's facts do not" in result.reason
