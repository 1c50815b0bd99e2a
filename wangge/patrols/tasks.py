"""Scheduled patrol reports: the 周报告 every Monday, the 月汇总 on the 1st."""

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.patrols.models import PatrolReport
from wangge.patrols.services import patrol_reports_generate_all


# Huey's scheduler runs in UTC: Sunday 23:15 UTC is Monday 07:15 in Asia/Shanghai, after the
# previous week has ended; day_of_week 0 is Sunday.
@db_periodic_task(crontab(day_of_week="0", hour="23", minute="15"))
def weekly_patrol_reports() -> None:
    """The Monday–Sunday week that just ended, for every community."""
    last_week = timezone.localdate() - timedelta(days=7)
    patrol_reports_generate_all(kind=PatrolReport.Kind.WEEKLY, day=last_week)


# The 1st at 00:45 UTC (08:45 local): the local month turned eight hours earlier.
@db_periodic_task(crontab(day="1", hour="0", minute="45"))
def monthly_patrol_reports() -> None:
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    patrol_reports_generate_all(kind=PatrolReport.Kind.MONTHLY, day=last_month)
