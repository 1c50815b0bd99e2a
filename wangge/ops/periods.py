"""The calendar periods the 城运中心 counts over, on the local calendar: Monday–Sunday weeks,
months, and the weeks of the trend chart, each as [start, end)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

# The trend chart: this week and the seven before it.
TREND_WEEKS = 8


def aware(day: date) -> datetime:
    """Local midnight at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def week_bounds(day: date) -> tuple[date, date]:
    """The Monday–Sunday week holding `day`, as [Monday, next Monday)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def trend_mondays(day: date) -> list[date]:
    """The Mondays of the trend chart's weeks, oldest first, the week holding `day` last."""
    monday, _end = week_bounds(day)
    return [monday - timedelta(weeks=i) for i in range(TREND_WEEKS - 1, -1, -1)]
