"""A database outage mid-request is a clean 503 in Chinese, and nothing is half-written.

The real outage (PostgreSQL restarted under load) is bench/faults/pg_restart.py; here the
connection fails at the worst moment of an intake: after the case and its timeline rows were
inserted, while the inbox messages are written.
"""

from typing import Any
from unittest import mock

from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from tests.cases.conftest import IN_A1
from wangge.cases.models import Case, CaseEvent
from wangge.core.views import server_error
from wangge.notifications.models import Notification

MESSAGE = "数据库暂时不可用，请稍后重试；本次操作未保存"


def client_for(user: Any) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def test_intake_during_an_outage_is_a_503_and_writes_nothing(people: dict[str, Any]) -> None:
    lost = OperationalError("server closed the connection unexpectedly")
    # The timeline and inbox rows, the last statement of an intake, after the case row.
    with mock.patch("wangge.core.inserts.insert_together", side_effect=lost):
        resp = client_for(people["resident"]).post(
            "/api/v1/cases",
            {
                "description": "小区门口路灯不亮",
                "location": {"lon": IN_A1[0], "lat": IN_A1[1], "crs": "wgs84"},
            },
            content_type="application/json",
        )
    assert resp.status_code == 503
    assert resp["Content-Type"].startswith("application/json")
    assert resp.json() == {"detail": MESSAGE}
    assert resp["Retry-After"] == "5"
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_page_during_an_outage_is_a_chinese_503_page(people: dict[str, Any]) -> None:
    with mock.patch("wangge.cases.views.paginate", side_effect=InterfaceError("closed")):
        resp = client_for(people["resident"]).get("/cases/mine/")
    assert resp.status_code == 503
    body = resp.content.decode()
    assert "系统繁忙" in body and MESSAGE in body


def test_open311_during_an_outage_answers_in_its_own_format(people: dict[str, Any]) -> None:
    with mock.patch(
        "wangge.open311.views.params.authenticate", side_effect=OperationalError("refused")
    ):
        resp = Client().get("/open311/v2/requests.json", {"api_key": "x"})
    assert resp.status_code == 503 and resp["Retry-After"] == "5"
    assert resp.json() == [{"code": 503, "description": MESSAGE}]
    with mock.patch(
        "wangge.open311.views.params.authenticate", side_effect=OperationalError("refused")
    ):
        resp = Client().get("/open311/v2/requests.xml", {"api_key": "x"})
    assert resp.status_code == 503
    assert f"<description>{MESSAGE}</description>" in resp.content.decode()


def test_an_outage_before_the_open311_view_answers_in_the_format_asked_for() -> None:
    # A failure in a middleware (the session, the user) reaches Django's 500 handler, not the
    # Open311 view's own: a client that asked for XML still gets the spec's XML error list.
    request = RequestFactory().get("/open311/v2/requests.xml")
    try:
        raise OperationalError("refused")
    except OperationalError:
        resp = server_error(request)
    assert resp.status_code == 503 and resp["Retry-After"] == "5"
    body = resp.content.decode()
    assert body.startswith("<?xml") and f"<description>{MESSAGE}</description>" in body


def test_a_bug_is_still_a_500(people: dict[str, Any]) -> None:
    with mock.patch("wangge.cases.views.paginate", side_effect=ValueError("bug")):
        resp = client_for(people["resident"]).get("/cases/mine/")
    assert resp.status_code == 500
