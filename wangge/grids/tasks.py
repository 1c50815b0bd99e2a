from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.grids import indexes


@db_periodic_task(crontab(minute="*"))
def store_building_forms() -> None:
    """Every minute, where the database engine serves: the forms of buildings imported or
    edited since, and of every building when the place names or the parser changed, are
    parsed once and stored, so that resolving reads them instead of parsing them (nothing
    when nothing changed)."""
    indexes.store_forms()
