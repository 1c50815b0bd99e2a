"""On PostgreSQL an intake with no photos, outside any caller's transaction, is reads and then one
statement: the case, its timeline and its inbox, with the case's id and number drawn inside it.
Proven here with real parallel requests and outside a test transaction, where that path runs."""

import io
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from unittest import mock

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from tests.cases.conftest import IN_A1
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case, CaseEvent, Status
from wangge.cases.signals import case_changed
from wangge.core import inserts
from wangge.core.images import clean_images
from wangge.notifications.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="one statement for the case and its rows is PostgreSQL's (SQLite: save and "
        "bulk_create in a transaction)",
    ),
]
PARALLEL = 16


def _assert_whole(case: Case) -> None:
    """The case as stored, with its timeline and inbox pointing at it and naming its number."""
    stored = Case.objects.get(pk=case.pk)
    assert case.number and stored.number == case.number
    assert case.number.endswith(f"{case.pk:06d}")
    events = list(CaseEvent.objects.filter(case=stored).order_by("id"))
    assert [e.action for e in events][:1] == ["intake"]
    inbox = list(Notification.objects.filter(topic=f"case:{case.pk}").order_by("id"))
    assert inbox and all(n.link == f"/cases/{case.pk}/" for n in inbox)
    told = [n for n in inbox if n.recipient_id == stored.reporter_id]
    assert [n.title for n in told] == [f"您反映的问题已受理（编号 {case.number}）"]
    assert not any("\x00" in (n.title + n.topic + n.link) for n in inbox)


def _transactions_opened(file: Callable[[], Case]) -> tuple[Case, int]:
    """The case `file` makes, and how often Django's atomic() began or ended a transaction
    (it turns autocommit off to begin and on again to end)."""
    with mock.patch.object(connection, "set_autocommit", wraps=connection.set_autocommit) as tx:
        case = file()
    return case, tx.call_count


def test_an_intake_opens_no_transaction_and_leaves_its_objects_filled_in(
    report: Callable[..., Case],
) -> None:
    heard: list[Any] = []

    def listener(**kw: Any) -> None:
        heard.append((kw["event"].pk, kw["event"].case_id))

    case_changed.connect(listener, sender=Case, dispatch_uid="test-one-statement")
    try:
        case, opened = _transactions_opened(report)
    finally:
        case_changed.disconnect(dispatch_uid="test-one-statement", sender=Case)
    assert case.status == Status.DISPATCHED
    assert opened == 0
    _assert_whole(case)
    # The objects carry what was written, not the stand-ins the rows were made with: the case
    # returned, and the timeline row the receivers are given.
    assert case.pk == Case.objects.get(number=case.number).pk and not case._state.adding
    intake = CaseEvent.objects.get(case=case, action="intake")
    assert heard == [(intake.pk, case.pk)]


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_report_with_photos_is_still_written_in_one_transaction(
    report: Callable[..., Case],
) -> None:
    case, opened = _transactions_opened(lambda: report("路灯不亮", photos=clean_images([_jpeg()])))
    assert opened == 2
    assert case.attachments.count() == 1
    _assert_whole(case)


def test_parallel_reports_each_get_their_own_number_and_rows(
    people: dict[str, User], live_server: Any
) -> None:
    _token, key = api_token_create(user=people["resident"], name="原点在线")
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    start = threading.Barrier(PARALLEL)

    def report(n: int) -> httpx.Response:
        body = {
            "description": f"楼下有人摆摊占道（{n}号）",
            "category": "CSGL-01",
            "location": {"lon": IN_A1[0], "lat": IN_A1[1]},
        }
        start.wait()
        return httpx.post(
            f"{live_server.url}/api/v1/cases",
            content=json.dumps(body, ensure_ascii=False).encode(),
            headers=headers,
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        responses = list(pool.map(report, range(PARALLEL)))
    assert [r.status_code for r in responses] == [201] * PARALLEL
    numbers = [r.json()["number"] for r in responses]
    assert len(set(numbers)) == PARALLEL
    assert Case.objects.count() == PARALLEL
    for case in Case.objects.all():
        _assert_whole(case)
    assert CaseEvent.objects.filter(action="intake").count() == PARALLEL


def test_parallel_retries_of_one_offline_report_make_one_case(
    people: dict[str, User], live_server: Any
) -> None:
    """The app's own id, sent again and again at once: the losers of the race to insert get
    the winner's case, and nothing of theirs is left behind."""
    _token, key = api_token_create(user=people["resident"], name="原点在线")
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    body = json.dumps(
        {
            "description": "楼道灯坏了，晚上看不见台阶",
            "category": "CSGL-01",
            "external_id": "offline-7f3a",
            "location": {"lon": IN_A1[0], "lat": IN_A1[1]},
        },
        ensure_ascii=False,
    ).encode()
    start = threading.Barrier(PARALLEL)

    def send(_n: int) -> httpx.Response:
        start.wait()
        return httpx.post(
            f"{live_server.url}/api/v1/cases", content=body, headers=headers, timeout=60
        )

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        responses = list(pool.map(send, range(PARALLEL)))
    assert sorted(r.status_code for r in responses) == [200] * (PARALLEL - 1) + [201]
    assert len({r.json()["number"] for r in responses}) == 1
    case = Case.objects.get()
    _assert_whole(case)
    assert CaseEvent.objects.filter(action="intake").count() == 1
    assert Notification.objects.filter(recipient=people["resident"]).count() == 1


def test_a_value_cut_through_a_stand_in_is_refused_before_it_is_sent() -> None:
    head = inserts.Head(model=Case, ctes="", params=[], id_sql="(i)", tag_sql="(t)")
    params: list[Any] = []
    with pytest.raises(ValueError, match="stand-in"):
        inserts._row_sql(["编号 " + inserts.NEW_TAG[:3]], head, params)
