"""Every write to a case: intake from any channel, and each action of the loop.

`case_intake` creates (or, for a retried external order, finds) a case, routes and dispatches
it. `case_act` is the one gate for actions: it locks the row, asks the state machine whether
the actor may take the action now, applies it, and writes the timeline row.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_contact_phone
from wangge.accounts.models import User
from wangge.cases import categories, routing, sla
from wangge.cases.models import (
    Assistance,
    Card,
    Case,
    CaseAttachment,
    CaseEvent,
    Category,
    Channel,
    Department,
    DepartmentMember,
    HandlingLevel,
    Satisfaction,
    Status,
    Tier,
    Urgency,
)
from wangge.cases.signals import case_changed
from wangge.cases.workflow import (
    ACTION_LABELS,
    ACTORS,
    HANDLER_ROLES,
    TRANSITIONS,
    Action,
    Actor,
    actor_kinds,
    allowed_actions,
    can_view,
)
from wangge.core.dates import check_datetime
from wangge.core.errors import Conflict, NotFound, ValidationFailed
from wangge.core.images import CleanImage, store_image
from wangge.core.scope import path_in_scope
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import ancestor
from wangge.notifications.services import Message, notify, notify_many, sms_send

MAX_DESCRIPTION = 4000


class ActionNotAllowed(Conflict):
    def __init__(self, action: str, allowed: list[str], reason: str = "") -> None:
        label = ACTION_LABELS.get(action, action)
        super().__init__(reason or _("当前状态下不能执行“%(action)s”") % {"action": label})
        self.allowed = allowed


# States a case has left the handler's hands in: an action queued on a phone before it got
# there is told so in words, not with the generic refusal.
_MOVED_ON = (
    Status.RESOLVED,
    Status.VERIFIED,
    Status.CLOSED,
    Status.RETURNED,
    Status.VOIDED,
    Status.MERGED,
)


def refusal_reason(case: Case, actor: User, action: str) -> str:
    """Why `action` is refused, when the case moved on since the actor last saw it (closed by
    someone else, transferred to another unit); "" when the generic refusal says it all."""
    label = ACTION_LABELS.get(action, action)
    if action not in TRANSITIONS:
        return ""
    needs = ACTORS[action]
    if (
        needs == frozenset({Actor.HANDLER})
        and case.handling_node is not None
        and Actor.HANDLER not in actor_kinds(case, actor)
    ):
        return _("该事件现由%(unit)s办理，您不能再%(action)s") % {
            "unit": case.handling_node.name,
            "action": label,
        }
    if case.status in _MOVED_ON and case.status not in TRANSITIONS[action][0]:
        return _("该事件已是“%(status)s”，不能再%(action)s") % {
            "status": case.get_status_display(),
            "action": label,
        }
    return ""


@dataclass(frozen=True)
class TriageHint:
    """A sender's own answer to "whose is this?" (a 12345 order's 承办单位): used only when the
    place cannot be resolved, so the case waits at that unit's desk rather than the district's."""

    node: GridNode
    note: str  # why, for the routing reason and the timeline
    by: str  # who gave the hint, as the timeline shows it


@dataclass
class CaseInput:
    description: str
    title: str = ""
    category_code: str = ""
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    channel: str = Channel.RESIDENT
    external_id: str = ""
    request_type: str = ""
    urgency: str = ""
    due_at: datetime | None = None  # a deadline set by the sender (12345 orders carry one)
    public_anonymous: bool = True
    public: bool = False
    triage: TriageHint | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """What makes two deliveries "the same order": the content, not delivery metadata."""
        key = [
            self.description.strip(),
            self.address.strip(),
            self.reporter_phone.strip(),
            self.category_code.strip(),
        ]
        return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()


def _clean_input(data: CaseInput) -> CaseInput:
    data.description = (data.description or "").strip()
    if not data.description:
        raise ValidationFailed(_("请填写诉求内容"))
    if len(data.description) > MAX_DESCRIPTION:
        raise ValidationFailed(_("诉求内容不能超过 %(n)d 字") % {"n": MAX_DESCRIPTION})
    if data.channel not in Channel.values:
        raise ValidationFailed(_("未知来源“%(c)s”") % {"c": data.channel})
    if data.urgency and data.urgency not in Urgency.values:
        raise ValidationFailed(_("未知紧急程度“%(u)s”") % {"u": data.urgency})
    if data.reporter_phone:
        data.reporter_phone = normalize_contact_phone(data.reporter_phone)
    data.title = clip((data.title or "").strip(), MAX_TITLE) or _title_from(data.description)
    data.address = (data.address or "").strip()[:200]
    data.reporter_name = (data.reporter_name or "").strip()[:50]
    return data


MAX_TITLE = 120


def clip(text: str, limit: int) -> str:
    """`text` whole if it fits, else cut to `limit` characters with an ellipsis saying so."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _title_from(description: str) -> str:
    first = description.replace("\n", " ").split("。")[0]
    return clip(first, 31)


def _event(
    case: Case,
    *,
    action: str,
    actor: User | None,
    from_status: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "",
    to_status: str | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status or case.status,
        note=note,
        data=data or {},
        actor_label=actor_label or (actor.name if actor else ""),
    )


