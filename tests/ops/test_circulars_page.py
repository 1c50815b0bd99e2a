"""生成通报 on /ops/circulars/: a street's dispatcher makes a weekly or monthly circular of a
period that has ended for their own street (or an administrator for the district), with a
clear message; the page offers the form where the Monday job's circulars are listed. Anyone
else, another street, or a period not yet over is refused."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import DISTRICT, STREET, box, feature
from wangge.core.calendar import month_bounds, week_bounds
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import
from wangge.notifications.models import Notification
from wangge.ops.models import Circular

URL = "/ops/circulars/generate/"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def messages_of(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<li[^>]*>(.*?)</li>", page)]


def test_the_page_offers_the_form_with_last_week(cast: dict[str, Any]) -> None:
    page = _client(cast["dispatcher"]).get("/ops/circulars/").content.decode()
    form = re.search(r'<form method="post" action="/ops/circulars/generate/".*?</form>', page, re.S)
    assert form is not None
    last_week = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert f'value="{last_week}"' in form.group(0)
    assert f'<option value="{STREET}">' in form.group(0)
    assert "生成通报" in form.group(0)
    # Not for a grid worker, who may read circulars but not make them.
    assert "生成通报" not in _client(cast["worker_a"]).get("/ops/circulars/").content.decode()


def test_a_dispatcher_makes_last_weeks_circular_of_their_street(cast: dict[str, Any]) -> None:
    c = _client(cast["dispatcher"])
    day = timezone.localdate() - timedelta(days=7)
    answer = c.post(URL, {"code": STREET, "kind": "weekly", "day": day.isoformat()}, follow=True)
    assert answer.status_code == 200
    monday, _end = week_bounds(day)
    circular = Circular.objects.get(kind="weekly", node__code=STREET, period_start=monday)
    assert circular.pdf.name and circular.xlsx.name
    page = answer.content.decode()
    assert any(m.startswith("已生成：林山寨街道周通报") for m in messages_of(page)), page
    assert f'data-id="{circular.pk}"' in page  # listed on the page it came back to
    # Announced in the street desk's inbox, as the Monday job's are.
    assert Notification.objects.filter(recipient=cast["dispatcher"], topic="circular").exists()
    # Made again: the same period's circular replaced, and the message says so.
    again = c.post(URL, {"code": STREET, "kind": "weekly", "day": monday.isoformat()}, follow=True)
    assert any("已重新生成" in m for m in messages_of(again.content.decode()))
    assert Circular.objects.filter(kind="weekly", node__code=STREET).count() == 1


def test_a_monthly_circular_of_last_month(cast: dict[str, Any]) -> None:
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    _client(cast["dispatcher"]).post(
        URL, {"code": STREET, "kind": "monthly", "day": last_month.isoformat()}
    )
    first, _next = month_bounds(last_month)
    assert Circular.objects.filter(kind="monthly", node__code=STREET, period_start=first).exists()


def test_a_period_not_yet_over_is_refused_with_a_reason(cast: dict[str, Any]) -> None:
    page = (
        _client(cast["dispatcher"])
        .post(
            URL,
            {"code": STREET, "kind": "weekly", "day": timezone.localdate().isoformat()},
            follow=True,
        )
        .content.decode()
    )
    assert any("还没有结束" in m for m in messages_of(page))
    assert not Circular.objects.exists()


def test_only_the_units_own_desk_or_an_administrator(cast: dict[str, Any]) -> None:
    day = (timezone.localdate() - timedelta(days=7)).isoformat()
    # A grid worker of the street: refused.
    assert _client(cast["worker_a"]).post(
        URL, {"code": STREET, "kind": "weekly", "day": day}
    ).status_code in (403, 404)
    # Another street does not exist for this street's desk.
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    "410102002", "建设路街道", "street", DISTRICT, box(113.62, 34.74, 113.65, 34.76)
                )
            ],
        }
    )
    answer = _client(cast["dispatcher"]).post(
        URL, {"code": "410102002", "kind": "weekly", "day": day}
    )
    assert answer.status_code == 404
    assert not Circular.objects.exists()
    # The district's administrator makes the district's.
    _client(cast["admin"]).post(URL, {"code": DISTRICT, "kind": "weekly", "day": day})
    assert Circular.objects.filter(node=GridNode.objects.get(code=DISTRICT)).count() == 1


@pytest.mark.parametrize(
    "data", [{"kind": "daily", "day": "2026-11-02"}, {"kind": "weekly", "day": "不是日期"}]
)
def test_a_bad_form_is_said_and_nothing_is_made(cast: dict[str, Any], data: dict[str, str]) -> None:
    answer = _client(cast["dispatcher"]).post(URL, {"code": STREET, **data}, follow=True)
    assert answer.status_code == 200
    said = messages_of(answer.content.decode())
    assert any("请选择通报类型" in m or "日期格式不正确" in m for m in said), said
    assert not Circular.objects.exists()
    assert date.today()  # the clock is not frozen here
