"""Patrol pages for the phone: start, the open patrol (track, findings), end; and the list."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import User
from wangge.core.errors import ValidationFailed
from wangge.core.images import clean_images
from wangge.core.paging import paginate
from wangge.core.schemas import read_body, validate_body
from wangge.core.web import AuthedRequest, answers_json, cleaned, download, flash_refusal
from wangge.grids.models import GridNode
from wangge.grids.selectors import access_node
from wangge.patrols import selectors, services
from wangge.patrols.forms import EndForm, FindingForm, ReportForm
from wangge.patrols.models import Hazard, PatrolReport
from wangge.patrols.reports import report_figures, report_pdf, report_xlsx
from wangge.patrols.schemas import PageTrackIn


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.is_grid_staff:
        raise Http404
    page = paginate(request, selectors.patrol_list(user), 30)
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
def start(request: AuthedRequest) -> HttpResponse:
    user = request.user
    with flash_refusal(request):
        patrol = services.patrol_start(actor=user)
        return redirect("patrols:detail", patrol_id=patrol.pk)
    return redirect("patrols:index")


@login_required
def detail(request: AuthedRequest, patrol_id: int) -> HttpResponse:
    user = request.user
    patrol = selectors.access_patrol(user, patrol_id)
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
def end(request: AuthedRequest, patrol_id: int) -> HttpResponse:
    user = request.user
    patrol = selectors.access_patrol(user, patrol_id)
    with flash_refusal(request):
        d = cleaned(EndForm(request.POST))
        services.patrol_end(actor=user, patrol=patrol, summary=d["summary"])
        messages.success(request, _("巡查已结束"))
    return redirect("patrols:detail", patrol_id=patrol.pk)


@login_required
@require_POST
@answers_json
def track(request: AuthedRequest, patrol_id: int) -> HttpResponse:
    """The phone posts its positions while the page is open: {"points": [[iso, lon, lat], …]}."""
    user = request.user
    patrol = selectors.access_patrol(user, patrol_id)
    data, _photos = read_body(request)
    body = validate_body(PageTrackIn, data, lead=_("轨迹数据格式不正确"))
    kept = services.patrol_track(actor=user, patrol=patrol, points=body.points)
    return JsonResponse({"kept": kept})


@login_required
@require_POST
def finding(request: AuthedRequest, patrol_id: int) -> HttpResponse:
    """A finding: reported as a case, or (with 自行处置) fixed on the spot and closed."""
    user = request.user
    patrol = selectors.access_patrol(user, patrol_id)
    with flash_refusal(request):
        d = cleaned(FindingForm(request.POST))
        lon, lat = d["lon"], d["lat"]
        if d["fixed"]:
            f = services.patrol_finding_fix(
                actor=user,
                patrol=patrol,
                hazard=d["hazard"],
                description=d["description"],
                lon=lon,
                lat=lat,
                result=d["result"],
                photos_before=clean_images(request.FILES.getlist("photos")),
                photos_after=clean_images(request.FILES.getlist("photos_after")),
            )
        else:
            f = services.patrol_finding_report(
                actor=user,
                patrol=patrol,
                hazard=d["hazard"],
                description=d["description"],
                lon=lon,
                lat=lat,
                photos=clean_images(request.FILES.getlist("photos")),
            )
        messages.success(request, _("已生成事件 %(n)s") % {"n": f.case.number})
    return redirect("patrols:detail", patrol_id=patrol.pk)


# ---------------------------------------------------------------- 周报告 / 月汇总


def _report_args(asked: ReportForm) -> tuple[str, date]:
    """周报告 or 月汇总, and a day of its period: this week's when not asked for or unreadable
    (the form keeps why)."""
    return asked.value("kind"), asked.value("day") or timezone.localdate()


def _report_node(user: User, code: str) -> GridNode:
    if not user.is_grid_staff:
        raise Http404
    return access_node(user, code)


@login_required
def reports(request: AuthedRequest) -> HttpResponse:
    """The archive of scheduled reports in the caller's subtree, and a report on demand."""
    user = request.user
    if not user.is_grid_staff:
        raise Http404
    asked = ReportForm(request.GET)
    if asked.value("node") and not asked.error:
        kind, day = _report_args(asked)
        return redirect(
            f"{reverse('patrols:report', args=[asked.value('node')])}?kind={kind}&day={day}"
        )
    archive = paginate(request, selectors.reports_visible(user), 30)
    nodes = selectors.report_nodes(user)[:300]
    return render(
        request,
        "patrols/reports.html",
        {
            "archive": archive,
            "nodes": nodes,
            "kinds": PatrolReport.Kind.choices,
            "today": timezone.localdate(),
            "error": asked.error,
        },
        status=asked.status_code,
    )


@login_required
def report(request: AuthedRequest, code: str) -> HttpResponse:
    user = request.user
    node = _report_node(user, code)
    asked = ReportForm(request.GET)
    kind, day = _report_args(asked)
    fig = report_figures(node, kind, day)
    start = date.fromisoformat(fig["start"])
    step = timedelta(days=7) if kind == PatrolReport.Kind.WEEKLY else timedelta(days=1)
    return render(
        request,
        "patrols/report.html",
        {
            "fig": fig,
            "node": node,
            "kind": kind,
            "day": day,
            "previous_day": start - step,
            "next_day": date.fromisoformat(fig["end"]),
            "kinds": PatrolReport.Kind.choices,
            "error": asked.error,
        },
        status=asked.status_code,
    )


@login_required
def report_export(request: AuthedRequest, code: str, fmt: str) -> HttpResponse:
    user = request.user
    node = _report_node(user, code)
    asked = ReportForm(request.GET)
    if asked.error:
        # A file of another period than the one asked for would be a wrong file.
        raise ValidationFailed(asked.error)
    kind, day = _report_args(asked)
    return _download(report_figures(node, kind, day), fmt)


@login_required
def saved_report(request: AuthedRequest, report_id: int, fmt: str) -> HttpResponse:
    user = request.user
    if not user.is_grid_staff:
        raise Http404
    saved = selectors.reports_visible(user).filter(pk=report_id).first()
    if saved is None:
        raise Http404
    return _download(saved.figures, fmt)


def _download(fig: dict[str, object], fmt: str) -> HttpResponse:
    name = f"patrol-{fig['node']['code']}-{fig['kind']}-{fig['start']}"  # type: ignore[index]
    if fmt == "xlsx":
        return download(report_xlsx(fig), f"{name}.xlsx", kind="xlsx")
    if fmt == "pdf":
        return download(report_pdf(fig), f"{name}.pdf", kind="pdf")
    raise Http404
