"""回传: results go back to the hotline signed, in order per case, retried with back-off."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from tests.hotline.conftest import SECRET, Receiver
from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.cases.services import case_act
from wangge.hotline import callback
from wangge.hotline.models import Delivery
from wangge.hotline.services import (
    HotlineOrderInput,
    delivery_retry,
    desk_call_take,
    hotline_order_receive,
)
from wangge.hotline.tasks import deliveries_sweep

T0 = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
Committing = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def committing(
    django_capture_on_commit_callbacks: Any,
) -> Callable[[], AbstractContextManager[Any]]:
    """Run what a real commit would run (the send task, in huey's immediate mode)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def hotline_case(people: dict[str, User], **kw: Any) -> Case:
    fields: dict[str, Any] = {
        "order_no": "ZZ20261123000123",
        "content": "百花里3号楼门口有人摆摊占道，堵住了小区出入口",
        "address": "中原区伊河路百花里3号楼",
        "caller_phone": "13937112345",
        "category": "CSGL-01",
    }
    fields.update(kw)
    return hotline_order_receive(order=HotlineOrderInput(**fields), actor=people["admin"]).case


def act(case: Case, who: User, action: str, note: str = "", **params: Any) -> Case:
    return case_act(case_id=case.pk, actor=who, action=action, note=note, params=params)


def close_the_loop(case: Case, people: dict[str, User]) -> None:
    act(case, people["worker_a"], "sign")
    act(case, people["worker_a"], "resolve", result="已劝离摊贩，出入口已畅通")
    act(case, people["dispatcher"], "verify_pass")
    act(
        case,
        people["dispatcher"],
        "follow_up",
        reached=True,
        contacted=True,
        solved=True,
        satisfaction="satisfied",
        note="群众表示满意",
    )


def test_backoff_doubles_from_30_seconds_and_stops_at_30_minutes() -> None:
    assert [callback.backoff(n).total_seconds() for n in range(1, 13)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1800,
        1800,
        1800,
        1800,
        1800,
        1800,
    ]


def test_without_a_callback_url_results_are_recorded_as_disabled(
    people: dict[str, User], settings: Any, committing: Callable[[], Any]
) -> None:
    settings.HOTLINE_CALLBACK_URL = ""
    with committing():
        case = hotline_case(people)
        close_the_loop(case, people)
    rows = list(Delivery.objects.values_list("kind", "state", "next_attempt_at"))
    assert rows == [
        ("accepted", "disabled", None),
        ("resolved", "disabled", None),
        ("closed", "disabled", None),
    ]
    deliveries_sweep()
    assert Delivery.objects.filter(state="disabled").count() == 3


def test_each_result_goes_back_signed_in_order(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any], clock: Any
) -> None:
    with committing():
        case = hotline_case(people)
        close_the_loop(case, people)
    assert receiver.kinds == ["accepted", "resolved", "closed"]
    assert list(Delivery.objects.values_list("state", flat=True)) == ["sent"] * 3
    accepted, resolved, closed = (r.json for r in receiver.requests)
    case.refresh_from_db()
    assert accepted == {
        "order_no": "ZZ20261123000123",
        "kind": "accepted",
        "kind_label": "受理",
        "case_number": case.number,
        "status": "signed",
        "status_label": "处理中",
        "occurred_at": T0.isoformat(),
        "unit": "碧沙岗第1网格",
        "operator": "周敏",
    }
    assert resolved["reply"] == "已劝离摊贩，出入口已畅通"
    assert (
        closed["satisfaction"],
        closed["satisfaction_label"],
        closed["solved"],
        closed["contacted"],
    ) == ("satisfied", "满意", True, True)
    for delivery, request in zip(Delivery.objects.order_by("pk"), receiver.requests, strict=True):
        assert request.path == "/12345/callback"
        assert request.headers["X-Wangge-Delivery"] == str(delivery.pk)
        assert request.headers["Content-Type"] == "application/json; charset=utf-8"
        assert callback.verify(request.body, SECRET, request.headers["X-Wangge-Signature"])
        assert not callback.verify(
            request.body, "another-secret", request.headers["X-Wangge-Signature"]
        )
        assert (delivery.attempts, delivery.last_status_code, delivery.sent_at) == (1, 200, T0)


def test_a_return_goes_back_with_its_reason(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any]
) -> None:
    with committing():
        case = hotline_case(people)
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "return", note="该地址属于商圈物业管理范围")
    assert receiver.kinds == ["accepted", "returned"]
    assert receiver.requests[1].json["reason"] == "该地址属于商圈物业管理范围"


def test_a_case_closed_at_verification_reports_closed(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any]
) -> None:
    with committing():
        case = hotline_case(people, caller_phone="")  # nobody to call back
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "resolve", result="已清理")
        act(case, people["dispatcher"], "verify_pass")
    assert receiver.kinds == ["accepted", "resolved", "closed"]