def _attach(case: Case, event: CaseEvent | None, kind: str, photos: Sequence[CleanImage]) -> None:
    for p in photos:
        store_image(CaseAttachment(case=case, event=event, kind=kind), p)


def _apply_route(
    case: Case, route: routing.Route, now: datetime, due_override: datetime | None
) -> None:
    case.routing_reason = route.reason
    case.status = route.status
    if route.status != Status.DISPATCHED:
        return
    case.handling_level = route.level
    case.handling_node = route.node
    case.assignee = route.assignee
    _start_clock(case, now, due_override)


def _start_clock(case: Case, now: datetime, due_override: datetime | None = None) -> None:
    deadlines = sla.compute(now, case.category, case.urgency)
    case.dispatched_at = now
    case.sign_due_at = deadlines.sign_due_at
    case.contact_due_at = deadlines.contact_due_at
    case.due_at, case.warn_at = deadlines.due_at, deadlines.warn_at
    case.deadline_provisional = deadlines.provisional
    if due_override is not None and due_override > now:
        # The sender's deadline rules; warn at 75 % of the time it leaves.
        case.due_at = due_override
        case.warn_at = now + (due_override - now) * sla.YELLOW_FRACTION
    case.card = Card.NONE


def _set_place(case: Case, place: routing.Place) -> None:
    case.micro_grid = place.micro_grid
    case.exclusive_grid = place.exclusive_grid
    case.building_id = place.building_id
    if place.lon is not None:
        case.lon, case.lat = place.lon, place.lat
    anchor = place.anchor or place.triage_node
    case.grid_path = anchor.path if anchor else ""
    case.community = ancestor(anchor, GridLevel.COMMUNITY) if anchor else None
    case.street = ancestor(anchor, GridLevel.STREET) if anchor else None
    if not case.grid_path:
        # Nowhere known: the district's triage queue, seen by district-level staff.
        root = GridNode.objects.filter(parent__isnull=True).order_by("pk").first()
        case.grid_path = root.path if root else ""


def case_intake(
    *,
    data: CaseInput,
    actor: User | None,
    photos: Sequence[CleanImage] = (),
    auto_dispatch: bool = True,
) -> tuple[Case, bool]:
    """Create a case and route it. Returns (case, created). A retried external order returns the
    case it made the first time; the same external id with different content is a Conflict."""
    data = _clean_input(data)
    if data.external_id:
        existing = Case.objects.filter(channel=data.channel, external_id=data.external_id).first()
        if existing is not None:
            return _same_or_conflict(existing, data), False
    try:
        with transaction.atomic():
            case = _create(data, actor, photos, auto_dispatch)
    except IntegrityError:
        # Another delivery of the same order won the race to insert; answer as it did.
        existing = Case.objects.filter(channel=data.channel, external_id=data.external_id).first()
        if existing is None or not data.external_id:
            raise
        return _same_or_conflict(existing, data), False
    return case, True


def _same_or_conflict(existing: Case, data: CaseInput) -> Case:
    if existing.content_hash != data.fingerprint():
        raise Conflict(_("外部编号“%(id)s”已存在且内容不同") % {"id": data.external_id})
    return existing


