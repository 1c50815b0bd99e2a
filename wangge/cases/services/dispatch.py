"""Accepting, dispatching, signing, returning, transferring and escalating a case: the steps
that decide who handles it."""

from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases import routing
from wangge.cases.actions import Event
from wangge.cases.models import (
    Case,
    CategorySource,
    HandlingLevel,
    Status,
    Tier,
)
from wangge.cases.services.context import Ctx, Step, node_param, note_required
from wangge.cases.services.intake import CaseInput, category_for
from wangge.cases.services.notices import tell_dispatchers
from wangge.cases.services.records import clock_start, route_apply
from wangge.cases.timeline import event_write
from wangge.cases.workflow import (
    HANDLER_ROLES,
    Action,
    can_view,
)
from wangge.core.errors import ValidationFailed
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import ancestor, other_districts, placement


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
        choice = category_for(CaseInput(description=case.description, category_code=category_code))
        category = choice.category
        case.category, case.tier = category, category.tier if category else case.tier
        # The dispatcher chose (or confirmed) it: a training example for the category model.
        case.category_source = CategorySource.STAFF
    if ctx.params.get("tier"):
        if ctx.params["tier"] not in Tier.values:
            raise ValidationFailed(_("未知层级"))
        case.tier = ctx.params["tier"]
    anchor = case.exclusive_grid or case.micro_grid
    if anchor is None:
        raise ValidationFailed(_("位置未确定，请人工派单"))
    place = routing.Place(micro_grid=case.micro_grid, exclusive_grid=case.exclusive_grid)
    route = routing.route_for(place, case.tier)
    # The sender's own deadline (a 12345 order's 办理时限) wins over the catalogue's here too.
    route_apply(case, route, ctx.now, case.requested_due_at)
    ctx.data["reason"] = route.reason


def _do_dispatch(ctx: Ctx) -> None:
    node = node_param(ctx)
    case = ctx.case
    if node.level in (GridLevel.MICRO, GridLevel.GRID):
        _place_follows(case, node)
    _assign_to(ctx, node)
    if case.dispatched_at is None:
        clock_start(case, ctx.now, case.requested_due_at)
    case.routing_reason = _("人工派单：%(name)s") % {"name": node.name}


def _place_follows(case: Case, node: GridNode) -> None:
    """A person has placed a case that has no place of its own (unresolved, or 转办 from
    another district): the place follows the decision."""
    if case.micro_grid is not None:
        return
    placed = placement(node)
    case.grid_path = node.path
    case.community, case.street = placed.community, placed.street


def _do_void(ctx: Ctx) -> None:
    note_required(ctx, _("作废原因"))


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
    event_write(
        parent,
        action=Event.MERGED_IN,
        actor=ctx.actor,
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
    note_required(ctx, _("退单原因"))
    ctx.case.assignee = None
    tell_dispatchers(ctx.case, _("退单：%(t)s") % {"t": ctx.case.title}, ctx.note)


def _do_transfer(ctx: Ctx) -> None:
    note_required(ctx, _("转办说明"))
    district = _other_district(ctx)
    if district is not None:
        _move_to_district(ctx, district)
        return
    node = node_param(ctx)
    if node.level != GridLevel.DISTRICT and ctx.case.exclusive_grid is None:
        _place_follows(ctx.case, node)
    _assign_to(ctx, node)
    ctx.case.signed_at = None


def _other_district(ctx: Ctx) -> GridNode | None:
    """The district named by `node` when it is another district of the case's city: a case
    that reached the wrong district goes to the right one (the sender does not hold it)."""
    code = str(ctx.params.get("node") or "").strip()
    case = ctx.case
    anchor = case.street or case.community or case.micro_grid
    if not code or anchor is None:
        return None
    return next((d for d in other_districts(anchor) if d.code == code), None)


def _move_to_district(ctx: Ctx, district: GridNode) -> None:
    """The case leaves its district with its timeline: its place becomes the receiving
    district's triage (whose staff place it again; the old micro-grid was the wrong one), and
    its clock keeps running."""
    case = ctx.case
    source = case.street or case.community or case.micro_grid
    origin = ancestor(source, GridLevel.DISTRICT) if source is not None else None
    ctx.data["from"] = origin.name if origin is not None else ""
    case.micro_grid = case.exclusive_grid = None
    case.building = None
    case.community = case.street = None
    case.grid_path = district.path
    case.handling_level, case.handling_node = HandlingLevel.STREET, district
    case.assignee = None
    case.signed_at = None
    case.routing_reason = _("跨区转办：%(name)s") % {"name": district.name}
    ctx.data["node"] = district.code
    ctx.data["district"] = district.name
    tell_dispatchers(
        case,
        _("%(d)s转来事件：%(t)s") % {"d": ctx.data["from"] or _("外区"), "t": case.title},
        ctx.note,
    )


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
    note_required(ctx, _("上报原因"))
    ctx.params.pop("assignee", None)
    _assign_to(ctx, node)
    case.tier = Tier.COMPLEX if target_level == GridLevel.COMMUNITY else Tier.DIFFICULT
    case.signed_at = None


# The steps that decide who handles the case, or that it needs no handler (作废, 合并):
# `case_act` runs the one its action names.
DISPATCH_STEPS: dict[str, Step] = {
    Action.ACCEPT: _do_accept,
    Action.DISPATCH: _do_dispatch,
    Action.VOID: _do_void,
    Action.MERGE: _do_merge,
    Action.SIGN: _do_sign,
    Action.CONTACT: _do_contact,
    Action.RETURN: _do_return,
    Action.TRANSFER: _do_transfer,
    Action.ESCALATE: _do_escalate,
}
