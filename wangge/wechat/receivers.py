"""The channels' deliverer (registered in `WechatConfig.ready`): inbox messages with an event
become a job, queued once the caller's transaction commits. Nothing is looked up here for a
case's messages, so a case's intake pays nothing for a district without WeChat, and little with
it; a grid notice looks up once who subscribed to notices, and whether any group can hear it."""

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Final

from django.db import transaction

from wangge.notifications import channels
from wangge.notifications.channels import Push
from wangge.wechat import client, groups
from wangge.wechat.delivery import RESIDENT_EVENTS, STAFF_EVENTS
from wangge.wechat.models import SubscribeTemplate, SubscriptionGrant
from wangge.wechat.services import on_deactivated, templates
from wangge.wechat.tasks import wechat_deliver_task

# Messages per job.
JOB_SIZE: Final = 200


def deliver_later(pushes: Sequence[Push]) -> None:
    wanted: list[Push] = []
    to_groups = [p for p in pushes if groups.is_groups(p)]
    if client.configured(client.MINI):
        residents = [p for p in pushes if p.event in RESIDENT_EVENTS and not groups.is_groups(p)]
        wanted += _granted_notices(residents)
    if client.configured(client.WECOM):
        wanted += [p for p in pushes if p.event in STAFF_EVENTS]
    if to_groups and groups.any_channel():
        wanted += to_groups
    if not wanted:
        return
    payload: list[dict[str, Any]] = [asdict(p) for p in wanted]
    # One key per hand-over: the job's retries reuse it, so each message is sent at most once.
    batch = uuid.uuid4().hex

    def _enqueue() -> None:
        # A notice to a whole street is many messages: jobs of a bounded size, each retried
        # on its own.
        for start in range(0, len(payload), JOB_SIZE):
            wechat_deliver_task(payload[start : start + JOB_SIZE], batch)

    transaction.on_commit(_enqueue)


def _granted_notices(pushes: list[Push]) -> list[Push]:
    """A grid notice reaches in WeChat only the residents who subscribed to notices (the 公告
    page has it for everyone): the others are left out here, before a job carries them."""
    if not any(p.event == channels.GRID_NOTICE for p in pushes):
        return pushes
    template = templates().get(SubscribeTemplate.Event.NOTICE)
    granted: set[int] = set()
    if template is not None:
        granted = set(
            SubscriptionGrant.objects.filter(
                template_id=template.template_id, available__gt=0
            ).values_list("user_id", flat=True)
        )
    return [p for p in pushes if p.event != channels.GRID_NOTICE or p.recipient_id in granted]


def deactivated(sender: type, instance: Any, **kwargs: Any) -> None:
    """post_save of an account: a deactivated one keeps no WeChat binding."""
    if not instance.is_active and instance.pk:
        on_deactivated(instance)
