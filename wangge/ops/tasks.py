"""Scheduled circulars."""

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.cases import kpi_counts
from wangge.ops import aggregates, selectors
from wangge.ops.models import Circular
from wangge.ops.services import assessments_generate_all, circulars_generate_all


# Huey's scheduler runs in UTC (HUEY["utc"] is left at its default), so Monday 07:00 in
# Asia/Shanghai is Sunday 23:00 UTC; day_of_week 0 is Sunday.
@db_periodic_task(crontab(day_of_week="0", hour="23", minute="0"))
def weekly_circulars() -> None:
    """The previous Monday–Sunday week, for every street and the district."""
    last_week = timezone.localdate() - timedelta(days=7)
    circulars_generate_all(kind=Circular.Kind.WEEKLY, start=last_week)


# The 1st at 00:30 UTC (08:30 local): the local month turned eight hours earlier, and the
# weekly run of a Monday the 1st is done by then.
@db_periodic_task(crontab(day="1", hour="0", minute="30"))
def monthly_circulars() -> None:
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    circulars_generate_all(kind=Circular.Kind.MONTHLY, start=last_month)


@db_periodic_task(crontab(minute="*"))
def refresh_unit_figures() -> None:
    """The dashboard's counters, at most a minute old (aggregates.py), and the figures of the
    tree's cities and districts added up from them."""
    aggregates.refresh()
    selectors.warm_figures()


@db_periodic_task(crontab(minute="*"))
def refresh_kpi_months() -> None:
    """The KPI pages' monthly counters per street, at most a minute old (cases.kpi_counts)."""
    kpi_counts.refresh()


# 1 January 01:00 UTC (09:00 local), after the December circular: the year just ended.
@db_periodic_task(crontab(month="1", day="1", hour="1", minute="0"))
def annual_assessments() -> None:
    assessments_generate_all(year=timezone.localdate().year - 1)
