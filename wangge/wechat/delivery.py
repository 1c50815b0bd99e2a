"""Sending one inbox message to WeChat or 企业微信, at most once.

Each message gets an `Outbound` row whose key comes from the hand-over (its batch, the event,
the person; "accepted" once per case), so the job's retries find what an earlier run did:
* the claim moves the row from 待发送 to 发送中 with one conditional UPDATE, so two workers never
  send the same message;
* a row found 发送中 was claimed by a run that did not finish: its outcome is unknown and it is
  not sent again (结果未知), as after a read timeout;
* only a failure that reached nobody (no connection) puts the row back to 待发送 and lets the
  job retry.
A resident's message needs a grant of its template (one "accept" of a one-time template allows
one message); without one, or when WeChat says the resident refused, the message is not sent
and the resident's fallback applies: the inbox (it is there already), or a text message too.
"""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from django.conf import settings
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.cases.services.notices import plain_status
from wangge.notifications import channels
from wangge.notifications.channels import Push
from wangge.notifications.services import sms_send
from wangge.wechat import client
from wangge.wechat.models import (
    Outbound,
    SubscribeTemplate,
    SubscriptionGrant,
    WechatApp,
    WechatIdentity,
    WecomIdentity,
)
from wangge.wechat.services import templates

logger = logging.getLogger(__name__)

RETRIES: Final = 5
RETRY_DELAY: Final = 60

RESIDENT_EVENTS: Final = {
    channels.CASE_ACCEPTED: SubscribeTemplate.Event.ACCEPTED,
    channels.CASE_RESOLVED: SubscribeTemplate.Event.RESOLVED,
    channels.CASE_RATE: SubscribeTemplate.Event.RATE,
    channels.GRID_NOTICE: SubscribeTemplate.Event.NOTICE,
}
STAFF_EVENTS: Final = frozenset(
    {
        channels.CASE_ASSIGNED,
        channels.CASE_CARD,
        channels.CASE_WHISTLE,
        channels.CASE_SUPERVISE,
    }
)
# The mini-program page a resident's message opens.
CASES_PAGE: Final = "pages/cases/cases"
MESSAGES_PAGE: Final = "pages/messages/messages"
# Every template's default fields (WeChat's own names); the admin may map others.
DEFAULT_FIELDS: Final = {
    SubscribeTemplate.Event.ACCEPTED: {
        "character_string1": "number",
        "thing2": "title",
        "thing3": "unit",
        "time4": "time",
    },
    SubscribeTemplate.Event.RESOLVED: {
        "character_string1": "number",
        "thing2": "title",
        "thing3": "result",
        "time4": "time",
    },
    SubscribeTemplate.Event.RATE: {
        "character_string1": "number",
        "thing2": "title",
        "thing3": "status",
    },
    SubscribeTemplate.Event.NOTICE: {"thing1": "notice", "time2": "time"},
}
# WeChat's length limits by the kind of field (thing ≤ 20 characters, …).
_LIMITS: Final = {"thing": 20, "character_string": 32, "phrase": 5, "name": 10}

# errcodes: the resident has not granted (or revoked) the template; the template is gone;
# a quota is used up; the data does not fit the template.
REFUSED: Final = 43101
TEMPLATE_GONE: Final = frozenset({40037, 40036})
QUOTA: Final = 45009
BAD_DATA: Final = 47003


class RetryLater(Exception):
    """Nothing reached WeChat: the job is retried (its settled messages are skipped)."""


def deliver_batch(pushes: Sequence[dict[str, Any]], batch: str) -> None:
    retry = False
    for data in pushes:
        try:
            deliver_one(Push(**data), batch)
        except RetryLater:
            retry = True
    if retry:
        raise RetryLater


def _key(push: Push, batch: str) -> str:
    if push.event == channels.CASE_ACCEPTED:
        return f"{push.event}:{push.topic}:{push.recipient_id}"  # once per case
    return f"{batch}:{push.event}:{push.recipient_id}"[:120]


