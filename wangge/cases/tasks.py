"""Background jobs of the case loop."""

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from wangge.cases import learning, sla
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


# 18:20 UTC is 02:20 in Asia/Shanghai: the day's dispatching is in, and no desk is waiting on
# the worker. One training at a time, whichever node or command starts it.
@db_periodic_task(crontab(hour="18", minute="20"))
def classifier_train_nightly() -> str:
    return classifier_train_job()


@db_task()
def classifier_train_now(force: bool = False) -> str:
    """On demand (the ops page's 立即训练): the same job, queued."""
    return classifier_train_job(force=force)


def classifier_train_job(*, force: bool = False) -> str:
    with HUEY.lock_task("classifier_train"):
        result = learning.classifier_train(force=force)
    logger.info("category model training: %s", result.message)
    return result.message
