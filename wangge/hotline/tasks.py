"""Background jobs of the 12345 adapter: sending 回传, and the sweep that retries them."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wangge.hotline import services

logger = logging.getLogger(__name__)


@db_task()
def delivery_send_task(delivery_id: int) -> None:
    services.delivery_send(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*"))
def deliveries_sweep() -> None:
    """Every minute: attempts whose back-off has passed, and any a lost job left behind."""
    queued = services.deliveries_send_due()
    if queued:
        logger.info("12345 deliveries queued: %d", queued)
