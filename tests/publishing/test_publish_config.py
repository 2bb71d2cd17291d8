"""The review and destinations settings of a campaign: defaults, the documented example, clear errors."""

import re

import pytest
import yaml

from adcraft.kernel.config import destination_id, load_campaign
from adcraft.kernel.errors import ConfigError
from adcraft.kernel.settings import PROJECT_DIR

BASE = "name: x\nbrand: demo\nsegments: [loyal]\ncontent_types: [sms]\n"


def write(tmp_path, text: str):
    path = tmp_path / "campaign.yaml"
    path.write_text(text)
    return path


def test_a_campaign_without_them_publishes_to_the_folder_without_review():
    campaign = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml")
    assert (campaign.review.required, campaign.review.on_timeout) == (False, "hold")
    assert [destination_id(d) for d in campaign.destinations] == ["folder"]


def test_the_documented_example_loads(tmp_path):
    docs = (PROJECT_DIR / "docs" / "configuration.md").read_text()
    example = re.search(r"## Review and publishing\n\n```yaml\n(.*?)```", docs, re.S)[1]
    campaign = load_campaign(write(tmp_path, BASE + example))
    assert campaign.review.timeout == 12 * 3600
    assert [destination_id(d) for d in campaign.destinations] == [
        "folder", "google_ads_csv", "meta_csv", "email_json", "webhook:cms"]


@pytest.mark.parametrize(("extra", "message"), [
    ({"review": {"required": True, "timeout": "soon"}}, "review.timeout: Value error, 'soon' is not a duration"),
    ({"review": {"on_timeout": "publish"}}, "review.on_timeout: Input should be 'publish_auto_approved' or 'hold'"),
    ({"destinations": ["fax"]}, "destinations.0: Input tag 'fax' found using 'type' does not match"),
    ({"destinations": [{"type": "webhook", "url": "https://a.example", "secret_env": "S"}] * 2},
     "destinations: Value error, destinations ['webhook:webhook'] appear twice; give each webhook its own name"),
    ({"destinations": [{"type": "webhook", "url": "ftp://a.example", "secret_env": "S"}]},
     "destinations.0.webhook.url"),
])
def test_a_bad_setting_names_the_field(tmp_path, extra, message):
    with pytest.raises(ConfigError) as error:
        load_campaign(write(tmp_path, BASE + yaml.safe_dump(extra)))
    assert message in str(error.value)
