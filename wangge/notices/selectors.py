"""Which notices reach whom."""

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope
from wangge.grids.coords import distance_m
from wangge.grids.models import GridNode
from wangge.grids.selectors import nearness
from wangge.notices.models import Notice, NoticeRead, Offer, ServicePlace

HOME_ROLES = (Role.RESIDENT, Role.PARTY_MEMBER, Role.MICRO_GRID_LEADER)


def home_node(user: User) -> GridNode | None:
    """Where a person lives: the node of their resident (or party member) grant."""
    grant = (
        user.grants.filter(role__in=HOME_ROLES)
        .select_related("node")
        .order_by("role", "pk")
        .first()
        if user.is_authenticated
        else None
    )
    return grant.node if grant else None


def _live(qs: QuerySet[Notice]) -> QuerySet[Notice]:
    now = timezone.now()
    return qs.filter(withdrawn_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def notices_for(user: User) -> QuerySet[Notice]:
    """Live notices that reach the user's home, pinned first then newest, with `is_read`."""
    home = home_node(user)
    if home is None:
        return Notice.objects.none()
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
    return (
        _live(Notice.objects.filter(grid_path__in=home.ancestor_paths()))
        .select_related("node")  # each row names its grid
        .annotate(is_read=Exists(read))
    )


def access_notice(user: User, notice_id: int) -> Notice:
    """A notice that reaches the user (or, for staff, one published in their subtree), or
    NotFound."""
    notice = notices_for(user).filter(pk=notice_id).first()
    if notice is None and user.is_authenticated:
        # Staff may open what they published to their own subtree.
        notice = in_scope(user, Notice.objects.filter(pk=notice_id), "grid_path").first()
    if notice is None:
        raise NotFound(_("通知不存在或已过期"))
    return notice


def notices_published(user: User) -> QuerySet[Notice]:
    """For staff: notices within their subtree, with how many people have read each."""
    return (
        in_scope(user, Notice.objects.all(), "grid_path")
        .select_related("node", "published_by")
        .annotate(read_count=Count("reads"))
        # An aggregate drops Meta.ordering; pages need a stable order.
        .order_by("-pinned", "-published_at", "-id")
    )


def places_near(
    *, lon: float | None, lat: float | None, kind: str = "", offer: str = ""
) -> QuerySet[ServicePlace]:
    """Active places (of a kind, offering one of the 八可 when asked): within about 5 km and
    nearest first when a position is known, else all of them by kind and name. The database
    orders them, so the list pages."""
    qs = ServicePlace.objects.filter(is_active=True).select_related("node")
    if kind:
        qs = qs.filter(kind=kind)
    if offer in Offer.values:
        # The list's JSON text holds the value in quotes: a LIKE every database can run (the
        # JSON `contains` lookup is PostgreSQL's only).
        qs = qs.filter(services__icontains=f'"{offer}"')
    if lon is None or lat is None:
        return qs
    box = qs.filter(lon__range=(lon - 0.06, lon + 0.06), lat__range=(lat - 0.045, lat + 0.045))
    return box.annotate(nearness=nearness(lon, lat)).order_by("nearness", "name", "pk")


def with_distance(
    places: Iterable[ServicePlace], lon: float | None, lat: float | None
) -> list[tuple[ServicePlace, float | None]]:
    """Each place with its distance in metres from (lon, lat), None without a position."""
    if lon is None or lat is None:
        return [(p, None) for p in places]
    return [(p, distance_m(lon, lat, p.lon, p.lat)) for p in places]
