"""原点在线: the residents' mobile app shell (首页 / 消息 / 我的) and its notice pages."""

from django.conf import settings
from django.contrib import messages as flash  # `messages` is the inbox view below
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from wangge import __version__
from wangge.accounts.models import Role, User
from wangge.accounts.services import user_elderly_mode_set, user_guide_seen
from wangge.cases.models import OPEN_STATUSES, Case
from wangge.cases.selectors import access_case, public_board, resident_case_view
from wangge.cases.services import MAX_DESCRIPTION, plain_status
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, cleaned
from wangge.grids.forms import BoxForm, PointForm
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import map_centre
from wangge.mobile.forms import (
    ElderlyModeForm,
    NearbyForm,
    NextForm,
    PrivacyForm,
    ReportWordsForm,
)
from wangge.mobile.modules import tiles
from wangge.mobile.selectors import (
    GridContact,
    address_suggestions,
    base_map,
    micro_grid_by_code,
    micro_grid_of,
    my_grid,
    place_at,
)
from wangge.mobile.services import grid_contacts_shown
from wangge.mobile.signin import resident_login_required
from wangge.notices.models import Offer, ServicePlace
from wangge.notices.selectors import (
    access_notice,
    home_node,
    notices_for,
    places_near,
    with_distance,
)
from wangge.notices.services import notice_mark_read
from wangge.notifications.models import Notification
from wangge.points.models import Account
from wangge.residents.selectors import own_household


def _grid_worker(request: AuthedRequest) -> GridContact | None:
    """长辈版's one-tap call: the resident's own grid worker (the paid 专属客服 of the grid), or
    whoever else looks after the building when the grid has none; the number shown is audited as
    on 我的网格."""
    user = request.user
    micro = micro_grid_of(user)
    if micro is None:
        return None
    contacts = my_grid(viewer=user, micro=micro).contacts
    worker = next((c for c in contacts if c.role == Role.GRID_WORKER), None)
    worker = worker or next(iter(contacts), None)
    if worker is not None:
        grid_contacts_shown(viewer=user, contacts=[worker], ip=request.META.get("REMOTE_ADDR"))
    return worker


@resident_login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "mobile/home.html",
        {
            "tab": "home",
            # 长辈版 puts 有事找支部 first: the one thing an older resident comes to do.
            "tiles": tiles(report_first=user.elderly_mode),
            "home": home_node(user),
            "my_grid_url": reverse("mobile:grid"),
            # Until read or skipped, the home page offers the short guide; 我的 keeps it after.
            "offer_guide": user.guide_seen_at is None,
            # Fewer items per screen in 长辈版.
            "notices": list(notices_for(user)[: 2 if user.elderly_mode else 3]),
            "open_cases": Case.objects.filter(reporter=user, status__in=OPEN_STATUSES).count(),
            "call": _grid_worker(request) if user.elderly_mode else None,
        },
    )


@resident_login_required
def notices(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, notices_for(request.user), 20)
    return render(request, "mobile/notices.html", {"tab": "home", "page": page})


@resident_login_required
def notice(request: AuthedRequest, notice_id: int) -> HttpResponse:
    user = request.user
    found = access_notice(user, notice_id)
    notice_mark_read(user=user, notice=found)
    return render(request, "mobile/notice.html", {"tab": "home", "notice": found})


@resident_login_required
def messages(request: AuthedRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient_id=request.user.pk)
    page = paginate(request, rows, 30)
    return render(request, "mobile/messages.html", {"tab": "messages", "page": page})


def _points(user: User) -> Account | None:
    # Read only: a wallet is opened by the first award, not by looking.
    return Account.objects.filter(kind=Account.Kind.WALLET, owner=user).first()


@resident_login_required
def me(request: AuthedRequest) -> HttpResponse:
    user = request.user
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


def _back_to(request: AuthedRequest, fallback: str) -> str:
    nxt = cleaned(NextForm(request.POST))["next"]
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return reverse(fallback)


@resident_login_required
@require_POST
def elderly_mode(request: AuthedRequest) -> HttpResponse:
    """The 长辈版 switch on the home page and under 我的; remembered on the account."""
    on = cleaned(ElderlyModeForm(request.POST))["on"]
    user_elderly_mode_set(user=request.user, on=on)
    flash.success(request, _("已切换到长辈版") if on else _("已切换到标准版"))
    return redirect(_back_to(request, "mobile:me"))


@resident_login_required
def board(request: AuthedRequest) -> HttpResponse:
    """身边事: problems neighbours chose to make public in the resident's community."""
    home = home_node(request.user)
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


@resident_login_required
def privacy(request: AuthedRequest) -> HttpResponse:
    """我的 → 隐私设置: what neighbours see of me."""
    user = request.user
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
def manifest(request: AuthedRequest) -> HttpResponse:
    return render(request, "mobile/manifest.webmanifest", content_type="application/manifest+json")


@resident_login_required
def report(request: AuthedRequest) -> HttpResponse:
    home = home_node(request.user)
    return render(
        request,
        "mobile/report.html",
        {
            "tab": "home",
            "map_config": {
                "tiles": settings.MAP_TILE_URL,
                "crs": settings.MAP_TILE_CRS,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                # Where the map opens before a pin is set: the resident's own grid.
                "center": map_centre(home),
            },
        },
    )


