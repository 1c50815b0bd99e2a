"""Reads of patrols, through the acting user's grid scope."""

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import nodes_in_scope
from wangge.patrols.models import Patrol, PatrolReport

# The nodes a 周报告 or 月汇总 is drawn up for on demand.
REPORT_LEVELS = (GridLevel.STREET, GridLevel.COMMUNITY, GridLevel.GRID)


def patrols_visible(user: User) -> QuerySet[Patrol]:
    """A worker's own patrols, and every patrol of the grids the user holds as staff."""
    if not user.is_authenticated:
        return Patrol.objects.none()
    mine = Patrol.objects.filter(worker=user)
    return (in_scope(user, Patrol.objects.all(), "grid_path") | mine).distinct()


def patrol_list(user: User) -> QuerySet[Patrol]:
    return (
        patrols_visible(user)
        .select_related("worker")
        .annotate(
            n_points=Count("points", distinct=True), n_findings=Count("findings", distinct=True)
        )
        .order_by("-started_at")
    )


def access_patrol(user: User, patrol_id: int) -> Patrol:
    patrol = patrols_visible(user).select_related("worker").filter(pk=patrol_id).first()
    if patrol is None:
        raise NotFound(_("巡查不存在或无权查看"))
    return patrol


def open_patrol(user: User) -> Patrol | None:
    return Patrol.objects.filter(worker=user, ended_at__isnull=True).first()


def reports_visible(user: User) -> QuerySet[PatrolReport]:
    """The archived reports of the nodes in the user's scope."""
    return in_scope(user, PatrolReport.objects.select_related("node"), "grid_path")


def report_nodes(user: User) -> QuerySet[GridNode]:
    """The streets, communities and grids in the user's scope a report may be drawn up for."""
    return nodes_in_scope(user, REPORT_LEVELS)
