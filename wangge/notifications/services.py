from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.masking import mask_phone
from wangge.notifications import sms
from wangge.notifications.models import Notification, SmsMessage


@dataclass(frozen=True)
class Message:
    recipients: Iterable[User]
    title: str
    body: str = ""
    link: str = ""
    topic: str = ""


def notify_many(messages: Iterable[Message]) -> int:
    """Several messages in one INSERT; each reaches a person once, however often listed."""
    rows: list[Notification] = []
    for m in messages:
        unique = {u.pk: u for u in m.recipients if u is not None and u.is_active}
        rows.extend(
            Notification(recipient=u, title=m.title[:120], body=m.body, link=m.link, topic=m.topic)
            for u in unique.values()
        )
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify(
    *, recipients: Iterable[User], title: str, body: str = "", link: str = "", topic: str = ""
) -> int:
    """Put a message in each recipient's inbox (once per person, however often they are listed)."""
    return notify_many([Message(recipients, title, body, link, topic)])


def sms_send(*, phone: str, body: str) -> bool:
    """Send after the surrounding transaction commits: a rolled-back action must not text anyone."""

    def _send() -> None:
        backend = sms.backend()
        ok, error = True, ""
        try:
            backend.send(phone, body)
        except Exception as exc:  # a failed text must not break the case action that caused it
            ok, error = False, str(exc)[:300]
        SmsMessage.objects.create(
            phone_masked=mask_phone(phone),
            body=sms.redact_codes(body)[:500],
            backend=backend.name,
            ok=ok,
            error=error,
        )

    transaction.on_commit(_send)
    return True


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
