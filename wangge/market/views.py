from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.images import clean_images
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned, flash_refusal
from wangge.market import selectors, services
from wangge.market.forms import BrowseForm, ListingForm, ReservationActionForm
from wangge.market.models import Listing, Reservation


@login_required
def browse(request: AuthedRequest) -> HttpResponse:
    asked = BrowseForm(request.GET)
    q, kind, scope = asked.value("q"), asked.value("kind"), asked.value("scope")
    listings, near = selectors.listings_browse(request.user, q=q, kind=kind, scope=scope)
    page = paginate(request, listings, 20)
    rows = selectors.with_distance(page, near)
    return render(
        request,
        "market/browse.html",
        {
            "tab": "home",
            "page": page,
            "rows": rows,
            "q": q,
            "kind": kind,
            "scope": scope,
            "error": asked.error,
        },
        status=asked.status_code,
    )


@login_required
def post(request: AuthedRequest) -> HttpResponse:
    ctx: dict[str, object] = {
        "tab": "home",
        "values": request.POST,
        "kinds": Listing.Kind.choices,
        "categories": Listing.Category.choices,
        "conditions": Listing.Condition.choices,
    }
    if request.method == "POST":
        with Refusal() as refusal:
            d = cleaned(ListingForm(request.POST))
            listing = services.listing_post(
                owner=request.user,
                kind=d["kind"],
                title=d["title"],
                description=d["description"],
                category=d["category"],
                condition=d["condition"],
                price=d["price"] or Decimal(0),
                pickup_area=d["pickup_area"],
                photos=clean_images(request.FILES.getlist("photos")),
            )
            if listing.is_hidden:
                messages.error(request, listing.review_note or _("内容未通过审核"))
            elif listing.is_under_review:
                messages.info(request, _("已提交，审核通过后邻居们才能看到"))
            else:
                messages.success(request, _("已发布"))
            return redirect("market:detail", listing_id=listing.pk)
        ctx["error"] = refusal.message
    return render(request, "market/post.html", ctx)


@login_required
def detail(request: AuthedRequest, listing_id: int) -> HttpResponse:
    user = request.user
    listing = selectors.access_listing(user, listing_id)
    mine = selectors.my_reservation(user, listing)
    active = (
        listing.reservations.filter(status=Reservation.Status.ACTIVE)
        .select_related("requester")
        .first()
    )
    return render(
        request,
        "market/detail.html",
        {
            "tab": "home",
            "listing": listing,
            "mine": mine,
            "position": selectors.queue_position(mine) if mine and mine.is_queued else None,
            "active": active if listing.owner_id == user.pk else None,
            "queued": listing.reservations.filter(status="queued").count(),
            "completed": listing.reservations.filter(status="completed").first(),
        },
    )


def _act(request: AuthedRequest, listing_id: int, fn: str) -> HttpResponse:
    user = request.user
    with flash_refusal(request):
        if fn == "reserve":
            services.reservation_request(listing_id=listing_id, requester=user)
            messages.success(request, _("已预约"))
            return redirect("market:detail", listing_id=listing_id)
        d = cleaned(ReservationActionForm(request.POST))
        reservation = d["reservation"]
        if fn == "cancel":
            services.reservation_cancel(reservation_id=reservation, user=user)
            messages.success(request, _("已取消预约"))
        elif fn == "confirm":
            services.handover_confirm(reservation_id=reservation, user=user)
            messages.success(request, _("已确认交接"))
        elif fn == "rate":
            services.rating_give(
                reservation_id=reservation,
                rater=user,
                stars=d["stars"] or 0,
                comment=d["comment"],
            )
            messages.success(request, _("感谢评价"))
    return redirect("market:detail", listing_id=listing_id)


@login_required
@require_POST
def act(request: AuthedRequest, listing_id: int, fn: str) -> HttpResponse:
    if fn not in ("reserve", "cancel", "confirm", "rate"):
        raise Http404
    return _act(request, listing_id, fn)
