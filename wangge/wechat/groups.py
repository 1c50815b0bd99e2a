"""Grid notices to the residents' WeChat groups of each micro-grid, where grid workers actually
reach people.

Two ways, each once per notice:
* 企业微信 客户联系: a customer-group mass message (企业群发) from the grid worker of the
  micro-grid, which 企业微信 puts in the worker's 群发助手 for them to confirm and send. One
  task per grid worker and notice: without a list of groups the worker picks their groups when
  confirming, so a worker of several micro-grids gets one task, not one per micro-grid (which
  would let the same group receive it twice). Needs WECOM_CONTACT_SECRET.
* group robots (`GroupRobot`, per micro-grid, set in the admin): posted at once.

The notices app hands over one push for this (it may not import this app): event
`channels.GRID_NOTICE`, recipient the publisher, topic `notice:<notice id>:groups:<node id>`,
title, body and the notice's link.
"""

import logging
import re
from collections.abc import Callable
from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.accounts.models import Role, RoleGrant, User
from wangge.grids.models import GridLevel, GridNode
from wangge.notifications import channels
from wangge.notifications.channels import Push
from wangge.wechat import client
from wangge.wechat.models import GroupRobot, Outbound
from wangge.wechat.outbound import RetryLater, claim, release, settle

logger = logging.getLogger(__name__)

_TOPIC: Final = re.compile(r"notice:(\d+):groups:(\d+)")
# 企业微信's answers worth trying again later: busy, over a frequency limit.
_TRY_AGAIN: Final = frozenset({-1, 45009, 45033})
_REASONS: Final = {
    60020: gettext_lazy("服务器 IP 不在企业微信的企业可信 IP 中（%(c)s）"),
    48002: gettext_lazy("客户联系接口无权限，请检查客户联系 Secret（%(c)s）"),
    60111: gettext_lazy("企业微信中无此成员（%(c)s）"),
    93000: gettext_lazy("群机器人的 Webhook 地址无效（%(c)s）"),
}


def is_groups(push: Push) -> bool:
    return push.event == channels.GRID_NOTICE and _TOPIC.fullmatch(push.topic) is not None


def any_channel() -> bool:
    """Whether a notice can reach any group at all (checked before a job is queued)."""
    return client.configured(client.CONTACT) or GroupRobot.objects.filter(is_active=True).exists()


def deliver(push: Push, *, last: bool = False) -> list[str]:
    """The notice to every group of the micro-grids below its node; returns each row's state.
    Raises RetryLater when one should be tried again (the others are settled)."""
    found = _TOPIC.fullmatch(push.topic)
    assert found is not None
    notice_id, node_id = found.groups()
    node = GridNode.objects.filter(pk=node_id).first()
    if node is None:
        return []
    micro_grids = list(
        GridNode.objects.filter(level=GridLevel.MICRO, path__startswith=node.path).only(
            "pk", "path", "name"
        )
    )
    url = f"{settings.SITE_URL}{push.link}" if push.link else settings.SITE_URL
    states: list[str] = []
    retry = False
    robots = GroupRobot.objects.filter(is_active=True, micro_grid__in=micro_grids)
    for robot in robots.select_related("micro_grid"):
        try:
            states.append(_to_robot(robot, push, notice_id, url, last=last))
        except RetryLater:
            retry = True
    if client.configured(client.CONTACT):
        for userid, (worker, first) in senders(micro_grids).items():
            try:
                states.append(_to_group(userid, worker, first, push, notice_id, url, last=last))
            except RetryLater:
                retry = True
    if retry:
        raise RetryLater
    return states


