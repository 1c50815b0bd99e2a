"""Background jobs of 小原帮办: the items' vectors and the decision bars, after the base changed.

Calibrating a large base takes minutes (every probe is a ranked question, twice), so it runs
here after the change commits, never inside the import or the admin request; until it has
stored the new bars the index decides with the last ones stored (index._build)."""

from huey.contrib.djhuey import db_task

from wangge.assistant import services


@db_task()
def kb_calibrate_task() -> None:
    services.kb_calibrate()


@db_task()
def kb_embed_task() -> None:
    """The vectors of new and edited items (all of them after an encoder's version changed);
    queues the calibration when done."""
    services.kb_embed()
