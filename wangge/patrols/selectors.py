"""Reads of patrols, through the acting user's grid scope."""

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope
from wangge.patrols.models import Patrol


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
