"""The home-address claim binds only a building the resident chose, and resident pages write
dates one way (the browser side of both: tests/browser/test_resident_monday.py)."""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from wangge.accounts.models import ResidenceClaim
from wangge.core.dates import plain_when
from wangge.grids.models import Building
from wangge.grids.services import buildings_import
from wangge.notices.models import Notice
from wangge.notices.selectors import home_node
from wangge.notices.services import notice_publish

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


# ------------------------------------------------------------------ the home-address claim


@pytest.fixture
def verified(cast: dict[str, Any]) -> Any:
    buildings_import(
        "address,lon,lat,code\n"
        "中原区伊河路百花里3号楼,113.6008,34.7508,BH3\n"
        "中原区伊河路百花里5号楼,113.6010,34.7510,BH5\n"
    )
    resident = cast["resident"]
    resident.real_name_verified_at = timezone.now()
    resident.save(update_fields=["real_name_verified_at"])
    return resident


def test_the_buildings_found_are_offered_with_none_ticked(verified: Any) -> None:
    page = client_for(verified).post("/m/address/", {"q": "百花里", "search": "1"}).content
    html = page.decode()
    assert "中原区伊河路百花里3号楼" in html and "中原区伊河路百花里5号楼" in html
    assert re.findall(r'<input type="radio" name="building"[^>]*>', html)
    assert not re.search(r'<input type="radio" name="building"[^>]*checked', html)


def test_submitting_without_a_building_says_so_and_keeps_the_form(verified: Any) -> None:
    response = client_for(verified).post(
        "/m/address/", {"q": "百花里", "room": "2单元501", "claim": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "请先点选您住的楼栋，再提交给网格员确认。" in html
    assert 'value="百花里"' in html and 'value="2单元501"' in html
    assert "中原区伊河路百花里5号楼" in html  # the choices are still there
    assert not re.search(r'name="building"[^>]*checked', html)
    assert ResidenceClaim.objects.count() == 0


def test_a_new_search_never_files_a_claim(verified: Any) -> None:
    bh5 = Building.objects.get(code="BH5")
    response = client_for(verified).post(
        "/m/address/", {"q": "百花里", "building": bh5.pk, "room": "1", "search": "1"}
    )
    assert response.status_code == 200 and ResidenceClaim.objects.count() == 0
    # What the resident ticked stays ticked in the new answer.
    assert re.search(rf'value="{bh5.pk}" checked', response.content.decode())


def test_the_building_chosen_is_the_one_claimed(verified: Any) -> None:
    bh5 = Building.objects.get(code="BH5")
    response = client_for(verified).post(
        "/m/address/", {"q": "百花里", "building": bh5.pk, "room": "2单元501", "claim": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/m/me/"
    claim = ResidenceClaim.objects.get()
    assert (claim.building, claim.room) == (bh5, "2单元501")


# ------------------------------------------------------------------ dates


TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(2026, 11, 28, 13, 13, tzinfo=UTC), "11月28日 21:13"),  # Beijing time
        (datetime(2026, 12, 31, 16, 5, tzinfo=UTC), "2027年1月1日 00:05"),  # next year there
        (datetime(2025, 12, 8, 1, 0, tzinfo=UTC), "2025年12月8日 09:00"),
        (date(2026, 12, 8), "12月8日"),
        (date(1998, 7, 1), "1998年7月1日"),
        (None, ""),
    ],
)
def test_a_date_is_written_one_way(value: Any, shown: str) -> None:
    assert plain_when(value, today=TODAY) == shown


def test_the_filters_read_the_districts_zone_and_this_year() -> None:
    now = timezone.now()
    local = timezone.localtime(now)
    html = Template("{% load plain_dates %}{{ at|when }}|{{ at|day }}|{{ old|when }}").render(
        Context({"at": now, "old": now - timedelta(days=800)})
    )
    at, day, old = html.split("|")
    assert at == f"{local.month}月{local.day}日 {local:%H:%M}"
    assert day == f"{local.month}月{local.day}日"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", old)


def test_notices_on_the_home_page_and_the_list_are_dated_the_same_way(
    cast: dict[str, Any],
) -> None:
    resident = cast["resident"]
    node = home_node(resident)
    assert node is not None
    notice_publish(actor=cast["worker_a"], node=node, title="今年的通知", body="正文")
    old = notice_publish(actor=cast["worker_a"], node=node, title="去年的通知", body="正文")
    Notice.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=400))
    c = client_for(resident)
    for path in ("/m/", "/m/notices/"):
        html = c.get(path).content.decode()
        shown = re.findall(r"<span>([^<]*\d{1,2}[-/月]\d{1,2}[^<]*)</span>", html)
        assert len(shown) == 2, (path, shown)
        assert all(re.fullmatch(r"(\d{4}年)?\d{1,2}月\d{1,2}日 \d{2}:\d{2}", s) for s in shown)
        assert sum(1 for s in shown if "年" in s) == 1  # only last year's carries the year
