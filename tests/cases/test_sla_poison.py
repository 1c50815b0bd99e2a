"""Fault: one overdue case cannot be notified. The sweep keeps going — each case has its own
savepoint — logs the bad case by number, and ends naming it; the next sweep tries it again."""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.cases.conftest import CALENDAR_2026, load_calendar
from wangge.cases import sla
from wangge.cases.models import Card, Case, CaseEvent
from wangge.cases.services import notices
from wangge.cases.tasks import sla_sweep
from wangge.core.runs import RunIncomplete
from wangge.notifications.models import Notification

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


@pytest.fixture
def two_overdue(catalogue: Any, people: dict[str, Any], report: Callable[..., Case]) -> list[Case]:
    load_calendar(CALENDAR_2026)
    with time_machine.travel(MONDAY_9, tick=False):
        return [report("小区门口有人摆摊占道"), report("路口有人摆摊占道经营")]


@pytest.fixture
def poison(monkeypatch: pytest.MonkeyPatch) -> Callable[[Case], None]:
    """Notifying about the given case raises, as a broken inbox or gateway would."""

    def make(case: Case) -> None:
        real = notices.notify

        def notify(**kw: Any) -> int:
            if kw.get("topic") == f"case:{case.pk}":
                raise RuntimeError("inbox unavailable")
            return real(**kw)

        monkeypatch.setattr(notices, "notify", notify)

    return make


def _check(
    first: Case, second: Case, result: sla.SweepResult, people: dict[str, Any], log: str
) -> None:
    assert result.red == 1 and result.failed == [first.number]
    first.refresh_from_db()
    second.refresh_from_db()
    # The second case got its card, its timeline row and its supervision notices…
    assert second.card == Card.RED and second.supervised
    assert CaseEvent.objects.filter(case=second, action="card_red").count() == 1
    assert Notification.objects.filter(
        recipient=people["dispatcher"], title__startswith="超期督办", topic=f"case:{second.pk}"
    ).exists()
    # …the first kept nothing half-done, and the log names it.
    assert first.card == Card.NONE and not first.supervised
    assert not CaseEvent.objects.filter(case=first, action="card_red").exists()
    assert f"red card for case {first.number} failed" in log
    assert f"failed: {first.number}" in log


def test_one_case_failing_to_notify_does_not_stop_the_sweep(
    two_overdue: list[Case],
    people: dict[str, Any],
    poison: Callable[[Case], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, second = two_overdue
    poison(first)
    due = max(c.due_at for c in two_overdue if c.due_at)
    with caplog.at_level(logging.INFO, logger="wangge.cases.sla"):
        result = sla.sweep(now=due)
    _check(first, second, result, people, caplog.text)


def test_the_periodic_task_ends_naming_the_failure_and_the_next_run_catches_up(
    two_overdue: list[Case],
    people: dict[str, Any],
    poison: Callable[[Case], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = two_overdue
    poison(first)
    due = max(c.due_at for c in two_overdue if c.due_at)
    with time_machine.travel(due, tick=False), pytest.raises(RunIncomplete, match=first.number):
        sla_sweep.call_local()
    second.refresh_from_db()
    assert second.card == Card.RED
    monkeypatch.undo()  # the inbox is back
    with time_machine.travel(due, tick=False):
        again = sla.sweep()
    assert (again.red, again.failed) == (1, [])
    first.refresh_from_db()
    assert first.card == Card.RED
    assert CaseEvent.objects.filter(action="card_red").count() == 2


@pytest.mark.django_db(transaction=True)
def test_without_an_outer_transaction_each_case_commits_on_its_own(
    two_overdue: list[Case],
    people: dict[str, Any],
    poison: Callable[[Case], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """As in the worker, where no test transaction wraps the run (and on PostgreSQL a failed
    statement would otherwise poison the whole transaction)."""
    first, second = two_overdue
    poison(first)
    due = max(c.due_at for c in two_overdue if c.due_at)
    with caplog.at_level(logging.INFO, logger="wangge.cases.sla"):
        result = sla.sweep(now=due)
    _check(first, second, result, people, caplog.text)
