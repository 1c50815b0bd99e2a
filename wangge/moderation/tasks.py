"""The jobs of content security: a check's first try, and the minute's sweep of those due again
(checking.py does the work)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wangge.moderation.checking import check_run, sweep


@db_task()
def check_task(check_id: int) -> str:
    return check_run(check_id)


@db_periodic_task(crontab(minute="*"))
def checks_sweep() -> None:
    """Every minute: checks without a verdict whose retry is due, with backoff."""
    sweep()
