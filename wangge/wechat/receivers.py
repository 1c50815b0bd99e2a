"""The channels' deliverer (registered in `WechatConfig.ready`): inbox messages with an event
become a job, queued once the caller's transaction commits. Nothing is looked up here, so a
case's intake pays nothing for a district without WeChat, and little with it."""

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction

from wangge.notifications.channels import Push
from wangge.wechat import client
from wangge.wechat.delivery import RESIDENT_EVENTS, STAFF_EVENTS
from wangge.wechat.services import on_deactivated
from wangge.wechat.tasks import wechat_deliver_task


def deliver_later(pushes: Sequence[Push]) -> None:
    wanted: list[Push] = []
    if client.configured(client.MINI):
        wanted += [p for p in pushes if p.event in RESIDENT_EVENTS]
    if client.configured(client.WECOM):
        wanted += [p for p in pushes if p.event in STAFF_EVENTS]
    if not wanted:
        return
    payload: list[dict[str, Any]] = [asdict(p) for p in wanted]
    # One key per hand-over: the job's retries reuse it, so each message is sent at most once.
    batch = uuid.uuid4().hex

    def _enqueue() -> None:
        wechat_deliver_task(payload, batch)

    transaction.on_commit(_enqueue)


def deactivated(sender: type, instance: Any, **kwargs: Any) -> None:
    """post_save of an account: a deactivated one keeps no WeChat binding."""
    if not instance.is_active and instance.pk:
        on_deactivated(instance)
