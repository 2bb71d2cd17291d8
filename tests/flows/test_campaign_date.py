"""A scheduled run's batch date is the campaign's local day, not the worker's or UTC's."""

from datetime import UTC, date, datetime

import pytest

from adcraft.kernel.config import Schedule, load_campaign
from tasks.batch import campaign_date

BERLIN = load_campaign("campaigns/demo.yaml").model_copy(update={"schedule": Schedule(timezone="Europe/Berlin")})


@pytest.mark.parametrize(
    "utc,expected",
    [
        (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), date(2026, 11, 24)),  # 00:30 CET
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 29)),  # 00:30 CET, the spring-forward night
        (datetime(2026, 7, 1, 21, 59, tzinfo=UTC), date(2026, 7, 1)),  # 23:59 CEST
        (datetime(2026, 7, 1, 22, 0, tzinfo=UTC), date(2026, 7, 2)),  # 00:00 CEST
    ],
)
def test_the_run_date_is_the_day_in_the_campaign_time_zone(utc, expected):
    assert campaign_date(BERLIN, utc) == expected
