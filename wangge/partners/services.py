"""共建单位 and 民生服务项目's rules: who registers units, resources and needs, and the one rule
a project's money must keep — its parties' shares add up to its cost, at least two of them
("两方筹资"), at every save and every change of state.

The shares are written under the project's row lock (`select_for_update`), then summed again by
the database in the same transaction and the sum stored beside the total, where a check
constraint (`partners_project_shares_add_up`) holds the two equal: a write that got past the
service's own check with shares that do not add up (a concurrent edit, a bug) fails there, and
the whole transaction with it, so nothing is half-saved. Two edits of one project wait for each
other on the lock; the second sees the first's shares and replaces them whole.

红色物业: a property company's staff become 微网格长 of its compounds (see models.py for why
that role and not a new one)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_contact_phone
from wangge.accounts.models import Role, User
from wangge.accounts.services import role_grant
from wangge.cases.selectors import cases_visible
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.scope import in_scope, path_in_scope
from wangge.grids.models import GridLevel, GridNode
from wangge.ledgers.models import Topic
from wangge.partners.models import (
    MIN_FUNDERS,
    PROJECT_TRANSITIONS,
    Need,
    NeedSource,
    PartnerUnit,
    ProgressNote,
    Project,
    ProjectShare,
    ProjectStatus,
    PropertyCompound,
    PropertyStaff,
    Resource,
    ResourceKind,
    UnitKind,
    yuan,
)
from wangge.residents.selectors import wishes_visible

# Who registers units and runs projects: the community's staff and the street's.
MANAGERS = frozenset({Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.ADMIN})
# Who reads them and registers the needs of their grid: the managers and the grid leaders.
READERS = MANAGERS | {Role.GRID_LEADER}

UNIT_LEVELS = (GridLevel.STREET, GridLevel.COMMUNITY)
COMPOUND_LEVELS = (GridLevel.MICRO, GridLevel.GRID)


def may_manage(actor: User) -> bool:
    return bool(actor.is_authenticated and (actor.is_superuser or actor.has_role(*MANAGERS)))


def may_read(actor: User) -> bool:
    return bool(actor.is_authenticated and (actor.is_superuser or actor.has_role(*READERS)))


def _require_manager(actor: User, path: str) -> None:
    if not (may_manage(actor) and path_in_scope(actor, path)):
        raise PermissionDenied(_("只有社区、街道工作人员可以管理共建单位和民生服务项目"))


def _node_in_scope(actor: User, node_id: int | None, field: str) -> GridNode:
    node = GridNode.objects.filter(pk=node_id).first() if node_id else None
    if node is None or not path_in_scope(actor, node.path):
        raise ValidationFailed(_("请选择您负责范围内的网格"), field=field)
    return node


def serves(unit_path: str, path: str) -> bool:
    """A unit serves the subtree it works with, and a community's unit is a party to its
    street's projects too: the paths lie on one line of the tree."""
    return path.startswith(unit_path) or unit_path.startswith(path)


# ---------------------------------------------------------------- units and resources


@dataclass(frozen=True)
class UnitInput:
    name: str
    kind: str
    node_id: int
    contact_name: str
    contact_phone: str
    note: str = ""


@transaction.atomic
def unit_create(*, actor: User, data: UnitInput) -> PartnerUnit:
    node = _node_in_scope(actor, data.node_id, "node")
    _require_manager(actor, node.path)
    if node.level not in UNIT_LEVELS:
        raise ValidationFailed(_("共建单位与街道或社区结对，请选择街道或社区"), field="node")
    name = data.name.strip()
    if not name:
        raise ValidationFailed(_("请填写单位名称"), field="name")
    if data.kind not in UnitKind.values:
        raise ValidationFailed(_("请选择单位类型"), field="kind")
    contact = data.contact_name.strip()
    if not contact:
        raise ValidationFailed(_("请填写联系人"), field="contact_name")
    try:
        phone = normalize_contact_phone(data.contact_phone)
    except DjangoValidationError as exc:
        raise ValidationFailed(_("联系电话格式不正确"), field="contact_phone") from exc
    unit = PartnerUnit(
        name=name[:80],
        kind=data.kind,
        node=node,
        contact_name=contact[:50],
        note=data.note.strip()[:200],
        created_by=actor,
        grid_path=node.path,
    )
    unit.contact_phone = phone
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        raise Conflict(_("%(name)s已登记为共建单位") % {"name": name}) from exc
    return unit


