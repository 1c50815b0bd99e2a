"""The demo's first certified service falls in the current week and month whenever it is seeded
(the dashboard's weekly panel and the month's boards read them)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wangge.demo.hours import _this_week_window

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 23, 1, 2, tzinfo=SHANGHAI),  # a Monday just after midnight
        datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI),  # the 1st, a Tuesday
        datetime(2026, 11, 25, 15, 0, tzinfo=SHANGHAI),  # mid-week
        datetime(2027, 2, 7, 23, 0, tzinfo=SHANGHAI),  # a Sunday night
    ],
)
def test_first_service_is_this_week_and_month(now: datetime) -> None:
    with time_machine.travel(now, tick=False):
        start, end = _this_week_window(3)
    local = start.astimezone(SHANGHAI)
    monday = now.date().toordinal() - now.weekday()
    assert local.date().toordinal() >= monday
    assert (local.year, local.month) == (now.year, now.month)
    assert start <= end <= now


def test_mid_week_service_keeps_its_length() -> None:
    now = datetime(2026, 11, 25, 15, 0, tzinfo=SHANGHAI)
    with time_machine.travel(now, tick=False):
        start, end = _this_week_window(3)
    assert (end - start).total_seconds() == 3 * 3600
