"""共建单位 and 民生服务项目's reads, each scoped by the acting user: units (a street's units are
a party to its communities' work too), their resources, needs with their source, projects with
their shares and progress, the records staff pick needs from, and 红色物业's figures.

红色物业's figures are the case KPIs of `wangge.cases.selectors` (the same counts,
`period_counts`, and the same formulas, `kpi_from`; open and overdue as `kpis` counts them)
taken over the cases in a property company's compounds, and over the whole unit it works in
beside them: no definition of its own."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases.models import Case, Status
from wangge.cases.selectors import Kpi, cases_visible, kpi_over
from wangge.core.db import report_alias
from wangge.core.errors import NotFound, PermissionDenied
from wangge.core.scope import in_scope, path_in_scope
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import home_nodes
from wangge.ledgers.models import Topic
from wangge.partners.models import (
    Need,
    PartnerUnit,
    Project,
    ProjectShare,
    PropertyCompound,
    UnitKind,
)
from wangge.partners.services import may_manage, may_read
from wangge.residents.models import Wish
from wangge.residents.selectors import wishes_visible

# The newest records offered in a form's picker of a need's source (a <select>, not a list).
PICKER_ROWS = 200


def require_reader(user: User) -> None:
    if not may_read(user):
        raise PermissionDenied(_("共建单位和民生服务项目仅供社区、网格长和街道工作人员查看"))


def _on_my_line(user: User, field: str = "grid_path") -> Q | None:
    """Rows whose path lies in the user's subtree or above it (a street's unit serves the
    community's staff too). None: everything."""
    paths = user.scope_paths()
    if paths is None:
        return None
    q = Q(pk__in=[])
    for path in paths:
        above = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
        q |= Q(**{f"{field}__startswith": path}) | Q(**{f"{field}__in": above})
    return q


def units(user: User, *, kind: str = "") -> QuerySet[PartnerUnit]:
    require_reader(user)
    qs = PartnerUnit.objects.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    q = _on_my_line(user)
    if q is not None:
        qs = qs.filter(q)
    return (
        qs.select_related("node")
        .prefetch_related("resources")
        .annotate(projects=Count("shares", distinct=True))
        .order_by("grid_path", "name", "pk")
    )


def access_unit(user: User, unit_id: int) -> PartnerUnit:
    found = units(user).filter(pk=unit_id).first() if may_read(user) else None
    if found is None:
        raise NotFound(_("共建单位不存在或无权查看"))
    return found


def needs(user: User) -> QuerySet[Need]:
    require_reader(user)
    return (
        in_scope(user, Need.objects.all(), "grid_path")
        .select_related("node", "wish", "topic", "case")
        .annotate(project_count=Count("projects"))
        .order_by("-created_at", "-pk")
    )


def access_need(user: User, need_id: int) -> Need:
    found = needs(user).filter(pk=need_id).first() if may_read(user) else None
    if found is None:
        raise NotFound(_("社区需求不存在或无权查看"))
    return found


def projects(user: User) -> QuerySet[Project]:
    require_reader(user)
    shares = ProjectShare.objects.select_related("unit", "node").order_by("pk")
    return (
        in_scope(user, Project.objects.all(), "grid_path")
        .select_related("need", "node")
        .prefetch_related(Prefetch("shares", queryset=shares))
        .order_by("-created_at", "-pk")
    )


def access_project(user: User, project_id: int) -> Project:
    found = projects(user).filter(pk=project_id).first() if may_read(user) else None
    if found is None:
        raise NotFound(_("项目不存在或无权查看"))
    return found


def access_compound(user: User, compound_id: int) -> PropertyCompound:
    found = (
        in_scope(user, PropertyCompound.objects.filter(pk=compound_id), "grid_path")
        .select_related("unit", "node")
        .first()
        if may_read(user)
        else None
    )
    if found is None:
        raise NotFound(_("管理小区不存在或无权查看"))
    return found


def project_parties(user: User, project: Project) -> tuple[list[PartnerUnit], list[GridNode]]:
    """Who may pay a share of `project`: the active units of its place, and the community and
    street it lies in."""
    above = [project.grid_path[: i + 1] for i, ch in enumerate(project.grid_path) if ch == "/"]
    found = list(
        PartnerUnit.objects.filter(is_active=True)
        .filter(Q(grid_path__in=above) | Q(grid_path__startswith=project.grid_path))
        .order_by("grid_path", "name")
    )
    nodes = list(
        GridNode.objects.filter(
            path__in=above, level__in=(GridLevel.STREET, GridLevel.COMMUNITY)
        ).order_by("path")
    )
    return found, nodes


