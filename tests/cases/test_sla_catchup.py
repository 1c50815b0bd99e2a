"""Fault: the worker is stopped for an hour of simulated time, then restarted.

The SLA sweep is driven by the clock (`warn_at`/`due_at` against now), so the hour passes in
simulated time: time-machine moves the clock a minute at a time and the sweep runs each minute
while the worker is "up", as huey's minutely periodic task does. huey does not replay the runs it
missed; the first sweeps after the restart must catch up on everything that fell due meanwhile,
with a batch smaller than the backlog, and escalate each case exactly once even when the restarted
worker sweeps twice in the same minute.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.cases.conftest import CALENDAR_2026, load_calendar
from wangge.cases import sla
from wangge.cases.models import Card, Case, CaseEvent
from wangge.notifications.models import Notification

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


@pytest.fixture
def holidays(catalogue: Any) -> None:
    load_calendar(CALENDAR_2026)


def test_an_hour_without_the_worker_is_caught_up_without_double_escalation(
    holidays: Any, people: dict[str, Any], report: Callable[..., Case]
) -> None:
    with time_machine.travel(MONDAY_9, tick=False) as clock:
        # 24 emergencies (2 h to resolve: yellow at 1 h 30, red at 2 h) reported over 15 minutes,
        # and 6 more reported just before the worker stops.
        early = []
        for n in range(24):
            early.append(report(f"燃气泄漏，闻到很大气味（{n}）", urgency="emergency"))
            if n % 3 == 2:
                clock.shift(timedelta(minutes=2))
        clock.move_to(MONDAY_9 + timedelta(minutes=50))
        late = [report(f"电梯困人（{n}）", urgency="emergency") for n in range(6)]
        # The worker sweeps every minute until 10:20, then stops for an hour.
        while timezone.now() < MONDAY_9 + timedelta(minutes=80):
            sla.sweep(batch=10)
            clock.shift(timedelta(minutes=1))
        before = {c.pk: c.card for c in Case.objects.filter(pk__in=[c.pk for c in early])}
        assert set(before.values()) == {Card.NONE}  # none had reached 1 h 30 yet
        clock.move_to(MONDAY_9 + timedelta(minutes=140))  # 11:20: restarted

        # Catch-up: the backlog (30 cases) is larger than a batch (10); each minute's sweep takes
        # a batch, and the restarted worker sweeps twice in its first minute.
        sla.sweep(batch=10)
        sla.sweep(batch=10)
        for _minute in range(5):
            clock.shift(timedelta(minutes=1))
            sla.sweep(batch=10)
        now = timezone.now()

    cases = list(Case.objects.filter(pk__in=[c.pk for c in early + late]))
    overdue = [c for c in cases if c.due_at and c.due_at <= now]
    warned = [c for c in cases if c not in overdue]
    assert len(overdue) == 24 and len(warned) == 6
    assert all(c.card == Card.RED and c.supervised and c.was_overdue for c in overdue)
    assert all(c.card == Card.YELLOW and not c.supervised for c in warned)
    # Exactly one card event per case and card: the ones overdue during the outage go straight
    # to red (a yellow card for a case already overdue would be noise), never twice.
    events = list(
        CaseEvent.objects.filter(action__startswith="card_").values_list("case_id", "action")
    )
    assert len(events) == len(set(events)) == 30
    assert {a for pk, a in events if pk in {c.pk for c in overdue}} == {"card_red"}
    assert {a for pk, a in events if pk in {c.pk for c in warned}} == {"card_yellow"}
    dispatcher_notices = Notification.objects.filter(
        recipient=people["dispatcher"], title__startswith="超期督办"
    )
    assert dispatcher_notices.count() == 24