def _create(
    data: CaseInput, actor: User | None, photos: Sequence[CleanImage], auto_dispatch: bool
) -> Case:
    now = timezone.now()
    category, suggestion_note = _category_for(data)
    urgency = data.urgency or (category.urgency if category else Urgency.NORMAL)
    tier = category.tier if category else Tier.GENERAL
    place = routing.locate_place(
        lon=data.lon, lat=data.lat, crs=data.crs, address=data.address, text=data.description
    )
    hint = data.triage if place.anchor is None else None
    if hint is not None:
        place.triage_node = hint.node
    case = Case(
        title=data.title,
        description=data.description,
        channel=data.channel,
        external_id=data.external_id or None,
        content_hash=data.fingerprint(),
        request_type=data.request_type[:8],
        category=category,
        tier=tier,
        urgency=urgency,
        reporter=actor if actor and data.channel in _SELF_REPORTED else None,
        reporter_name=data.reporter_name
        or (actor.name if actor and data.channel in _SELF_REPORTED else ""),
        is_anonymous_public=data.public_anonymous,
        # Only a resident who raised it can put it on the board (not a patrol or a system).
        is_public=data.public
        and actor is not None
        and data.channel in (Channel.RESIDENT, Channel.SNAPSHOT, Channel.ASSISTANT),
        requested_due_at=data.due_at,
        crs_given=data.crs if data.lon is not None else "",
        lon=data.lon,
        lat=data.lat,
        address=data.address,
    )
    # Encrypted, hashed and masked by the model (Case.reporter_phone).
    case.reporter_phone = data.reporter_phone or (
        actor.phone if actor and data.channel in _SELF_REPORTED else ""
    )
    _set_place(case, place)
    route = routing.route_for(place, tier)
    if suggestion_note:
        route.reason = f"{suggestion_note}；{route.reason}"
    if hint is not None:
        route.reason = f"{route.reason}；{hint.note}"
    if auto_dispatch:
        _apply_route(case, route, now, data.due_at)
    else:
        case.routing_reason = route.reason
        case.status = Status.PENDING
    case.save()
    case.number = _case_number(now, case.pk)
    Case.objects.filter(pk=case.pk).update(number=case.number)
    events = [
        CaseEvent(
            case=case,
            action="intake",
            actor=actor,
            from_status="",
            to_status=Status.PENDING,
            note=_("经%(channel)s受理") % {"channel": Channel(case.channel).label},
            actor_label=actor.name if actor else str(Channel(case.channel).label),
        )
    ]
    if case.status == Status.DISPATCHED:
        events.append(
            CaseEvent(
                case=case,
                action="route",
                actor=None,
                from_status=Status.PENDING,
                to_status=case.status,
                note=case.routing_reason,
                actor_label=_("系统自动派单"),
            )
        )
    if hint is not None:
        events.append(
            CaseEvent(
                case=case,
                action="triage",
                actor=None,
                from_status=Status.PENDING,
                to_status=case.status,
                note=hint.note,
                actor_label=hint.by,
                data={"node": hint.node.code},
            )
        )
    # One INSERT for the rows; the database returns their ids (PostgreSQL and SQLite ≥ 3.35).
    intake = CaseEvent.objects.bulk_create(events)[0]
    _attach(case, intake, CaseAttachment.Kind.REPORT, photos)
    messages = []
    if case.status == Status.DISPATCHED:
        title = _("新派单：%(t)s") % {"t": case.title}
        messages.append(
            Message(_handlers_of(case), title, case.title, _link(case), f"case:{case.pk}")
        )
        _text_handlers(case, title)
    if case.reporter_id and case.reporter:
        messages.append(
            Message(
                [case.reporter],
                _("您反映的问题已受理（编号 %(n)s）") % {"n": case.number},
                case.title,
                _link(case),
                f"case:{case.pk}",
            )
        )
    notify_many(messages)  # one INSERT for the handler's and the reporter's messages
    case_changed.send(sender=Case, case=case, action="intake", from_status="", event=intake)
    return case


def _case_number(now: datetime, pk: int) -> str:
    return f"{timezone.localdate(now):%Y%m%d}{pk:06d}"


_SELF_REPORTED = {
    Channel.RESIDENT,
    Channel.SNAPSHOT,
    Channel.ENTERPRISE,
    Channel.ASSISTANT,
    Channel.PATROL,
}


def _category_for(data: CaseInput) -> tuple[Category | None, str]:
    if data.category_code:
        category = categories.leaf(data.category_code)
        if category is None:
            raise ValidationFailed(_("未知或不可派单的分类“%(c)s”") % {"c": data.category_code})
        return category, ""
    suggestion = categories.suggest(f"{data.title} {data.description}")
    if suggestion is None:
        return None, _("未能识别分类，按一般事件办理")
    category, how = suggestion
    return category, _("分类由系统推荐：%(name)s（%(how)s）") % {"name": category.name, "how": how}


# --- notifications -------------------------------------------------------------------------


def _handlers_of(case: Case) -> list[User]:
    if case.assignee_id and case.assignee:
        return [case.assignee]
    if not case.handling_node_id:
        return []
    roles = HANDLER_ROLES.get(case.handling_level, frozenset())
    return list(
        User.objects.filter(
            is_active=True, grants__node_id=case.handling_node_id, grants__role__in=roles
        ).distinct()
    )


def _dispatchers_of(case: Case) -> list[User]:
    from wangge.accounts.models import Role

    if not case.street_id:
        return []
    return list(
        User.objects.filter(
            is_active=True, grants__node_id=case.street_id, grants__role=Role.STREET_DISPATCHER
        ).distinct()
    )


def _link(case: Case) -> str:
    return f"/cases/{case.pk}/"


def _tell_handlers(case: Case, title: str, body: str = "", *, sms: bool | None = None) -> None:
    """Inbox for every step; a text message only when it cannot wait for the next look at the
    phone (urgent cases, supervision), so a worker's SMS is never thirty routine messages a day."""
    people = _handlers_of(case)
    notify(
        recipients=people,
        title=title,
        body=body or case.title,
        link=_link(case),
        topic=f"case:{case.pk}",
    )
    _text_handlers(case, title, sms=sms, people=people)


def _text_handlers(
    case: Case, title: str, *, sms: bool | None = None, people: list[User] | None = None
) -> None:
    if sms is None:
        sms = case.urgency in (Urgency.URGENT, Urgency.EMERGENCY)
    if sms:
        for person in people if people is not None else _handlers_of(case):
            sms_send(phone=person.phone, body=_("【网格】%(t)s，请及时办理。") % {"t": title})


def _tell_dispatchers(case: Case, title: str, body: str = "") -> None:
    notify(
        recipients=_dispatchers_of(case),
        title=title,
        body=body or case.title,
        link=_link(case),
        topic=f"case:{case.pk}",
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
}


