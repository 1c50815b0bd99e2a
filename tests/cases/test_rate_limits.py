"""Residents' reports are rate limited per person: a script cannot flood the dispatch desks.

The limits are settings (RATE_LIMITS); the counters live in Django's cache. Under pytest the
limits are off unless a test switches them on, as these do.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.cases.conftest import IN_A1
from wangge.cases.models import Case

URL = "/api/v1/cases"


@pytest.fixture
def limited(settings: Any) -> Iterator[None]:
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "case_intake": "3/h"}
    cache.clear()
    yield
    cache.clear()


def report(client: Client, n: int) -> Any:
    return client.post(
        URL,
        {
            "description": f"楼道里堆满杂物，第{n}次反映",
            "location": {"lon": IN_A1[0], "lat": IN_A1[1], "crs": "wgs84"},
        },
        content_type="application/json",
    )


def test_the_fourth_report_in_an_hour_is_refused_in_chinese(
    people: dict[str, Any], limited: None
) -> None:
    resident = Client()
    resident.force_login(people["resident"])
    assert [report(resident, n).status_code for n in range(3)] == [201, 201, 201]
    refused = report(resident, 4)
    assert refused.status_code == 429
    assert refused.json() == {"detail": "操作过于频繁，请稍后再试"}
    assert Case.objects.count() == 3  # the refused report wrote nothing

    # The limit is per person: a neighbour still reports.
    neighbour = Client()
    neighbour.force_login(people["outsider"])
    assert report(neighbour, 1).status_code == 201


def test_the_report_page_keeps_what_the_resident_typed(
    people: dict[str, Any], limited: None
) -> None:
    resident = Client()
    resident.force_login(people["resident"])
    for n in range(3):
        report(resident, n)
    page = resident.post(
        "/cases/new/",
        {
            "description": "路灯坏了三天，晚上很黑",
            "lon": IN_A1[0],
            "lat": IN_A1[1],
            "urgency": "normal",
        },
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "操作过于频繁，请稍后再试" in body
    assert "路灯坏了三天，晚上很黑" in body
    assert Case.objects.count() == 3


def test_grid_staff_reporting_on_patrol_are_not_limited(
    people: dict[str, Any], limited: None
) -> None:
    worker = Client()
    worker.force_login(people["worker_a"])
    for n in range(5):
        resp = worker.post(
            URL,
            {
                "description": f"巡查发现井盖缺失，第{n}处",
                "channel": "patrol",
                "location": {"lon": IN_A1[0], "lat": IN_A1[1], "crs": "wgs84"},
            },
            content_type="application/json",
        )
        assert resp.status_code == 201, resp.content


def test_the_limit_is_documented_in_the_openapi_document(people: dict[str, Any]) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "429" in schema["paths"]["/api/v1/cases"]["post"]["responses"]
