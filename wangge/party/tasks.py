from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.party.services import stars_sweep


@db_periodic_task(crontab(minute="23"))
def recompute_star_ratings() -> None:
    """Every hour: the open 五星支部 ratings follow the hours certified, the activities held and
    the cases closed since (a material attached or removed recomputes its year at once)."""
    stars_sweep()