def _tell_reporter(case: Case, title: str) -> None:
    if case.reporter_id and case.reporter:
        notify(
            recipients=[case.reporter],
            title=title,
            body=case.title,
            link=_link(case),
            topic=f"case:{case.pk}",
        )


def plain_status(case: Case) -> str:
    """The case's state in the words a resident understands."""
    template = REPORTER_WORDS.get(case.status)
    if template is None:
        return str(Status(case.status).label)
    unit = (
        case.handling_node.name if case.handling_node_id and case.handling_node else _("相关单位")
    )
    return _(template) % {"unit": unit}


def on_card(*, case_id: int, card: str, now: datetime) -> None:
    """Called by the SLA sweep after it changed a case's card (once per case and card)."""
    case = Case.objects.select_related("handling_node").get(pk=case_id)
    note = sla.timeline_label_for_card(card)
    CaseEvent.objects.create(
        case=case,
        action="card_" + card,
        actor=None,
        actor_label=_("系统"),
        from_status=case.status,
        to_status=case.status,
        note=note,
    )
    _tell_handlers(case, note, case.title, sms=card == Card.RED)
    if card == Card.RED:
        _tell_dispatchers(case, _("超期督办：%(t)s") % {"t": case.title})


def card_given_receiver(sender: type, *, case_id: int, card: str, now: datetime, **kw: Any) -> None:
    on_card(case_id=case_id, card=card, now=now)


# --- actions ---------------------------------------------------------------------------------


@dataclass
class Ctx:
    case: Case
    actor: User
    params: dict[str, Any]
    photos: Sequence[CleanImage]
    now: datetime
    note: str
    data: dict[str, Any] = field(default_factory=dict)
    # Set by an action that decides its own target state (e.g. a follow-up nobody answered).
    status: str | None = None


def _require_note(ctx: Ctx, what: str) -> str:
    if not ctx.note:
        raise ValidationFailed(_("请填写%(what)s") % {"what": what}, field="note")
    return ctx.note


def _node_param(ctx: Ctx, name: str = "node") -> GridNode:
    code = str(ctx.params.get(name) or "").strip()
    if not code:
        raise ValidationFailed(_("请选择承办网格"), field=name)
    node = GridNode.objects.filter(code=code).first()
    if node is None or not path_in_scope(ctx.actor, node.path):
        raise ValidationFailed(
            _("承办网格“%(c)s”不存在或不在您的管辖范围内") % {"c": code}, field=name
        )
    return node


def _assign_to(ctx: Ctx, node: GridNode) -> None:
    levels: dict[str, str] = {
        GridLevel.MICRO: HandlingLevel.GRID,
        GridLevel.GRID: HandlingLevel.GRID,
        GridLevel.EXCLUSIVE: HandlingLevel.GRID,
        GridLevel.COMMUNITY: HandlingLevel.COMMUNITY,
        GridLevel.STREET: HandlingLevel.STREET,
        GridLevel.DISTRICT: HandlingLevel.STREET,
    }
    level = levels[node.level]
    if node.level == GridLevel.MICRO:
        node = ancestor(node, GridLevel.GRID) or node
    case = ctx.case
    case.handling_level, case.handling_node = level, node
    assignee_id = ctx.params.get("assignee")
    roles = HANDLER_ROLES[level]
    if assignee_id:
        who = User.objects.filter(
            pk=assignee_id, is_active=True, grants__node=node, grants__role__in=roles
        ).first()
        if who is None:
            raise ValidationFailed(_("所选承办人不在该网格"))
        case.assignee = who
    else:
        case.assignee = (
            routing._least_loaded(node, set(roles)) if level != HandlingLevel.STREET else None
        )
    ctx.data["node"] = node.code
    ctx.data["assignee"] = case.assignee.name if case.assignee else ""


def _do_accept(ctx: Ctx) -> None:
    case = ctx.case
    category_code = str(ctx.params.get("category") or "").strip()
    if category_code:
        category, _note = _category_for(
            CaseInput(description=case.description, category_code=category_code)
        )
        case.category, case.tier = category, category.tier if category else case.tier
    if ctx.params.get("tier"):
        if ctx.params["tier"] not in Tier.values:
            raise ValidationFailed(_("未知层级"))
        case.tier = ctx.params["tier"]
    anchor = case.exclusive_grid or case.micro_grid
    if anchor is None:
        raise ValidationFailed(_("位置未确定，请人工派单"))
    place = routing.Place(micro_grid=case.micro_grid, exclusive_grid=case.exclusive_grid)
    route = routing.route_for(place, case.tier)
    _apply_route(case, route, ctx.now, None)
    ctx.data["reason"] = route.reason


def _do_dispatch(ctx: Ctx) -> None:
    node = _node_param(ctx)
    case = ctx.case
    if case.micro_grid is None and node.level in (GridLevel.MICRO, GridLevel.GRID):
        # A person has placed an unresolved case: the place follows the decision.
        case.grid_path = node.path
        case.community = ancestor(node, GridLevel.COMMUNITY)
        case.street = ancestor(node, GridLevel.STREET)
    _assign_to(ctx, node)
    if case.dispatched_at is None:
        _start_clock(case, ctx.now, case.requested_due_at)
    case.routing_reason = _("人工派单：%(name)s") % {"name": node.name}


