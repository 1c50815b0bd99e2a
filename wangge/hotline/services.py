"""Every write of the 12345 adapter: receiving orders, the street triage, and 回传.

An order from the hotline (or typed in at the desk) becomes a case through the one intake path,
`wangge.cases.services.case_intake`, which also makes a retried order find its first case.
Results go back as `Delivery` rows, sent after the case action commits, in order per case,
retried with back-off by a periodic sweep.
"""

import logging
import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases.actions import Action
from wangge.cases.models import Case, CaseEvent, Category, Channel, Satisfaction, Status, Urgency
from wangge.cases.services import (
    ActionNotAllowed,
    CaseInput,
    TriageHint,
    case_act,
    case_intake,
)
from wangge.core.dates import check_datetime
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.masking import mask_phone
from wangge.grids.models import GridLevel, GridNode
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
    category: str = ""  # our category code, or its Chinese name
    order_type: str = ""  # 诉求类型
    urgency: str = ""  # 一般/紧急/特急 or normal/urgent/emergency
    deadline: datetime | None = None  # 办理时限: becomes the case's due date
    street: str = ""  # 承办单位: a 9-digit street code

    def as_payload(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("received_at", "deadline"):
            data[key] = data[key].isoformat() if data[key] else None
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


def _category_code(value: str) -> str:
    """Our leaf category for the hotline's code or name; "" lets the case loop suggest one.

    The hotline's three-level catalogue is not ours: an unknown or non-leaf entry is no reason
    to refuse a citizen's call, so it falls through to the suggestion instead of a 422.
    """
    value = (value or "").strip()
    if not value:
        return ""
    leaves = Category.objects.filter(is_active=True, children__isnull=True)
    by_code = leaves.filter(code=value).values_list("code", flat=True).first()
    if by_code:
        return by_code
    by_name = list(leaves.filter(name=value).values_list("code", flat=True)[:2])
    return by_name[0] if len(by_name) == 1 else ""


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
    return order, urgency, _street_of(order.street)


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
    return CaseInput(
        triage=triage,
        description=order.content,
        address=order.address,
        reporter_name=order.caller_name,
        reporter_phone=order.caller_phone,
        channel=Channel.HOTLINE,
        external_id=order.order_no,
        request_type=order.order_type,
        urgency=urgency,
        due_at=order.deadline,
        category_code=_category_code(order.category),
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
        payload=masked(raw if raw is not None else order.as_payload()),
        source=source,
        reply_expected=reply_expected,
        now=now,
    )
    logger.info(
        "12345 order %s → case %s (%s), caller %s",
        order.order_no,
        case.number,
        "new" if created else "repeat",
        mask_phone(order.caller_phone),
    )
    return Receipt(order=record, case=case, created=created)


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


def _kind_for(case: Case, action: str) -> str | None:
    if action == Action.SIGN:
        return Delivery.Kind.ACCEPTED
    if action == Action.RESOLVE:
        return Delivery.Kind.RESOLVED
    if action == Action.RETURN:
        return Delivery.Kind.RETURNED
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
    elif kind == Delivery.Kind.RETURNED:
        payload["reason"] = event.note
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


def delivery_for_event(*, case: Case, action: str, event: CaseEvent) -> Delivery | None:
    """Called for every case action (inside its transaction): queue the result the hotline
    must hear about, if any."""
    if case.channel != Channel.HOTLINE or not case.external_id:
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
