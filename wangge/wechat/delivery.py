"""Sending one inbox message to WeChat or 企业微信, at most once (outbound.py keeps the record).

Each message's key comes from the hand-over (its batch, the event, the person; "accepted" once
per case, a grid notice once per notice and person). A resident's message needs a grant of its
template (one "accept" of a one-time template allows one message; a long-term template's grant
is not spent); without one, or when WeChat says the resident refused, the message is not sent
and the resident's fallback applies: the inbox (it is there already), or a text message too.

Nothing is lost on the way:
* every keyword value is fitted to its type's rule before sending (keywords.py), so WeChat
  does not refuse the data (47003); a value that cannot fit sends the message to the fallback;
* WeChat busy (-1) or over its quota (45009), or no connection: the grant is given back and
  the job tries again with back-off; when the tries run out, the fallback;
* a permanent failure (the template deleted, the data refused) goes to the fallback as a
  refusal does;
* "已受理" is queued as the report is made, a moment before the mini-program sends the
  resident's subscription answer: without a grant yet it waits for one (the job looks again
  every few seconds, up to WECHAT_GRANT_WAIT_SECONDS), then falls back.
"""

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Final
from urllib.parse import quote

from django.conf import settings
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.cases.services.notices import plain_status
from wangge.notifications import channels
from wangge.notifications.channels import Push
from wangge.notifications.services import sms_send
from wangge.wechat import client, groups, keywords
from wangge.wechat.models import (
    Outbound,
    SubscribeTemplate,
    SubscriptionGrant,
    WechatApp,
    WechatIdentity,
    WecomIdentity,
)
from wangge.wechat.outbound import RetryLater, WaitForGrant, claim
from wangge.wechat.outbound import release as _release
from wangge.wechat.outbound import settle as _settle
from wangge.wechat.services import templates

logger = logging.getLogger(__name__)

# The job's tries: 30 s, then twice as long each time (30 s … 64 min, about two hours in all),
# which outlasts WeChat's busy spells and a burst over its per-minute limits.
RETRIES: Final = 8
RETRY_DELAY: Final = 30
RETRY_BACKOFF: Final = 2
# How often a message waiting for the resident's grant looks again.
GRANT_POLL_SECONDS: Final = 15

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
# A page of the site inside the mini-program (a notice's page).
WEBVIEW_PAGE: Final = "pages/webview/webview"
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
# errcodes: the resident has not granted (or revoked) the template; the template is gone;
# WeChat is busy or a quota is used up (both pass: tried again later); the data does not fit.
REFUSED: Final = 43101
TEMPLATE_GONE: Final = frozenset({40037, 40036})
BUSY: Final = -1
QUOTA: Final = 45009
TRY_AGAIN: Final = frozenset({BUSY, QUOTA})
BAD_DATA: Final = 47003


def deliver_batch(pushes: Sequence[dict[str, Any]], batch: str, *, last: bool = False) -> None:
    """Each message of a hand-over; one that must be tried again does not hold up the others.
    `last`: the job's final try, after which a message that could not be sent falls back."""
    retry = wait = False
    for data in pushes:
        push = Push(**data)
        try:
            if groups.is_groups(push):
                groups.deliver(push, last=last)
            else:
                deliver_one(push, batch, last=last)
        except RetryLater:
            retry = True
        except WaitForGrant:
            wait = True
        except Exception as e:  # one bad message must not stop the rest
            # Its row stays 待发送 or 发送中 and the retry settles it; no personal data here.
            logger.error("wechat delivery of one message failed: %s", type(e).__name__)
            retry = True
    if retry:
        raise RetryLater
    if wait:
        raise WaitForGrant


def _key(push: Push, batch: str) -> str:
    if push.event in (channels.CASE_ACCEPTED, channels.GRID_NOTICE):
        # once per case, or per notice, and person: another hand-over of it sends nothing
        return f"{push.event}:{push.topic}:{push.recipient_id}"[:120]
    return f"{batch}:{push.event}:{push.recipient_id}"[:120]


def deliver_one(push: Push, batch: str, *, last: bool = False) -> str:
    """Send one message unless an earlier run settled it; returns the row's state."""
    resident = push.event in RESIDENT_EVENTS
    channel = Outbound.Channel.SUBSCRIBE if resident else Outbound.Channel.WECOM
    row, settled = claim(
        _key(push, batch),
        {
            "channel": channel,
            "user_id": push.recipient_id,
            "event": push.event,
            "title": push.title[:120],
            "link": push.link[:300],
        },
    )
    if settled is not None:
        return settled
    user = User.objects.get(pk=push.recipient_id)
    if resident:
        return _to_resident(row, push, user, last=last)
    try:
        return _to_staff(row, push, user)
    except RetryLater:
        if not last:
            raise
        _settle(row, Outbound.State.FAILED, _("多次重试仍未送达企业微信"))
        return Outbound.State.FAILED