def service_worker(request: AuthedRequest) -> HttpResponse:
    """Served from /m/ so its scope is the app; the cache name follows the deployed assets."""
    not_saved = reverse("mobile:not-saved")
    response = render(
        request,
        "mobile/sw.js",
        {
            "version": __version__,
            "outbox_js": static("mobile/report_outbox.js"),
            "not_saved": not_saved,
            "logout": reverse("logout"),
            # Staff pages inside the app's scopes (the party committee's desk, a merchant's
            # counter): not the resident app's, so the worker leaves them to the network.
            "staff_only": [reverse("party:staff"), reverse("points:counter")],
            # The app shell: home, the report form, the page a never-opened page falls back to,
            # and every asset they load.
            "shell": [
                "/m/",
                "/m/report/",
                not_saved,
                *(
                    static(asset)
                    for asset in (
                        "icon.svg",
                        "css/wangge.css",
                        "mobile/app.css",
                        "mobile/report_outbox.js",
                        "mobile/frame.js",
                        "mobile/report.js",
                        "mobile/report_map.js",
                        "js/own_base.js",
                        "vendor/leaflet/leaflet.js",
                        "vendor/leaflet/leaflet.css",
                    )
                ),
            ],
        },
        content_type="text/javascript",
    )
    response["Cache-Control"] = "no-cache"
    # One script registered for each of the app's scopes, some outside /m/ (cases mine, circles …).
    response["Service-Worker-Allowed"] = "/"
    return response


def not_saved(request: AuthedRequest) -> HttpResponse:
    """What the service worker shows for a page of the app never opened with signal: that it was
    not kept on the phone, with the way home, never some other page in its place."""
    return render(request, "mobile/not_saved.html", {"tab": ""})


@resident_login_required
def nearby(request: AuthedRequest) -> HttpResponse:
    """附近: from the phone's position if given, else from the resident's home grid."""

    form = NearbyForm(request.GET)
    form.is_valid()  # what reads is kept in cleaned_data, what does not is left out
    d = form.cleaned_data
    lon, lat = d.get("lon"), d.get("lat")
    home = home_node(request.user)
    if (lon is None or lat is None) and home is not None and home.centroid_lon is not None:
        lon, lat = home.centroid_lon, home.centroid_lat
    kind, offer = d.get("kind") or "", d.get("offer") or ""
    page = paginate(request, places_near(lon=lon, lat=lat, kind=kind, offer=offer), 20)
    return render(
        request,
        "mobile/nearby.html",
        {
            "tab": "home",
            "page": page,
            "rows": with_distance(page, lon, lat),
            "kind": kind,
            "kinds": ServicePlace.Kind.choices,
            "offer": offer,
            "offers": Offer.choices,
        },
    )


@resident_login_required
def grid(request: AuthedRequest, code: str = "") -> HttpResponse:
    """我的网格: who looks after my building and how to reach them; another micro-grid's page
    (a neighbour's, say) shows the same people with masked numbers."""
    user = request.user
    micro = micro_grid_by_code(code) if code else micro_grid_of(user)
    if code and micro is None:
        raise Http404
    found = my_grid(viewer=user, micro=micro) if micro is not None else None
    if found is not None and found.is_home and found.contacts:
        grid_contacts_shown(
            viewer=user, contacts=found.contacts, ip=request.META.get("REMOTE_ADDR")
        )
    return render(request, "mobile/grid.html", {"tab": "me", "found": found})


GUIDE_STEPS = 4


@resident_login_required
def guide(request: AuthedRequest) -> HttpResponse:
    """使用指南: four illustrated steps (register, real name, address, report); skippable."""
    if request.method == "POST":
        user_guide_seen(user=request.user)
        return redirect("mobile:home")
    return render(request, "mobile/guide.html", {"tab": "me", "steps": GUIDE_STEPS})


@resident_login_required
def report_where(request: AuthedRequest) -> JsonResponse:
    """The report form asks where a pin is: always an answer (found or not), never a 404, so a
    pin dropped outside every grid says so instead of failing in the console."""
    where = PointForm(request.GET)
    at = where.point()
    if at is None:
        return JsonResponse({"found": False, "detail": _("位置无效")}, status=400)
    return JsonResponse(place_at(lon=at[0], lat=at[1], crs=where.system()))


@resident_login_required
def report_address(request: AuthedRequest) -> JsonResponse:
    words = cleaned(ReportWordsForm(request.GET))
    # The same lengths the report keeps: an address of 200 characters, a description of 4000.
    q = (words.get("q") or "").strip()[:200]
    text = "" if q else (words.get("text") or "").strip()[:MAX_DESCRIPTION]
    if len(q) < 2 and len(text) < 2:
        empty: dict[str, object] = {"kind": "refused", "building": None, "candidates": []}
        return JsonResponse({**empty, "place": None, "grids": []})
    return JsonResponse(address_suggestions(q=q, text=text))


@resident_login_required
def report_base(request: AuthedRequest) -> JsonResponse:
    bbox = BoxForm(request.GET).box()
    if bbox is not None:
        return JsonResponse(base_map(lon=0, lat=0, bbox=bbox))
    at = PointForm(request.GET).point()
    if at is None:
        home = home_node(request.user)
        if home is None or home.centroid_lon is None or home.centroid_lat is None:
            return JsonResponse({"type": "FeatureCollection", "features": []})
        at = (home.centroid_lon, home.centroid_lat)
    return JsonResponse(base_map(lon=at[0], lat=at[1]))


@resident_login_required
def report_done(request: AuthedRequest, case_id: int) -> HttpResponse:
    """After 提交: the number, who will handle it and by when."""
    case = access_case(request.user, case_id)
    return render(
        request,
        "mobile/report_done.html",
        {
            "tab": "home",
            "case": case,
            "status_text": plain_status(case),
            "mine": resident_case_view(case),
        },
    )
