from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.rankings.aggregates import refresh
from wangge.rankings.services import freeze_due


@db_periodic_task(crontab(minute="*"))
def refresh_boards() -> None:
    """Every minute: the volunteers' boards catch up with the ledger."""
    refresh()


# huey's schedule runs on UTC: 16:10 UTC is ten past midnight in Beijing.
@db_periodic_task(crontab(hour="16", minute="10"))
def freeze_closed_periods() -> None:
    """Ten past midnight (Beijing): the week, month or year that just ended is frozen."""
    refresh()
    freeze_due()
