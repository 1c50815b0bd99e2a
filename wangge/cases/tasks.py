"""Background jobs of the case loop."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.cases import sla
from wangge.core.runs import RunIncomplete

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def sla_sweep() -> None:
    """Every minute: yellow and red cards, automatic supervision, notifications."""
    result = sla.sweep()
    if result.yellow or result.red:
        logger.info("SLA sweep: %d yellow, %d red", result.yellow, result.red)
    if result.failed:
        # The other cases got their cards; the worker records this run as failed.
        raise RunIncomplete(f"SLA sweep: failed for {', '.join(result.failed)}")
