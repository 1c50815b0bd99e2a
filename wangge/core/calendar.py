"""The civic calendar everything is counted on: days, Monday–Sunday weeks, months and years in
the district's time zone (settings.TIME_ZONE, Asia/Shanghai), each as [start, end). Periods are
the district's, not the viewer's: a week's figures are the same whoever reads them."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def midnight(day: date) -> datetime:
    """The start of `day` in the district's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def local_date(moment: datetime) -> date:
    """The district's calendar day of an aware moment."""
    return moment.astimezone(timezone.get_default_timezone()).date()


def week_bounds(day: date) -> tuple[date, date]:
    """The Monday–Sunday week holding `day`, as [Monday, next Monday)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def month_bounds(day: date) -> tuple[date, date]:
    """The calendar month holding `day`, as [the 1st, the next month's 1st)."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def year_bounds(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year + 1, 1, 1)
