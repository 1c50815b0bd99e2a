"""Every write of the 12345 adapter: receiving orders, the street triage, and 回传.

An order from the hotline (or typed in at the desk) becomes a case through the one intake path,
`wangge.cases.services.case_intake`, which also makes a retried order find its first case.
Results go back as `Delivery` rows, sent after the case action commits, in order per case,
retried with back-off by a periodic sweep.
"""

import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases import sla
from wangge.cases.actions import Action, Event
from wangge.cases.calendar import DurationUnit
from wangge.cases.models import Case, CaseEvent, Channel, Satisfaction, Status, Urgency
from wangge.cases.services import (
    ActionNotAllowed,
    CaseInput,
    TriageHint,
    case_act,
    case_confidential_set,
    case_event_record,
    case_intake,
    case_photos_add,
)
from wangge.core.dates import check_datetime
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.masking import mask_phone
from wangge.grids.models import GridLevel, GridNode
from wangge.hotline.attachments import PlatformFile, photos_of, recordings_keep
from wangge.hotline.categories import platform_category, platform_category_seen
from wangge.hotline.models import Delivery, HotlineOrder
from wangge.hotline.selectors import access_delivery, is_hotline_operator

# The sending side lives with its jobs; re-exported here for the callers of this module.
from wangge.hotline.tasks import deliveries_send_due as deliveries_send_due
from wangge.hotline.tasks import delivery_send as delivery_send
from wangge.hotline.tasks import delivery_send_task

logger = logging.getLogger(__name__)

ORDER_TYPES = ("咨询", "求助", "投诉", "建议", "举报", "表扬")
# The hotline writes urgency in words; other clients send our codes.
URGENCY_WORDS: dict[str, str] = {
    "一般": Urgency.NORMAL,
    "紧急": Urgency.URGENT,
    "特急": Urgency.EMERGENCY,
    **{code: code for code in Urgency.values},
}
ORDER_NO = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
STREET_CODE = re.compile(r"^\d{9}$")
DESK_PREFIX = "DESK-"
# 办理时限 as the platform counts it: in working days on the case calendar, or plain days.
HANDLE_UNITS = ("工作日", "自然日")
MAX_HANDLE_DAYS = 365
# Who the timeline names for what the platform sent (the token's account is the actor).
PLATFORM_LABEL = "12345热线平台"
# Deliveries that hold back the later ones of the same case: the hotline must hear 受理 before
# 办结, so a failed one waits for a person to push it again.


