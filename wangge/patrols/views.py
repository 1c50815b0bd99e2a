"""Patrol pages for the phone: start, the open patrol (track, findings), end; and the list."""

import json
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import User
from wangge.core.errors import DomainError, NotFound, ValidationFailed
from wangge.core.images import clean_images
from wangge.patrols import selectors, services
from wangge.patrols.models import Hazard, Patrol


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _access(user: User, patrol_id: int) -> Patrol:
    try:
        return selectors.access_patrol(user, patrol_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_grid_staff:
        raise Http404
    page = Paginator(selectors.patrol_list(user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "patrols/index.html",
        {
            "page": page,
            "open_patrol": selectors.open_patrol(user),
            "may_patrol": user.has_role(*services.PATROL_ROLES),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        patrol = services.patrol_start(actor=user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("patrols:index")
    return redirect("patrols:detail", patrol_id=patrol.pk)


@login_required
def detail(request: HttpRequest, patrol_id: int) -> HttpResponse:
    user = _user(request)
    patrol = _access(user, patrol_id)
    findings = list(patrol.findings.select_related("case"))
    points = list(patrol.points.values_list("lon", "lat"))
    return render(
        request,
        "patrols/detail.html",
        {
            "patrol": patrol,
            "findings": findings,
            "n_points": len(points),
            "hazards": Hazard.choices,
            "mine": patrol.worker_id == user.pk and patrol.is_open,
        },
    )


@login_required
@require_POST
def end(request: HttpRequest, patrol_id: int) -> HttpResponse:
    user = _user(request)
    patrol = _access(user, patrol_id)
    try:
        services.patrol_end(actor=user, patrol=patrol, summary=request.POST.get("summary", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("巡查已结束"))
    return redirect("patrols:detail", patrol_id=patrol.pk)


@login_required
@require_POST
def track(request: HttpRequest, patrol_id: int) -> HttpResponse:
    """The phone posts its positions while the page is open: {"points": [[iso, lon, lat], …]}."""
    user = _user(request)
    patrol = _access(user, patrol_id)
    try:
        body = json.loads(request.body or b"{}")
        points = [(datetime.fromisoformat(t), float(x), float(y)) for t, x, y in body["points"]]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": _("轨迹数据格式不正确")}, status=422)
    try:
        kept = services.patrol_track(actor=user, patrol=patrol, points=points)
    except DomainError as exc:
        return JsonResponse(
            {"detail": exc.message},
            status=exc.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse({"kept": kept})


@login_required
@require_POST
def finding(request: HttpRequest, patrol_id: int) -> HttpResponse:
    """A finding: reported as a case, or (with 自行处置) fixed on the spot and closed."""
    user = _user(request)
    patrol = _access(user, patrol_id)
    p = request.POST
    try:
        try:
            lon, lat = float(p.get("lon", "")), float(p.get("lat", ""))
        except ValueError:
            raise ValidationFailed(_("未获取到位置，请允许定位后重试")) from None
        if p.get("fixed") == "1":
            f = services.patrol_finding_fix(
                actor=user,
                patrol=patrol,
                hazard=p.get("hazard", ""),
                description=p.get("description", ""),
                lon=lon,
                lat=lat,
                result=p.get("result", ""),
                photos_before=clean_images(request.FILES.getlist("photos")),
                photos_after=clean_images(request.FILES.getlist("photos_after")),
            )
        else:
            f = services.patrol_finding_report(
                actor=user,
                patrol=patrol,
                hazard=p.get("hazard", ""),
                description=p.get("description", ""),
                lon=lon,
                lat=lat,
                photos=clean_images(request.FILES.getlist("photos")),
            )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("patrols:detail", patrol_id=patrol.pk)
    messages.success(request, _("已生成事件 %(n)s") % {"n": f.case.number})
    return redirect("patrols:detail", patrol_id=patrol.pk)
