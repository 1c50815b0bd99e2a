"""Deadlines on the calendar, yellow and red cards, the sweep, extensions and suspension."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.cases.conftest import CALENDAR_2026, load_calendar
from tests.concurrency import POSTGRES_ONLY, run_parallel
from wangge.cases import sla
from wangge.cases.models import Card, Case, CaseEvent, Status
from wangge.cases.services import case_act
from wangge.core.errors import ValidationFailed
from wangge.notifications.models import Notification

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def holidays(catalogue: Any) -> None:
    load_calendar(CALENDAR_2026)


def test_deadlines_count_working_time_across_a_weekend(
    holidays: Any, report: Callable[..., Case]
) -> None:
    with time_machine.travel(at(2026, 11, 20, 16, 30), tick=False):  # a Friday afternoon
        case = report()
    # Sign within 2 working hours: 30 min on Friday, 90 min on Monday morning.
    assert case.sign_due_at == at(2026, 11, 23, 10, 30)
    # 7 working days for a general request, same time of day.
    assert case.due_at == at(2026, 12, 1, 16, 30)
    assert case.contact_due_at == at(2026, 11, 21, 16, 30)  # 24 plain hours


def test_national_day_holiday_and_its_makeup_workday(
    holidays: Any, report: Callable[..., Case]
) -> None:
    with time_machine.travel(at(2026, 9, 30, 16, 0), tick=False):
        case = report()
    # Oct 1–7 off; Saturday Oct 10 is a make-up workday: 1 h on Sep 30, 1 h on Oct 8.
    assert case.sign_due_at == at(2026, 10, 8, 10, 0)


def test_heating_outage_is_24_plain_hours(holidays: Any, report: Callable[..., Case]) -> None:
    with time_machine.travel(at(2026, 12, 31, 22, 0), tick=False):
        case = report("家里暖气不热，老人受不了", category="GN-01")
    assert case.due_at == at(2027, 1, 1, 22, 0)


def test_emergency_is_two_hours_day_or_night(holidays: Any, report: Callable[..., Case]) -> None:
    with time_machine.travel(at(2026, 11, 21, 23, 0), tick=False):  # Saturday night
        case = report("燃气味很大", urgency="emergency")
    assert case.due_at == at(2026, 11, 22, 1, 0)


def test_sweep_cards_yellow_then_red_and_supervises_once(
    holidays: Any, people: dict[str, Any], report: Callable[..., Case]
) -> None:
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):  # Monday
        case = report()
    assert case.warn_at is not None and case.due_at is not None
    with time_machine.travel(case.warn_at, tick=False):
        assert sla.sweep().yellow == 1
        assert sla.sweep().yellow == 0
    case.refresh_from_db()
    assert case.card == Card.YELLOW and not case.supervised
    with time_machine.travel(case.due_at, tick=False):
        assert sla.sweep().red == 1
        assert sla.sweep().red == 0
    case.refresh_from_db()
    assert case.card == Card.RED and case.supervised and case.was_overdue
    assert list(
        case.events.filter(action__startswith="card_").values_list("action", flat=True)
    ) == ["card_yellow", "card_red"]
    assert (
        Notification.objects.filter(
            recipient=people["dispatcher"], title__startswith="超期督办"
        ).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_two_workers_sweeping_at_once_escalate_each_case_once(
    holidays: Any, people: dict[str, Any], report: Callable[..., Case]
) -> None:
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        cases = [report() for _ in range(12)]
    due = max(c.due_at for c in cases if c.due_at)
    results = run_parallel(2, lambda _n: sla.sweep(now=due))
    assert all(isinstance(r, sla.SweepResult) for r in results), results
    assert sum(r.red for r in results) == 12
    assert CaseEvent.objects.filter(action="card_red").count() == 12


def test_extension_before_the_deadline_moves_it(
    holidays: Any, people: dict[str, Any], report: Callable[..., Case]
) -> None:
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        case = report()
        case = case_act(case_id=case.pk, actor=people["worker_a"], action="sign")
        case = case_act(
            case_id=case.pk,
            actor=people["worker_a"],
            action="request_extension",
            note="需等待配件",
            params={"until": "2026-12-10T17:00:00+08:00"},
        )
        assert case.extension_requested_until == at(2026, 12, 10, 17, 0)
        case = case_act(case_id=case.pk, actor=people["dispatcher"], action="approve_extension")
    assert case.due_at == at(2026, 12, 10, 17, 0) and case.extension_count == 1
    assert case.extension_requested_until is None


def test_no_extension_after_the_deadline(
    holidays: Any, people: dict[str, Any], report: Callable[..., Case]
) -> None:
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        case = report()
    with (
        time_machine.travel(at(2026, 12, 15, 9, 0), tick=False),
        pytest.raises(ValidationFailed, match="已超过办理时限"),
    ):
        case_act(
            case_id=case.pk,
            actor=people["worker_a"],
            action="request_extension",
            note="来不及",
            params={"until": "2026-12-30T17:00:00+08:00"},
        )


def test_suspension_stops_the_clock(
    holidays: Any, people: dict[str, Any], report: Callable[..., Case]
) -> None:
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        case = report()
        case_act(case_id=case.pk, actor=people["worker_a"], action="sign")
    original_due = case.due_at
    # Suspended on Tuesday 9:00 with 6 working days left; resumed two weeks later.
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        case = case_act(
            case_id=case.pk, actor=people["dispatcher"], action="suspend", note="待上级政策"
        )
    assert case.status == Status.SUSPENDED
    with time_machine.travel(case.due_at, tick=False):
        assert sla.sweep().red == 0  # no card while suspended
    with time_machine.travel(at(2026, 12, 8, 9, 0), tick=False):
        case = case_act(case_id=case.pk, actor=people["dispatcher"], action="resume")
    assert case.status == Status.SIGNED
    # 7 working days from Monday 09:00 end with Tuesday Dec 1's working day.
    assert original_due == at(2026, 12, 1, 17, 0)
    # 6 working days (42 h) were left on Tuesday morning; counted again from Dec 8.
    assert case.due_at == at(2026, 12, 15, 17, 0)


def test_senders_deadline_survives_triage(holidays: Any, people: dict[str, Any]) -> None:
    from wangge.cases.services import CaseInput, case_intake

    deadline = at(2026, 11, 27, 17, 0)
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        case, _ = case_intake(
            data=CaseInput(
                description="某小区暖气不热",
                category_code="GN-01",
                address="不存在的路",
                due_at=deadline,
            ),
            actor=people["admin"],
        )
        assert case.status == Status.PENDING and case.due_at is None
        case = case_act(
            case_id=case.pk,
            actor=people["admin"],
            action="dispatch",
            params={"node": "410102001002001"},
        )
    assert case.due_at == deadline
