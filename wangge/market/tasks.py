from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.market.services import reservations_expire


@db_periodic_task(crontab(minute="*/5"))
def expire_reservations() -> None:
    """Every five minutes: 48-hour holds that ran out pass to the next neighbour in line."""
    reservations_expire()
