"""Housekeeping of core's own tables, and the cleaning of photos kept as sent (core.images)."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.core.idempotency import keys_purge

# Declared beside the code that queues it (core.images.store_image); imported here so the
# worker, which imports every app's tasks module, knows it.
from wangge.core.images import photo_clean, photos_pending
from wangge.core.jobs import HUEY

__all__ = ["idempotency_keys_purge", "jobs_spool_drain", "photo_clean", "photos_pending_rescue"]


# 19:40 UTC is 03:40 in Asia/Shanghai, when no one is in the field.
@db_periodic_task(crontab(hour="19", minute="40"))
def idempotency_keys_purge() -> int:
    return keys_purge()


# Every five minutes: a photo whose job was never queued (the queue was away when its report was
# stored) or was lost is queued again; one that has waited less than that is its job's still.
@db_periodic_task(crontab(minute="*/5"))
def photos_pending_rescue() -> int:
    waiting = photos_pending(settings.PHOTO_PENDING_RESCUE_SECONDS)
    for label, pk, field, name in waiting:
        photo_clean(label, pk, field, name)
    return len(waiting)


# Every minute: the jobs kept in the database while Redis was away go onto the queue.
@db_periodic_task(crontab(minute="*"))
def jobs_spool_drain() -> int:
    # Only a queue on Redis keeps jobs aside (wangge.core.redis_outage); asked by what it
    # does, so that an install without Redis never imports the redis package.
    drain = getattr(HUEY.storage, "drain_spool", None)
    return drain() if drain is not None else 0