def deliver_one(push: Push, batch: str) -> str:
    """Send one message unless an earlier run settled it; returns the row's state."""
    resident = push.event in RESIDENT_EVENTS
    channel = Outbound.Channel.SUBSCRIBE if resident else Outbound.Channel.WECOM
    try:
        row, _created = Outbound.objects.get_or_create(
            key=_key(push, batch),
            defaults={
                "channel": channel,
                "user_id": push.recipient_id,
                "event": push.event,
                "title": push.title[:120],
                "link": push.link[:300],
            },
        )
    except IntegrityError:
        row = Outbound.objects.get(key=_key(push, batch))
    if row.state == Outbound.State.SENDING:
        # Claimed by a run that never recorded its outcome (killed mid-call): WeChat may have
        # delivered it, so it is not sent again.
        _settle(row, Outbound.State.UNKNOWN, _("上次发送中断，结果未知"))
        return Outbound.State.UNKNOWN
    claimed = Outbound.objects.filter(pk=row.pk, state=Outbound.State.PENDING).update(
        state=Outbound.State.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return Outbound.objects.get(pk=row.pk).state  # settled earlier
    user = User.objects.get(pk=push.recipient_id)
    if resident:
        return _to_resident(row, push, user)
    return _to_staff(row, push, user)


def _settle(row: Outbound, state: str, error: str = "", **more: Any) -> None:
    fields = {"state": state, "error": error[:200], **more}
    if state == Outbound.State.SENT:
        fields["sent_at"] = timezone.now()
    Outbound.objects.filter(pk=row.pk).update(**fields)


def _release(row: Outbound, error: str) -> None:
    Outbound.objects.filter(pk=row.pk, state=Outbound.State.SENDING).update(
        state=Outbound.State.PENDING, error=error[:200]
    )


def _case_of(push: Push) -> Case | None:
    if not push.topic.startswith("case:"):
        return None
    return Case.objects.select_related("handling_node").filter(pk=push.topic[5:]).first()


def _values(push: Push, case: Case | None, when: datetime) -> dict[str, str]:
    local = timezone.localtime(when)
    values = {"time": local.strftime("%Y-%m-%d %H:%M"), "notice": push.title, "title": push.title}
    if case is not None:
        values.update(
            number=case.number or str(case.pk),
            title=case.title,
            status=plain_status(case),
            unit=case.handling_node.name if case.handling_node else _("相关单位"),
            result=case.resolution or plain_status(case),
        )
    return values


def _fit(name: str, value: str) -> str:
    kind = name.rstrip("0123456789")
    limit = _LIMITS.get(kind)
    if limit and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def template_data(template: SubscribeTemplate, push: Push, case: Case | None) -> dict[str, str]:
    layout = template.fields or DEFAULT_FIELDS[SubscribeTemplate.Event(template.event)]
    values = _values(push, case, timezone.now())
    return {name: _fit(name, values.get(what, "")) for name, what in layout.items()}


def _to_resident(row: Outbound, push: Push, user: User) -> str:
    event = RESIDENT_EVENTS[push.event]
    identity = WechatIdentity.objects.filter(app=WechatApp.MINI, user=user).first()
    if identity is None or not user.is_active:
        _settle(row, Outbound.State.SKIPPED, _("未绑定微信小程序"))
        return Outbound.State.SKIPPED
    template = templates().get(event)
    if template is None:
        _settle(row, Outbound.State.SKIPPED, _("未配置该事件的订阅消息模板"))
        return Outbound.State.SKIPPED
    grant = SubscriptionGrant.objects.filter(user=user, template_id=template.template_id)
    used = grant.filter(available__gt=0)
    if template.long_term:
        claimed = used.exists()
    else:
        claimed = bool(used.update(available=F("available") - 1))
    if not claimed:
        _fallback(row, push, user, _("未授权订阅消息"))
        return Outbound.State.FALLBACK
    Outbound.objects.filter(pk=row.pk).update(template_id=template.template_id)
    page = CASES_PAGE if push.topic.startswith("case:") else MESSAGES_PAGE
    try:
        client.subscribe_send(
            openid=identity.openid,
            template_id=template.template_id,
            page=page,
            data=template_data(template, push, _case_of(push)),
        )
    except client.WechatError as e:
        return _refused_or_failed(row, push, user, grant, template, e)
    except client.Unreachable as e:
        _give_back(grant, template)
        _release(row, str(e))
        raise RetryLater from None
    except client.Unknown as e:
        _settle(row, Outbound.State.UNKNOWN, _("微信未应答（%(e)s），不再重发") % {"e": e})
        return Outbound.State.UNKNOWN
    _settle(row, Outbound.State.SENT)
    return Outbound.State.SENT


def _give_back(grant: Any, template: SubscribeTemplate) -> None:
    if not template.long_term:
        grant.update(available=F("available") + 1)


def _refused_or_failed(
    row: Outbound,
    push: Push,
    user: User,
    grant: Any,
    template: SubscribeTemplate,
    error: client.WechatError,
) -> str:
    if error.errcode == REFUSED:
        # WeChat holds no grant for it (the resident switched it off): none is counted here
        # either, and the fallback applies.
        grant.update(available=0)
        _fallback(row, push, user, _("用户未授权或已关闭此消息（43101）"))
        return Outbound.State.FALLBACK
    if error.errcode in TEMPLATE_GONE:
        reason = _("模板已删除或无效（%(c)s）")
    elif error.errcode == QUOTA:
        _give_back(grant, template)
        reason = _("超出调用额度（%(c)s）")
    elif error.errcode == BAD_DATA:
        _give_back(grant, template)
        reason = _("模板数据不符合要求（%(c)s）")
    else:
        reason = _("微信返回错误（%(c)s）")
    _settle(row, Outbound.State.FAILED, reason % {"c": error.errcode})
    logger.warning("wechat subscribe message %s failed: errcode %s", row.pk, error.errcode)
    return Outbound.State.FAILED


def _fallback(row: Outbound, push: Push, user: User, reason: str) -> None:
    """The inbox holds the message already; a resident who chose text messages gets one."""
    identity = WechatIdentity.objects.filter(app=WechatApp.MINI, user=user).first()
    if identity is not None and identity.fallback == WechatIdentity.Fallback.SMS and user.phone:
        sms_send(phone=user.phone, body=push.title)
        reason = _("%(r)s；已发短信") % {"r": reason}
    _settle(row, Outbound.State.FALLBACK, reason)


def _to_staff(row: Outbound, push: Push, user: User) -> str:
    identity = WecomIdentity.objects.filter(user=user).first()
    if identity is None or not user.is_active:
        _settle(row, Outbound.State.SKIPPED, _("未绑定企业微信"))
        return Outbound.State.SKIPPED
    try:
        client.wecom_send(
            userid=identity.userid,
            title=push.title,
            description=push.body or push.title,
            url=f"{settings.SITE_URL}{push.link}" if push.link else settings.SITE_URL,
        )
    except client.WechatError as e:
        reason = (
            _("企业微信中无此成员或不在应用可见范围（%(c)s）")
            if isinstance(e, client.WecomUserInvalid) or e.errcode in (60111, 81013)
            else _("企业微信返回错误（%(c)s）")
        )
        _settle(row, Outbound.State.FAILED, reason % {"c": e.errcode})
        logger.warning("wecom message %s failed: errcode %s", row.pk, e.errcode)
        return Outbound.State.FAILED
    except client.Unreachable as e:
        _release(row, str(e))
        raise RetryLater from None
    except client.Unknown as e:
        _settle(row, Outbound.State.UNKNOWN, _("企业微信未应答（%(e)s），不再重发") % {"e": e})
        return Outbound.State.UNKNOWN
    _settle(row, Outbound.State.SENT)
    return Outbound.State.SENT
