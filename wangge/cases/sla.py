"""Deadlines on the working-day calendar, and the sweep that watches them.

Deadlines are stored on the case (`sign_due_at`, `contact_due_at`, `due_at`, `warn_at`) and
indexed, so the sweep is a range scan. It changes each row with a conditional UPDATE
(`… WHERE card <> 'red'`) and acts only when its own UPDATE changed the row: two workers
sweeping at once escalate each case exactly once.
"""

import logging
import threading
import time as _time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases import categories
from wangge.cases.actions import Action, Event
from wangge.cases.calendar import DurationUnit as CalUnit
from wangge.cases.calendar import WorkCalendar
from wangge.cases.calendar import WorkingHours as CalHours
from wangge.cases.models import (
    CLOCK_STATUSES,
    CalendarDay,
    CalendarYear,
    Card,
    Case,
    Category,
    DurationUnit,
    Urgency,
    WorkingHours,
)
from wangge.cases.signals import card_given
from wangge.cases.timeline import event_write

logger = logging.getLogger(__name__)

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


@dataclass
class SweepResult:
    yellow: int = 0
    red: int = 0
    failed: list[str] = field(default_factory=list)  # case numbers whose card could not be set


def _card_one(pk: int, card: str, now: datetime, result: SweepResult) -> None:
    """One case's card, in its own savepoint: a case whose notification raises keeps no card
    (the next sweep tries it again) and costs the other cases nothing."""
    try:
        with transaction.atomic():
            qs = Case.objects.filter(pk=pk, status__in=CLOCK_STATUSES)
            if card == Card.YELLOW:
                changed = qs.filter(card=Card.NONE).update(card=Card.YELLOW, updated_at=now)
            else:
                changed = qs.exclude(card=Card.RED).update(
                    card=Card.RED, supervised=True, was_overdue=True, updated_at=now
                )
            if changed:
                # services (a floor up: it imports this module) writes the timeline row and
                # tells people; a receiver's exception rolls this savepoint back.
                card_given.send(sender=Case, case_id=pk, card=card, now=now)
    except Exception:
        number = Case.objects.filter(pk=pk).values_list("number", flat=True).first() or f"#{pk}"
        logger.exception("SLA sweep: %s card for case %s failed", card, number)
        result.failed.append(number)
    else:
        if changed:
            if card == Card.YELLOW:
                result.yellow += 1
            else:
                result.red += 1


def sweep(now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Mark yellow and red cards; put overdue cases under supervision and tell people once.

    A case that fails is logged with its number and skipped; the result names the failures
    (the periodic task then ends in RunIncomplete, so the worker records the run as failed)."""
    now = now or timezone.now()
    result = SweepResult()
    yellow_ids = list(
        Case.objects.filter(
            status__in=CLOCK_STATUSES, card=Card.NONE, warn_at__lte=now, due_at__gt=now
        ).values_list("pk", flat=True)[:batch]
    )
    for pk in yellow_ids:
        _card_one(pk, Card.YELLOW, now, result)
    red_ids = list(
        Case.objects.filter(status__in=CLOCK_STATUSES, due_at__lte=now)
        .exclude(card=Card.RED)
        .values_list("pk", flat=True)[:batch]
    )
    for pk in red_ids:
        _card_one(pk, Card.RED, now, result)
    if result.failed:
        logger.error(
            "SLA sweep: %d yellow, %d red; failed: %s",
            result.yellow,
            result.red,
            ", ".join(result.failed),
        )
    return result


def provisional_recount() -> int:
    """Recount the deadlines of open cases that were provisional, on the calendar as it now is
    (a year's arrangement was just loaded); each gets a timeline row when its deadline moves.
    Returns how many were recounted."""
    count = 0
    cases = Case.objects.select_related("category").filter(
        deadline_provisional=True, status__in=CLOCK_STATUSES, dispatched_at__isnull=False
    )
    for case in cases:
        with transaction.atomic():
            before = case.due_at
            resumed = (
                case.events.filter(action=Action.RESUME, created_at__gte=case.dispatched_at)
                .order_by("-created_at", "-id")
                .first()
            )
            if resumed is not None:
                # The clock restarted with what was left when it stopped: count that again.
                left = float(resumed.data.get("remaining_seconds", 0.0))
                working = bool(resumed.data.get("working", True))
                due, warn = shifted_deadlines(case, resumed.created_at, left, working)
                case.due_at, case.warn_at = due, warn
                case.deadline_provisional = working and provisional(resumed.created_at, due)
            else:
                assert case.dispatched_at is not None
                d = compute(case.dispatched_at, case.category, case.urgency)
                case.sign_due_at, case.contact_due_at = d.sign_due_at, d.contact_due_at
                # A sender's own deadline (12345) stands, as it did when the clock started;
                # a reopened case started again without it.
                sender_due = (
                    case.reopen_count == 0
                    and case.requested_due_at is not None
                    and case.requested_due_at > case.dispatched_at
                )
                if not sender_due:
                    case.due_at, case.warn_at = d.due_at, d.warn_at
                case.deadline_provisional = d.provisional
            case.save(
                update_fields=[
                    "sign_due_at",
                    "contact_due_at",
                    "due_at",
                    "warn_at",
                    "deadline_provisional",
                    "updated_at",
                ]
            )
            if before != case.due_at and case.due_at is not None:
                event_write(
                    case,
                    action=Event.RECOUNT,
                    actor=None,
                    actor_label=_("系统"),
                    note=_("节假日安排已导入，办理时限重新计算为 %(d)s")
                    % {"d": timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M")},
                )
            count += 1
    return count


def timeline_label_for_card(card: str) -> str:
    return (
        _("黄牌预警：已用去 75% 办理时限") if card == Card.YELLOW else _("红牌：已超期，自动督办")
    )
