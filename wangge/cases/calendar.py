"""Working-time calendar for case deadlines (SLA).

Deadlines in city governance are counted in *working time*: 签收 within 2 working hours of
dispatch, an ordinary request within 7 working days, a complex one within 15. China's public
holidays move every year and come with make-up workdays (调休) on weekends, so "working day"
cannot be derived from the weekday alone; the administrator maintains holidays and make-up
workdays as rows and the caller passes them in. Some limits (emergencies, 水电气热, the first call
back to the reporter) are plain calendar hours instead.

This module is pure Python on purpose: deadline arithmetic is the part of case handling that
must be exactly right, so it is kept free of Django and tested in isolation.

Conventions
-----------
* Working time is measured on the local wall clock of the calendar's time zone, inside the two
  daily sessions, on working days only. Sessions are half-open: at 12:00 sharp with a
  09:00–12:00 morning no working time accrues until the afternoon session opens.
* A deadline that uses up its allowance exactly at the end of a session is that session end
  (Tue 09:00 + 1 working day is Tue 17:00, not Wed 09:00): both are the same working instant and
  the earlier wall-clock time is the one people read as "close of business".
* N working days are N × ``hours_per_day()`` working hours. A case dispatched on Tuesday at
  10:00 with 7 working days is therefore due at 10:00 on the 7th following working day — the
  usual "same time of day" practice. Fractional amounts are allowed (1.5 working days = 10.5
  working hours with a 7-hour day).
* Calendar hours are real elapsed hours; holidays and sessions do not matter.
* Everything is computed in integer microseconds, so ``working_seconds_between`` is the exact
  inverse of ``add`` and is additive over adjacent intervals.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from fractions import Fraction
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "SHANGHAI",
    "DurationUnit",
    "WorkCalendar",
    "WorkingHours",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3_600 * _US_PER_SECOND
_US_PER_DAY = 24 * _US_PER_HOUR
_ONE_US = timedelta(microseconds=1)
_MAX_ORDINAL = date.max.toordinal()
# A calendar that goes three years without a single working day is misconfigured (typically
# "every day is a holiday"); the bound turns that into an error instead of a runaway search.
_MAX_GAP_DAYS = 3 * 366


class DurationUnit(StrEnum):
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_HOURS = "calendar_hours"


def _time_us(value: time | datetime) -> int:
    return (
        (value.hour * 60 + value.minute) * 60 + value.second
    ) * _US_PER_SECOND + value.microsecond


@dataclass(frozen=True)
class WorkingHours:
    """Two working sessions a day on the calendar's local wall clock, e.g. 09–12 and 13–17.

    The afternoon may start exactly when the morning ends (no lunch break); the sessions then
    behave as one continuous block.
    """

    morning_start: time
    morning_end: time
    afternoon_start: time
    afternoon_end: time

    def __post_init__(self) -> None:
        for name in ("morning_start", "morning_end", "afternoon_start", "afternoon_end"):
            value = getattr(self, name)
            if not isinstance(value, time):
                raise TypeError(f"{name} must be a datetime.time, got {type(value).__name__}")
            # Sessions are wall-clock times in the calendar's zone; an offset here would be
            # silently ignored by the arithmetic, so refuse it outright.
            if value.tzinfo is not None:
                raise ValueError(f"{name} must be a naive time (the calendar supplies the zone)")
        if not self.morning_start < self.morning_end:
            raise ValueError("morning_start must be earlier than morning_end")
        if not self.afternoon_start < self.afternoon_end:
            raise ValueError("afternoon_start must be earlier than afternoon_end")
        if self.morning_end > self.afternoon_start:
            raise ValueError("the morning session must end no later than the afternoon starts")

    def sessions_us(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """Both sessions as (start, end) microseconds since local midnight."""
        return (
            (_time_us(self.morning_start), _time_us(self.morning_end)),
            (_time_us(self.afternoon_start), _time_us(self.afternoon_end)),
        )

    def day_us(self) -> int:
        """Working microseconds in one working day."""
        return sum(end - start for start, end in self.sessions_us())

    def hours_per_day(self) -> float:
        return self.day_us() / _US_PER_HOUR


# The default office hours for the demo and tests; real deployments configure their own.
DEFAULT_WORKING_HOURS = WorkingHours(
    morning_start=time(9, 0),
    morning_end=time(12, 0),
    afternoon_start=time(13, 0),
    afternoon_end=time(17, 0),
)


def _aware_in(moment: datetime, tz: ZoneInfo, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(moment).__name__}")
    # A naive datetime has no defined instant; guessing a zone would shift deadlines by hours.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(tz)


def _plain_date(value: object, name: str) -> date:
    # datetime is a subclass of date; a datetime here would compare unequal to the date rows
    # and quietly never match, so it is a caller bug worth surfacing.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} entries must be datetime.date, got {type(value).__name__}")
    return value


def _weekdays_before(ordinal: int) -> int:
    """Number of Mondays–Fridays among the ordinals [1, ordinal).

    Ordinal 1 (0001-01-01) is a Monday, so weeks align with ``ordinal - 1``.
    """
    weeks, extra = divmod(ordinal - 1, 7)
    return weeks * 5 + min(extra, 5)


def _threshold_us(total_us: int, fraction: float) -> int:
    """Smallest used time ``u`` with ``u / total_us >= fraction`` as elapsed_fraction computes it.

    The yellow card is scheduled at warn_at() and checked with elapsed_fraction(); both must
    agree to the microsecond, or a job fired at warn_at() could see 0.7499999 and do nothing.
    """
    # Exact rational ceiling: the true ratio is >= fraction, so its rounded float is too.
    used = math.ceil(Fraction(fraction) * total_us)
    # int / int rounds to the nearest float, which may already equal `fraction` a microsecond
    # or two earlier; step back to the first such microsecond (monotone, so a short walk).
    while used > 1 and (used - 1) / total_us >= fraction:
        used -= 1
    return used


class WorkCalendar:
    """Working days, working sessions and the deadline arithmetic on top of them.

    A day is a working day if it is Monday–Friday and not a holiday, or if it is a make-up
    workday (调休上班, usually a Saturday or Sunday). Holidays on weekends and make-up workdays on
    weekdays are accepted and change nothing. A date that is both a holiday and a make-up workday
    is contradictory data and is rejected.
    """

    def __init__(
        self,
        *,
        hours: WorkingHours,
        holidays: Iterable[date] = (),
        makeup_workdays: Iterable[date] = (),
        tz: ZoneInfo = SHANGHAI,
    ) -> None:
        self._hours = hours
        self._tz = tz
        self._sessions = hours.sessions_us()
        self._morning_us = self._sessions[0][1] - self._sessions[0][0]
        self._day_us = hours.day_us()
        self._holidays = frozenset(_plain_date(day, "holidays") for day in holidays)
        self._makeup = frozenset(_plain_date(day, "makeup_workdays") for day in makeup_workdays)
        conflicts = sorted(self._holidays & self._makeup)
        if conflicts:
            listed = ", ".join(day.isoformat() for day in conflicts)
            raise ValueError(f"dates both holiday and make-up workday: {listed}")
        # Only the exceptions to the Mon–Fri rule matter for counting. Kept sorted so the number
        # of working days in any range is O(log n) with bisect; that is what lets add() jump over
        # weeks and long holidays instead of walking day by day.
        self._extra_off = sorted(d.toordinal() for d in self._holidays if d.weekday() < 5)
        self._extra_on = sorted(d.toordinal() for d in self._makeup if d.weekday() >= 5)
        self._extra_off_set = frozenset(self._extra_off)
        self._extra_on_set = frozenset(self._extra_on)
        self._long_closures = self._find_long_closures()

    @property
    def hours(self) -> WorkingHours:
        return self._hours

    @property
    def tz(self) -> ZoneInfo:
        return self._tz

    # ---------------------------------------------------------------- working days

    def is_workday(self, day: date) -> bool:
        return self._is_workday_ordinal(_plain_date(day, "day").toordinal())

    def _is_workday_ordinal(self, ordinal: int) -> bool:
        if ordinal in self._extra_off_set:
            return False
        if ordinal in self._extra_on_set:
            return True
        return (ordinal - 1) % 7 < 5

    def _count_workdays(self, first: int, stop: int) -> int:
        """Working days among the ordinals [first, stop), first <= stop."""
        off, on = self._extra_off, self._extra_on
        return (
            _weekdays_before(stop)
            - _weekdays_before(first)
            - (bisect_left(off, stop) - bisect_left(off, first))
            + (bisect_left(on, stop) - bisect_left(on, first))
        )

    def _nth_workday_after(self, ordinal: int, n: int) -> int:
        """Ordinal of the n-th working day strictly after ``ordinal`` (n >= 1)."""
        first = ordinal + 1
        # Without a closure longer than _MAX_GAP_DAYS, every working day follows the previous
        # one within _MAX_GAP_DAYS + 1 days, so this bounds the search.
        limit = min(ordinal + n * (_MAX_GAP_DAYS + 1), _MAX_ORDINAL)
        # Each calendar day adds at most one working day, so the answer is never before `lo`.
        lo = first + n - 1
        if lo > limit:
            raise self._search_error(first, limit)
        hi = lo
        step = 0
        while (found := self._count_workdays(first, hi + 1)) < n:
            if hi >= limit:
                raise self._search_error(first, limit)
            lo = hi + 1
            # Weekends make 7 calendar days per 5 working days, so this estimate usually lands
            # in one step; doubling keeps a run of holidays logarithmic rather than linear.
            step = max(step * 2, (n - found) * 7 // 5 + 2)
            hi = min(hi + step, limit)
        # Smallest day in [lo, hi] on which the n-th working day is reached.
        while lo < hi:
            mid = (lo + hi) // 2
            if self._count_workdays(first, mid + 1) >= n:
                hi = mid
            else:
                lo = mid + 1
        # A deadline on the far side of a years-long closure is a data error, not a deadline.
        if self._closure_within(first, lo):
            raise self._search_error(first, lo)
        return lo

    def _find_long_closures(self) -> tuple[tuple[int, int], ...]:
        """(first, last) ordinals of every run of non-working days longer than the guard.

        Only holidays on weekdays can make a run longer than a weekend, so it is enough to
        chain the sorted weekday holidays that have no working day between them.
        """
        closures: list[tuple[int, int]] = []
        off = self._extra_off
        index = 0
        while index < len(off):
            run_first = run_last = off[index]
            index += 1
            while index < len(off) and self._count_workdays(run_last + 1, off[index]) == 0:
                run_last = off[index]
                index += 1
            # Take in the weekend days on either side (at most two each way).
            while run_first > 1 and not self._is_workday_ordinal(run_first - 1):
                run_first -= 1
            while run_last < _MAX_ORDINAL and not self._is_workday_ordinal(run_last + 1):
                run_last += 1
            if run_last - run_first + 1 > _MAX_GAP_DAYS:
                closures.append((run_first, run_last))
        return tuple(closures)

    def _closure_within(self, first: int, last: int) -> bool:
        return any(start <= last and end >= first for start, end in self._long_closures)

    def _search_error(self, first: int, last: int) -> ValueError:
        if self._closure_within(first, last):
            return ValueError(
                f"the calendar has no working day within {_MAX_GAP_DAYS // 366} years; "
                "check the holiday and make-up workday rows"
            )
        return ValueError("the deadline falls beyond the supported date range")

    # ---------------------------------------------------------------- internal arithmetic

    def _local(self, moment: datetime, name: str) -> datetime:
        return _aware_in(moment, self._tz, name)

    def _at(self, ordinal: int, time_us: int) -> datetime:
        day = date.fromordinal(ordinal)
        naive = datetime(day.year, day.month, day.day) + timedelta(microseconds=time_us)
        return naive.replace(tzinfo=self._tz)

    def _per_unit_us(self, unit: DurationUnit) -> int:
        if unit is DurationUnit.WORKING_DAYS:
            return self._day_us
        return _US_PER_HOUR

    @staticmethod
    def _amount_us(amount: float, per_unit_us: int) -> int:
        # float() so Decimal values from a DecimalField work too.
        value = float(amount)
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"amount must be a finite number > 0, got {amount!r}")
        product = value * per_unit_us
        if not math.isfinite(product):
            raise ValueError(f"amount {amount!r} is too large")
        total = round(product)
        # A zero-length allowance would make the deadline equal the start (possibly outside
        # working time), which no caller means.
        if total < 1:
            raise ValueError(f"amount {amount!r} is shorter than one microsecond")
        return total

    def _shift_wall(self, local: datetime, total_us: int) -> datetime:
        # Through UTC so "24 hours" stays 24 real hours even in a zone with DST transitions.
        try:
            return (local.astimezone(UTC) + timedelta(microseconds=total_us)).astimezone(self._tz)
        except OverflowError:
            raise ValueError("the deadline falls beyond the supported date range") from None

    def _add_working_us(self, local: datetime, total_us: int) -> datetime:
        ordinal = local.toordinal()
        moment_us = _time_us(local)
        remaining = total_us
        if self._is_workday_ordinal(ordinal):
            for start, end in self._sessions:
                if moment_us < end:
                    begin = max(moment_us, start)
                    available = end - begin
                    if remaining <= available:
                        return self._at(ordinal, begin + remaining)
                    remaining -= available
        # `remaining` now counts from the close of `ordinal`: whole working days, then a part.
        full_days, rest = divmod(remaining, self._day_us)
        if rest == 0:
            closing = self._sessions[1][1]
            return self._at(self._nth_workday_after(ordinal, full_days), closing)
        return self._at(self._nth_workday_after(ordinal, full_days + 1), self._offset_in_day(rest))

    def _offset_in_day(self, worked_us: int) -> int:
        """Local time of day at which ``worked_us`` (0 < worked_us <= day) have been worked."""
        (morning_start, _), (afternoon_start, _) = self._sessions
        if worked_us <= self._morning_us:
            return morning_start + worked_us
        return afternoon_start + (worked_us - self._morning_us)

    def _worked_in_day(self, ordinal: int, from_us: int, to_us: int) -> int:
        if not self._is_workday_ordinal(ordinal):
            return 0
        return sum(max(0, min(end, to_us) - max(start, from_us)) for start, end in self._sessions)

    def _working_us_between(self, start: datetime, end: datetime) -> int:
        first = self._local(start, "start")
        last = self._local(end, "end")
        if last <= first:
            return 0
        first_day, last_day = first.toordinal(), last.toordinal()
        first_us, last_us = _time_us(first), _time_us(last)
        if first_day == last_day:
            return self._worked_in_day(first_day, first_us, last_us)
        return (
            self._worked_in_day(first_day, first_us, _US_PER_DAY)
            + self._count_workdays(first_day + 1, last_day) * self._day_us
            + self._worked_in_day(last_day, 0, last_us)
        )

    def _wall_us_between(self, start: datetime, end: datetime) -> int:
        first = self._local(start, "start").astimezone(UTC)
        last = self._local(end, "end").astimezone(UTC)
        return max(0, (last - first) // _ONE_US)

    # ---------------------------------------------------------------- public arithmetic

    def add(self, start: datetime, amount: float, unit: DurationUnit | str) -> datetime:
        """The deadline ``amount`` ``unit`` after ``start``, as an aware datetime in ``tz``.

        For working units the result always lies inside a working session or exactly at the
        end of one; see the module docstring for the conventions.
        """
        kind = DurationUnit(unit)
        local = self._local(start, "start")
        total_us = self._amount_us(amount, self._per_unit_us(kind))
        if kind is DurationUnit.CALENDAR_HOURS:
            return self._shift_wall(local, total_us)
        return self._add_working_us(local, total_us)

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """Working seconds in [start, end); 0 if end <= start."""
        return self._working_us_between(start, end) / _US_PER_SECOND

    def elapsed_fraction(
        self, start: datetime, due: datetime, now: datetime, unit: DurationUnit | str
    ) -> float:
        """Fraction of the allowance used at ``now``: 0 at ``start``, 1 at ``due``, above 1 after.

        Working units compare working time, calendar hours compare wall time. If ``due`` was set
        by hand so that no working time lies between ``start`` and ``due``, there is nothing to
        divide: the result is 0.0 before ``due`` and 1.0 from ``due`` on.
        """
        kind = DurationUnit(unit)
        self._local(now, "now")
        if self._local(due, "due") <= self._local(start, "start"):
            raise ValueError("due must be later than start")
        if kind is DurationUnit.CALENDAR_HOURS:
            allowed = self._wall_us_between(start, due)
            used = self._wall_us_between(start, now)
        else:
            allowed = self._working_us_between(start, due)
            used = self._working_us_between(start, now)
        if allowed == 0:
            return 1.0 if now >= due else 0.0
        # int / int is correctly rounded, which keeps warn_at's threshold guarantee exact.
        return used / allowed

    def warn_at(
        self,
        start: datetime,
        amount: float,
        unit: DurationUnit | str,
        fraction: float = 0.75,
    ) -> datetime:
        """The first moment at which ``fraction`` of the allowance is used (the yellow card).

        At the returned moment ``elapsed_fraction(start, add(start, amount, unit), moment,
        unit)`` is >= ``fraction``, and one microsecond earlier it is below it.
        """
        kind = DurationUnit(unit)
        share = float(fraction)
        if not math.isfinite(share) or share <= 0:
            raise ValueError(f"fraction must be a finite number > 0, got {fraction!r}")
        local = self._local(start, "start")
        warn_us = _threshold_us(self._amount_us(amount, self._per_unit_us(kind)), share)
        if kind is DurationUnit.CALENDAR_HOURS:
            return self._shift_wall(local, warn_us)
        return self._add_working_us(local, warn_us)

    def next_working_moment(self, moment: datetime) -> datetime:
        """The earliest instant >= ``moment`` from which working time accrues, in ``tz``."""
        local = self._local(moment, "moment")
        ordinal = local.toordinal()
        moment_us = _time_us(local)
        if self._is_workday_ordinal(ordinal):
            for start, end in self._sessions:
                if moment_us < end:
                    return local if moment_us >= start else self._at(ordinal, start)
        return self._at(self._nth_workday_after(ordinal, 1), self._sessions[0][0])