def funding_parties(user: User) -> tuple[list[PartnerUnit], list[GridNode]]:
    """For a new project's form: the units the user sees, and the streets and communities on
    the user's line (which of them fit the chosen need is the service's check)."""
    found = list(units(user).order_by("grid_path", "name"))
    q = _on_my_line(user, "path")
    nodes = GridNode.objects.filter(level__in=(GridLevel.STREET, GridLevel.COMMUNITY))
    if q is not None:
        nodes = nodes.filter(q)
    return found, list(nodes.order_by("path"))


def _not_yet(field: str) -> Exists:
    return Exists(Need.objects.filter(**{field: OuterRef("pk")}))


def wish_choices(user: User) -> list[Wish]:
    return list(
        wishes_visible(user).exclude(_not_yet("wish")).order_by("-created_at")[:PICKER_ROWS]
    )


def topic_choices(user: User) -> list[Topic]:
    return list(
        in_scope(user, Topic.objects.all(), "grid_path")
        .exclude(_not_yet("topic"))
        .order_by("-created_at")[:PICKER_ROWS]
    )


def case_choices(user: User) -> list[Case]:
    return list(
        in_scope(user, cases_visible(user), "grid_path")
        .exclude(status__in=[Status.VOIDED, Status.MERGED])
        .exclude(_not_yet("case"))
        .order_by("-created_at")[:PICKER_ROWS]
    )


def need_nodes(user: User) -> list[GridNode]:
    """The units staff may enter a need for: their own nodes and the communities and grids
    under them."""
    q = Q(pk__in=[])
    for node in home_nodes(user):
        q |= Q(path__startswith=node.path)
    if user.scope_paths() is None:
        q = Q()
    return list(
        GridNode.objects.filter(
            q, level__in=(GridLevel.STREET, GridLevel.COMMUNITY, GridLevel.GRID)
        ).order_by("path")[:PICKER_ROWS]
    )


def manages(user: User, path: str) -> bool:
    """Whether the page shows the user the buttons that write (the services check again)."""
    paths = user.scope_paths()
    return may_manage(user) and (paths is None or any(path.startswith(p) for p in paths))


# ---------------------------------------------------------------- 红色物业


def _kpi(user: User, code: str, name: str, where: Q, start: datetime, end: datetime) -> Kpi:
    """`cases.selectors.kpis`'s figures of one unit, over the cases `where` picks."""
    cases = in_scope(user, Case.objects.using(report_alias()), "grid_path").filter(where)
    return kpi_over(cases, code, name, start=start, end=end)


def _received(user: User, where: Q, start: datetime, end: datetime) -> int:
    return (
        in_scope(user, Case.objects.using(report_alias()), "grid_path")
        .filter(where, created_at__gte=start, created_at__lt=end)
        .exclude(status__in=[Status.VOIDED, Status.MERGED])
        .count()
    )


@dataclass(frozen=True)
class PropertyFigures:
    unit: PartnerUnit
    compounds: list[GridNode]
    # Cases received in the period, in its compounds and in the unit beside them.
    received: int
    received_grid: int
    own: Kpi
    grid: Kpi
    # Whether the user sees the whole unit; else its figures are of the user's part of it.
    grid_whole: bool = True


def _paths_q(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(grid_path__startswith=path)
    return q


def property_figures(user: User, start: datetime, end: datetime) -> list[PropertyFigures]:
    """For each property company the user sees: the cases of its compounds in [start, end)
    and those of the unit it works with (the user's part of it), by the KPI definitions."""
    require_reader(user)
    compounds = in_scope(user, PropertyCompound.objects.all(), "grid_path").select_related("node")
    by_unit: dict[int, list[GridNode]] = {}
    for c in compounds.order_by("grid_path"):
        by_unit.setdefault(c.unit_id, []).append(c.node)
    result = []
    for unit in units(user, kind=UnitKind.PROPERTY):
        mine = by_unit.get(unit.pk, [])
        own_q = _paths_q([n.path for n in mine])
        grid_q = Q(grid_path__startswith=unit.grid_path)
        result.append(
            PropertyFigures(
                unit=unit,
                compounds=mine,
                received=_received(user, own_q, start, end),
                received_grid=_received(user, grid_q, start, end),
                own=_kpi(user, unit.node.code, unit.name, own_q, start, end),
                grid=_kpi(user, unit.node.code, unit.node.name, grid_q, start, end),
                grid_whole=path_in_scope(user, unit.grid_path),
            )
        )
    return result
