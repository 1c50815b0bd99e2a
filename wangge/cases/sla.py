"""Deadlines on the working-day calendar, and the sweep that watches them.

Deadlines are stored on the case (`sign_due_at`, `contact_due_at`, `due_at`, `warn_at`) and
indexed, so the sweep is a range scan. It changes each row with a conditional UPDATE
(`… WHERE card <> 'red'`) and acts only when its own UPDATE changed the row: two workers
sweeping at once escalate each case exactly once.
"""

import threading
import time as _time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases.calendar import DurationUnit as CalUnit
from wangge.cases.calendar import WorkCalendar
from wangge.cases.calendar import WorkingHours as CalHours
from wangge.cases.models import (
    CLOCK_STATUSES,
    CalendarDay,
    Card,
    Case,
    Category,
    DurationUnit,
    Urgency,
    WorkingHours,
)

YELLOW_FRACTION = 0.75
# Defaults when a case has no category yet (DOMAIN.md §3): a general request.
DEFAULT_SIGN = (2.0, DurationUnit.WORKING_HOURS)
DEFAULT_CONTACT = (24.0, DurationUnit.CALENDAR_HOURS)
DEFAULT_RESOLVE = (7.0, DurationUnit.WORKING_DAYS)
EMERGENCY_RESOLVE = (2.0, DurationUnit.CALENDAR_HOURS)
EMERGENCY_SIGN = (0.5, DurationUnit.CALENDAR_HOURS)
_RECHECK_SECONDS = 30.0


class _CalendarCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: WorkCalendar | None = None
        self._sig: Any = None
        self._checked = 0.0

    def invalidate(self) -> None:
        self._checked = 0.0

    def get(self) -> WorkCalendar:
        if self._value is not None and _time.monotonic() - self._checked < _RECHECK_SECONDS:
            return self._value
        with self._lock:
            sig = (
                tuple(CalendarDay.objects.aggregate(n=Count("id"), d=Max("date")).values()),
                WorkingHours.objects.aggregate(t=Max("updated_at"))["t"],
                tuple(CalendarDay.objects.values_list("date", "kind")),
            )
            if self._value is None or sig != self._sig:
                self._value = _build_calendar()
                self._sig = sig
            self._checked = _time.monotonic()
            return self._value


def _build_calendar() -> WorkCalendar:
    hours_row = WorkingHours.objects.order_by("-updated_at", "-id").first() or WorkingHours()
    hours = CalHours(
        morning_start=hours_row.morning_start,
        morning_end=hours_row.morning_end,
        afternoon_start=hours_row.afternoon_start,
        afternoon_end=hours_row.afternoon_end,
    )
    days = list(CalendarDay.objects.values_list("date", "kind"))
    return WorkCalendar(
        hours=hours,
        holidays=[d for d, k in days if k == CalendarDay.Kind.HOLIDAY],
        makeup_workdays=[d for d, k in days if k == CalendarDay.Kind.WORKDAY],
    )


_calendar = _CalendarCache()


def calendar() -> WorkCalendar:
    return _calendar.get()


def invalidate_calendar() -> None:
    _calendar.invalidate()


@dataclass(frozen=True)
class Deadlines:
    sign_due_at: datetime
    contact_due_at: datetime
    due_at: datetime
    warn_at: datetime


def allowances(category: Category | None, urgency: str) -> dict[str, tuple[float, str]]:
    if category is not None:
        result = {
            "sign": (category.sign_amount, category.sign_unit),
            "contact": (category.contact_amount, category.contact_unit),
            "resolve": (category.resolve_amount, category.resolve_unit),
        }
    else:
        result = {"sign": DEFAULT_SIGN, "contact": DEFAULT_CONTACT, "resolve": DEFAULT_RESOLVE}
    if urgency == Urgency.EMERGENCY:
        # A threat to life or property: resolved within 2 hours and signed for within half an
        # hour, day or night, whatever the category's ordinary allowance says.
        resolve = result["resolve"]
        if not (resolve[1] == DurationUnit.CALENDAR_HOURS and resolve[0] < EMERGENCY_RESOLVE[0]):
            result["resolve"] = EMERGENCY_RESOLVE
        result["sign"] = EMERGENCY_SIGN
    return result


def compute(start: datetime, category: Category | None, urgency: str) -> Deadlines:
    cal = calendar()
    a = allowances(category, urgency)
    resolve_amount, resolve_unit = a["resolve"]
    return Deadlines(
        sign_due_at=cal.add(start, a["sign"][0], CalUnit(a["sign"][1])),
        contact_due_at=cal.add(start, a["contact"][0], CalUnit(a["contact"][1])),
        due_at=cal.add(start, resolve_amount, CalUnit(resolve_unit)),
        warn_at=cal.warn_at(start, resolve_amount, CalUnit(resolve_unit), YELLOW_FRACTION),
    )


def remaining(case: Case, now: datetime) -> tuple[float, bool]:
    """What is left of the resolve allowance: (working seconds, True) or (wall seconds, False)."""
    assert case.due_at is not None
    unit = allowances(case.category, case.urgency)["resolve"][1]
    if unit == DurationUnit.CALENDAR_HOURS:
        return max((case.due_at - now).total_seconds(), 0.0), False
    return calendar().working_seconds_between(now, case.due_at), True


def shifted_deadlines(
    case: Case, now: datetime, left: float, working: bool
) -> tuple[datetime, datetime]:
    """New due and warn times when a paused clock restarts with `left` seconds remaining."""
    cal = calendar()
    if left <= 0:
        return now, now
    if working:
        due = cal.add(now, left / 3600, CalUnit.WORKING_HOURS)
        # Keep the yellow card at 75 % of what remains, so a resumed case is warned again.
        warn = cal.add(now, left * YELLOW_FRACTION / 3600, CalUnit.WORKING_HOURS)
    else:
        due = now + timedelta(seconds=left)
        warn = now + timedelta(seconds=left * YELLOW_FRACTION)
    return due, warn


@dataclass
class SweepResult:
    yellow: int = 0
    red: int = 0


def sweep(now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Mark yellow and red cards; put overdue cases under supervision and tell people once."""
    from wangge.cases import services  # services import sla; the sweep acts through them

    now = now or timezone.now()
    result = SweepResult()
    yellow_ids = list(
        Case.objects.filter(
            status__in=CLOCK_STATUSES, card=Card.NONE, warn_at__lte=now, due_at__gt=now
        ).values_list("pk", flat=True)[:batch]
    )
    for pk in yellow_ids:
        with transaction.atomic():
            changed = Case.objects.filter(pk=pk, card=Card.NONE, status__in=CLOCK_STATUSES).update(
                card=Card.YELLOW, updated_at=now
            )
            if changed:
                result.yellow += 1
                services.on_card(case_id=pk, card=Card.YELLOW, now=now)
    red_ids = list(
        Case.objects.filter(status__in=CLOCK_STATUSES, due_at__lte=now)
        .exclude(card=Card.RED)
        .values_list("pk", flat=True)[:batch]
    )
    for pk in red_ids:
        with transaction.atomic():
            changed = (
                Case.objects.filter(pk=pk, status__in=CLOCK_STATUSES)
                .exclude(card=Card.RED)
                .update(card=Card.RED, supervised=True, was_overdue=True, updated_at=now)
            )
            if changed:
                result.red += 1
                services.on_card(case_id=pk, card=Card.RED, now=now)
    return result


def timeline_label_for_card(card: str) -> str:
    return (
        _("黄牌预警：已用去 75% 办理时限") if card == Card.YELLOW else _("红牌：已超期，自动督办")
    )