def _case_of(push: Push) -> Case | None:
    if not push.topic.startswith("case:"):
        return None
    return Case.objects.select_related("handling_node").filter(pk=push.topic[5:]).first()


def _phrase(event: str) -> str:
    """What happened, in a `phrase` keyword's five Chinese characters at most."""
    return {
        channels.CASE_ACCEPTED: _("已受理"),
        channels.CASE_RESOLVED: _("已办结"),
        channels.CASE_RATE: _("待评价"),
        channels.GRID_NOTICE: _("新通知"),
    }.get(event, "")


def _values(push: Push, case: Case | None, when: datetime) -> dict[str, str | datetime]:
    values: dict[str, str | datetime] = {
        "time": timezone.localtime(when),
        "notice": push.title,
        "title": push.title,
        "status": _phrase(push.event),
    }
    if case is not None:
        values.update(
            number=case.number or str(case.pk),
            title=case.title,
            status=plain_status(case),
            unit=case.handling_node.name if case.handling_node else _("相关单位"),
            result=case.resolution or plain_status(case),
        )
    return values


def template_data(template: SubscribeTemplate, push: Push, case: Case | None) -> dict[str, str]:
    """The template's keywords filled and fitted to their types (keywords.CannotFit when one
    cannot be)."""
    layout = template.fields or DEFAULT_FIELDS[SubscribeTemplate.Event(template.event)]
    values = _values(push, case, timezone.now())
    data = {}
    for name, what in layout.items():
        value = values.get(what, "")
        if keywords.kind_of(name) == "phrase" and what == "status":
            # "已办结，等待核查" is no phrase: the event's own short word is.
            value = _phrase(push.event) or value
        data[name] = keywords.fit(name, value)
    return data


def _page(push: Push) -> str:
    if push.topic.startswith("case:"):
        return CASES_PAGE
    if push.event == channels.GRID_NOTICE and push.link:
        return f"{WEBVIEW_PAGE}?path={quote(push.link, safe='')}"
    return MESSAGES_PAGE


def _to_resident(row: Outbound, push: Push, user: User, *, last: bool = False) -> str:
    event = RESIDENT_EVENTS[push.event]
    identity = WechatIdentity.objects.filter(app=WechatApp.MINI, user=user).first()
    if identity is None or not user.is_active:
        _settle(row, Outbound.State.SKIPPED, _("未绑定微信小程序"))
        return Outbound.State.SKIPPED
    template = templates().get(event)
    if template is None:
        _settle(row, Outbound.State.SKIPPED, _("未配置该事件的订阅消息模板"))
        return Outbound.State.SKIPPED
    try:
        data = template_data(template, push, _case_of(push))
    except keywords.CannotFit as e:
        reason = _("模板字段 %(f)s 无法按微信的规则填写") % {"f": e.field}
        return _fallback(row, push, user, reason, Outbound.State.FAILED)
    grant = SubscriptionGrant.objects.filter(user=user, template_id=template.template_id)
    if not _take(grant, template):
        return _no_grant(row, push, user, grant, last=last)
    Outbound.objects.filter(pk=row.pk).update(template_id=template.template_id)
    try:
        client.subscribe_send(
            openid=identity.openid, template_id=template.template_id, page=_page(push), data=data
        )
    except client.WechatError as e:
        return _refused_or_failed(row, push, user, grant, template, e, last=last)
    except client.Unreachable as e:
        _give_back(grant, template)
        return _later(row, push, user, _("无法连接微信（%(e)s）") % {"e": e}, last=last)
    except client.Unknown as e:
        _settle(row, Outbound.State.UNKNOWN, _("微信未应答（%(e)s），不再重发") % {"e": e})
        return Outbound.State.UNKNOWN
    _settle(row, Outbound.State.SENT)
    return Outbound.State.SENT


def _take(grant: QuerySet[SubscriptionGrant], template: SubscribeTemplate) -> bool:
    """Use one of the resident's grants: one "accept" of a one-time template is one message;
    a long-term template's grant stays."""
    used = grant.filter(available__gt=0)
    if template.long_term:
        return used.exists()
    return bool(used.update(available=F("available") - 1))


def _give_back(grant: QuerySet[SubscriptionGrant], template: SubscribeTemplate) -> None:
    """WeChat delivered nothing: the grant is the resident's still."""
    if not template.long_term:
        grant.update(available=F("available") + 1)


