"""The platform's messages about an order after it: 催办/督办, 回访结果 (and 重办), 撤单, 补充诉求
or 重复件, 附件, and the 批复 of a 延期申请.

Each is kept once under (order, the platform's message id): a retry finds its row and gets the
answer it was given the first time; the same id with other content is refused (409). A new
message is applied in one transaction with its row, through the case loop's own actions, as
the platform (the token's account acts; the timeline names 12345热线平台). What the platform did
itself is not reported back to it (services.platform_acting).

A message the case's state does not allow (a 催办 on a closed case, a 批复 with no request
waiting) is not refused — the platform would only send it again — but written on the case's
timeline for people to read, and answered `recorded` instead of `applied`.

How each message acts (docs/hotline.md says the same to integrators):

- 催办 → the case's 催办 (its handlers' inbox); 督办 (`is_supervise`) → 督办 (supervised, and a
  text message). Before dispatch a 催办 goes to the desk.
- 回访结果 on a case 待回访 → the follow-up (满意度, solved, reached), which closes it; 不满意 or
  `is_rehandle` then reopens it (重办) with the platform's new time limit or the catalogue's.
  On a closed case → 重办 when unsatisfied, else recorded. On a case 办结待核查 → 核查不通过 (the
  handler reworks it) when unsatisfied, else recorded. On a case still in hand → recorded (and
  the handlers told when unsatisfied): the work is not finished, there is nothing to judge.
- 撤单 → the case is voided from any open state, its handlers told; else recorded.
- 补充诉求 / 重复件 → a row on the timeline, in the handlers' inbox (the desk's before dispatch).
- 附件 → photos on the case, recordings beside it, each kept once; a row on the timeline.
- 延期批复 → 批准 approves the waiting request (to the platform's date, if it names one); 不批准
  rejects it; with no request waiting, recorded.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases.actions import Action, Event
from wangge.cases.models import Case, CaseAttachment, Satisfaction, Status
from wangge.cases.services import case_act, case_event_record
from wangge.cases.workflow import allowed_actions
from wangge.core.errors import Conflict, NotFound, ValidationFailed
from wangge.hotline.attachments import PlatformFile, photos_of, recordings_keep
from wangge.hotline.models import HotlineOrder, InboundMessage
from wangge.hotline.services import (
    PLATFORM_LABEL,
    _require_operator,
    deadline_from_days,
    masked,
    platform_acting,
)

# The platform's words for 满意度.
SATISFACTION_WORDS: dict[str, str] = {
    "满意": Satisfaction.SATISFIED,
    "基本满意": Satisfaction.BASIC,
    "不满意": Satisfaction.DISSATISFIED,
}


@dataclass
class PlatformMessage:
    """What every message carries: the order, the platform's own id for the message, and when
    it was sent (metadata: a retry may send another time; it is not part of the content)."""

    order_no: str
    message_id: str
    sent_at: datetime | None = None

    kind = ""

    def content(self) -> dict[str, Any]:
        """The message's own fields, as JSON: times in ISO 8601, files as their digests."""
        data: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("order_no", "message_id", "sent_at"):
                continue
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, list):
                value = [v.describe() if isinstance(v, PlatformFile) else v for v in value]
            data[f.name] = value
        return data

    def fingerprint(self) -> str:
        text = json.dumps([self.kind, self.content()], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Urge(PlatformMessage):
    text: str = ""
    is_supervise: bool = False  # 督办 rather than 催办
    urge_order_num: str = ""  # the platform's number (or count) of this 催办
    issuer: str = ""  # who urges (催办单位)

    kind = InboundMessage.Kind.URGE


@dataclass
class Visit(PlatformMessage):
    contacted: bool = True  # the caller was reached
    visit_is_solved: bool | None = None
    satisfaction: str = ""  # 满意 / 基本满意 / 不满意
    handler_contacted: bool | None = None  # whether the handler had called them, if asked
    is_rehandle: bool = False  # 重办 asked for whatever the answers
    text: str = ""  # 回访记录
    # The 重办's time limit, if the platform sets one (as on an order).
    handle_days: float | None = None
    handle_unit: str = ""
    deadline: datetime | None = None

    kind = InboundMessage.Kind.VISIT


@dataclass
class Cancel(PlatformMessage):
    reason: str = ""

    kind = InboundMessage.Kind.CANCEL


@dataclass
class Supplement(PlatformMessage):
    text: str = ""
    duplicate_order_no: str = ""  # 重复件: another order of the same problem

    kind = InboundMessage.Kind.SUPPLEMENT


@dataclass
class Attachments(PlatformMessage):
    attachments: list[PlatformFile] = field(default_factory=list)
    text: str = ""

    kind = InboundMessage.Kind.ATTACHMENTS


@dataclass
class ExtensionReply(PlatformMessage):
    approved: bool = False  # 批准 / 不批准
    deadline: datetime | None = None  # the deadline granted, if the platform names one
    opinion: str = ""  # 批复意见
    delivery_id: int | None = None  # our 延期申请 it answers (its X-Wangge-Delivery)

    kind = InboundMessage.Kind.EXTENSION_REPLY


@dataclass(frozen=True)
class MessageReceipt:
    message: InboundMessage
    created: bool


@dataclass(frozen=True)
class _Done:
    outcome: str
    detail: str


def _applied(detail: str) -> _Done:
    return _Done(InboundMessage.Outcome.APPLIED, detail)


def _recorded(detail: str) -> _Done:
    return _Done(InboundMessage.Outcome.RECORDED, detail)


@transaction.atomic
def platform_message_receive(*, message: PlatformMessage, actor: User) -> MessageReceipt:
    """Keep and apply one message from the platform, once. NotFound for an order we never
    received; Conflict for a message id already used with other content."""
    _require_operator(actor)
    order_no = message.order_no.strip()
    order = HotlineOrder.objects.select_related("case").filter(order_no=order_no).first()
    if order is None:
        raise NotFound(_("工单“%(no)s”不存在") % {"no": order_no})
    fingerprint = message.fingerprint()
    found = _repeat(order, message, fingerprint)
    if found is not None:
        return MessageReceipt(found, created=False)
    try:
        # The row first: it claims the key, so a parallel delivery of the same message waits
        # on it and then answers as it did.
        with transaction.atomic():
            row = InboundMessage.objects.create(
                order=order,
                message_id=message.message_id.strip(),
                kind=message.kind,
                fingerprint=fingerprint,
                payload=masked(
                    {
                        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
                        **message.content(),
                    }
                ),
            )
    except IntegrityError:
        found = _repeat(order, message, fingerprint)
        if found is None:
            raise
        return MessageReceipt(found, created=False)
    with platform_acting():
        done = APPLY[message.kind](message, order, row, actor)
    case = Case.objects.get(pk=order.case_id)
    row.outcome = done.outcome
    row.answer = {
        "order_no": order.order_no,
        "message_id": row.message_id,
        "kind": row.kind,
        "kind_label": str(InboundMessage.Kind(row.kind).label),
        "case_id": case.pk,
        "case_number": case.number or "",
        "outcome": done.outcome,
        "outcome_label": str(InboundMessage.Outcome(done.outcome).label),
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "detail": done.detail,
    }
    row.save(update_fields=["outcome", "answer", "last_seen_at"])
    return MessageReceipt(row, created=True)


def _repeat(
    order: HotlineOrder, message: PlatformMessage, fingerprint: str
) -> InboundMessage | None:
    row = InboundMessage.objects.filter(order=order, message_id=message.message_id.strip()).first()
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise Conflict(_("消息编号“%(id)s”已收到且内容不同") % {"id": message.message_id.strip()})
    InboundMessage.objects.filter(pk=row.pk).update(
        deliveries_count=F("deliveries_count") + 1, last_seen_at=timezone.now()
    )
    return row


# --- each message --------------------------------------------------------------------------


def _case(order: HotlineOrder) -> Case:
    return Case.objects.select_related("handling_node", "category").get(pk=order.case_id)


def _act(
    case: Case, actor: User, action: str, note: str, params: dict[str, Any] | None = None
) -> Case:
    return case_act(
        case_id=case.pk,
        actor=actor,
        action=action,
        note=note,
        params=params,
        actor_label=PLATFORM_LABEL,
    )


def _may(case: Case, actor: User, action: str) -> bool:
    return action in allowed_actions(case, actor)


def _record(case: Case, actor: User, note: str, *, tell: str = "", **data: Any) -> None:
    case_event_record(
        case_id=case.pk,
        actor=actor,
        event=Event.SENDER_NOTE,
        note=note,
        actor_label=PLATFORM_LABEL,
        data=data,
        tell=tell,
    )


def _status_words(case: Case) -> str:
    return str(Status(case.status).label)


def _urge(message: PlatformMessage, order: HotlineOrder, row: InboundMessage, actor: User) -> _Done:
    assert isinstance(message, Urge)
    case = _case(order)
    what = _("督办") if message.is_supervise else _("催办")
    note = message.text.strip()
    extra = [
        _("催办单号：%(n)s") % {"n": message.urge_order_num} if message.urge_order_num else "",
        _("催办单位：%(u)s") % {"u": message.issuer} if message.issuer else "",
    ]
    if any(extra):
        note = f"{note}（{'；'.join(e for e in extra if e)}）"
    action = Action.SUPERVISE if message.is_supervise else Action.URGE
    if _may(case, actor, action):
        _act(case, actor, action, note)
        return _applied(_("已%(what)s，承办人已收到通知") % {"what": what})
    title = _("12345%(what)s：%(t)s") % {"what": what, "t": case.title}
    _record(case, actor, _("12345平台%(what)s：%(n)s") % {"what": what, "n": note}, tell=title)
    return _recorded(
        _("事件当前为“%(s)s”，%(what)s已记入办理记录并通知相关人员")
        % {"s": _status_words(case), "what": what}
    )


def _visit_summary(message: Visit) -> str:
    if not message.contacted:
        parts = [_("12345回访未联系上诉求人")]
    else:
        parts = [
            _("12345回访：问题%(s)s，%(sat)s")
            % {
                "s": _("已解决") if message.visit_is_solved else _("未解决"),
                "sat": message.satisfaction,
            }
        ]
    if message.is_rehandle:
        parts.append(_("平台要求重办"))
    if message.text.strip():
        parts.append(message.text.strip())
    return "；".join(parts)


def _rehandle_until(message: Visit) -> datetime | None:
    if message.deadline is not None:
        return message.deadline
    if message.handle_days is not None:
        return deadline_from_days(timezone.now(), message.handle_days, message.handle_unit)
    return None


def _visit(
    message: PlatformMessage, order: HotlineOrder, row: InboundMessage, actor: User
) -> _Done:
    assert isinstance(message, Visit)
    satisfaction = SATISFACTION_WORDS.get(message.satisfaction, "")
    if message.contacted and (not satisfaction or message.visit_is_solved is None):
        raise ValidationFailed(
            _("回访已联系上诉求人时须填写满意度（satisfaction）和是否解决（visit_is_solved）")
        )
    summary = _visit_summary(message)
    rehandle = message.is_rehandle or satisfaction == Satisfaction.DISSATISFIED
    until = _rehandle_until(message) if rehandle else None
    reopen_note = _("12345回访后重办：%(s)s") % {"s": summary}
    case = _case(order)
    if case.status == Status.VERIFIED and _may(case, actor, Action.FOLLOW_UP):
        params: dict[str, Any] = {"reached": message.contacted}
        if message.contacted:
            params.update(
                solved=message.visit_is_solved,
                satisfaction=satisfaction,
                contacted=message.handler_contacted,
                contacted_unknown=True,
            )
        case = _act(case, actor, Action.FOLLOW_UP, summary, params)
        if not message.contacted:
            return _recorded(_("回访未联系上，事件仍待回访"))
        if not rehandle:
            return _applied(_("回访结果已记录，事件已结案"))
        case = _case(order)
    if case.status == Status.CLOSED and rehandle and _may(case, actor, Action.REOPEN):
        _act(case, actor, Action.REOPEN, reopen_note, {"until": until} if until else None)
        return _applied(_("回访不满意，事件已重办，重新派给承办单位"))
    if case.status == Status.RESOLVED and rehandle and _may(case, actor, Action.VERIFY_FAIL):
        _act(case, actor, Action.VERIFY_FAIL, reopen_note)
        return _applied(_("事件尚未结案，已退回承办人返工"))
    tell = _("12345回访不满意：%(t)s") % {"t": case.title} if rehandle else ""
    _record(case, actor, summary, tell=tell, satisfaction=satisfaction)
    return _recorded(_("事件当前为“%(s)s”，回访结果已记入办理记录") % {"s": _status_words(case)})


def _cancel(
    message: PlatformMessage, order: HotlineOrder, row: InboundMessage, actor: User
) -> _Done:
    assert isinstance(message, Cancel)
    case = _case(order)
    note = _("12345平台撤单：%(r)s") % {"r": message.reason.strip()}
    if _may(case, actor, Action.WITHDRAW):
        _act(case, actor, Action.WITHDRAW, note)
        return _applied(_("事件已作废，承办人已收到停止办理的通知"))
    _record(case, actor, note)
    return _recorded(_("事件当前为“%(s)s”，撤单已记入办理记录") % {"s": _status_words(case)})


def _supplement(
    message: PlatformMessage, order: HotlineOrder, row: InboundMessage, actor: User
) -> _Done:
    assert isinstance(message, Supplement)
    case = _case(order)
    lines = [message.text.strip()] if message.text.strip() else []
    data: dict[str, Any] = {}
    duplicate = message.duplicate_order_no.strip()
    if duplicate:
        data["duplicate_order_no"] = duplicate
        twin = HotlineOrder.objects.select_related("case").filter(order_no=duplicate).first()
        if twin is not None and twin.case_id != case.pk:
            data["duplicate_case"] = twin.case.number
            lines.append(
                _("重复件：工单 %(no)s（本系统事件 %(n)s）")
                % {"no": duplicate, "n": twin.case.number}
            )
        else:
            lines.append(_("重复件：工单 %(no)s") % {"no": duplicate})
    case_event_record(
        case_id=case.pk,
        actor=actor,
        event=Event.SUPPLEMENT,
        note="\n".join(lines),
        actor_label=PLATFORM_LABEL,
        data=data,
        tell=_("补充诉求：%(t)s") % {"t": case.title},
    )
    return _applied(_("补充内容已记入办理记录并通知承办人"))


def _attachments(
    message: PlatformMessage, order: HotlineOrder, row: InboundMessage, actor: User
) -> _Done:
    assert isinstance(message, Attachments)
    case = _case(order)
    photos = photos_of(message.attachments)
    recordings = len(message.attachments) - len(photos)
    note = _("12345平台补充附件：照片 %(p)d 张，录音 %(r)d 段") % {
        "p": len(photos),
        "r": recordings,
    }
    if message.text.strip():
        note = f"{note}。{message.text.strip()}"
    case_event_record(
        case_id=case.pk,
        actor=actor,
        event=Event.ATTACHMENTS,
        note=note,
        actor_label=PLATFORM_LABEL,
        photos=photos,
        photo_kind=CaseAttachment.Kind.REPORT,
        tell=_("补充附件：%(t)s") % {"t": case.title},
    )
    recordings_keep(case=case, order=order, files=message.attachments, message=row)
    return _applied(note)


def _extension_reply(
    message: PlatformMessage, order: HotlineOrder, row: InboundMessage, actor: User
) -> _Done:
    assert isinstance(message, ExtensionReply)
    case = _case(order)
    opinion = message.opinion.strip()
    if message.approved and _may(case, actor, Action.APPROVE_EXTENSION):
        params = {"until": message.deadline} if message.deadline else None
        case = _act(case, actor, Action.APPROVE_EXTENSION, opinion, params)
        when = timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") if case.due_at else ""
        return _applied(_("延期已批准，办理时限改为 %(w)s") % {"w": when})
    if not message.approved and _may(case, actor, Action.REJECT_EXTENSION):
        _act(case, actor, Action.REJECT_EXTENSION, opinion or _("12345平台不批准延期"))
        return _applied(_("延期未获批准，办理时限不变"))
    verdict = _("批准") if message.approved else _("不批准")
    _record(
        case,
        actor,
        _("12345延期批复：%(v)s%(o)s（事件没有待批复的延期申请）")
        % {"v": verdict, "o": f"，{opinion}" if opinion else ""},
        approved=message.approved,
    )
    return _recorded(_("事件没有待批复的延期申请，批复已记入办理记录"))


APPLY: dict[str, Callable[[PlatformMessage, HotlineOrder, InboundMessage, User], _Done]] = {
    InboundMessage.Kind.URGE: _urge,
    InboundMessage.Kind.VISIT: _visit,
    InboundMessage.Kind.CANCEL: _cancel,
    InboundMessage.Kind.SUPPLEMENT: _supplement,
    InboundMessage.Kind.ATTACHMENTS: _attachments,
    InboundMessage.Kind.EXTENSION_REPLY: _extension_reply,
}