@transaction.atomic
def resource_add(
    *, actor: User, unit_id: int, kind: str, description: str, capacity: str = ""
) -> Resource:
    unit = PartnerUnit.objects.filter(pk=unit_id).first()
    if unit is None or not path_in_scope(actor, unit.grid_path):
        raise NotFound(_("共建单位不存在"))
    _require_manager(actor, unit.grid_path)
    if kind not in ResourceKind.values:
        raise ValidationFailed(_("请选择资源类型"), field="kind")
    description = description.strip()
    if not description:
        raise ValidationFailed(_("请填写资源说明"), field="description")
    return Resource.objects.create(
        unit=unit, kind=kind, description=description[:200], capacity=capacity.strip()[:80]
    )


# ---------------------------------------------------------------- needs


@dataclass(frozen=True)
class NeedInput:
    source: str
    # The record it comes from (a wish, a topic, a case), or for staff's own entry the node.
    source_id: int | None = None
    node_id: int | None = None
    title: str = ""
    detail: str = ""


def _node_at(path: str) -> GridNode | None:
    return GridNode.objects.filter(path=path).first() if path else None


@transaction.atomic
def need_create(*, actor: User, data: NeedInput) -> Need:
    """A need from a record the actor may see (one need per record), or entered by staff."""
    if not may_read(actor):
        raise PermissionDenied(_("只有社区、网格长和街道工作人员可以登记社区需求"))
    links: dict[str, object] = {}
    title = data.title.strip()
    if data.source == NeedSource.WISH:
        wish = wishes_visible(actor).filter(pk=data.source_id).first() if data.source_id else None
        if wish is None:
            raise ValidationFailed(_("请选择您负责网格内的微心愿"), field="source_id")
        node, links["wish"] = _node_at(wish.grid_path), wish
        title = title or wish.title
    elif data.source == NeedSource.TOPIC:
        topic = (
            in_scope(actor, Topic.objects.filter(pk=data.source_id), "grid_path").first()
            if data.source_id
            else None
        )
        if topic is None:
            raise ValidationFailed(_("请选择您负责网格内的议事厅议题"), field="source_id")
        node, links["topic"] = topic.node, topic
        title = title or topic.title
    elif data.source == NeedSource.CASE:
        # Staff's own subtree only: a case they reported elsewhere is not their grid's need.
        case = (
            in_scope(actor, cases_visible(actor).filter(pk=data.source_id), "grid_path").first()
            if data.source_id
            else None
        )
        if case is None:
            raise ValidationFailed(_("请选择您负责网格内的事件"), field="source_id")
        node, links["case"] = _node_at(case.grid_path), case
        title = title or case.title
    elif data.source == NeedSource.STAFF:
        node = _node_in_scope(actor, data.node_id, "node_id")
        if not title:
            raise ValidationFailed(_("请填写需求"), field="title")
    else:
        raise ValidationFailed(_("请选择需求来源"), field="source")
    if node is None:
        raise ValidationFailed(_("来源记录没有所在网格，无法登记为社区需求"), field="source_id")
    try:
        with transaction.atomic():
            return Need.objects.create(
                source=data.source,
                node=node,
                title=title[:100],
                detail=data.detail.strip(),
                raised_by=actor,
                grid_path=node.path,
                **links,
            )
    except IntegrityError as exc:
        raise Conflict(_("该记录已登记为社区需求")) from exc


# ---------------------------------------------------------------- projects and their shares