def _no_grant(
    row: Outbound, push: Push, user: User, grant: QuerySet[SubscriptionGrant], *, last: bool
) -> str:
    if push.event == channels.GRID_NOTICE:
        # Everyone reads notices on the 公告 page; WeChat carries them only to who asked.
        _settle(row, Outbound.State.SKIPPED, _("未订阅网格通知"))
        return Outbound.State.SKIPPED
    if push.event == channels.CASE_ACCEPTED and not last and _may_wait(row, grant):
        _release(row, _("等待居民授权订阅消息"))
        raise WaitForGrant
    return _fallback(row, push, user, _("未授权订阅消息"))


def _may_wait(row: Outbound, grant: QuerySet[SubscriptionGrant]) -> bool:
    """The report was made a moment ago and the resident has not answered since."""
    deadline = row.created_at + timedelta(seconds=settings.WECHAT_GRANT_WAIT_SECONDS)
    answered = grant.filter(updated_at__gte=row.created_at).exists()
    return timezone.now() < deadline and not answered


def _later(row: Outbound, push: Push, user: User, reason: str, *, last: bool) -> str:
    """Tried again by the job, or, when its tries are spent, the fallback."""
    if last:
        reason = _("多次重试仍未送达：%(r)s") % {"r": reason}
        return _fallback(row, push, user, reason, Outbound.State.FAILED)
    _release(row, reason)
    raise RetryLater


def _refused_or_failed(
    row: Outbound,
    push: Push,
    user: User,
    grant: QuerySet[SubscriptionGrant],
    template: SubscribeTemplate,
    error: client.WechatError,
    *,
    last: bool = False,
) -> str:
    if error.errcode == REFUSED:
        # WeChat holds no grant for it (the resident switched it off): none is counted here
        # either, and the fallback applies.
        grant.update(available=0)
        return _fallback(row, push, user, _("用户未授权或已关闭此消息（43101）"))
    _give_back(grant, template)
    if error.errcode in TRY_AGAIN:
        reason = (
            _("微信系统繁忙（%(c)s）")
            if error.errcode == BUSY
            else _("超出调用频率或额度（%(c)s）")
        )
        return _later(row, push, user, reason % {"c": error.errcode}, last=last)
    if error.errcode in TEMPLATE_GONE:
        reason = _("模板已删除或无效（%(c)s）")
    elif error.errcode == BAD_DATA:
        reason = _("模板数据不符合要求（%(c)s）")
    else:
        reason = _("微信返回错误（%(c)s）")
    logger.warning("wechat subscribe message %s failed: errcode %s", row.pk, error.errcode)
    return _fallback(row, push, user, reason % {"c": error.errcode}, Outbound.State.FAILED)


def _fallback(
    row: Outbound, push: Push, user: User, reason: str, state: str = Outbound.State.FALLBACK
) -> str:
    """WeChat carries not this message: the inbox (or the 公告 page) holds it already, and a
    resident who chose text messages gets one."""
    identity = WechatIdentity.objects.filter(app=WechatApp.MINI, user=user).first()
    if identity is not None and identity.fallback == WechatIdentity.Fallback.SMS and user.phone:
        body = push.title
        if push.event == channels.GRID_NOTICE:
            body = _("网格通知：%(t)s") % {"t": push.title}
        sms_send(phone=user.phone, body=body)
        reason = _("%(r)s；已发短信") % {"r": reason}
    _settle(row, state, reason)
    return state


def _to_staff(row: Outbound, push: Push, user: User) -> str:
    identity = WecomIdentity.objects.filter(user=user).first()
    if identity is None or not user.is_active:
        _settle(row, Outbound.State.SKIPPED, _("未绑定企业微信"))
        return Outbound.State.SKIPPED
    # A whistle opens the department's 部门待办 (cases:department-queue), where its 承办人
    # reports in and sees what else is waiting; other cards open the case.
    link = reverse("cases:department-queue") if push.event == channels.CASE_WHISTLE else push.link
    try:
        client.wecom_send(
            userid=identity.userid,
            title=push.title,
            description=push.body or push.title,
            url=f"{settings.SITE_URL}{link}" if link else settings.SITE_URL,
        )
    except client.WechatError as e:
        if e.errcode in TRY_AGAIN:
            # Busy or over its limits: nothing was taken; the job tries again with backoff,
            # and on its last try the card is recorded as failed (the inbox holds it).
            _release(row, _("企业微信繁忙或超出频率（%(c)s）") % {"c": e.errcode})
            raise RetryLater from None
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
