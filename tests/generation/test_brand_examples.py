"""A brand's past copy as training examples: a Google Ads Editor export or a plain CSV; unusable rows are
reported by line and skipped, and nothing else is lost."""

import pytest

from adcraft.generation.brand_examples import brand_examples
from adcraft.kernel.config import load_brand
from adcraft.kernel.errors import TrainingDataError

BRAND = load_brand("lark")
ADS_EDITOR = ("Campaign\tAd group\tHeadline 1\tHeadline 2\tHeadline 3\tDescription 1\tFinal URL\n"
              "Spring\tRain Boots\tBoots for Puddle Season\tSplash-Ready Rain Boots\t\t"
              "Rubber boots that shrug off April showers.\thttps://x/p\n"
              "Spring\t\tOrphan Headline\t\t\t\thttps://x/p\n"
              "Spring\tTote Bag\tA Headline Far Too Long For Google Search\tCanvas Tote Bags\t\t\thttps://x/p\n")


def test_a_google_ads_editor_export_gives_its_headlines_and_descriptions(tmp_path):
    path = tmp_path / "ads.csv"
    path.write_text(ADS_EDITOR, encoding="utf-16")  # as Ads Editor writes it
    found = brand_examples(path, BRAND)
    answers = [(e.key, e.answer) for e in found.examples]
    assert answers == [("ads.csv:2", "Boots for Puddle Season"), ("ads.csv:2", "Splash-Ready Rain Boots"),
                       ("ads.csv:2", "Rubber boots that shrug off April showers."), ("ads.csv:4", "Canvas Tote Bags")]
    assert "Write a Google search ad headline" in found.examples[0].conversation[-1]["content"]
    assert "Name: Rain Boots" in found.examples[0].conversation[-1]["content"]
    assert "Lark Lane" in found.examples[0].conversation[0]["content"]
    assert found.skipped == ["ads.csv:3: no Ad group, so no product to learn the lines for",
                             "ads.csv:4: 41 characters, over the 30 allowed for google_rsa.headline"]


def test_a_plain_csv_names_the_field_and_bad_rows_are_reported_by_line(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text("product,field,line\n"
                    "Rain Boots,email.subject,Puddles? Bring them on\n"
                    "Rain Boots,sms,Lark Lane: new rain boots for puddle days. Splash away!\n"
                    "Rain Boots,sms,Boots are in: https://x/p\n"
                    "Rain Boots,tweet,Boots!\n")
    found = brand_examples(path, BRAND)
    assert [e.answer for e in found.examples] == ["Puddles? Bring them on",
                                                  "Lark Lane: new rain boots for puddle days. Splash away!"]
    assert found.skipped[0].startswith("lines.csv:4: an SMS line with a link")
    assert found.skipped[1].startswith("lines.csv:5: unknown field 'tweet'")


def test_a_file_with_nothing_usable_says_what_to_give(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("sku,copy\nA,Hello\n")
    with pytest.raises(TrainingDataError, match="columns \\['field', 'line', 'product'\\] are missing"):
        brand_examples(path, BRAND)
