"""The job that sends WeChat and 企业微信 messages (delivery.py does the work)."""

from typing import Any

from huey.api import Task
from huey.contrib.djhuey import db_task
from huey.exceptions import RetryTask

from wangge.wechat.delivery import (
    GRANT_POLL_SECONDS,
    RETRIES,
    RETRY_BACKOFF,
    RETRY_DELAY,
    deliver_batch,
)
from wangge.wechat.outbound import WaitForGrant


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, retry_backoff=RETRY_BACKOFF, context=True)
def wechat_deliver_task(pushes: list[dict[str, Any]], batch: str, task: Task | None = None) -> None:
    """Each message at most once: a retry skips what an earlier run settled (delivery.py). A
    message WeChat was too busy for is tried again with back-off; on the last try it falls back.
    One waiting for the resident's grant is looked at again shortly, without spending a try
    (its own deadline ends the wait)."""
    last = task is None or task.retries == 0
    try:
        deliver_batch(pushes, batch, last=last)
    except WaitForGrant:
        raise RetryTask(delay=GRANT_POLL_SECONDS) from None