@dataclass(frozen=True)
class ShareInput:
    """One party's share: a 共建单位 (`unit_id`) or the community or street itself
    (`node_id`), in fen."""

    amount_fen: int
    unit_id: int | None = None
    node_id: int | None = None


@dataclass(frozen=True)
class ProjectInput:
    need_id: int
    title: str
    total_fen: int
    shares: tuple[ShareInput, ...]
    resource_ids: tuple[int, ...] = ()
    residents_served: int = 0
    households_served: int | None = None


def _project_node(need: Need) -> GridNode:
    """The community that runs a need's project (or the need's own node above it)."""
    if need.node.level in (GridLevel.STREET, GridLevel.COMMUNITY, GridLevel.DISTRICT):
        return need.node
    community = GridNode.objects.filter(
        level=GridLevel.COMMUNITY, path__in=_prefixes(need.grid_path)
    ).first()
    return community or need.node


def _prefixes(path: str) -> list[str]:
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


def _shares(project_path: str, total_fen: int, shares: Sequence[ShareInput]) -> list[ProjectShare]:
    """The shares as rows, or the first reason they may not be: each a known party of the
    project's place paying more than nothing, once; at least two; adding up to the total."""
    if total_fen <= 0:
        raise ValidationFailed(_("请填写项目总额（大于 0 元）"), field="total")
    rows: list[ProjectShare] = []
    seen: set[tuple[str, int]] = set()
    for share in shares:
        if share.amount_fen <= 0:
            raise ValidationFailed(_("每一方的出资须大于 0 元"), field="shares")
        if (share.unit_id is None) == (share.node_id is None):
            raise ValidationFailed(_("每一笔出资须注明出资方"), field="shares")
        if share.unit_id is not None:
            unit = PartnerUnit.objects.filter(pk=share.unit_id, is_active=True).first()
            if unit is None or not serves(unit.grid_path, project_path):
                raise ValidationFailed(_("出资单位须是本社区或本街道的共建单位"), field="shares")
            key = ("unit", unit.pk)
            row = ProjectShare(unit=unit, amount_fen=share.amount_fen)
        else:
            node = GridNode.objects.filter(pk=share.node_id or 0, level__in=UNIT_LEVELS).first()
            if node is None or not project_path.startswith(node.path):
                raise ValidationFailed(
                    _("出资的社区或街道须是项目所在的社区或街道"), field="shares"
                )
            key = ("node", node.pk)
            row = ProjectShare(node=node, amount_fen=share.amount_fen)
        if key in seen:
            raise ValidationFailed(_("同一出资方只能填写一次"), field="shares")
        seen.add(key)
        rows.append(row)
    if len(rows) < MIN_FUNDERS:
        raise ValidationFailed(
            _("两方筹资：至少需要 %(n)s 个出资方") % {"n": MIN_FUNDERS}, field="shares"
        )
    funded = sum(r.amount_fen for r in rows)
    if funded != total_fen:
        raise ValidationFailed(
            _("各方出资合计 %(funded)s 元，与项目总额 %(total)s 元不一致")
            % {"funded": yuan(funded), "total": yuan(total_fen)},
            field="shares",
        )
    return rows


def _store_funding(project: Project, total_fen: int, rows: list[ProjectShare]) -> None:
    """Replace the project's shares and total; the database sums the shares again and its
    check constraint holds that sum equal to the total. Called with the project row locked."""
    ProjectShare.objects.filter(project=project).delete()
    for row in rows:
        row.project = project
    ProjectShare.objects.bulk_create(rows)
    _recount(project, total_fen)


def _recount(project: Project, total_fen: int) -> None:
    funded = ProjectShare.objects.filter(project=project).aggregate(s=Sum("amount_fen"))["s"] or 0
    try:
        with transaction.atomic():
            Project.objects.filter(pk=project.pk).update(
                total_fen=total_fen, funded_fen=funded, updated_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            _("各方出资合计 %(funded)s 元，与项目总额 %(total)s 元不一致")
            % {"funded": yuan(funded), "total": yuan(total_fen)},
            field="shares",
        ) from exc
    project.total_fen, project.funded_fen = total_fen, funded