def senders(micro_grids: list[GridNode]) -> dict[str, tuple[User, GridNode]]:
    """企业微信 userid → (the grid worker, the first of their micro-grids): each micro-grid's
    grid worker is the one granted nearest above it (on the micro-grid, else its grid …) who
    is bound to 企业微信."""
    paths = {p for m in micro_grids for p in m.ancestor_paths()}
    grants = (
        RoleGrant.objects.filter(
            role=Role.GRID_WORKER,
            node__path__in=paths,
            user__is_active=True,
            user__wecom_identity__isnull=False,
        )
        .select_related("user__wecom_identity", "node")
        .order_by("-node__depth", "pk")
    )
    nearest: dict[str, RoleGrant] = {}
    for grant in grants:
        nearest.setdefault(grant.node.path, grant)
    found: dict[str, tuple[User, GridNode]] = {}
    for micro in micro_grids:
        near = next((nearest[p] for p in reversed(micro.ancestor_paths()) if p in nearest), None)
        if near is not None:
            found.setdefault(near.user.wecom_identity.userid, (near.user, micro))
    return found


def _content(push: Push, url: str) -> str:
    body = push.body.strip()
    if len(body) > 300:
        body = body[:299] + "…"
    return _("【网格通知】%(t)s\n%(b)s\n详情：%(u)s") % {"t": push.title, "b": body, "u": url}


def _to_group(
    userid: str,
    worker: User,
    micro: GridNode,
    push: Push,
    notice_id: str,
    url: str,
    *,
    last: bool,
) -> str:
    def send() -> dict[str, Any]:
        msgid = client.group_mass_message(
            sender=userid,
            content=_content(push, url),
            title=push.title,
            description=push.body[:120],
            url=url,
        )
        return {"msgid": msgid[:64]}

    key = f"notice:{notice_id}:group:{userid}"[:120]
    fields = {"channel": Outbound.Channel.GROUP, "user": worker, "node": micro}
    return _send_once(key, fields, push, send, Outbound.State.CREATED, last=last)


def _to_robot(robot: GroupRobot, push: Push, notice_id: str, url: str, *, last: bool) -> str:
    def send() -> dict[str, Any]:
        client.robot_send(key=robot.key, title=push.title, description=push.body, url=url)
        return {}

    key = f"notice:{notice_id}:robot:{robot.pk}"
    fields = {
        "channel": Outbound.Channel.ROBOT,
        "user_id": push.recipient_id,
        "node": robot.micro_grid,
    }
    return _send_once(key, fields, push, send, Outbound.State.SENT, last=last)


def _send_once(
    key: str,
    fields: dict[str, Any],
    push: Push,
    send: Callable[[], dict[str, Any]],
    done: str,
    *,
    last: bool,
) -> str:
    """One group message at most once (the `Outbound` row under `key`): `send` makes the call
    and answers what to keep of WeChat's reply; `done` is the state it leaves."""
    row, settled = claim(
        key,
        {**fields, "event": push.event, "title": push.title[:120], "link": push.link[:300]},
    )
    if settled is not None:
        return settled
    try:
        kept = send()
    except client.WechatError as e:
        return _failed(row, e, last=last)
    except client.Unreachable as e:
        return _later(row, _("无法连接企业微信（%(e)s）") % {"e": e}, last=last)
    except client.Unknown as e:
        settle(row, Outbound.State.UNKNOWN, _("企业微信未应答（%(e)s），不再重发") % {"e": e})
        return Outbound.State.UNKNOWN
    settle(row, done, **kept)
    return done


def _failed(row: Outbound, error: client.WechatError, *, last: bool) -> str:
    if error.errcode in _TRY_AGAIN:
        return _later(row, _("企业微信繁忙或超出频率（%(c)s）") % {"c": error.errcode}, last=last)
    template = _REASONS.get(error.errcode) or _("企业微信返回错误（%(c)s）")
    reason = str(template) % {"c": error.errcode}
    settle(row, Outbound.State.FAILED, reason)
    logger.warning("wechat group message %s failed: errcode %s", row.pk, error.errcode)
    return Outbound.State.FAILED


def _later(row: Outbound, reason: str, *, last: bool) -> str:
    if last:
        settle(row, Outbound.State.FAILED, _("多次重试仍未送达：%(r)s") % {"r": reason})
        return Outbound.State.FAILED
    release(row, reason)
    raise RetryLater
