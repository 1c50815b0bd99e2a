"""The job that sends WeChat and 企业微信 messages (delivery.py does the work)."""

from typing import Any

from huey.contrib.djhuey import db_task

from wangge.wechat.delivery import RETRIES, RETRY_DELAY, deliver_batch


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def wechat_deliver_task(pushes: list[dict[str, Any]], batch: str) -> None:
    """Each message at most once: a retry skips what an earlier run settled (delivery.py)."""
    deliver_batch(pushes, batch)