def _resources(project_path: str, ids: Sequence[int]) -> list[Resource]:
    found = list(Resource.objects.filter(pk__in=set(ids), is_active=True).select_related("unit"))
    if len(found) != len(set(ids)) or not all(
        serves(r.unit.grid_path, project_path) for r in found
    ):
        raise ValidationFailed(_("对接资源须是本社区或本街道共建单位的资源"), field="resources")
    return found


def _served(residents: int, households: int | None) -> None:
    if residents < 0 or (households is not None and households < 0):
        raise ValidationFailed(_("服务人数不能为负数"), field="residents_served")
    if households is not None and residents and households > residents:
        raise ValidationFailed(_("服务户数不能多于服务人数"), field="households_served")


@transaction.atomic
def project_create(*, actor: User, data: ProjectInput) -> Project:
    """立项: a need answered with resources, its cost shared by at least two parties."""
    need = Need.objects.select_related("node").filter(pk=data.need_id).first()
    if need is None or not path_in_scope(actor, need.grid_path):
        raise ValidationFailed(_("请选择您负责范围内的社区需求"), field="need")
    node = _project_node(need)
    _require_manager(actor, node.path)
    title = data.title.strip()
    if not title:
        raise ValidationFailed(_("请填写项目名称"), field="title")
    _served(data.residents_served, data.households_served)
    # Parties and resources are those of the place the need is in.
    rows = _shares(need.grid_path, data.total_fen, data.shares)
    resources = _resources(need.grid_path, data.resource_ids)
    # Inserted claiming its total; _store_funding then counts what the shares really hold.
    project = Project.objects.create(
        need=need,
        title=title[:100],
        node=node,
        total_fen=data.total_fen,
        funded_fen=data.total_fen,
        residents_served=data.residents_served,
        households_served=data.households_served,
        created_by=actor,
        # Scoped by the place it serves: the grid's leader reads it, the community runs it.
        grid_path=need.grid_path,
    )
    project.resources.set(resources)
    _store_funding(project, data.total_fen, rows)
    ProgressNote.objects.create(
        project=project,
        on=timezone.localdate(),
        note=_("立项"),
        to_status=ProjectStatus.PLANNED,
        by=actor,
    )
    return project


def _locked(actor: User, project_id: int) -> Project:
    project = Project.objects.select_for_update().filter(pk=project_id).first()
    if project is None or not path_in_scope(actor, project.grid_path):
        raise NotFound(_("项目不存在"))
    _require_manager(actor, GridNode.objects.get(pk=project.node_id).path)
    return project


@transaction.atomic
def project_fund(
    *, actor: User, project_id: int, total_fen: int, shares: Sequence[ShareInput]
) -> Project:
    """Change the cost and who pays what: the shares are replaced whole, under the lock."""
    project = _locked(actor, project_id)
    if not project.can_change_funding:
        raise Conflict(_("项目已完成，出资不能再修改"))
    _store_funding(project, total_fen, _shares(project.grid_path, total_fen, shares))
    return project


