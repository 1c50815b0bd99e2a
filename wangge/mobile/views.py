"""原点在线: the residents' mobile app shell (首页 / 消息 / 我的) and its notice pages."""

from typing import TYPE_CHECKING

from django.contrib import messages as flash  # `messages` is the inbox view below
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from wangge.accounts.models import User
from wangge.cases.models import OPEN_STATUSES, Case
from wangge.core.paging import paginate
from wangge.mobile.forms import PrivacyForm
from wangge.mobile.modules import tiles
from wangge.notices.selectors import access_notice, home_node, notices_for
from wangge.notices.services import notice_mark_read
from wangge.notifications.models import Notification
from wangge.residents.selectors import own_household

if TYPE_CHECKING:
    from wangge.points.models import Account


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "mobile/home.html",
        {
            "tab": "home",
            "tiles": tiles(),
            "home": home_node(user),
            "notices": list(notices_for(user)[:3]),
            "open_cases": Case.objects.filter(reporter=user, status__in=OPEN_STATUSES).count(),
        },
    )


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    page = paginate(request, notices_for(_user(request)), 20)
    return render(request, "mobile/notices.html", {"tab": "home", "page": page})


@login_required
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = _user(request)
    found = access_notice(user, notice_id)
    if found is None:
        raise Http404
    notice_mark_read(user=user, notice=found)
    return render(request, "mobile/notice.html", {"tab": "home", "notice": found})


@login_required
def messages(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient_id=request.user.pk)
    page = paginate(request, rows, 30)
    return render(request, "mobile/messages.html", {"tab": "messages", "page": page})


def _points(user: User) -> "Account | None":
    from wangge.points.models import Account

    # Read only: a wallet is opened by the first award, not by looking.
    return Account.objects.filter(kind=Account.Kind.WALLET, owner=user).first()


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    household, members = own_household(user)
    return render(
        request,
        "mobile/me.html",
        {
            "tab": "me",
            "home": home_node(user),
            "claims": user.residence_claims.select_related("building")[:3],
            "pending_claim": user.residence_claims.filter(status="pending").exists(),
            "household": household,
            "members": members,
            "wallet": _points(user),
            "grants": user.grants.select_related("node").order_by("role"),
        },
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """身边事: problems neighbours chose to make public in the resident's community."""
    from wangge.cases.selectors import public_board
    from wangge.cases.services import plain_status
    from wangge.grids.models import GridLevel, GridNode

    home = home_node(_user(request))
    community = None
    if home is not None:
        community = (
            GridNode.objects.filter(path__in=home.ancestor_paths(), level=GridLevel.COMMUNITY)
            .only("path", "name")
            .first()
        )
    page = paginate(request, public_board(community), 20)
    return render(
        request,
        "mobile/board.html",
        {
            "tab": "home",
            "community": community,
            "page": page,
            "rows": [(c, plain_status(c)) for c in page],
        },
    )


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    """我的 → 隐私设置: what neighbours see of me."""
    user = _user(request)
    form = PrivacyForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        flash.success(request, _("隐私设置已保存"))
        return redirect("mobile:me")
    return render(
        request,
        "mobile/privacy.html",
        {"tab": "me", "form": form},
        status=422 if request.method == "POST" else 200,
    )


@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    return render(request, "mobile/manifest.webmanifest", content_type="application/manifest+json")


@login_required
def report(request: HttpRequest) -> HttpResponse:
    return render(request, "mobile/report.html", {"tab": "home"})


def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /m/ so its scope is the app; the cache name follows the deployed assets."""
    from django.templatetags.static import static

    from wangge import __version__

    response = render(
        request,
        "mobile/sw.js",
        {
            "version": __version__,
            "css": static("css/wangge.css"),
            "report_js": static("mobile/report.js"),
        },
        content_type="text/javascript",
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/m/"
    return response


@login_required
def nearby(request: HttpRequest) -> HttpResponse:
    """附近: from the phone's position if given, else from the resident's home grid."""
    from wangge.notices.models import ServicePlace
    from wangge.notices.selectors import places_near, with_distance

    def number(name: str, low: float, high: float) -> float | None:
        try:
            value = float(request.GET.get(name, ""))
        except ValueError:
            return None
        return value if low <= value <= high else None

    lon, lat = number("lon", -180, 180), number("lat", -90, 90)
    home = home_node(_user(request))
    if (lon is None or lat is None) and home is not None and home.centroid_lon is not None:
        lon, lat = home.centroid_lon, home.centroid_lat
    kind = request.GET.get("kind", "")
    if kind not in ServicePlace.Kind.values:
        kind = ""
    page = paginate(request, places_near(lon=lon, lat=lat, kind=kind), 20)
    return render(
        request,
        "mobile/nearby.html",
        {
            "tab": "home",
            "page": page,
            "rows": with_distance(page, lon, lat),
            "kind": kind,
            "kinds": ServicePlace.Kind.choices,
        },
    )
