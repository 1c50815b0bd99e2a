"""Housekeeping of core's own tables, and the cleaning of photos kept as sent (core.images)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.core.idempotency import keys_purge

# Declared beside the code that queues it (core.images.store_image); imported here so the
# worker, which imports every app's tasks module, knows it.
from wangge.core.images import photo_clean

__all__ = ["idempotency_keys_purge", "photo_clean"]


# 19:40 UTC is 03:40 in Asia/Shanghai, when no one is in the field.
@db_periodic_task(crontab(hour="19", minute="40"))
def idempotency_keys_purge() -> int:
    return keys_purge()
