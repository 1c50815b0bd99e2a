"""Background job of 小原帮办: learning the decision bars again after the base changed.

Calibrating a large base takes minutes (every probe is a ranked question, twice), so it runs
here after the change commits, never inside the import or the admin request; until it has
stored the new bars the index decides with the last ones stored (index._build)."""

from huey.contrib.djhuey import db_task

from wangge.assistant import services


@db_task()
def kb_calibrate_task() -> None:
    services.kb_calibrate()
