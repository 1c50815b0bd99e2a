import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core import inserts, pii
from wangge.notifications import channels, sms
from wangge.notifications.models import Notification
from wangge.notifications.tasks import sms_deliver


@dataclass(frozen=True)
class Message:
    recipients: Iterable[User]
    title: str
    body: str = ""
    link: str = ""
    topic: str = ""
    # What happened (channels.CASE_ACCEPTED …): a message with an event also goes to the
    # channels beyond the inbox (WeChat, 企业微信) of whoever has one.
    event: str = ""


def inbox_rows(messages: Iterable[Message]) -> list[Notification]:
    """The unsaved inbox rows for `messages`: each message reaches an active person once,
    however often listed. For a caller that writes them together with rows of its own."""
    rows: list[Notification] = []
    for m in messages:
        unique = {u.pk: u for u in m.recipients if u is not None and u.is_active}
        for u in unique.values():
            row = inserts.new(
                Notification,
                recipient=u,
                title=m.title[:120],
                body=m.body,
                link=m.link,
                topic=m.topic,
            )
            if m.event:
                row.push_event = m.event  # type: ignore[attr-defined]  # read by pushes_of
            rows.append(row)
    return rows


def pushes_of(rows: Iterable[Notification]) -> None:
    """Hand the written inbox rows of messages with an event to the other channels (for a
    caller that wrote the rows of `inbox_rows` itself)."""
    pushes = [
        channels.Push(r.recipient_id, event, r.title, r.body, r.link, r.topic)
        for r in rows
        if (event := getattr(r, "push_event", ""))
    ]
    channels.hand_over(pushes)


def notify_many(messages: Iterable[Message]) -> int:
    """Several messages in one INSERT; each reaches a person once, however often listed."""
    rows = inbox_rows(messages)
    Notification.objects.bulk_create(rows)
    pushes_of(rows)
    return len(rows)


def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    link: str = "",
    topic: str = "",
    event: str = "",
) -> int:
    """Put a message in each recipient's inbox (once per person, however often they are
    listed), and with an `event` in their other channels too."""
    return notify_many([Message(recipients, title, body, link, topic, event)])


def sms_send(
    *, phone: str, body: str, template: str = sms.NOTICE, params: Sequence[str] | None = None
) -> bool:
    """Queue a text message once the surrounding transaction commits (a rolled-back action must
    not text anyone). A job sends it, retrying with back-off while the gateway is down, so the
    action that caused it never waits on the gateway or fails with it. The job's payload is
    encrypted: the queue holds neither the number nor a verification code in clear."""
    sealed = pii.encrypt(
        json.dumps(
            {
                "key": uuid.uuid4().hex,
                "phone": phone,
                "body": body,
                "template": template,
                "params": list(params) if params is not None else sms.notice_params(body),
            },
            ensure_ascii=False,
        )
    )

    def _enqueue() -> None:
        sms_deliver(sealed)

    transaction.on_commit(_enqueue)
    return True


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