def _do_void(ctx: Ctx) -> None:
    _require_note(ctx, _("作废原因"))


def _do_merge(ctx: Ctx) -> None:
    ref = str(ctx.params.get("parent") or "").strip()
    parent = Case.objects.filter(number=ref).first() or (
        Case.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
    )
    if parent is None or parent.pk == ctx.case.pk or not can_view(parent, ctx.actor):
        raise ValidationFailed(_("要合并到的事件不存在"), field="parent")
    if not parent.is_open or parent.status == Status.MERGED:
        raise ValidationFailed(_("只能合并到正在办理的事件"), field="parent")
    ctx.case.parent = parent
    ctx.data["parent"] = parent.number
    CaseEvent.objects.create(
        case=parent,
        action="merged_in",
        actor=ctx.actor,
        actor_label=ctx.actor.name,
        from_status=parent.status,
        to_status=parent.status,
        note=_("合并了事件 %(n)s") % {"n": ctx.case.number},
    )


def _do_sign(ctx: Ctx) -> None:
    case = ctx.case
    case.signed_at = ctx.now
    if case.assignee_id is None:
        case.assignee = ctx.actor


def _do_contact(ctx: Ctx) -> None:
    ctx.case.contacted_at = ctx.case.contacted_at or ctx.now


def _do_return(ctx: Ctx) -> None:
    _require_note(ctx, _("退单原因"))
    ctx.case.assignee = None
    _tell_dispatchers(ctx.case, _("退单：%(t)s") % {"t": ctx.case.title}, ctx.note)


def _do_transfer(ctx: Ctx) -> None:
    _require_note(ctx, _("转办说明"))
    _assign_to(ctx, _node_param(ctx))
    ctx.case.signed_at = None


def _do_escalate(ctx: Ctx) -> None:
    case = ctx.case
    target_level = (
        GridLevel.COMMUNITY if case.handling_level == HandlingLevel.GRID else GridLevel.STREET
    )
    anchor = case.handling_node
    assert anchor is not None
    node = ancestor(anchor, target_level) or ancestor(case.micro_grid or anchor, target_level)
    if node is None:
        raise ValidationFailed(_("找不到上级单位"))
    _require_note(ctx, _("上报原因"))
    ctx.params.pop("assignee", None)
    _assign_to(ctx, node)
    case.tier = Tier.COMPLEX if target_level == GridLevel.COMMUNITY else Tier.DIFFICULT
    case.signed_at = None


def _do_whistle(ctx: Ctx) -> None:
    lead_code = str(ctx.params.get("lead") or "").strip()
    assist_codes = [str(c).strip() for c in (ctx.params.get("assist") or []) if str(c).strip()]
    if not lead_code:
        raise ValidationFailed(_("请选择主办部门"), field="lead")
    if ctx.case.assistances.exists():
        raise ValidationFailed(_("该事件已吹哨"))
    codes = [lead_code, *[c for c in assist_codes if c != lead_code]]
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(_("未知部门：%(c)s") % {"c": "、".join(missing)})
    for code in codes:
        dept = found[code]
        Assistance.objects.create(
            case=ctx.case,
            department=dept,
            role=Assistance.Role.LEAD if code == lead_code else Assistance.Role.ASSIST,
        )
        notify(
            recipients=dept.members.all(),
            title=_("吹哨报到：%(t)s") % {"t": ctx.case.title},
            body=ctx.note or ctx.case.title,
            link=_link(ctx.case),
            topic=f"case:{ctx.case.pk}",
        )
    ctx.data["lead"] = found[lead_code].name
    ctx.data["assist"] = [found[c].name for c in codes[1:]]


def _my_assistance(ctx: Ctx) -> Assistance:
    dept_code = str(ctx.params.get("department") or "").strip()
    qs = Assistance.objects.select_for_update().filter(case=ctx.case, department__members=ctx.actor)
    if dept_code:
        qs = qs.filter(department__code=dept_code)
    assistance = qs.select_related("department").first()
    if assistance is None:
        raise ValidationFailed(_("您的部门未被召集到该事件"))
    ctx.data["department"] = assistance.department.name
    return assistance


def _do_dept_sign(ctx: Ctx) -> None:
    a = _my_assistance(ctx)
    if a.state != Assistance.State.SUMMONED:
        raise Conflict(_("%(d)s已报到") % {"d": a.department.name})
    a.state, a.signed_at = Assistance.State.SIGNED, ctx.now
    a.save(update_fields=["state", "signed_at"])


def _do_dept_report(ctx: Ctx) -> None:
    a = _my_assistance(ctx)
    if a.state == Assistance.State.SUMMONED:
        raise Conflict(_("请先报到再反馈"))
    a.state, a.reported_at, a.report = (
        Assistance.State.REPORTED,
        ctx.now,
        _require_note(ctx, _("反馈内容")),
    )
    a.save(update_fields=["state", "reported_at", "report"])
    _tell_dispatchers(
        ctx.case, _("%(d)s已反馈：%(t)s") % {"d": a.department.name, "t": ctx.case.title}
    )