@transaction.atomic
def project_advance(
    *,
    actor: User,
    project_id: int,
    to_status: str,
    note: str,
    on: date | None = None,
    residents_served: int | None = None,
    households_served: int | None = None,
) -> Project:
    """立项 → 实施中 → 已完成, with a dated note. The shares are counted again first: a project
    whose money does not add up moves nowhere."""
    project = _locked(actor, project_id)
    if to_status not in PROJECT_TRANSITIONS[project.status]:
        raise Conflict(
            _("项目当前为“%(now)s”，不能改为“%(to)s”")
            % {
                "now": project.get_status_display(),
                "to": ProjectStatus(to_status).label
                if to_status in ProjectStatus.values
                else to_status,
            }
        )
    note = note.strip()
    if not note:
        raise ValidationFailed(_("请填写进展情况"), field="note")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationFailed(_("进展日期不能晚于今天"), field="on")
    _recount(project, project.total_fen)
    if project.shares.count() < MIN_FUNDERS:
        raise ValidationFailed(
            _("两方筹资：至少需要 %(n)s 个出资方") % {"n": MIN_FUNDERS}, field="shares"
        )
    served = project.residents_served if residents_served is None else residents_served
    households = project.households_served if households_served is None else households_served
    _served(served, households)
    before = project.status
    project.status = to_status
    project.residents_served, project.households_served = served, households
    if to_status == ProjectStatus.IN_PROGRESS:
        project.started_on = on
    if to_status == ProjectStatus.COMPLETED:
        project.completed_on = on
    project.save(
        update_fields=[
            "status",
            "residents_served",
            "households_served",
            "started_on",
            "completed_on",
            "updated_at",
        ]
    )
    ProgressNote.objects.create(
        project=project, on=on, note=note[:300], from_status=before, to_status=to_status, by=actor
    )
    return project


@transaction.atomic
def project_note(
    *,
    actor: User,
    project_id: int,
    note: str,
    on: date | None = None,
    residents_served: int | None = None,
) -> ProgressNote:
    """A dated progress line (and the residents served so far), the state unchanged."""
    project = _locked(actor, project_id)
    note = note.strip()
    if not note:
        raise ValidationFailed(_("请填写进展情况"), field="note")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationFailed(_("进展日期不能晚于今天"), field="on")
    if residents_served is not None:
        _served(residents_served, project.households_served)
        project.residents_served = residents_served
        project.save(update_fields=["residents_served", "updated_at"])
    return ProgressNote.objects.create(project=project, on=on, note=note[:300], by=actor)


# ---------------------------------------------------------------- 红色物业


@transaction.atomic
def compound_add(
    *, actor: User, unit_id: int, node_id: int, since: date | None = None
) -> PropertyCompound:
    """A compound (a micro-grid or grid under the company's community) the company manages."""
    unit = PartnerUnit.objects.select_for_update().filter(pk=unit_id).first()
    if unit is None or not path_in_scope(actor, unit.grid_path):
        raise NotFound(_("共建单位不存在"))
    _require_manager(actor, unit.grid_path)
    if not unit.is_property_company:
        raise ValidationFailed(_("只有物业服务企业可以登记管理小区"), field="node")
    node = _node_in_scope(actor, node_id, "node")
    if node.level not in COMPOUND_LEVELS or not node.path.startswith(unit.grid_path):
        raise ValidationFailed(_("管理小区须是该物业所在社区或街道下的网格或微网格"), field="node")
    try:
        with transaction.atomic():
            return PropertyCompound.objects.create(
                unit=unit, node=node, since=since, grid_path=node.path
            )
    except IntegrityError as exc:
        raise Conflict(_("%(name)s已由一家物业管理") % {"name": node.name}) from exc


@transaction.atomic
def property_staff_add(
    *, actor: User, compound_id: int, phone: str, post: str = ""
) -> PropertyStaff:
    """A property company's employee (an account already registered by phone) joins the grid
    as 微网格长 of the compound."""
    compound = (
        PropertyCompound.objects.select_related("unit", "node").filter(pk=compound_id).first()
    )
    if compound is None or not path_in_scope(actor, compound.grid_path):
        raise NotFound(_("管理小区不存在"))
    _require_manager(actor, compound.unit.grid_path)
    user = User.objects.filter(phone=phone.strip(), is_active=True).first()
    if user is None:
        raise ValidationFailed(_("没有以该手机号注册的账号，请先注册"), field="phone")
    role_grant(user=user, role=Role.MICRO_GRID_LEADER, node=compound.node, granted_by=actor)
    staff, _created = PropertyStaff.objects.get_or_create(
        unit=compound.unit, compound=compound, user=user, defaults={"post": post.strip()[:40]}
    )
    return staff
