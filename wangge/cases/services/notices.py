"""Who hears about a case and in what words: inbox messages, text messages, the reporter's
plain-language status, and the SLA sweep's cards."""

from functools import cache

from django.utils.translation import gettext as _

from wangge.accounts.models import Role, RoleGrant, User
from wangge.cases.actions import Event
from wangge.cases.models import (
    Card,
    Case,
    Status,
    Urgency,
)
from wangge.cases.timeline import event_write
from wangge.cases.workflow import (
    HANDLER_ROLES,
)
from wangge.core import raw
from wangge.notifications import channels
from wangge.notifications.services import notify, sms_send


def handlers_of(case: Case) -> list[User]:
    """Who handles the case now: its named handler, else the active holders of the handling
    node's handler roles for its level (a street's or a community's desk); nobody before it is
    dispatched."""
    if case.assignee_id and case.assignee:
        return [case.assignee]
    if not case.handling_node_id:
        return []
    roles = sorted(HANDLER_ROLES.get(case.handling_level, frozenset()))
    if not roles:
        return []
    # Written out: every intake without a named handler (a street's or a community's desk) asks
    # this, and composing it through the ORM cost more CPU than running it.
    return raw.reader(User).rows(_handlers_sql(len(roles)), [case.handling_node_id, *roles])


@cache
def _handlers_sql(roles: int) -> str:
    return (
        f"SELECT {raw.reader(User).select_list('u')} FROM {User._meta.db_table} u"  # noqa: S608
        f" WHERE u.is_active AND u.id IN (SELECT g.user_id FROM {RoleGrant._meta.db_table} g"
        f" WHERE g.node_id = %s AND g.role IN ({', '.join(['%s'] * roles)}))"
        " ORDER BY u.id"
    )


def _dispatchers_of(case: Case) -> list[User]:
    # A case not yet placed in a street (one 转办 from another district waits at the
    # district's desk) is the desk's of the unit handling it.
    desk = case.street_id or case.handling_node_id
    if not desk:
        return []
    return list(
        User.objects.filter(
            is_active=True, grants__node_id=desk, grants__role=Role.STREET_DISPATCHER
        ).distinct()
    )


def case_link(case: Case) -> str:
    """The case page every message about the case links to."""
    return f"/cases/{case.pk}/"


def tell_handlers(
    case: Case, title: str, body: str = "", *, sms: bool | None = None, event: str = ""
) -> None:
    """Inbox for every step; a text message only when it cannot wait for the next look at the
    phone (urgent cases, supervision), so a worker's SMS is never thirty routine messages a day.
    With an `event`, 企业微信 too for whoever is bound to it."""
    people = handlers_of(case)
    notify(
        recipients=people,
        title=title,
        body=body or case.title,
        link=case_link(case),
        topic=f"case:{case.pk}",
        event=event,
    )
    text_handlers(case, title, sms=sms, people=people)


def text_handlers(
    case: Case, title: str, *, sms: bool | None = None, people: list[User] | None = None
) -> None:
    """The text message half of `tell_handlers`, for an intake whose inbox rows are written
    with the case itself: sent when `sms` says so, else only for urgent cases; `people` are
    the handlers already looked up."""
    if sms is None:
        sms = case.urgency in (Urgency.URGENT, Urgency.EMERGENCY)
    if sms:
        for person in people if people is not None else handlers_of(case):
            sms_send(phone=person.phone, body=_("【网格】%(t)s，请及时办理。") % {"t": title})


def tell_dispatchers(case: Case, title: str, body: str = "", *, event: str = "") -> None:
    """Inbox for the desk (街道分拨台) of the case's street, or of the unit handling it while
    it has no street: something waits for a dispatcher's decision."""
    notify(
        recipients=_dispatchers_of(case),
        title=title,
        body=body or case.title,
        link=case_link(case),
        topic=f"case:{case.pk}",
        event=event,
    )


REPORTER_WORDS: dict[str, str] = {
    Status.DISPATCHED: "已派给%(unit)s办理",
    Status.SIGNED: "%(unit)s已签收，正在处理",
    Status.RESOLVED: "已办结，等待核查",
    Status.VERIFIED: "已核查，稍后将回访您",
    Status.CLOSED: "已结案",
    Status.RETURNED: "正在重新派单",
    Status.VOIDED: "已作废",
    Status.MERGED: "已与相同问题合并办理",
    Status.SUSPENDED: "已列入长期办理事项",
    Status.REFERRED: "不属于网格办理事项，已转出",
}


# The reporter's steps that also reach them in WeChat (where they granted it): routed,
# reported done, verified and waiting for their rating.
REPORTER_EVENTS: dict[str, str] = {
    Status.DISPATCHED: channels.CASE_ACCEPTED,
    Status.RESOLVED: channels.CASE_RESOLVED,
    Status.VERIFIED: channels.CASE_RATE,
}


def tell_reporter(case: Case, title: str) -> None:
    """Inbox for the resident who reported the case (none for a call or a patrol finding); at
    the steps of REPORTER_EVENTS, WeChat too."""
    if case.reporter_id and case.reporter:
        notify(
            recipients=[case.reporter],
            title=title,
            body=case.title,
            link=case_link(case),
            topic=f"case:{case.pk}",
            event=REPORTER_EVENTS.get(case.status, ""),
        )


def plain_status(case: Case) -> str:
    """The case's state in the words a resident understands."""
    unit = case.handling_node.name if case.handling_node_id and case.handling_node else None
    return plain_status_of(case.status, unit)


def plain_status_of(status: str, unit: str | None) -> str:
    """`plain_status` from a row's status and handling unit's name (None: no unit yet), for
    lists read as plain rows."""
    return status_words(status) % {"unit": unit if unit is not None else _("相关单位")}


def status_words(status: str) -> str:
    """The translated words for `status`, with `%(unit)s` where the handling unit goes: a list
    translates each status once and fills in each row's unit."""
    template = REPORTER_WORDS.get(status)
    if template is None:
        return str(Status(status).label).replace("%", "%%")
    return _(template)


def card_announce(*, case_id: int, card: str) -> None:
    """The SLA sweep's step once it has given a case a yellow or red card (once per case and
    card, in that case's savepoint): the timeline row, the handlers told (by text message too
    for a red card) and, for a red card, the desk's 超期督办. An exception here rolls the card
    back, so the next sweep gives it again."""
    case = Case.objects.select_related("handling_node").get(pk=case_id)
    note = _card_words(card)
    event_write(case, action=Event.card(card), actor=None, actor_label=_("系统"), note=note)
    tell_handlers(case, note, case.title, sms=card == Card.RED, event=channels.CASE_CARD)
    if card == Card.RED:
        tell_dispatchers(case, _("超期督办：%(t)s") % {"t": case.title}, event=channels.CASE_CARD)


def _card_words(card: str) -> str:
    return (
        _("黄牌预警：已用去 75% 办理时限") if card == Card.YELLOW else _("红牌：已超期，自动督办")
    )
