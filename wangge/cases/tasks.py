"""Background jobs of the case loop."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.cases import sla

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def sla_sweep() -> None:
    """Every minute: yellow and red cards, automatic supervision, notifications."""
    result = sla.sweep()
    if result.yellow or result.red:
        logger.info("SLA sweep: %d yellow, %d red", result.yellow, result.red)
