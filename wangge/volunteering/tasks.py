from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.volunteering.services import tasks_sweep


@db_periodic_task(crontab(minute="*"))
def sweep_tasks() -> None:
    """Every minute: tasks start and finish on time; check-ins nobody closed are closed at the
    task's end with a flag, and the organiser is asked to confirm hours."""
    tasks_sweep()