def _parse_when(value: Any) -> datetime:
    when = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if when is None:
        raise ValidationFailed(_("请填写有效的延期时间"), field="until")
    return check_datetime(when)


def _do_request_extension(ctx: Ctx) -> None:
    case = ctx.case
    until = _parse_when(ctx.params.get("until"))
    _require_note(ctx, _("延期理由"))
    if case.due_at is None or ctx.now >= case.due_at:
        raise ValidationFailed(_("已超过办理时限，不能申请延期"))
    if until <= case.due_at:
        raise ValidationFailed(_("延期时间须晚于当前办理时限"), field="until")
    case.extension_requested_until = until
    ctx.data["until"] = until.isoformat()
    _tell_dispatchers(case, _("延期申请：%(t)s") % {"t": case.title}, ctx.note)


def _do_approve_extension(ctx: Ctx) -> None:
    case = ctx.case
    until = case.extension_requested_until
    assert until is not None
    case.due_at = until
    left = sla.calendar().working_seconds_between(ctx.now, until)
    _due, case.warn_at = sla.shifted_deadlines(case, ctx.now, left, working=True)
    case.deadline_provisional = False  # a date a person approved, not a count of days
    case.card = Card.NONE
    case.extension_requested_until = None
    case.extension_count += 1
    ctx.data["until"] = until.isoformat()
    _tell_handlers(case, _("延期已批准：%(t)s") % {"t": case.title})


def _do_reject_extension(ctx: Ctx) -> None:
    _require_note(ctx, _("驳回理由"))
    ctx.case.extension_requested_until = None
    _tell_handlers(ctx.case, _("延期被驳回：%(t)s") % {"t": ctx.case.title}, ctx.note)


def _do_suspend(ctx: Ctx) -> None:
    _require_note(ctx, _("挂账原因"))
    left, working = sla.remaining(ctx.case, ctx.now)
    ctx.case.suspended_at = ctx.now
    ctx.data.update(remaining_seconds=left, working=working)


def _do_resume(ctx: Ctx) -> None:
    case = ctx.case
    last = case.events.filter(action=Action.SUSPEND).order_by("-created_at", "-id").first()
    left = float((last.data if last else {}).get("remaining_seconds", 0.0))
    working = bool((last.data if last else {}).get("working", True))
    case.due_at, case.warn_at = sla.shifted_deadlines(case, ctx.now, left, working)
    case.deadline_provisional = working and sla.provisional(ctx.now, case.due_at)
    case.suspended_at = None
    case.card = Card.NONE
    ctx.data["due_at"] = case.due_at.isoformat()


def _do_resolve(ctx: Ctx) -> None:
    case = ctx.case
    result = str(ctx.params.get("result") or ctx.note or "").strip()
    if not result:
        raise ValidationFailed(_("请填写办理结果"), field="result")
    lead = case.assistances.filter(role=Assistance.Role.LEAD).first()
    if lead is not None and lead.state != Assistance.State.REPORTED:
        raise ValidationFailed(_("主办部门%(d)s尚未反馈") % {"d": lead.department.name})
    case.resolution = result
    case.resolved_at = ctx.now
    case.closed_on_time = case.due_at is None or ctx.now <= case.due_at
    _tell_dispatchers(case, _("待核查：%(t)s") % {"t": case.title})


def _do_verify_pass(ctx: Ctx) -> None:
    case = ctx.case
    case.verified_at = ctx.now
    if not (case.reporter_id or case.has_reporter_phone):
        # Nobody to ask: a patrol finding or an anonymous push closes at verification.
        ctx.status = Status.CLOSED
        case.closed_at = ctx.now
        ctx.data["closed_without_followup"] = True


def _do_verify_fail(ctx: Ctx) -> None:
    _require_note(ctx, _("核查不通过的原因"))
    ctx.case.rework_count += 1
    ctx.case.resolved_at = None
    _tell_handlers(ctx.case, _("核查未通过，请返工：%(t)s") % {"t": ctx.case.title}, ctx.note)


def _yes_no(ctx: Ctx, name: str, what: str) -> bool:
    value = ctx.params.get(name)
    if isinstance(value, bool):
        return value
    if str(value).lower() in {"true", "1", "yes", "是"}:
        return True
    if str(value).lower() in {"false", "0", "no", "否"}:
        return False
    raise ValidationFailed(_("请选择%(what)s") % {"what": what}, field=name)


def _do_follow_up(ctx: Ctx) -> None:
    case = ctx.case
    reached = _yes_no(ctx, "reached", _("是否联系上诉求人"))
    if not reached:
        ctx.status = case.status  # try again later; an unanswered call is not a follow-up
        ctx.data["reached"] = False
        return
    satisfaction = str(ctx.params.get("satisfaction") or "")
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("请选择满意度"), field="satisfaction")
    case.followup_contacted = _yes_no(ctx, "contacted", _("承办人是否联系过诉求人"))
    case.followup_solved = _yes_no(ctx, "solved", _("问题是否解决"))
    case.satisfaction = satisfaction
    case.followup_at = ctx.now
    case.followup_note = ctx.note
    case.closed_at = ctx.now
    ctx.data.update(
        contacted=case.followup_contacted, solved=case.followup_solved, satisfaction=satisfaction
    )


