import pytest

from adcraft.kernel.config import load_brand, load_campaign
from adcraft.kernel.errors import ConfigError
from adcraft.kernel.settings import PROJECT_DIR


def test_the_demo_files_load():
    campaign = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml")
    assert campaign.brand == "demo" and load_brand(campaign.brand).name == "Northwind Outfitters"
    assert len(campaign.fingerprint()) == 12


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("name: Bad Name\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\n", "name: String should match"),
        ("name: x\nbrand: demo\nsegments: [loyal]\ncontent_types: [fax]\n",
         "content_types: Value error, unknown content types ['fax']"),
        ("name: x\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\nbanners: {sizes: [1x1]}\n", "banners.sizes"),
        ("name: x\nbrand: demo\ncontent_types: [sms]\n", "segments: Field required"),
        ("name: x\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\nvariantz: 3\n", "variantz: Extra inputs"),
        ("name: [unclosed\n", "not valid YAML"),
        ("name: x\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\nvariants: 3\ncandidates: 2\n",
         "candidates (2) must be at least variants (3)"),
    ],
)
def test_a_bad_campaign_names_the_file_and_the_field(tmp_path, yaml_text, message):
    path = tmp_path / "campaign.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as error:
        load_campaign(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_missing_brand_says_so():
    with pytest.raises(ConfigError, match="no_such_brand.yaml: file not found"):
        load_brand("no_such_brand")