@dataclass
class HotlineOrderInput:
    """A 12345 work order as the API and the desk hand it over, before it is checked."""

    order_no: str
    content: str
    received_at: datetime | None = None
    caller_name: str = ""
    caller_phone: str = ""
    address: str = ""
    category: str = ""  # the platform's category code (questionCode), or our leaf's code/name
    category_name: str = ""  # the platform's category name (questionName)
    order_type: str = ""  # 诉求类型
    urgency: str = ""  # 一般/紧急/特急 or normal/urgent/emergency
    deadline: datetime | None = None  # 办理截止时间: becomes the case's due date
    street: str = ""  # 承办单位: a 9-digit street code
    title: str = ""  # 工单标题 (else the content's first words)
    is_secret: bool = False  # 是否保密: the caller is shown to the desk alone
    needs_reply: bool = True  # 是否需要回复/回访
    handle_days: float | None = None  # 办理时限 in days, when no deadline is given …
    handle_unit: str = ""  # … counted in 工作日 (the default) or 自然日
    dispatch_advice: str = ""  # 派单意见 / 备注
    attachments: list[PlatformFile] = field(default_factory=list)  # photos, call recordings

    def as_payload(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("received_at", "deadline"):
            data[key] = data[key].isoformat() if data[key] else None
        data["attachments"] = [f.describe() for f in self.attachments]
        return data


@dataclass(frozen=True)
class Receipt:
    order: HotlineOrder
    case: Case
    created: bool


def masked(value: Any, key: str = "") -> Any:
    """A payload fit to store and log: every phone-like field masked, however deep."""
    if isinstance(value, dict):
        return {k: masked(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v, key) for v in value]
    if isinstance(value, str) and ("phone" in key.lower() or "mobile" in key.lower()):
        return mask_phone(value.strip())
    return value


def _require_operator(user: User) -> None:
    if not is_hotline_operator(user):
        raise PermissionDenied(_("只有街道城运中心派单员和系统管理员可以受理12345工单"))


def _street_of(code: str) -> GridNode | None:
    code = (code or "").strip()
    if not code:
        return None
    if not STREET_CODE.match(code):
        raise ValidationFailed(_("承办单位须为 9 位街道编码"))
    street = GridNode.objects.filter(code=code, level=GridLevel.STREET).first()
    if street is None:
        raise ValidationFailed(_("未知的承办街道编码“%(c)s”") % {"c": code})
    return street


def _clean(order: HotlineOrderInput) -> tuple[HotlineOrderInput, str, GridNode | None]:
    order = replace(order)
    order.order_no = (order.order_no or "").strip()
    if not ORDER_NO.match(order.order_no):
        raise ValidationFailed(_("工单编号须为 1–64 位字母、数字、“-”或“_”"))
    order.order_type = (order.order_type or "").strip()
    if order.order_type and order.order_type not in ORDER_TYPES:
        raise ValidationFailed(_("诉求类型须为%(types)s之一") % {"types": "、".join(ORDER_TYPES)})
    word = (order.urgency or "").strip()
    urgency = URGENCY_WORDS.get(word) if word else ""
    if urgency is None:
        raise ValidationFailed(_("紧急程度须为一般、紧急或特急"))
    # The one write path of the API and the desk: a year-1 received_at or a year-9999 deadline
    # is refused here as well, before any time-zone or deadline arithmetic overflows.
    order.received_at = check_datetime(order.received_at) if order.received_at else None
    order.deadline = check_datetime(order.deadline) if order.deadline else None
    order.handle_unit = (order.handle_unit or "").strip()
    if order.handle_unit and order.handle_unit not in HANDLE_UNITS:
        raise ValidationFailed(_("办理时限单位须为工作日或自然日"))
    if order.deadline is None and order.handle_days is not None:
        # The platform's time limit wins over the catalogue's; an absolute one over a count.
        order.deadline = deadline_from_days(timezone.now(), order.handle_days, order.handle_unit)
    return order, urgency, _street_of(order.street)


def deadline_from_days(start: datetime, days: float, unit: str = "") -> datetime:
    """`days` of the platform's 办理时限 from `start`: working days on the case calendar (its
    holidays and make-up workdays, its working hours), or calendar days for 自然日."""
    if not (0 < days <= MAX_HANDLE_DAYS) or not math.isfinite(days):
        raise ValidationFailed(_("办理时限须大于 0 天、不超过 %(n)d 天") % {"n": MAX_HANDLE_DAYS})
    try:
        if unit == "自然日":
            return start + timedelta(days=days)
        return sla.calendar().add(start, days, DurationUnit.WORKING_DAYS)
    except (ValueError, OverflowError) as exc:
        # A fraction of a microsecond, or past the calendar's years.
        raise ValidationFailed(
            _("办理时限（handle_days）无法计算：%(d)s 天") % {"d": f"{days:g}"}
        ) from exc


def _case_input(order: HotlineOrderInput, urgency: str, street: GridNode | None) -> CaseInput:
    # An order whose place cannot be resolved waits at the desk of the street the hotline named
    # as 承办单位, not at the district's.
    triage = (
        TriageHint(
            node=street,
            note=_("按工单承办单位转%(street)s分拨") % {"street": street.name},
            by=_("12345热线"),
        )
        if street is not None
        else None
    )
    platform = platform_category(order.category, order.category_name)
    if platform.external and not platform.category_code:
        platform_category_seen(order.category, order.category_name)
    return CaseInput(
        triage=triage,
        title=order.title,
        description=order.content,
        address=order.address,
        reporter_name=order.caller_name,
        reporter_phone=order.caller_phone,
        channel=Channel.HOTLINE,
        external_id=order.order_no,
        request_type=order.order_type,
        urgency=urgency,
        due_at=order.deadline,
        category_code=platform.category_code,
        category_source=platform.source,
        external_category=platform.external,
    )


@transaction.atomic
def hotline_order_receive(
    *,
    order: HotlineOrderInput,
    actor: User,
    raw: dict[str, Any] | None = None,
    source: str = HotlineOrder.Source.API,
    reply_expected: bool = True,
    dispatch: bool = True,
) -> Receipt:
    """Make (or, for a retried order, find) the case of a 12345 order and record the delivery.

    A repeat with the same content returns the first case; the same number with different
    content is a Conflict (both decided by case_intake, which also settles the insert race).
    """
    _require_operator(actor)
    order, urgency, street = _clean(order)
    now = timezone.now()
    try:
        case, created = case_intake(
            data=_case_input(order, urgency, street), actor=actor, auto_dispatch=dispatch
        )
    except Conflict:
        # Someone must look: the hotline reused a number, or changed an order after sending it.
        logger.warning("12345 order %s refused: same number, different content", order.order_no)
        raise
    record = _record_order(
        order=order,
        case=case,
        payload=_stored(raw, order),
        source=source,
        reply_expected=reply_expected,
        now=now,
    )
    if created:
        _order_notes(order, case, actor)
    if order.is_secret and not case.is_confidential:
        # Also on a repeat: an order resent as 保密 is kept secret from then on.
        case = case_confidential_set(
            case_id=case.pk,
            actor=actor,
            note=_("来件方要求保密：诉求人信息仅街道分拨台可见"),
            actor_label=PLATFORM_LABEL if source == HotlineOrder.Source.API else "",
        )
    if order.attachments:
        _order_files(order, case, record, actor)
    logger.info(
        "12345 order %s → case %s (%s), caller %s",
        order.order_no,
        case.number,
        "new" if created else "repeat",
        mask_phone(order.caller_phone),
    )
    return Receipt(order=record, case=case, created=created)


def _stored(raw: dict[str, Any] | None, order: HotlineOrderInput) -> dict[str, Any]:
    """What is kept of the order as posted: phones masked, and files as their digests."""
    payload = dict(raw) if raw is not None else order.as_payload()
    if raw is not None and "attachments" in raw:
        payload["attachments"] = [f.describe() for f in order.attachments]
    stored: dict[str, Any] = masked(payload)
    return stored


def _order_notes(order: HotlineOrderInput, case: Case, actor: User) -> None:
    """What the order says beyond the problem, on its timeline for whoever handles it."""
    lines = []
    if order.dispatch_advice.strip():
        lines.append(_("派单意见：%(a)s") % {"a": order.dispatch_advice.strip()})
    if order.deadline is not None:
        when = timezone.localtime(order.deadline).strftime("%Y-%m-%d %H:%M")
        if order.handle_days is not None:
            lines.append(
                _("来件办理时限：%(n)s 个%(unit)s（至 %(when)s）")
                % {
                    "n": f"{order.handle_days:g}",
                    "unit": order.handle_unit or HANDLE_UNITS[0],
                    "when": when,
                }
            )
        else:
            lines.append(_("来件办理截止时间：%(when)s") % {"when": when})
    if not order.needs_reply:
        lines.append(_("来件方无需回访：核查通过即结案"))
    if lines:
        case_event_record(
            case_id=case.pk,
            actor=actor,
            event=Event.SENDER_NOTE,
            note="\n".join(lines),
            actor_label=PLATFORM_LABEL,
        )


def _order_files(order: HotlineOrderInput, case: Case, record: HotlineOrder, actor: User) -> None:
    """The order's photos on its intake row and its recordings beside it, each kept once, so
    a resent order adds nothing."""
    photos = photos_of(order.attachments)
    if photos:
        case_photos_add(case_id=case.pk, actor=actor, photos=photos)
    recordings_keep(case=case, order=record, files=order.attachments)


def _record_order(
    *,
    order: HotlineOrderInput,
    case: Case,
    payload: dict[str, Any],
    source: str,
    reply_expected: bool,
    now: datetime,
) -> HotlineOrder:
    repeats = HotlineOrder.objects.filter(order_no=order.order_no)
    if not repeats.update(deliveries_count=F("deliveries_count") + 1, last_seen_at=now):
        try:
            with transaction.atomic():
                return HotlineOrder.objects.create(
                    order_no=order.order_no,
                    received_at=order.received_at or now,
                    payload=payload,
                    case=case,
                    source=source,
                    reply_expected=reply_expected,
                    needs_reply=order.needs_reply,
                )
        except IntegrityError:
            # Defensive: case_intake already serialised the deliveries of one order on the
            # case's unique constraint, so a parallel insert here means it just committed.
            repeats.update(deliveries_count=F("deliveries_count") + 1, last_seen_at=now)
    return repeats.get()


# --- the desk --------------------------------------------------------------------------------


def _desk_order_no() -> str:
    prefix = f"{DESK_PREFIX}{timezone.localdate():%Y%m%d}-"
    n = HotlineOrder.objects.filter(order_no__startswith=prefix).count() + 1
    while HotlineOrder.objects.filter(order_no=f"{prefix}{n}").exists():
        n += 1
    return f"{prefix}{n}"


@transaction.atomic
def desk_call_take(
    *, order: HotlineOrderInput, actor: User, merge_into: int | None = None
) -> Receipt:
    """A call typed in at the desk, through the same path as an order from the hotline.

    Without an order number the desk makes one (DESK-<date>-<n>); nothing is reported back for
    it, since the 12345 system never issued it. With `merge_into`, the new case is merged into
    that open case at once: the same problem, called in again. It is then not dispatched
    first, so no handler is told about a case that is merged a moment later.
    """
    _require_operator(actor)
    generated = not (order.order_no or "").strip()
    attempts = 5 if generated else 1
    receipt: Receipt | None = None
    for attempt in range(attempts):
        if generated:
            order = replace(order, order_no=_desk_order_no())
        try:
            receipt = hotline_order_receive(
                order=order,
                actor=actor,
                source=HotlineOrder.Source.DESK,
                reply_expected=not generated,
                dispatch=merge_into is None,
            )
            break
        except Conflict:
            # Two desks numbered a call at the same moment; the other one has committed by now
            # (the unique constraint made us wait for it), so counting again moves past it.
            if attempt == attempts - 1:
                raise
    assert receipt is not None
    if merge_into is None:
        return receipt
    try:
        case = case_act(
            case_id=receipt.case.pk,
            actor=actor,
            action=Action.MERGE,
            params={"parent": str(merge_into)},
        )
    except (ActionNotAllowed, NotFound) as exc:
        # The call's place lies outside the desk's street (or it is already being handled).
        raise ValidationFailed(
            _("该来电的事件不在您的分拨范围内或已在办理，不能合并，请直接创建事件")
        ) from exc
    return replace(receipt, case=case)


# --- 回传 ------------------------------------------------------------------------------------

# Set while a message from the platform is applied: what the platform itself did (a 督办, a
# 撤单, a 回访 that closes the case) is not reported back to it.
_from_platform: ContextVar[bool] = ContextVar("hotline_from_platform", default=False)


@contextmanager
def platform_acting() -> Iterator[None]:
    token = _from_platform.set(True)
    try:
        yield
    finally:
        _from_platform.reset(token)


# Actions whose result the platform hears as such.
ACTION_KINDS: dict[str, str] = {
    Action.SIGN: Delivery.Kind.ACCEPTED,
    Action.RESOLVE: Delivery.Kind.RESOLVED,
    Action.RETURN: Delivery.Kind.RETURNED,
    Action.REQUEST_EXTENSION: Delivery.Kind.EXTENSION,
    Action.PROGRESS: Delivery.Kind.PROGRESS,
    Action.REFER: Delivery.Kind.REFERRED,
}


def _kind_for(case: Case, action: str) -> str | None:
    if action in ACTION_KINDS:
        return ACTION_KINDS[action]
    # A follow-up closes the case; a verification closes it when there was nobody to call back.
    if action in (Action.FOLLOW_UP, Action.VERIFY_PASS) and case.status == Status.CLOSED:
        return Delivery.Kind.CLOSED
    return None


def _payload(case: Case, kind: str, event: CaseEvent) -> dict[str, Any]:
    unit = case.handling_node.name if case.handling_node_id and case.handling_node else ""
    payload: dict[str, Any] = {
        "order_no": case.external_id,
        "kind": kind,
        "kind_label": str(Delivery.Kind(kind).label),
        "case_number": case.number,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "occurred_at": timezone.localtime(event.created_at).isoformat(),
        "unit": unit,
        "operator": event.actor_label,
    }
    if kind == Delivery.Kind.RESOLVED:
        payload["reply"] = case.resolution
        # The 处置后 photos go with it, as Base64 added when it is sent (wire.py): the row
        # keeps which photos, not megabytes of them.
        payload["photos"] = [
            {"attachment_id": a.pk, "file_name": f"{case.number}-{n}.jpg"}
            for n, a in enumerate(event.attachments.order_by("pk"), start=1)
        ]
    elif kind == Delivery.Kind.RETURNED:
        payload["reason"] = event.note
    elif kind == Delivery.Kind.EXTENSION:
        until = case.extension_requested_until
        assert until is not None
        payload.update(
            reason=event.note,
            delay_deadline=timezone.localtime(until).isoformat(),
            delay_days=_working_days(case.due_at, until),
            current_deadline=timezone.localtime(case.due_at).isoformat() if case.due_at else None,
        )
    elif kind == Delivery.Kind.PROGRESS:
        payload["reply"] = event.note
    elif kind == Delivery.Kind.REFERRED:
        payload.update(reason=event.note, target_unit=str(event.data.get("unit") or ""))
    elif kind == Delivery.Kind.CLOSED:
        payload.update(
            satisfaction=case.satisfaction,
            satisfaction_label=(
                str(Satisfaction(case.satisfaction).label) if case.satisfaction else ""
            ),
            contacted=case.followup_contacted,
            solved=case.followup_solved,
            reply=case.resolution,
        )
    return payload


def _working_days(start: datetime | None, end: datetime) -> int:
    """Whole working days (rounded up) from `start` to `end` on the case calendar: what a
    延期申请's delayDays says beside its new deadline."""
    if start is None or end <= start:
        return 0
    cal = sla.calendar()
    day = cal.hours.hours_per_day() * 3600
    return math.ceil(cal.working_seconds_between(start, end) / day - 1e-9)


def delivery_for_event(*, case: Case, action: str, event: CaseEvent) -> Delivery | None:
    """Called for every case action (inside its transaction): queue the result the hotline
    must hear about, if any."""
    if case.channel != Channel.HOTLINE or not case.external_id or _from_platform.get():
        return None
    kind = _kind_for(case, action)
    if kind is None:
        return None
    if HotlineOrder.objects.filter(case=case, reply_expected=False).exists():
        return None
    return delivery_queue(case=case, kind=kind, payload=_payload(case, kind, event))


@transaction.atomic
def delivery_queue(*, case: Case, kind: str, payload: dict[str, Any]) -> Delivery:
    """Record a result for the hotline; send it once the surrounding action has committed, so a
    rolled-back action never tells the hotline anything. Disabled callbacks are still recorded."""
    enabled = bool(settings.HOTLINE_CALLBACK_URL)
    delivery = Delivery.objects.create(
        case=case,
        order_no=case.external_id or "",
        kind=kind,
        payload=payload,
        state=Delivery.State.PENDING if enabled else Delivery.State.DISABLED,
        next_attempt_at=timezone.now() if enabled else None,
    )
    if enabled:
        transaction.on_commit(lambda: delivery_send_task(delivery.pk))
    return delivery


@transaction.atomic
def delivery_retry(*, delivery_id: int, actor: User) -> Delivery:
    """A person pushes a failed delivery again (重新推送): a fresh round of attempts."""
    delivery = access_delivery(actor, delivery_id)
    reset = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.FAILED).update(
        state=Delivery.State.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if not reset:
        raise Conflict(_("只有推送失败的回传可以重新推送"))
    logger.info("12345 delivery %s pushed again by user %s", delivery.pk, actor.pk)
    if settings.HOTLINE_CALLBACK_URL:
        transaction.on_commit(lambda: delivery_send_task(delivery.pk))
    delivery.refresh_from_db()
    return delivery