def _do_rate(ctx: Ctx) -> None:
    """The reporter answers the follow-up questions in the app: an effective follow-up that
    counts in the KPIs exactly like the dispatcher's call would."""
    ctx.params["reached"] = True
    _do_follow_up(ctx)


def _do_reopen(ctx: Ctx) -> None:
    _require_note(ctx, _("重办原因"))
    case = ctx.case
    case.reopen_count += 1
    for name in (
        "signed_at",
        "resolved_at",
        "verified_at",
        "closed_at",
        "closed_on_time",
        "followup_at",
        "followup_contacted",
        "followup_solved",
    ):
        setattr(case, name, None)
    case.satisfaction = ""
    _start_clock(case, ctx.now)
    _tell_handlers(case, _("重办：%(t)s") % {"t": case.title}, ctx.note)


def _do_supervise(ctx: Ctx) -> None:
    _require_note(ctx, _("督办意见"))
    ctx.case.supervised = True
    _tell_handlers(ctx.case, _("督办：%(t)s") % {"t": ctx.case.title}, ctx.note, sms=True)


def _do_urge(ctx: Ctx) -> None:
    _require_note(ctx, _("催办内容"))
    _tell_handlers(ctx.case, _("催办：%(t)s") % {"t": ctx.case.title}, ctx.note)


HANDLERS: dict[str, Callable[[Ctx], None]] = {
    Action.ACCEPT: _do_accept,
    Action.DISPATCH: _do_dispatch,
    Action.VOID: _do_void,
    Action.MERGE: _do_merge,
    Action.SIGN: _do_sign,
    Action.CONTACT: _do_contact,
    Action.RETURN: _do_return,
    Action.TRANSFER: _do_transfer,
    Action.ESCALATE: _do_escalate,
    Action.WHISTLE: _do_whistle,
    Action.DEPT_SIGN: _do_dept_sign,
    Action.DEPT_REPORT: _do_dept_report,
    Action.REQUEST_EXTENSION: _do_request_extension,
    Action.APPROVE_EXTENSION: _do_approve_extension,
    Action.REJECT_EXTENSION: _do_reject_extension,
    Action.SUSPEND: _do_suspend,
    Action.RESUME: _do_resume,
    Action.RESOLVE: _do_resolve,
    Action.VERIFY_PASS: _do_verify_pass,
    Action.VERIFY_FAIL: _do_verify_fail,
    Action.FOLLOW_UP: _do_follow_up,
    Action.RATE: _do_rate,
    Action.REOPEN: _do_reopen,
    Action.SUPERVISE: _do_supervise,
    Action.URGE: _do_urge,
}
PHOTO_KIND: dict[str, str] = {
    Action.RESOLVE: CaseAttachment.Kind.AFTER,
    Action.SIGN: CaseAttachment.Kind.BEFORE,
}


def can_view_now(case: Case, user: User) -> bool:
    """After an action (a transfer, say) the actor may no longer see the case."""
    return can_view(case, user)


def access_case(user: User, case_id: int, *, lock: bool = False) -> Case:
    qs = Case.objects.select_related("handling_node", "category", "assignee", "reporter")
    if lock:
        qs = qs.select_for_update(of=("self",))
    case = qs.filter(pk=case_id).first()
    if case is None or not can_view(case, user):
        raise NotFound(_("事件不存在或无权查看"))
    return case


@transaction.atomic
def case_act(
    *,
    case_id: int,
    actor: User,
    action: str,
    note: str = "",
    params: dict[str, Any] | None = None,
    photos: Sequence[CleanImage] = (),
) -> Case:
    case = access_case(actor, case_id, lock=True)
    allowed = allowed_actions(case, actor)
    if action not in allowed:
        raise ActionNotAllowed(action, allowed, refusal_reason(case, actor, action))
    ctx = Ctx(
        case=case,
        actor=actor,
        params=dict(params or {}),
        photos=photos,
        now=timezone.now(),
        note=(note or "").strip()[:2000],
    )
    from_status = case.status
    HANDLERS[action](ctx)
    target = TRANSITIONS[action][1]
    new_status = ctx.status or target or case.status
    if action == Action.ACCEPT:
        new_status = case.status  # routing decided (dispatched, or still pending)
    case.status = new_status
    case.save()
    event = _event(
        case, action=action, actor=actor, from_status=from_status, note=ctx.note, data=ctx.data
    )
    _attach(case, event, PHOTO_KIND.get(action, CaseAttachment.Kind.EVIDENCE), photos)
    case_changed.send(sender=Case, case=case, action=action, from_status=from_status, event=event)
    if case.status != from_status:
        _tell_reporter(case, plain_status(case))
        if case.status == Status.DISPATCHED and action != Action.REOPEN:
            _tell_handlers(case, _("新派单：%(t)s") % {"t": case.title})
    return case


