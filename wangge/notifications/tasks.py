"""Text messages as jobs: each message is one job that retries with back-off while the
gateway is down (30 s, 1, 2, 4, 8, 16 min: about half an hour in all), then gives up and says
so in the SMS log. A refusal for good (a wrong number, a template not approved) is not retried."""

from huey.api import Task
from huey.contrib.djhuey import db_task

from wangge.notifications import services

SMS_RETRIES = 6
SMS_RETRY_DELAY = 30  # seconds before the first retry
SMS_RETRY_BACKOFF = 2  # each wait twice the one before


@db_task(
    retries=SMS_RETRIES,
    retry_delay=SMS_RETRY_DELAY,
    retry_backoff=SMS_RETRY_BACKOFF,
    context=True,
)
def sms_deliver(sealed: str, task: Task | None = None) -> None:
    left = task.retries if task is not None else 0
    services.sms_attempt(sealed=sealed, attempt=SMS_RETRIES - left + 1, last=left == 0)
