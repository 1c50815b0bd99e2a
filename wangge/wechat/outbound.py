"""The record of one message on one channel, and its claim: what makes every send at most once.

Each message has an `Outbound` row under a key from its hand-over (the notice and the person,
the case and the event, the job's batch …), so a job's retries find what an earlier run did:
* the claim moves the row from 待发送 to 发送中 with one conditional UPDATE, so two workers never
  send the same message;
* a row found 发送中 was claimed by a run that did not finish: its outcome is unknown and it is
  not sent again (结果未知), as after a read timeout;
* only a failure that reached nobody, or that WeChat asks to be tried later (-1 busy, 45009
  quota), puts the row back to 待发送 and lets the job retry.
"""

from typing import Any

from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.wechat.models import Outbound


class RetryLater(Exception):
    """Nothing reached the resident yet and a later try may: the job is retried with back-off
    (its settled messages are skipped)."""


class WaitForGrant(Exception):
    """A message waits for the resident's answer to the subscription request, which the
    mini-program sends just after the report: the job looks again shortly."""


def claim(key: str, defaults: dict[str, Any]) -> tuple[Outbound, str | None]:
    """The row under `key` (made on first sight) and, when this run may send it, None after
    moving it to 发送中; otherwise the state it was settled in."""
    try:
        row, _created = Outbound.objects.get_or_create(key=key, defaults=defaults)
    except IntegrityError:
        row = Outbound.objects.get(key=key)
    if row.state == Outbound.State.SENDING:
        # Claimed by a run that never recorded its outcome (killed mid-call): WeChat may have
        # delivered it, so it is not sent again.
        settle(row, Outbound.State.UNKNOWN, _("上次发送中断，结果未知"))
        return row, Outbound.State.UNKNOWN
    claimed = Outbound.objects.filter(pk=row.pk, state=Outbound.State.PENDING).update(
        state=Outbound.State.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return row, Outbound.objects.get(pk=row.pk).state  # settled earlier
    return row, None


def settle(row: Outbound, state: str, error: str = "", **more: Any) -> None:
    fields = {"state": state, "error": error[:200], **more}
    if state in (Outbound.State.SENT, Outbound.State.CREATED):
        fields["sent_at"] = timezone.now()
    Outbound.objects.filter(pk=row.pk).update(**fields)


def release(row: Outbound, error: str) -> None:
    """Back to 待发送 for the job's next try."""
    Outbound.objects.filter(pk=row.pk, state=Outbound.State.SENDING).update(
        state=Outbound.State.PENDING, error=error[:200]
    )