@transaction.atomic
def reveal_reporter_phone(*, case: Case, actor: User, purpose: str, ip: str | None) -> str:
    """The reporter's full number for someone who must call them, audited: through the
    reporter's account when they have one, else as the case's caller (a 12345 caller)."""
    from wangge.accounts.models import PHONE_REVEAL_ROLES, PersonalDataAccess
    from wangge.accounts.services import audit_reveal, reveal_phone

    if case.reporter is not None:
        return reveal_phone(actor=actor, subject=case.reporter, purpose=purpose, ip=ip)
    audit_reveal(
        actor=actor,
        subject=None,
        field=PersonalDataAccess.Field.PHONE,
        roles=PHONE_REVEAL_ROLES,
        purpose=purpose,
        ip=ip,
        label=_("事件 %(n)s 诉求人 %(name)s") % {"n": case.number, "name": case.reporter_name},
    )
    return case.reporter_phone


@transaction.atomic
def patrol_self_handle(
    *,
    data: CaseInput,
    actor: User,
    result: str,
    photos_before: Sequence[CleanImage] = (),
    photos_after: Sequence[CleanImage] = (),
) -> Case:
    """A grid worker's patrol finding fixed on the spot (自行处置): one case, closed at once."""
    if not result.strip():
        raise ValidationFailed(_("请填写处置结果"))
    data.channel = Channel.PATROL
    case, _created = case_intake(data=data, actor=actor, photos=photos_before, auto_dispatch=False)
    if not case.grid_path or not path_in_scope(actor, case.grid_path):
        raise ValidationFailed(_("该位置不在您负责的网格内，不能自行处置"))
    now = timezone.now()
    node = ancestor(case.micro_grid, GridLevel.GRID) if case.micro_grid else None
    case.handling_level, case.handling_node, case.assignee = HandlingLevel.GRID, node, actor
    _start_clock(case, now)
    case.signed_at = case.contacted_at = case.resolved_at = case.verified_at = case.closed_at = now
    case.resolution, case.self_handled, case.closed_on_time = result.strip(), True, True
    from_status = case.status
    case.status = Status.CLOSED
    case.save()
    event = _event(
        case, action="self_handle", actor=actor, from_status=from_status, note=result.strip()
    )
    _attach(case, event, CaseAttachment.Kind.AFTER, photos_after)
    return case


@transaction.atomic
def case_unpublish(*, case_id: int, actor: User, note: str) -> Case:
    """Staff take a case off 身边事 (its text names a person, say); the timeline keeps why."""
    note = note.strip()
    if not note:
        raise ValidationFailed(_("请填写撤下公开的原因"))
    case = access_case(actor, case_id, lock=True)
    if not (actor.is_grid_staff and case.grid_path and path_in_scope(actor, case.grid_path)):
        raise NotFound(_("事件不存在或无权查看"))
    if not case.is_public:
        raise Conflict(_("该事件未公开"))
    case.is_public = False
    case.save(update_fields=["is_public", "updated_at"])
    _event(case, action="unpublish", actor=actor, from_status=case.status, note=note)
    return case


# --- departments: who answers the whistle ---------------------------------------------------


def _department_grant_node() -> GridNode:
    """Departments (区城管局, 区住建局…) serve the whole district: their 承办人 role is held on
    the top of the grid tree. It opens no piece of the map (not a staff role); what they see is
    what their department is summoned to."""
    root = GridNode.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise ValidationFailed(_("请先导入网格，再添加部门承办人"))
    return root


@transaction.atomic
def department_member_add(
    *, department: Department, user: User, actor: User | None = None
) -> DepartmentMember:
    """Make `user` a 承办人 of `department`: whistles to it reach their inbox and 部门待办, and
    they may report in and back. Grants the 职能部门承办人 role (once, however many
    departments they answer for). Adding someone twice changes nothing."""
    from wangge.accounts.models import Role
    from wangge.accounts.services import role_grant

    if not user.is_active:
        raise ValidationFailed(_("该账号已停用，不能加入部门"))
    member = DepartmentMember.objects.filter(department=department, user=user).first()
    if member is None:
        member = DepartmentMember(department=department, user=user, added_by=actor)
    if member.grant_id is None:
        member.grant = role_grant(
            user=user,
            role=Role.DEPARTMENT_HANDLER,
            node=_department_grant_node(),
            granted_by=actor,
        )
    member.save()
    user.__dict__.pop("_role_codes", None)
    return member


@transaction.atomic
def department_member_remove(*, department: Department, user: User) -> bool:
    """`user` no longer answers for `department`: its cases leave their queue and case pages.
    The 承办人 role goes with their last department. Returns whether they were a member."""
    member = (
        DepartmentMember.objects.select_for_update()
        .filter(department=department, user=user)
        .first()
    )
    if member is None:
        return False
    grant_id = member.grant_id
    member.delete()
    if grant_id is not None and not DepartmentMember.objects.filter(grant_id=grant_id).exists():
        from wangge.accounts.models import RoleGrant

        RoleGrant.objects.filter(pk=grant_id).delete()
    user.__dict__.pop("_role_codes", None)
    return True
