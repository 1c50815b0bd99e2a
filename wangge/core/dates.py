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
