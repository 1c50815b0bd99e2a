"""Deadlines on the working-day calendar: the allowances of a case's category, the deadlines
they give from a start, and what is left of them when a clock stops and restarts.

Every write that starts or moves a case's clock (cases.services) reads them here, and so does
the SLA sweep (cases.sla), which stands above those writes: it calls the notices step of
services when it gives a card. Keeping the arithmetic below both lets the sweep call that
step directly without an import circle.
"""

import threading
import time as _time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from wangge.cases import categories
from wangge.cases.calendar import DurationUnit as CalUnit
from wangge.cases.calendar import WorkCalendar
from wangge.cases.calendar import WorkingHours as CalHours
from wangge.cases.models import (
    CalendarDay,
    CalendarYear,
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


@dataclass(frozen=True)
class _Loaded:
    calendar: WorkCalendar
    covered: frozenset[int]  # years whose official arrangement is loaded


class _CalendarCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: _Loaded | None = None
        self._sig: Any = None
        self._checked = 0.0

    def invalidate(self) -> None:
        self._checked = 0.0

    def get(self) -> _Loaded:
        if self._value is not None and _time.monotonic() - self._checked < _RECHECK_SECONDS:
            return self._value
        with self._lock:
            sig = (
                tuple(CalendarDay.objects.aggregate(n=Count("id"), d=Max("date")).values()),
                WorkingHours.objects.aggregate(t=Max("updated_at"))["t"],
                tuple(CalendarDay.objects.values_list("date", "kind")),
                tuple(CalendarYear.objects.values_list("year", flat=True).order_by("year")),
            )
            if self._value is None or sig != self._sig:
                self._value = _Loaded(_build_calendar(), frozenset(sig[3]))
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
    return _calendar.get().calendar


def invalidate_calendar() -> None:
    _calendar.invalidate()


def provisional(start: datetime, *ends: datetime) -> bool:
    """Whether working time from `start` to the latest of `ends` crosses a year whose official
    arrangement is not loaded: such a deadline is counted on plain weekdays and may move."""
    covered = _calendar.get().covered
    first = timezone.localdate(start)
    last = max(timezone.localdate(e) for e in ends) if ends else first
    return any(year not in covered for year in range(first.year, last.year + 1))


@dataclass(frozen=True)
class Deadlines:
    sign_due_at: datetime
    contact_due_at: datetime
    due_at: datetime
    warn_at: datetime
    provisional: bool = False  # see provisional()


def allowances(
    category: Category | None, urgency: str, grid_path: str = ""
) -> dict[str, tuple[float, str]]:
    """The allowances of a case of `category` at `grid_path`: the catalogue's, with the resolve
    time its district (or city) adjusted, if it did."""
    if category is not None:
        result = {
            "sign": (category.sign_amount, category.sign_unit),
            "contact": (category.contact_amount, category.contact_unit),
            "resolve": (category.resolve_amount, category.resolve_unit),
        }
        adjusted = categories.adjustment(category.pk, grid_path)
        if adjusted is not None:
            result["resolve"] = (adjusted.resolve_amount, adjusted.resolve_unit)
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


def compute(
    start: datetime, category: Category | None, urgency: str, grid_path: str = ""
) -> Deadlines:
    cal = calendar()
    a = allowances(category, urgency, grid_path)
    resolve_amount, resolve_unit = a["resolve"]
    due = {name: cal.add(start, amount, CalUnit(unit)) for name, (amount, unit) in a.items()}
    # Plain hours do not depend on holidays; only working-time deadlines can be provisional.
    on_calendar = [due[name] for name, (_a, unit) in a.items() if unit != CalUnit.CALENDAR_HOURS]
    return Deadlines(
        sign_due_at=due["sign"],
        contact_due_at=due["contact"],
        due_at=due["resolve"],
        warn_at=cal.warn_at(start, resolve_amount, CalUnit(resolve_unit), YELLOW_FRACTION),
        provisional=bool(on_calendar) and provisional(start, *on_calendar),
    )


def remaining(case: Case, now: datetime) -> tuple[float, bool]:
    """What is left of the resolve allowance: (working seconds, True) or (wall seconds, False)."""
    assert case.due_at is not None
    unit = allowances(case.category, case.urgency, case.grid_path)["resolve"][1]
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
