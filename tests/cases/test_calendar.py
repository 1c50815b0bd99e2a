"""Specification of the working-time calendar behind case deadlines (SLA).

Expected datetimes are worked out by hand on the 2026 State Council holiday arrangement with
09:00–12:00 / 13:00–17:00 sessions; the hypothesis properties then pin the arithmetic down
everywhere else, including against a minute-by-minute reference implementation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cases.conftest import CALENDAR_2026
from wangge.cases.calendar import (
    DEFAULT_WORKING_HOURS,
    SHANGHAI,
    DurationUnit,
    WorkCalendar,
    WorkingHours,
)
from wangge.cases.holidays import parse_file

pytestmark = pytest.mark.no_database

WH = DurationUnit.WORKING_HOURS
WD = DurationUnit.WORKING_DAYS
CH = DurationUnit.CALENDAR_HOURS
WORKING_UNITS = (WH, WD)

# 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号), as the yearly file an
# administrator imports; every date was checked against the full text Xinhua published.
(_ARRANGEMENT,) = parse_file(CALENDAR_2026.read_bytes(), CALENDAR_2026.name)
CN_2026_HOLIDAYS = tuple((d.date, d.name) for d in _ARRANGEMENT.days if d.kind == "holiday")
HOLIDAYS = tuple(day for day, _ in CN_2026_HOLIDAYS)
MAKEUP = tuple(d.date for d in _ARRANGEMENT.days if d.kind == "workday")
CAL = WorkCalendar(hours=DEFAULT_WORKING_HOURS, holidays=HOLIDAYS, makeup_workdays=MAKEUP)
ONE_US = timedelta(microseconds=1)


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# ------------------------------------------------------------------ the 2026 arrangement


def test_2026_arrangement_matches_the_notice() -> None:
    assert len(HOLIDAYS) == len(set(HOLIDAYS)) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert min(HOLIDAYS) == date(2026, 1, 1) and max(HOLIDAYS) == date(2026, 10, 7)
    assert set(MAKEUP) == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    # Every make-up workday is a weekend day, otherwise it would not need listing.
    assert all(day.weekday() >= 5 for day in MAKEUP)
    names = {name for _, name in CN_2026_HOLIDAYS}
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
    assert dict(CN_2026_HOLIDAYS)[date(2026, 10, 1)] == "国庆节"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), False),  # 元旦, Thursday
        (date(2026, 1, 4), True),  # Sunday make-up workday
        (date(2026, 2, 14), True),  # Saturday make-up workday before 春节
        (date(2026, 2, 16), False),  # Monday inside 春节
        (date(2026, 2, 24), True),  # first day back after 春节
        (date(2026, 2, 28), True),  # Saturday make-up workday after 春节
        (date(2026, 3, 14), False),  # ordinary Saturday
        (date(2026, 3, 15), False),  # ordinary Sunday
        (date(2026, 3, 16), True),  # ordinary Monday
        (date(2026, 4, 4), False),  # 清明 on a Saturday: a weekend anyway
        (date(2026, 5, 9), True),  # Saturday make-up workday after 劳动节
        (date(2026, 9, 20), True),  # Sunday make-up workday before 国庆
        (date(2026, 10, 7), False),  # last day of 国庆
        (date(2026, 10, 8), True),  # Thursday after 国庆 is an ordinary workday
        (date(2026, 10, 10), True),  # Saturday make-up workday after 国庆
    ],
)
def test_is_workday(day: date, expected: bool) -> None:
    assert CAL.is_workday(day) is expected


def test_is_workday_rejects_a_datetime() -> None:
    with pytest.raises(TypeError):
        CAL.is_workday(at(3, 16, 10))


# ------------------------------------------------------------------ add(): exact deadlines


@pytest.mark.parametrize(
    ("start", "amount", "unit", "due"),
    [
        pytest.param(at(3, 10, 16), 2, WH, at(3, 11, 10), id="across-a-night"),
        pytest.param(at(3, 13, 16, 30), 2, WH, at(3, 16, 10, 30), id="friday-across-weekend"),
        pytest.param(at(2, 13, 16, 30), 2, WH, at(2, 14, 10, 30), id="friday-to-makeup-sat"),
        pytest.param(at(9, 18, 16, 30), 2, WH, at(9, 20, 10, 30), id="friday-to-makeup-sun"),
        pytest.param(at(3, 10, 11, 30), 1, WH, at(3, 10, 13, 30), id="across-lunch"),
        pytest.param(at(3, 10, 12, 30), 2, WH, at(3, 10, 15), id="dispatched-at-lunch"),
        pytest.param(at(3, 10, 12), 2, WH, at(3, 10, 15), id="dispatched-at-noon-sharp"),
        pytest.param(at(3, 10, 20), 2, WH, at(3, 11, 11), id="dispatched-in-the-evening"),
        pytest.param(at(3, 10, 7), 2, WH, at(3, 10, 11), id="dispatched-before-opening"),
        pytest.param(at(3, 10, 17), 2, WH, at(3, 11, 11), id="dispatched-at-closing"),
        pytest.param(at(3, 14, 10), 2, WH, at(3, 16, 11), id="dispatched-on-saturday"),
        pytest.param(at(2, 16, 10), 2, WH, at(2, 24, 11), id="starting-inside-spring-festival"),
        pytest.param(at(12, 31, 16, year=2025), 2, WH, at(1, 4, 10), id="new-year-to-makeup"),
        pytest.param(at(9, 30, 16), 2, WH, at(10, 8, 10), id="across-national-day"),
        pytest.param(at(10, 9, 16), 2, WH, at(10, 10, 10), id="makeup-saturday-oct-10"),
        pytest.param(at(9, 30, 16), 3, WD, at(10, 10, 16), id="national-day-3-days"),
        pytest.param(at(4, 30, 16), 2, WH, at(5, 6, 10), id="across-labour-day"),
        pytest.param(at(3, 10, 11), 1, WH, at(3, 10, 12), id="ends-at-morning-close"),
        pytest.param(at(3, 10, 16), 1, WH, at(3, 10, 17), id="ends-at-evening-close"),
        pytest.param(at(3, 10, 9), 1, WD, at(3, 10, 17), id="one-day-from-opening"),
        pytest.param(at(3, 10, 10), 7, WD, at(3, 19, 10), id="seven-working-days"),
        pytest.param(at(3, 10, 10), 15, WD, at(3, 31, 10), id="fifteen-working-days"),
        pytest.param(at(4, 28, 10), 15, WD, at(5, 21, 10), id="fifteen-days-over-labour-day"),
        # 中秋 and 国庆 are skipped; the make-up workdays Sun 9-20 and Sat 10-10 both count.
        pytest.param(at(9, 15, 10), 15, WD, at(10, 12, 10), id="fifteen-days-over-national-day"),
        pytest.param(at(3, 10, 10), 49, WH, at(3, 19, 10), id="49-hours-equals-7-days"),
        pytest.param(at(3, 10, 11, 45), 0.5, WH, at(3, 10, 13, 15), id="half-hour-over-lunch"),
        pytest.param(at(3, 10, 10), 0.25, WH, at(3, 10, 10, 15), id="quarter-hour"),
        pytest.param(at(3, 10, 10), 1.5, WD, at(3, 11, 14, 30), id="one-and-a-half-days"),
        pytest.param(at(3, 10, 23), 2, CH, at(3, 11, 1), id="emergency-across-midnight"),
        pytest.param(at(10, 1, 23, 30), 24, CH, at(10, 2, 23, 30), id="utilities-on-holiday"),
        pytest.param(at(3, 13, 16, 30), 24, CH, at(3, 14, 16, 30), id="callback-on-weekend"),
        pytest.param(at(3, 10, 10), 1.5, CH, at(3, 10, 11, 30), id="fractional-calendar"),
    ],
)
def test_add(start: datetime, amount: float, unit: DurationUnit, due: datetime) -> None:
    result = CAL.add(start, amount, unit)
    assert result == due
    assert result.tzinfo is SHANGHAI


def test_units_may_be_given_as_strings() -> None:
    assert CAL.add(at(3, 13, 16, 30), 2, "working_hours") == at(3, 16, 10, 30)
    assert CAL.add(at(3, 10, 10), 7, "working_days") == at(3, 19, 10)
    assert CAL.add(at(3, 10, 23), 2, "calendar_hours") == at(3, 11, 1)
    with pytest.raises(ValueError, match="fortnights"):
        CAL.add(at(3, 10, 10), 2, "fortnights")


def test_decimal_amounts_are_accepted() -> None:
    from decimal import Decimal

    assert CAL.add(at(3, 10, 10), Decimal("1.5"), WD) == at(3, 11, 14, 30)  # type: ignore[arg-type]


def test_other_time_zones_in_shanghai_out() -> None:
    start = datetime(2026, 3, 13, 8, 30, tzinfo=UTC)  # Friday 16:30 in Zhengzhou
    due = CAL.add(start, 2, WH)
    assert due == at(3, 16, 10, 30)
    assert due.tzinfo is SHANGHAI and due.utcoffset() == timedelta(hours=8)
    assert CAL.next_working_moment(datetime(2026, 3, 13, 12, tzinfo=UTC)) == at(3, 16, 9)


def test_without_lunch_break_the_sessions_join() -> None:
    hours = WorkingHours(time(9), time(12), time(12), time(17))
    calendar = WorkCalendar(hours=hours)
    assert hours.hours_per_day() == 8.0
    assert calendar.add(at(3, 10, 11), 2, WH) == at(3, 10, 13)
    assert calendar.next_working_moment(at(3, 10, 12)) == at(3, 10, 12)


def test_other_office_hours() -> None:
    summer = WorkingHours(time(8, 30), time(12), time(15), time(18, 30))
    calendar = WorkCalendar(hours=summer, holidays=HOLIDAYS, makeup_workdays=MAKEUP)
    assert summer.hours_per_day() == 7.0
    assert calendar.add(at(3, 13, 18), 2, WH) == at(3, 16, 10)
    assert calendar.add(at(3, 10, 11), 2, WH) == at(3, 10, 16)


# ------------------------------------------------------------------ the other operations


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(3, 10, 9), at(3, 10, 9)),
        (at(3, 10, 10, 15), at(3, 10, 10, 15)),
        (at(3, 10, 12), at(3, 10, 13)),
        (at(3, 10, 12, 30), at(3, 10, 13)),
        (at(3, 10, 16, 59), at(3, 10, 16, 59)),
        (at(3, 10, 17), at(3, 11, 9)),
        (at(3, 10, 6), at(3, 10, 9)),
        (at(3, 13, 20), at(3, 16, 9)),
        (at(2, 13, 20), at(2, 14, 9)),
        (at(10, 1, 10), at(10, 8, 9)),
    ],
)
def test_next_working_moment(moment: datetime, expected: datetime) -> None:
    assert CAL.next_working_moment(moment) == expected


@pytest.mark.parametrize(
    ("start", "end", "seconds"),
    [
        (at(3, 13, 16, 30), at(3, 16, 10, 30), 2 * 3600),
        (at(3, 10, 11), at(3, 10, 14), 2 * 3600),
        (at(3, 10, 12, 10), at(3, 10, 12, 50), 0),
        (at(3, 14, 9), at(3, 15, 17), 0),
        (at(9, 30, 9), at(10, 9, 17), 3 * 7 * 3600),  # Sep 30, Oct 8, Oct 9
        (at(3, 10, 14), at(3, 10, 14), 0),
        (at(3, 10, 15), at(3, 10, 14), 0),
    ],
)
def test_working_seconds_between(start: datetime, end: datetime, seconds: float) -> None:
    assert CAL.working_seconds_between(start, end) == seconds


def test_warn_at_75_percent_of_two_working_hours_from_friday_afternoon() -> None:
    start = at(3, 13, 16, 30)
    warn = CAL.warn_at(start, 2, WH)
    assert warn == at(3, 16, 10)
    due = CAL.add(start, 2, WH)
    assert CAL.elapsed_fraction(start, due, warn, WH) == 0.75
    assert CAL.elapsed_fraction(start, due, warn - ONE_US, WH) < 0.75


@pytest.mark.parametrize(
    ("start", "amount", "unit", "fraction", "expected"),
    [
        (at(3, 10, 10), 7, WD, 0.75, at(3, 17, 11, 45)),  # 36.75 h of 49 h
        (at(3, 10, 23), 2, CH, 0.75, at(3, 11, 0, 30)),
        (at(3, 10, 10), 2, WH, 1.0, at(3, 10, 12)),
        (at(3, 10, 10), 2, WH, 1.5, at(3, 10, 14)),  # an escalation after the deadline
    ],
)
def test_warn_at(
    start: datetime, amount: float, unit: DurationUnit, fraction: float, expected: datetime
) -> None:
    assert CAL.warn_at(start, amount, unit, fraction) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(3, 13, 12), 0.0),  # before dispatch
        (at(3, 13, 16, 30), 0.0),
        (at(3, 13, 17), 0.25),
        (at(3, 14, 12), 0.25),  # the weekend uses no working time
        (at(3, 16, 9), 0.25),
        (at(3, 16, 10), 0.75),  # yellow card
        (at(3, 16, 10, 30), 1.0),  # due
        (at(3, 16, 11, 30), 1.5),
        (at(3, 16, 14), 2.25),  # 30 min Friday + 3 h morning + 1 h afternoon
    ],
)
def test_elapsed_fraction_working_hours(now: datetime, expected: float) -> None:
    start, due = at(3, 13, 16, 30), at(3, 16, 10, 30)
    assert CAL.elapsed_fraction(start, due, now, WH) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(3, 10, 22), 0.0),
        (at(3, 11, 0), 0.5),
        (at(3, 11, 0, 30), 0.75),
        (at(3, 11, 1), 1.0),
        (at(3, 11, 2), 1.5),
    ],
)
def test_elapsed_fraction_calendar_hours(now: datetime, expected: float) -> None:
    assert CAL.elapsed_fraction(at(3, 10, 23), at(3, 11, 1), now, CH) == expected


def test_elapsed_fraction_with_a_hand_set_due_and_no_working_time() -> None:
    start, due = at(3, 13, 18), at(3, 15, 12)  # Friday evening to Sunday noon
    assert CAL.elapsed_fraction(start, due, at(3, 14, 12), WH) == 0.0
    assert CAL.elapsed_fraction(start, due, at(3, 16, 12), WH) == 1.0
    with pytest.raises(ValueError, match="later than start"):
        CAL.elapsed_fraction(due, start, at(3, 16, 12), WH)


# ------------------------------------------------------------------ rejected input

NAIVE = datetime(2026, 3, 10, 10)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: CAL.add(NAIVE, 2, WH), id="add"),
        pytest.param(lambda: CAL.add(NAIVE, 2, CH), id="add-calendar"),
        pytest.param(lambda: CAL.working_seconds_between(NAIVE, at(3, 11)), id="ws-start"),
        pytest.param(lambda: CAL.working_seconds_between(at(3, 9), NAIVE), id="ws-end"),
        pytest.param(lambda: CAL.elapsed_fraction(NAIVE, at(3, 11), at(3, 11), WH), id="ef"),
        pytest.param(lambda: CAL.elapsed_fraction(at(3, 9), at(3, 11), NAIVE, CH), id="ef-now"),
        pytest.param(lambda: CAL.warn_at(NAIVE, 2, WH), id="warn_at"),
        pytest.param(lambda: CAL.next_working_moment(NAIVE), id="next_working_moment"),
    ],
)
def test_naive_datetimes_are_rejected(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


@pytest.mark.parametrize("amount", [0, -1, -0.5, math.nan, math.inf, -math.inf, 1e-12, 1e300])
@pytest.mark.parametrize("unit", list(DurationUnit))
def test_bad_amounts_are_rejected(amount: float, unit: DurationUnit) -> None:
    with pytest.raises(ValueError, match="amount"):
        CAL.add(at(3, 10, 10), amount, unit)
    with pytest.raises(ValueError, match="amount"):
        CAL.warn_at(at(3, 10, 10), amount, unit)


@pytest.mark.parametrize("fraction", [0, -0.25, math.nan, math.inf])
def test_bad_fractions_are_rejected(fraction: float) -> None:
    with pytest.raises(ValueError, match="fraction"):
        CAL.warn_at(at(3, 10, 10), 2, WH, fraction)


def test_deadline_beyond_the_date_range_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="date range"):
        CAL.add(at(3, 10, 10), 1e12, WD)
    with pytest.raises(ValueError, match="date range"):
        CAL.add(at(3, 10, 10), 1e12, CH)


def test_a_calendar_without_working_days_raises() -> None:
    every_day = [date(2025, 1, 1) + timedelta(days=n) for n in range(6 * 366)]
    calendar = WorkCalendar(hours=DEFAULT_WORKING_HOURS, holidays=every_day)
    with pytest.raises(ValueError, match="no working day"):
        calendar.add(at(3, 10, 10), 2, WH)
    with pytest.raises(ValueError, match="no working day"):
        calendar.add(at(3, 10, 10), 15, WD)
    with pytest.raises(ValueError, match="no working day"):
        calendar.warn_at(at(3, 10, 10), 2, WH)
    with pytest.raises(ValueError, match="no working day"):
        calendar.next_working_moment(at(3, 10, 10))
    # Calendar hours do not depend on working days, and measuring time never searches.
    assert calendar.add(at(3, 10, 10), 2, CH) == at(3, 10, 12)
    assert calendar.working_seconds_between(at(3, 10, 10), at(3, 20, 10)) == 0


def test_a_closure_longer_than_three_years_later_on_also_raises() -> None:
    # Working days until Friday 2026-03-13, then four years with none.
    closed = [date(2026, 3, 14) + timedelta(days=n) for n in range(4 * 366)]
    calendar = WorkCalendar(hours=DEFAULT_WORKING_HOURS, holidays=closed)
    assert calendar.add(at(3, 12, 10), 2, WH) == at(3, 12, 12)
    assert calendar.add(at(3, 12, 10), 1, WD) == at(3, 13, 10)
    with pytest.raises(ValueError, match="no working day"):
        calendar.add(at(3, 12, 10), 3, WD)


def test_a_closure_shorter_than_three_years_is_crossed() -> None:
    closed = [date(2026, 3, 14) + timedelta(days=n) for n in range(2 * 366)]
    calendar = WorkCalendar(hours=DEFAULT_WORKING_HOURS, holidays=closed)
    first_open = date(2026, 3, 14) + timedelta(days=2 * 366)
    assert first_open == date(2028, 3, 15)  # a Wednesday
    assert calendar.add(at(3, 13, 16), 2, WH) == at(3, 15, 10, year=2028)
    assert calendar.next_working_moment(at(3, 13, 17)) == at(3, 15, 9, year=2028)


def test_a_holiday_that_is_also_a_makeup_workday_is_rejected() -> None:
    with pytest.raises(ValueError, match="2026-10-10"):
        WorkCalendar(
            hours=DEFAULT_WORKING_HOURS,
            holidays=[date(2026, 10, 10)],
            makeup_workdays=[date(2026, 10, 10)],
        )


def test_datetimes_in_the_holiday_rows_are_rejected() -> None:
    with pytest.raises(TypeError):
        WorkCalendar(hours=DEFAULT_WORKING_HOURS, holidays=[at(10, 1)])


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ((time(12), time(9), time(13), time(17)), "morning_start must be earlier"),
        ((time(9), time(9), time(13), time(17)), "morning_start must be earlier"),
        ((time(9), time(12), time(17), time(13)), "afternoon_start must be earlier"),
        ((time(9), time(14), time(13), time(17)), "morning session must end"),
        ((time(9, tzinfo=UTC), time(12), time(13), time(17)), "naive time"),
    ],
    ids=["morning-backwards", "empty-morning", "afternoon-backwards", "overlap", "zoned"],
)
def test_invalid_working_hours(sessions: tuple[time, time, time, time], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WorkingHours(*sessions)


def test_hours_per_day() -> None:
    assert DEFAULT_WORKING_HOURS.hours_per_day() == 7.0
    assert WorkingHours(time(9), time(11, 30), time(14), time(17, 15)).hours_per_day() == 5.75


# ------------------------------------------------------------------ efficiency


def test_ten_thousand_deadlines_over_a_year_long_holiday_list() -> None:
    # All of 2027 off. How fast this is belongs to bench/, not to a timed assertion here.
    year_off = [date(2027, 1, 1) + timedelta(days=n) for n in range(365)]
    calendar = WorkCalendar(
        hours=DEFAULT_WORKING_HOURS, holidays=[*HOLIDAYS, *year_off], makeup_workdays=MAKEUP
    )
    starts = [at(12, 1, 8) + timedelta(minutes=37 * n) for n in range(100)]
    jobs = [(start, amount, unit) for start in starts for amount, unit in _MIX] * 10
    assert len(jobs) == 10_000
    dues = [calendar.add(start, amount, unit) for start, amount, unit in jobs]
    assert all(due > start for due, (start, _a, _u) in zip(dues, jobs, strict=True))
    # Nothing counted in working time lands in 2027, the year off; 30 working days from early
    # December run past it into 2028.
    working = [(d, a) for d, (_s, a, u) in zip(dues, jobs, strict=True) if u in (WH, WD)]
    assert not [d for d, _a in working if d.year == 2027]
    assert all(d.year == 2028 for d, a in working if a == 30)
    assert calendar.add(at(12, 31, 16), 2, WH) == at(1, 3, 10, year=2028)  # 1 Jan is a Saturday


_MIX = [
    (2, WH),
    (7, WD),
    (15, WD),
    (0.5, WD),
    (24, CH),
    (2, CH),
    (1, WH),
    (30, WD),
    (3.5, WH),
    (60, WD),
]


# ------------------------------------------------------------------ properties

moments = st.datetimes(
    min_value=datetime(2025, 12, 1),
    max_value=datetime(2027, 1, 31),
    timezones=st.sampled_from([SHANGHAI, UTC]),
)
working_hours_amounts = st.floats(
    min_value=1e-3, max_value=400, allow_nan=False, allow_infinity=False
)
working_units = st.sampled_from(WORKING_UNITS)


def _inside_or_at_session_end(moment: datetime) -> bool:
    local = moment.astimezone(SHANGHAI)
    if not CAL.is_workday(local.date()):
        return False
    wall = local.time()
    return any(
        start < wall <= end
        for start, end in (
            (DEFAULT_WORKING_HOURS.morning_start, DEFAULT_WORKING_HOURS.morning_end),
            (DEFAULT_WORKING_HOURS.afternoon_start, DEFAULT_WORKING_HOURS.afternoon_end),
        )
    )


@given(start=moments, hours=working_hours_amounts)
def test_working_seconds_between_inverts_add(start: datetime, hours: float) -> None:
    due = CAL.add(start, hours, WH)
    assert abs(CAL.working_seconds_between(start, due) - hours * 3600) <= 1e-6


@given(start=moments, days=st.floats(min_value=1e-3, max_value=40, allow_nan=False))
def test_working_days_are_days_of_working_hours(start: datetime, days: float) -> None:
    due = CAL.add(start, days, WD)
    assert abs(CAL.working_seconds_between(start, due) - days * 7 * 3600) <= 1e-6


@given(start=moments, days=st.integers(min_value=1, max_value=40))
def test_whole_working_days_equal_their_hours(start: datetime, days: int) -> None:
    assert CAL.add(start, days, WD) == CAL.add(start, days * 7, WH)


@given(points=st.lists(moments, min_size=3, max_size=3))
def test_working_seconds_between_is_additive(points: list[datetime]) -> None:
    a, b, c = sorted(points)
    ws = CAL.working_seconds_between
    assert abs(ws(a, b) + ws(b, c) - ws(a, c)) <= 1e-6


@given(first=moments, second=moments, hours=working_hours_amounts, unit=working_units)
def test_a_later_start_never_gives_an_earlier_deadline(
    first: datetime, second: datetime, hours: float, unit: DurationUnit
) -> None:
    early, late = sorted((first, second))
    assert CAL.add(early, hours, unit) <= CAL.add(late, hours, unit)


@given(start=moments, hours=working_hours_amounts, unit=working_units)
def test_working_deadlines_fall_inside_a_session(
    start: datetime, hours: float, unit: DurationUnit
) -> None:
    due = CAL.add(start, hours, unit)
    assert due > start
    assert due.tzinfo is SHANGHAI
    assert _inside_or_at_session_end(due)


@given(start=moments, hours=st.floats(min_value=1e-3, max_value=1e4, allow_nan=False))
def test_calendar_hours_are_wall_clock_hours(start: datetime, hours: float) -> None:
    due = CAL.add(start, hours, CH)
    assert due.tzinfo is SHANGHAI
    assert abs((due - start).total_seconds() - hours * 3600) <= 1e-6


@given(
    start=moments,
    hours=working_hours_amounts,
    unit=st.sampled_from(list(DurationUnit)),
    fraction=st.floats(min_value=0.01, max_value=2.0),
)
def test_warn_at_is_the_first_moment_the_fraction_is_reached(
    start: datetime, hours: float, unit: DurationUnit, fraction: float
) -> None:
    due = CAL.add(start, hours, unit)
    warn = CAL.warn_at(start, hours, unit, fraction)
    assert CAL.elapsed_fraction(start, due, warn, unit) >= fraction
    assert CAL.elapsed_fraction(start, due, warn - ONE_US, unit) < fraction
    assert CAL.elapsed_fraction(start, due, due, unit) == 1.0


@given(moment=moments)
def test_next_working_moment_is_where_working_time_starts(moment: datetime) -> None:
    nxt = CAL.next_working_moment(moment)
    assert nxt >= moment
    assert CAL.working_seconds_between(moment, nxt) == 0
    assert CAL.working_seconds_between(nxt, nxt + ONE_US) == 1e-6


# A deliberately naive reference: walk minute by minute and count working minutes.


@cache
def _reference_workday(day: date) -> bool:
    if day in HOLIDAYS:
        return False
    return day in MAKEUP or day.weekday() < 5


def _reference_working_minute(moment: datetime) -> bool:
    wall = moment.time()
    return _reference_workday(moment.date()) and (
        time(9) <= wall < time(12) or time(13) <= wall < time(17)
    )


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 12, 20), max_value=datetime(2026, 12, 31)).map(
        lambda naive: naive.replace(second=0, microsecond=0, tzinfo=SHANGHAI)
    ),
    minutes=st.integers(min_value=1, max_value=3 * 7 * 60),
)
def test_add_matches_a_minute_by_minute_walk(start: datetime, minutes: int) -> None:
    moment, counted = start, 0
    while counted < minutes:
        if _reference_working_minute(moment):
            counted += 1
        moment += timedelta(minutes=1)
    assert CAL.add(start, minutes / 60, WH) == moment
