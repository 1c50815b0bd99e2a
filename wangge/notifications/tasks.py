"""Text messages as jobs: each message is one job that retries with back-off while the
gateway is down (30 s, 1, 2, 4, 8, 16 min: about half an hour in all), then gives up and says
so in the SMS log. A refusal for good (a wrong number, a template not approved) is not retried."""

import json

from django.utils.translation import gettext as _
from huey.api import Task
from huey.contrib.djhuey import db_task

from wangge.core import pii
from wangge.core.masking import mask_phone
from wangge.notifications import sms
from wangge.notifications.models import SmsMessage

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
    sms_attempt(sealed=sealed, attempt=SMS_RETRIES - left + 1, last=left == 0)


class SmsFailed(Exception):
    """One attempt failed in a way worth retrying; the job raises it so huey tries again."""


def sms_attempt(*, sealed: str, attempt: int, last: bool) -> SmsMessage:
    """One attempt at a queued message, written to the SMS log with the phone masked. Raises
    SmsFailed when the gateway may take it later (and this is not the `last` attempt)."""
    message = json.loads(pii.decrypt(sealed))
    backend = sms.backend()
    ok, error, ref = True, "", ""
    try:
        ref = backend.send(
            message["phone"],
            message["body"],
            template=message["template"],
            params=message["params"],
        )
    except sms.SmsRejected as exc:
        ok, error = False, _("通道拒收：%(e)s") % {"e": exc}
        last = True
    except Exception as exc:  # the gateway is down or timed out: try again later
        ok, error = False, str(exc) or type(exc).__name__
    if not ok and last:
        error = _("不再重试：%(e)s") % {"e": error}
    row = SmsMessage.objects.create(
        message_key=message["key"],
        attempt=attempt,
        phone_masked=mask_phone(message["phone"]),
        body=sms.redact_codes(message["body"])[:500],
        backend=backend.name,
        ok=ok,
        error=sms.redact_codes(error)[:300],
        provider_ref=(ref or "")[:64],
    )
    if not ok and not last:
        raise SmsFailed(row.error)
    return row
