"""Staff pages write a moment one way: 11月28日 21:13, with the year when it is not this year
(the desk said 11-28 21:13 and the kitchen's and circulars' pages 2026-11-28 21:13)."""

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from tests.cases.test_desk import client_for, seed
from wangge.core.templatetags.plain_dates import when

TZ = ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime(2026, 11, 28, 22, 0, tzinfo=TZ), tick=False)
def test_this_years_moments_without_the_year_others_with_it() -> None:
    assert when(datetime(2026, 11, 28, 13, 13, tzinfo=ZoneInfo("UTC"))) == "11月28日 21:13"
    assert when(datetime(2025, 12, 31, 23, 5, tzinfo=TZ)) == "2025年12月31日 23:05"
    assert when(date(2026, 3, 1)) == "3月1日"
    assert when(date(2027, 1, 4)) == "2027年1月4日"
    assert when(None) == ""


def test_the_desk_writes_its_times_so(people: dict[str, Any]) -> None:
    seed(1)
    page = client_for(people["dispatcher"]).get("/cases/desk/").content.decode()
    created = re.search(r'<td class="col-created">([^<]*)</td>', page)
    assert created is not None
    assert re.fullmatch(r"(\d{4}年)?\d{1,2}月\d{1,2}日 \d{2}:\d{2}", created.group(1))
