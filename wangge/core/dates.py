"""The window of dates and times the platform accepts from outside: 2000-01-01 … 2100-12-31.

Year 1 or 9999 is never a real report time, deadline or filter, but Python accepts both, and
the first time-zone conversion or deadline arithmetic on them overflows (a 500, and a 12345
order that can never land). Every parser of outside input — API schemas, forms, query filters,
the hotline, Open311 — checks against this one window *before* converting or adding anything.
"""

from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.errors import ValidationFailed

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class OutOfWindow(ValidationFailed, ValueError):
    """A date outside the window. A ValueError too, so pydantic validators (API schemas) report
    it as an input error with this message; a DomainError (422) everywhere else."""


def window_message() -> str:
    return _("日期须在 %(start)s 年至 %(end)s 年之间") % {
        "start": EARLIEST.year,
        "end": LATEST.year,
    }


def in_window(value: date | datetime) -> bool:
    # The date as written, before any conversion: converting is what overflows.
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def check_date(value: date) -> date:
    if not in_window(value):
        raise OutOfWindow(window_message())
    return value


def check_datetime(value: datetime) -> datetime:
    """The moment of an outside time, in UTC: naive times are Beijing time (the district's
    zone). In UTC, an offset PostgreSQL cannot take (-16:31 is valid to Python) never reaches it."""
    check_date(value.date())
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value.astimezone(UTC)


def validate_in_window(value: date | datetime | None) -> None:
    """A Django form field validator: the same window, as a field error the form shows beside
    what the person typed."""
    if value is not None and not in_window(value):
        raise ValidationError(window_message(), code="out_of_window")


def optional_date(raw: str | None) -> date | None:
    """A date typed into a page's filter (?start=, ?day=): None when empty, unreadable or outside
    the window, so the page falls back to its default period instead of failing."""
    try:
        day = date.fromisoformat((raw or "").strip()) if raw and raw.strip() else None
    except ValueError:
        return None
    return day if day is not None and in_window(day) else None


def plain_when(value: date | datetime | None, *, today: date | None = None) -> str:
    """A date or moment as residents read it, the same on every page of theirs: 11月28日 21:13,
    with the year in front when it is not this year (2024年11月28日 21:13); a date alone is
    11月28日. Moments are read in the district's zone; '' for nothing.

    One way of writing dates, because 11/28, 11-28 and 12月8日 side by side read as three kinds of
    date to someone who is not used to apps, and a date with no year looks like this year's."""
    if value is None or value == "":
        return ""
    today = today or timezone.localdate()
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        day: date = moment.date()
        clock = moment.strftime("%H:%M")
    else:
        day, clock = value, ""
    text = (
        _("%(month)s月%(day)s日") % {"month": day.month, "day": day.day}
        if day.year == today.year
        else _("%(year)s年%(month)s月%(day)s日")
        % {"year": day.year, "month": day.month, "day": day.day}
    )
    return f"{text} {clock}" if clock else text