def test_a_failed_attempt_is_retried_with_backoff(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any], clock: Any
) -> None:
    receiver.fail_next = 3
    with committing():
        case = hotline_case(people)
        act(case, people["worker_a"], "sign")
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, 503)
    assert delivery.next_attempt_at == T0 + timedelta(seconds=30)
    assert delivery.last_error.startswith("HTTP 503")
    schedule = []
    for wait in (29, 1, 60, 120):
        clock.shift(timedelta(seconds=wait))
        with committing():
            deliveries_sweep()
        schedule.append(len(receiver.requests))
    assert schedule == [1, 2, 3, 4]  # nothing before its time, then one attempt each time
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("sent", 4, "")
    assert delivery.sent_at == T0 + timedelta(seconds=210)
    assert {r.headers["X-Wangge-Delivery"] for r in receiver.requests} == {str(delivery.pk)}


def test_a_later_result_waits_for_the_earlier_one(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any], clock: Any
) -> None:
    receiver.fail_next = 1
    with committing():
        case = hotline_case(people)
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "resolve", result="已劝离")
    assert receiver.kinds == ["accepted"]  # 办结 is held back behind the failed 受理
    assert list(Delivery.objects.values_list("kind", "state", "attempts")) == [
        ("accepted", "pending", 1),
        ("resolved", "pending", 0),
    ]
    clock.shift(timedelta(seconds=30))
    with committing():
        deliveries_sweep()
    assert receiver.kinds == ["accepted", "accepted", "resolved"]
    assert list(Delivery.objects.values_list("state", flat=True)) == ["sent", "sent"]


def test_after_twelve_failures_a_delivery_fails_and_a_person_pushes_it_again(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any], clock: Any
) -> None:
    receiver.fail_next = 1000
    with committing():
        case = hotline_case(people)
        act(case, people["worker_a"], "sign")
    for attempt in range(1, callback.MAX_ATTEMPTS):
        clock.shift(callback.backoff(attempt))
        with committing():
            deliveries_sweep()
    accepted = Delivery.objects.get()
    assert (accepted.state, accepted.attempts, accepted.next_attempt_at) == ("failed", 12, None)
    assert len(receiver.requests) == 12
    with committing():
        act(case, people["worker_a"], "resolve", result="已劝离")
    clock.shift(timedelta(hours=2))
    with committing():
        deliveries_sweep()
    assert len(receiver.requests) == 12  # the failed 受理 still holds back the 办结
    receiver.fail_next = 0
    with committing():
        delivery_retry(delivery_id=accepted.pk, actor=people["dispatcher"])
    assert receiver.kinds[12:] == ["accepted", "resolved"]
    assert list(Delivery.objects.values_list("state", "attempts")) == [("sent", 1), ("sent", 1)]


def test_only_a_failed_delivery_can_be_pushed_again(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any]
) -> None:
    from wangge.core.errors import Conflict

    with committing():
        case = hotline_case(people)
        act(case, people["worker_a"], "sign")
    with pytest.raises(Conflict, match="只有推送失败的回传可以重新推送"):
        delivery_retry(delivery_id=Delivery.objects.get().pk, actor=people["dispatcher"])


def test_a_rolled_back_action_tells_the_hotline_nothing(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any]
) -> None:
    with committing():
        case = hotline_case(people)

    def sign_then_fail() -> None:
        with transaction.atomic():
            act(case, people["worker_a"], "sign")
            raise RuntimeError("something later in the same transaction failed")

    with committing(), pytest.raises(RuntimeError):
        sign_then_fail()
    assert not Delivery.objects.exists()
    assert receiver.requests == []


def test_other_channels_and_desk_numbers_send_nothing(
    people: dict[str, User],
    receiver: Receiver,
    committing: Callable[[], Any],
    report: Callable[..., Case],
) -> None:
    with committing():
        resident_case = report()
        desk_case = desk_call_take(
            order=HotlineOrderInput(
                order_no="",
                content="百花里3号楼门口占道摆摊",
                address="中原区伊河路百花里3号楼",
                category="CSGL-01",
            ),
            actor=people["dispatcher"],
        ).case
        for case in (resident_case, desk_case):
            act(case, people["worker_a"], "sign")
    assert desk_case.external_id and desk_case.external_id.startswith("DESK-")
    assert not Delivery.objects.exists() and receiver.requests == []


def test_an_order_number_typed_at_the_desk_is_reported_back(
    people: dict[str, User], receiver: Receiver, committing: Callable[[], Any]
) -> None:
    with committing():
        case = desk_call_take(
            order=HotlineOrderInput(
                order_no="ZZ20261123000999",
                content="百花里3号楼门口占道摆摊",
                address="中原区伊河路百花里3号楼",
                category="CSGL-01",
            ),
            actor=people["dispatcher"],
        ).case
        act(case, people["worker_a"], "sign")
    assert receiver.kinds == ["accepted"]
    assert receiver.requests[0].json["order_no"] == "ZZ20261123000999"


def test_an_unreachable_hotline_is_an_attempt_with_the_error_kept(
    people: dict[str, User], settings: Any, committing: Callable[[], Any], clock: Any
) -> None:
    settings.HOTLINE_CALLBACK_URL = "http://127.0.0.1:9/closed-port"
    settings.HOTLINE_CALLBACK_SECRET = SECRET
    with committing():
        case = hotline_case(people)
        act(case, people["worker_a"], "sign")
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error.startswith("ConnectError")
