from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.kitchen.services import plans_close


@db_periodic_task(crontab(minute="*"))
def close_meal_plans() -> None:
    """Every minute: a plan whose delivery window has passed raises an alert for each meal
    still waiting (the grid worker visits today, the emergency contact is told)."""
    plans_close()
