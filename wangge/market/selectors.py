from collections.abc import Iterable

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import NotFound
from wangge.grids.coords import distance_m
from wangge.grids.models import GridLevel
from wangge.grids.selectors import ancestor, nearness
from wangge.market.models import Listing, ListingPhoto, Reservation
from wangge.notices.selectors import home_node


def listings_browse(
    user: User, *, q: str = "", kind: str = "", scope: str = ""
) -> tuple[QuerySet[Listing], tuple[float, float] | None]:
    """Open listings for a neighbour: by default all of the district, nearest to their home
    first (listings without a place last); `scope` "grid"/"community" narrows to the viewer's
    own grid or community. With the listings, the point distances are measured from."""
    qs: QuerySet[Listing] = Listing.objects.filter(
        status__in=[Listing.Status.OPEN, Listing.Status.RESERVED],
        review=Listing.Review.PUBLISHED,
    )
    if kind in Listing.Kind.values:
        qs = qs.filter(kind=kind)
    if q.strip():
        qs = qs.filter(Q(title__contains=q.strip()) | Q(description__contains=q.strip()))
    home = home_node(user)
    if home is not None and scope in ("grid", "community"):
        # By level, not by depth: a city above the district moves every level one step down.
        level = GridLevel.GRID if scope == "grid" else GridLevel.COMMUNITY
        unit = ancestor(home, level)
        qs = qs.filter(grid_path__startswith=(unit or home).path)
    qs = qs.select_related("owner").prefetch_related("photos")
    if home is None or home.centroid_lon is None or home.centroid_lat is None:
        return qs.order_by("-created_at", "-id"), None
    lon, lat = home.centroid_lon, home.centroid_lat
    return (
        qs.annotate(nearness=nearness(lon, lat)).order_by(
            F("nearness").asc(nulls_last=True), "-created_at", "-id"
        ),
        (lon, lat),
    )


def with_distance(
    listings: Iterable[Listing], near: tuple[float, float] | None
) -> list[tuple[Listing, float | None]]:
    """Each listing with its distance in metres from `near` (None without a point or place)."""
    return [
        (
            r,
            distance_m(near[0], near[1], r.lon, r.lat)
            if near is not None and r.lon is not None and r.lat is not None
            else None,
        )
        for r in listings
    ]


def access_listing(user: User, listing_id: int) -> Listing:
    """A listing as its page shows it: to every signed-in neighbour, except a withdrawn one or
    one content security has not passed (审核中, hidden), which only its owner sees. NotFound
    otherwise."""
    listing = _visible_listing(user, listing_id)
    if listing is None:
        raise NotFound(_("物品不存在或已下架"))
    return listing


def _visible_listing(user: User, listing_id: int) -> Listing | None:
    listing = (
        Listing.objects.select_related("owner")
        .prefetch_related("photos")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None or not user.is_authenticated:
        return None
    if listing.owner_id == user.pk:
        return listing
    if listing.status == Listing.Status.CLOSED or listing.review != Listing.Review.PUBLISHED:
        return None
    return listing


def listing_photo_visible(user: User, name: str) -> bool:
    """The protected media view's question for a listing photo: whoever may open the listing."""
    photo = ListingPhoto.objects.filter(Q(image=name) | Q(thumb=name)).only("listing_id").first()
    return photo is not None and _visible_listing(user, photo.listing_id) is not None


def my_reservation(user: User, listing: Listing) -> Reservation | None:
    return (
        listing.reservations.filter(requester=user)
        .exclude(status="cancelled")
        .order_by("-created_at")
        .first()
    )


def queue_position(reservation: Reservation) -> int:
    return Reservation.objects.filter(
        listing_id=reservation.listing_id, status="queued", created_at__lte=reservation.created_at
    ).count()
