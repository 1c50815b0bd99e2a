"""Every write of 乐享闲置: posting, reserving (with a queue), handing over, rating, expiry. A new
listing is shown to neighbours once content security (wangge.moderation) has passed it."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.images import CleanImage, store_image
from wangge.market.models import (
    RESERVATION_HOLD,
    Listing,
    ListingPhoto,
    ProhibitedItem,
    Rating,
    Reservation,
)
from wangge.moderation import services as moderation
from wangge.moderation.models import Kind, Scene
from wangge.notices.selectors import home_node
from wangge.notifications.services import notify


def prohibited_words(text: str) -> list[str]:
    words = ProhibitedItem.objects.values_list("word", flat=True)
    return [w for w in words if w and w in text]


@transaction.atomic
def listing_post(
    *,
    owner: User,
    kind: str,
    title: str,
    description: str = "",
    category: str = "other",
    condition: str = "",
    price: Decimal = Decimal(0),
    pickup_area: str = "",
    photos: Sequence[CleanImage] = (),
) -> Listing:
    title = title.strip()
    if not title:
        raise ValidationFailed(_("请填写标题"))
    if price < 0:
        raise ValidationFailed(_("价格不能为负数"))
    hits = prohibited_words(f"{title} {description}")
    if hits:
        raise ValidationFailed(_("含有禁止交易的物品：%(w)s") % {"w": "、".join(hits)})
    home = home_node(owner)
    listing = Listing.objects.create(
        owner=owner,
        kind=kind,
        title=title[:60],
        description=description.strip(),
        category=category,
        condition=condition,
        price=price,
        pickup_area=pickup_area.strip()[:100],
        grid_path=home.path if home else "",
        lon=home.centroid_lon if home else None,
        lat=home.centroid_lat if home else None,
        review=Listing.Review.PENDING,
    )
    rows = []
    for p in photos:
        row = ListingPhoto(listing=listing)
        store_image(row, p)
        rows.append(moderation.Photo("market.ListingPhoto", row.pk))
    words = [listing.title, listing.description, listing.pickup_area]
    moderation.content_submit(
        kind=Kind.LISTING,
        object_id=listing.pk,
        author=owner,
        grid_path=listing.grid_path,
        scene=Scene.FORUM,
        text="\n".join(w for w in words if w),
        photos=rows,
    )
    listing.refresh_from_db(fields=["review", "review_note"])
    return listing


def listing_publish(listing_id: int) -> None:
    """Content security passed the listing: neighbours see it."""
    Listing.objects.filter(pk=listing_id, review=Listing.Review.PENDING).update(
        review=Listing.Review.PUBLISHED
    )


def listing_hide(listing_id: int, reason: str) -> None:
    Listing.objects.filter(pk=listing_id, review=Listing.Review.PENDING).update(
        review=Listing.Review.HIDDEN, review_note=reason[:200]
    )


def _activate(reservation: Reservation, now: datetime) -> None:
    reservation.status = Reservation.Status.ACTIVE
    reservation.active_until = now + RESERVATION_HOLD
    reservation.save(update_fields=["status", "active_until"])
    notify(
        recipients=[reservation.requester],
        title=_("轮到您了：%(t)s") % {"t": reservation.listing.title},
        body=_("请在 48 小时内与发布人约好交接"),
        link=f"/market/{reservation.listing_id}/",
        topic=f"listing:{reservation.listing_id}",
    )


@transaction.atomic
def reservation_request(*, listing_id: int, requester: User) -> Reservation:
    """Ask for an item: active at once if nobody holds it, else in line. The listing row is
    locked, so two neighbours tapping at once get one hold and one place in line."""
    listing = Listing.objects.select_for_update().filter(pk=listing_id).first()
    if (
        listing is None
        or listing.kind != Listing.Kind.OFFER
        or listing.review != Listing.Review.PUBLISHED
    ):
        raise ValidationFailed(_("该物品不存在"))
    if listing.owner_id == requester.pk:
        raise ValidationFailed(_("不能预约自己发布的物品"))
    if listing.status not in (Listing.Status.OPEN, Listing.Status.RESERVED):
        raise Conflict(_("该物品已交接或下架"))
    existing = listing.reservations.filter(
        requester=requester, status__in=["queued", "active"]
    ).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            reservation = Reservation.objects.create(listing=listing, requester=requester)
    except IntegrityError as exc:
        raise Conflict(_("您已预约该物品")) from exc
    if not listing.reservations.filter(status=Reservation.Status.ACTIVE).exists():
        _activate(reservation, now)
        Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.RESERVED)
        notify(
            recipients=[listing.owner],
            title=_("有人预约了：%(t)s") % {"t": listing.title},
            link=f"/market/{listing.pk}/",
            topic=f"listing:{listing.pk}",
        )
    return reservation


def _promote_next(listing: Listing, now: datetime) -> None:
    nxt = (
        listing.reservations.filter(status=Reservation.Status.QUEUED)
        .order_by("created_at", "id")
        .first()
    )
    if nxt is None:
        Listing.objects.filter(pk=listing.pk, status=Listing.Status.RESERVED).update(
            status=Listing.Status.OPEN
        )
        return
    _activate(nxt, now)


@transaction.atomic
def reservation_cancel(*, reservation_id: int, user: User) -> None:
    r = (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("listing")
        .filter(pk=reservation_id)
        .first()
    )
    if r is None or user.pk not in (r.requester_id, r.listing.owner_id):
        raise PermissionDenied(_("无权取消该预约"))
    if r.status not in (Reservation.Status.QUEUED, Reservation.Status.ACTIVE):
        raise Conflict(_("该预约已结束"))
    was_active = r.status == Reservation.Status.ACTIVE
    r.status = Reservation.Status.CANCELLED
    r.save(update_fields=["status"])
    if was_active:
        Listing.objects.select_for_update().get(pk=r.listing_id)
        _promote_next(r.listing, timezone.now())


@transaction.atomic
def handover_confirm(*, reservation_id: int, user: User) -> Reservation:
    """Both sides confirm the handover; when both have, the item is gone."""
    r = (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("listing")
        .filter(pk=reservation_id)
        .first()
    )
    if r is None or user.pk not in (r.requester_id, r.listing.owner_id):
        raise PermissionDenied(_("无权确认该交接"))
    if r.status != Reservation.Status.ACTIVE:
        raise Conflict(_("只有预约中的物品可以确认交接"))
    now = timezone.now()
    if user.pk == r.listing.owner_id:
        r.owner_confirmed_at = r.owner_confirmed_at or now
    else:
        r.requester_confirmed_at = r.requester_confirmed_at or now
    if r.owner_confirmed_at and r.requester_confirmed_at:
        r.status = Reservation.Status.COMPLETED
        Listing.objects.filter(pk=r.listing_id).update(status=Listing.Status.HANDED_OVER)
        r.listing.reservations.filter(status=Reservation.Status.QUEUED).update(
            status=Reservation.Status.CANCELLED
        )
    r.save()
    return r


@transaction.atomic
def rating_give(*, reservation_id: int, rater: User, stars: int, comment: str = "") -> Rating:
    r = Reservation.objects.select_related("listing").filter(pk=reservation_id).first()
    if (
        r is None
        or r.status != Reservation.Status.COMPLETED
        or rater.pk not in (r.requester_id, r.listing.owner_id)
    ):
        raise PermissionDenied(_("交接完成后才能评价"))
    if not 1 <= stars <= 5:
        raise ValidationFailed(_("评分为 1 到 5 星"))
    rated_id = r.listing.owner_id if rater.pk == r.requester_id else r.requester_id
    try:
        with transaction.atomic():
            return Rating.objects.create(
                reservation=r,
                rater=rater,
                rated_id=rated_id,
                stars=stars,
                comment=comment.strip()[:200],
            )
    except IntegrityError as exc:
        raise Conflict(_("您已评价过")) from exc


def reservations_expire(now: datetime | None = None) -> int:
    """Holds past 48 hours pass to the next in line. Each is ended with a conditional UPDATE, so
    two workers running this at once pass each hold on once."""
    now = now or timezone.now()
    done = 0
    for pk in Reservation.objects.filter(
        status=Reservation.Status.ACTIVE, active_until__lte=now
    ).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            if not Reservation.objects.filter(pk=pk, status=Reservation.Status.ACTIVE).update(
                status=Reservation.Status.EXPIRED
            ):
                continue
            r = Reservation.objects.select_related("listing").get(pk=pk)
            Listing.objects.select_for_update().get(pk=r.listing_id)
            notify(
                recipients=[r.requester],
                title=_("预约已过期：%(t)s") % {"t": r.listing.title},
                link=f"/market/{r.listing_id}/",
                topic=f"listing:{r.listing_id}",
            )
            _promote_next(r.listing, now)
            done += 1
    return done
