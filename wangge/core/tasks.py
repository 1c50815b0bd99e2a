"""Housekeeping of core's own tables."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.core.idempotency import keys_purge


# 19:40 UTC is 03:40 in Asia/Shanghai, when no one is in the field.
@db_periodic_task(crontab(hour="19", minute="40"))
def idempotency_keys_purge() -> int:
    return keys_purge()
