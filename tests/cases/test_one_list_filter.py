"""One filter, three lists: the JSON API (`GET /api/v1/cases`), the 分拨台 and the Excel export
answer the same filter with the same cases, and refuse the same bad values.

`created_to=2026-11-01` used to exclude 1 November in the API and include it in the export;
`status=bogus` was a 422 in the API and an export of every status.
"""

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.cases.test_desk import client_for, numbers_on, seed
from wangge.accounts.services import api_token_create
from wangge.cases.models import Card, Case, Channel, Status

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")

# Thirty filters. A search is never combined with a status here: the desk's search looks
# past its status tab (a caller ringing back), which the API and the export do not have.
FILTERS: list[dict[str, str]] = [
    {"status": "all"},
    {"status": "open"},
    {"status": "pending"},
    {"status": "closed"},
    {"status": "pending,closed"},
    {"status": "all", "channel": "hotline"},
    {"status": "all", "channel": "resident"},
    {"status": "all", "created_to": "2026-11-01"},
    {"status": "all", "created_from": "2026-11-01"},
    {"status": "all", "created_from": "2026-11-01", "created_to": "2026-11-01"},
    {"status": "all", "created_from": "2026-10-31", "created_to": "2026-10-31"},
    {"status": "all", "created_to": "2026-11-01T09:00:00+08:00"},
    {"status": "all", "created_from": "2026-11-01T09:00:00+08:00"},
    {"status": "all", "overdue": "1"},
    {"status": "all", "overdue": "true"},
    {"status": "all", "overdue": "0"},
    {"status": "open", "overdue": "1"},
    {"status": "open", "channel": "hotline", "created_to": "2026-11-01"},
    {"q": "热线工单001"},
    {"q": "不存在的小区"},
    {"status": "all", "grid": "410102009001"},
    {"status": "all", "grid": "999999"},
    # Refused, by all three alike.
    {"status": "bogus"},
    {"status": "pending,bogus"},
    {"status": "all", "channel": "carrier-pigeon"},
    {"status": "all", "overdue": "maybe"},
    {"status": "all", "created_to": "2026-13-01"},
    {"status": "all", "created_from": "yesterday"},
    {"status": "all", "created_from": "2026-11-02", "created_to": "2026-11-01"},
    {"status": "all", "created_to": "1800-01-01"},
]
REFUSED = 8


@pytest.fixture
def cases(people: dict[str, Any]) -> dict[str, Any]:
    """Ten cases of the street over 31 October – 2 November: open and closed, hotline and
    residents', two red-carded."""
    rows = seed(6) + seed(4, channel=Channel.RESIDENT)
    moments = [
        datetime(2026, 10, 31, 23, 30, tzinfo=TZ),
        datetime(2026, 11, 1, 0, 0, tzinfo=TZ),
        datetime(2026, 11, 1, 8, 59, tzinfo=TZ),
        datetime(2026, 11, 1, 9, 0, tzinfo=TZ),
        datetime(2026, 11, 1, 23, 59, 59, tzinfo=TZ),
        datetime(2026, 11, 2, 0, 0, tzinfo=TZ),
        datetime(2026, 10, 31, 10, 0, tzinfo=TZ),
        datetime(2026, 11, 1, 12, 0, tzinfo=TZ),
        datetime(2026, 11, 2, 12, 0, tzinfo=TZ),
        datetime(2026, 11, 1, 9, 0, 1, tzinfo=TZ),
    ]
    statuses = (
        [Status.PENDING] * 3 + [Status.CLOSED] * 2 + [Status.SIGNED] * 3 + [Status.RETURNED] * 2
    )
    for case, moment, status in zip(rows, moments, statuses, strict=True):
        Case.objects.filter(pk=case.pk).update(created_at=moment, status=status)
    Case.objects.filter(pk__in=[rows[0].pk, rows[6].pk]).update(card=Card.RED)
    _row, key = api_token_create(user=people["dispatcher"], name="lists")
    return {"dispatcher": people["dispatcher"], "key": key}


def from_api(key: str, params: dict[str, str]) -> set[str] | str:
    resp = Client().get(
        "/api/v1/cases", {**params, "page_size": "100"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    if resp.status_code == 422:
        return "refused"
    assert resp.status_code == 200, resp.content[:300]
    return {row["number"] for row in resp.json()["results"]}


def from_desk(client: Client, params: dict[str, str]) -> set[str] | str:
    page = client.get("/cases/desk/", {**params, "per": "100"})
    assert page.status_code == 200
    text = page.content.decode()
    found = set(numbers_on(text))
    if 'class="error" role="alert"' in text:
        assert not found, "a filter the desk cannot read lists nothing"
        return "refused"
    return found


def from_export(client: Client, params: dict[str, str]) -> set[str] | str:
    resp = client.get("/ops/export/cases.xlsx", params)
    if resp.status_code == 422:
        assert "文件" not in resp.get("Content-Disposition", "")
        return "refused"
    assert resp.status_code == 200, resp.content[:300]
    sheet = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = list(rows[0]).index("编号")
    return {str(row[column]) for row in rows[1:]}


def test_the_api_the_desk_and_the_export_list_the_same_cases(cases: dict[str, Any]) -> None:
    desk = client_for(cases["dispatcher"])
    refused = 0
    for params in FILTERS:
        api = from_api(cases["key"], params)
        assert from_desk(desk, params) == api, params
        assert from_export(desk, params) == api, params
        refused += api == "refused"
    assert refused == REFUSED


def test_a_day_as_the_upper_bound_includes_that_day(cases: dict[str, Any]) -> None:
    listed = from_api(cases["key"], {"status": "all", "created_to": "2026-11-01"})
    assert isinstance(listed, set)
    last_of_the_day = Case.objects.get(created_at=datetime(2026, 11, 1, 23, 59, 59, tzinfo=TZ))
    next_day = Case.objects.get(created_at=datetime(2026, 11, 2, 0, 0, tzinfo=TZ))
    assert last_of_the_day.number in listed and next_day.number not in listed
    # A moment as the bound includes that moment.
    at_nine = from_api(cases["key"], {"status": "all", "created_to": "2026-11-01T09:00:00+08:00"})
    nine = Case.objects.get(created_at=datetime(2026, 11, 1, 9, 0, tzinfo=TZ))
    after = Case.objects.get(created_at=datetime(2026, 11, 1, 9, 0, 1, tzinfo=TZ))
    assert isinstance(at_nine, set) and nine.number in at_nine and after.number not in at_nine


def test_an_empty_status_is_the_lists_default(cases: dict[str, Any]) -> None:
    """The desk's form sends `status=` for its first tab (the dispatch queue): the desk's
    default, not every status; the API's default is every status."""
    desk = from_desk(client_for(cases["dispatcher"]), {"status": "", "channel": "resident"})
    queue = from_api(cases["key"], {"status": "queue", "channel": "resident"})
    assert desk == queue and desk != from_api(cases["key"], {"channel": "resident"})
    assert from_api(cases["key"], {"status": ""}) == from_api(cases["key"], {"status": "all"})


def test_a_bad_status_is_refused_with_its_name(cases: dict[str, Any]) -> None:
    resp = Client().get(
        "/api/v1/cases", {"status": "bogus"}, HTTP_AUTHORIZATION=f"Bearer {cases['key']}"
    )
    assert resp.status_code == 422
    assert "bogus" in resp.json()["detail"] and "状态" in resp.json()["detail"]
    export = client_for(cases["dispatcher"]).get("/ops/export/cases.xlsx", {"status": "bogus"})
    assert export.status_code == 422 and "bogus" in export.content.decode()
