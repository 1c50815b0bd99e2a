"""城运中心 pages: the dashboard and large screen (read-only), the circular archive."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.models import Role, User
from wangge.accounts.selectors import may_reveal
from wangge.cases import holidays, learning
from wangge.cases.listing import CaseListFilter
from wangge.cases.models import Category, Channel, Status
from wangge.cases.selectors import KPI_LEVELS, CaseFilter, home_kpi_units, kpis
from wangge.cases.tasks import classifier_train_now
from wangge.core import calendar, media
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.models import BackupRestore
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, cleaned, download
from wangge.grids.models import GridNode
from wangge.grids.selectors import access_node, map_centre
from wangge.ops import circle as circle_selectors
from wangge.ops import exports, panels, selectors, services
from wangge.ops import reach as reach_selectors
from wangge.ops import render as ops_render
from wangge.ops.forms import (
    AssessmentForm,
    CaseExportForm,
    CircularForm,
    ExportPeriodForm,
    LiveForm,
)
from wangge.ops.models import Circular
from wangge.video import selectors as video_selectors
from wangge.video.models import CameraUnit


@login_required
def circulars(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.is_grid_staff:
        raise PermissionDenied(_("无权查看通报"))
    page = paginate(request, selectors.circulars_visible(user), 20)
    rows = [(c, ops_render.title_of(c.figures)) for c in page]
    units = []
    if user.is_superuser or user.has_role(*services.ANNOUNCE_ROLES):
        units = home_kpi_units(user)
    return render(
        request,
        "ops/circulars.html",
        {
            "page": page,
            "rows": rows,
            "circular_kinds": Circular.Kind,
            "units": units,
            "last_year": timezone.localdate().year - 1,
            # The form's day: one of last week, the week the Monday job makes.
            "last_week": timezone.localdate() - timedelta(days=7),
        },
    )


@login_required
@require_http_methods(["POST"])
def assessment_generate(request: AuthedRequest) -> HttpResponse:
    """On demand: (re)generate a year's assessment of the communities of a street or the
    district the caller holds as dispatcher or administrator; it lands in the archive and inbox."""
    user = request.user
    form = AssessmentForm(request.POST)
    form.is_valid()
    node = _unit(request, form.cleaned_data.get("code", ""))
    if not (user.is_superuser or user.has_role(*services.ANNOUNCE_ROLES)):
        raise PermissionDenied(_("无权生成年度考核"))
    year = form.cleaned_data.get("year") or 0
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year:
        messages.error(request, _("年度无效，请填写 2000 至 %(y)s 之间的年份") % {"y": this_year})
        return redirect("ops:circulars")
    circular = services.assessment_generate(node=node, year=year)
    messages.success(request, _("已生成：%(t)s") % {"t": ops_render.title_of(circular.figures)})
    return redirect("ops:circulars")


@login_required
@require_http_methods(["POST"])
def circular_make(request: AuthedRequest) -> HttpResponse:
    """生成通报: a street's (or the district's) weekly or monthly circular made now, for a
    period that has ended, by its dispatcher or an administrator; it replaces an earlier run
    for the same period and lands in the archive and the unit's inbox, as the Monday job's.
    Made in the request: a unit's week is a second or two (the whole district's fifteen took
    two seconds on the demo), not worth a queue the dispatcher would have to wait on."""
    user = request.user
    form = CircularForm(request.POST)
    form.is_valid()
    node = _unit(request, form.cleaned_data.get("code", ""))
    if not (user.is_superuser or user.has_role(*services.ANNOUNCE_ROLES)):
        raise PermissionDenied(_("无权生成通报"))
    if form.errors:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("ops:circulars")
    kind, day = form.cleaned_data["kind"], form.cleaned_data["day"]
    start, end = (
        calendar.month_bounds(day) if kind == Circular.Kind.MONTHLY else calendar.week_bounds(day)
    )
    if end > timezone.localdate():
        messages.error(
            request,
            _("%(start)s 起的这一期还没有结束（截至 %(last)s），只能生成已结束的一周或一月。")
            % {"start": start, "last": end - timedelta(days=1)},
        )
        return redirect("ops:circulars")
    replaced = Circular.objects.filter(kind=kind, node=node, period_start=start).exists()
    circular = services.circular_generate(node=node, kind=kind, start=start)
    title = ops_render.title_of(circular.figures)
    messages.success(
        request,
        (_("已重新生成：%(t)s（替换了之前的版本）") if replaced else _("已生成：%(t)s"))
        % {"t": title},
    )
    return redirect("ops:circulars")


@login_required
def circular_download(request: AuthedRequest, circular_id: int, fmt: str) -> HttpResponseBase:
    """A circular's PDF or Excel under its title; one outside the user's units does not exist
    for them. The bytes leave as every stored file does (nginx, Django or a signed S3 URL)."""
    circular = selectors.circulars_visible(request.user).filter(pk=circular_id).first()
    if circular is None or fmt not in ("pdf", "xlsx"):
        raise Http404(_("通报不存在或无权查看"))
    field = circular.pdf if fmt == "pdf" else circular.xlsx
    name = f"{ops_render.title_of(circular.figures)}.{fmt}"
    try:
        return media.serve(field.name or "", download_name=name)
    except FileNotFoundError as exc:
        raise Http404(_("通报不存在或无权查看")) from exc


def _home_unit(user: User) -> GridNode | None:
    """The street or district a person's dashboard opens on: the highest they hold."""
    nodes = home_kpi_units(user)
    return min(nodes, key=lambda n: len(n.path)) if nodes else None


def _unit(request: AuthedRequest, code: str) -> GridNode:
    """A street or district in the user's scope; anything else does not exist for them."""
    node = access_node(request.user, code)
    if node.level not in KPI_LEVELS:
        raise Http404(_("城运中心按街道或全区查看"))
    return node


def _chart_options(data: dict[str, Any]) -> dict[str, Any]:
    """ECharts options, built here so the page script only hands them to echarts.init."""
    trend, cats = data["trend"], data["categories"]
    return {
        "trend": {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [_("受理"), _("办结")]},
            "grid": {"left": 40, "right": 16, "top": 36, "bottom": 28},
            "xAxis": {"type": "category", "data": trend["weeks"]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {
                    "name": _("受理"),
                    "type": "bar",
                    "data": trend["received"],
                    "color": "#b71c1c",
                    "barMaxWidth": 28,
                },
                {"name": _("办结"), "type": "line", "data": trend["resolved"], "color": "#2471a3"},
            ],
        },
        "categories": {
            "tooltip": {"trigger": "item"},
            "grid": {"left": 96, "right": 24, "top": 8, "bottom": 24},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {
                "type": "category",
                "inverse": True,
                "data": [c["name"] for c in cats],
            },
            "series": [
                {
                    "type": "bar",
                    "data": [c["value"] for c in cats],
                    "color": "#d35400",
                    "barMaxWidth": 24,
                },
            ],
        },
    }


def _dashboard_context(request: AuthedRequest, node: GridNode) -> dict[str, Any]:
    data = selectors.dashboard(user=request.user, node=node)
    data["charts"] = _chart_options(data)
    data["units_json"] = data["units"]
    user = request.user
    data["may_reveal"] = may_reveal(user)
    data["statuses"] = Status.choices
    data["channels"] = Channel.choices
    data["categories_all"] = Category.objects.filter(is_active=True).order_by("code")
    # Deadlines are only as right as the holiday years loaded: the years for everyone, the red
    # warning for those who can load the next one.
    data["calendar"] = holidays.coverage(timezone.localdate(data["now"]))
    data["calendar_admin"] = user.is_superuser or (user.is_staff and user.has_role(Role.ADMIN))
    data["reach"] = reach_selectors.reach(user, node, weeks=0).unit
    data["classifier"] = learning.model_status(node.path)
    data["classifier_admin"] = data["calendar_admin"]
    # After `wangge restore` what was entered since that backup is gone: the page says so.
    data["restored"] = BackupRestore.last()
    # 鹰眼: the camera layer's switch where the viewer's grids hold cameras.
    cameras = video_selectors.cameras_visible(user).filter(
        facility__grid_path__startswith=node.path
    )
    data["camera_units"] = CameraUnit.choices if cameras.exists() else []
    data["video_pending"] = (
        video_selectors.alerts_pending(user).filter(grid_path__startswith=node.path).count()
    )
    return data


@login_required
@require_http_methods(["POST"])
def classifier_train(request: AuthedRequest) -> HttpResponse:
    """立即训练: the category model's job queued now, instead of waiting for the night."""
    user = request.user
    if not (user.is_superuser or (user.is_staff and user.has_role(Role.ADMIN))):
        raise PermissionDenied(_("只有系统管理员可以训练分类模型"))
    classifier_train_now()
    messages.success(
        request, _("已开始训练分类模型；新模型优于在用模型时会自动启用，结果见本页“自动分类”")
    )
    return redirect("ops:index")


@login_required
def dashboard_home(request: AuthedRequest, screen: bool = False) -> HttpResponse:
    user = request.user
    node = _home_unit(user) if user.is_grid_staff else None
    if node is None:
        raise PermissionDenied(_("城运中心仅供街道和区的工作人员使用"))
    return redirect("ops:screen" if screen else "ops:dashboard", code=node.code)


@login_required
def dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    node = _unit(request, code)
    return render(request, "ops/dashboard.html", _dashboard_context(request, node))


@login_required
def screen(request: AuthedRequest, code: str) -> HttpResponse:
    node = _unit(request, code)
    return render(request, "ops/screen.html", _dashboard_context(request, node))


@login_required
def live(request: AuthedRequest, code: str) -> HttpResponse:
    """The live counts alone, polled by htmx every 60 s."""
    node = _unit(request, code)
    counts = selectors.live_counts(user=request.user, node=node)
    big = LiveForm(request.GET).value("screen")
    return render(request, "ops/_live.html", {"node": node, "live": counts, "screen": big})


def _case_filter(params: QueryDict) -> CaseFilter:
    """The case list's filters, read as /api/v1/cases and the desk read them (cases.listing);
    a value that cannot be read is refused, never an export of every case."""
    listed = CaseListFilter(params)
    if not listed.is_valid():
        raise ValidationFailed(listed.first_error())
    return listed.case_filter()


@login_required
@require_http_methods(["GET", "POST"])
def export_cases(request: AuthedRequest) -> HttpResponse:
    """GET: a masked export (safe to link to). POST with 含完整电话 ticked: full phones, for a
    role that may see them, audited. A role that may not gets a 403, not a silent masking."""
    user = request.user
    if not user.is_grid_staff:
        raise PermissionDenied(_("无权导出事件"))
    params = request.POST if request.method == "POST" else request.GET
    full_phone = request.method == "POST" and cleaned(CaseExportForm(params))["full_phone"]
    content = services.case_export(
        actor=user,
        filters=_case_filter(params),
        full_phone=full_phone,
        ip=request.META.get("REMOTE_ADDR"),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(content, kind="xlsx", filename=f"{_('事件清单')}-{stamp}.xlsx")


def _export_period(request: AuthedRequest) -> tuple[GridNode, date, date]:
    """The unit (default: the user's own) and [start, end) (default: this month) of an export."""
    user = request.user
    asked = ExportPeriodForm(request.GET)
    if asked.error:
        # An export of another period than the one asked for would be a wrong file.
        raise ValidationFailed(asked.error)
    code = asked.value("code")
    if not code:
        home = _home_unit(user) if user.is_grid_staff else None
        if home is None:
            raise PermissionDenied(_("无权导出考核指标"))
        code = home.code
    node = _unit(request, code)
    month_start, month_end = calendar.month_bounds(timezone.localdate())
    start = asked.value("start") or month_start
    end = asked.value("end") or month_end
    if end <= start:
        raise Http404(_("统计期无效"))
    return node, start, end


@login_required
def export_departments(request: AuthedRequest) -> HttpResponse:
    """吹哨报到 department performance of a street or the district over [start, end)."""
    node, start, end = _export_period(request)
    rows = panels.department_performance(
        user=request.user,
        node=node,
        start=calendar.midnight(start),
        end=calendar.midnight(end),
    )
    last_day = end - timedelta(days=1)
    content = exports.departments_xlsx(name=node.name, start=start, last_day=last_day, rows=rows)
    return download(
        content,
        kind="xlsx",
        filename=f"{node.name}{_('部门履职')}-{start:%Y%m%d}-{last_day:%Y%m%d}.xlsx",
    )


@login_required
def export_kpi(request: AuthedRequest) -> HttpResponse:
    """The KPI table of a street or the district (default: the user's own) over [start, end);
    default this month."""
    node, start, end = _export_period(request)
    total, rows = kpis(
        user=request.user,
        parent=node,
        start=calendar.midnight(start),
        end=calendar.midnight(end),
    )
    last_day = end - timedelta(days=1)
    content = exports.kpi_xlsx(
        name=node.name, start=start, last_day=last_day, total=total, rows=rows
    )
    return download(
        content,
        kind="xlsx",
        filename=f"{node.name}{_('考核指标')}-{start:%Y%m%d}-{last_day:%Y%m%d}.xlsx",
    )


@login_required
def reach(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    """认证率 and 知晓率 of a unit and its units, the weekly trend, and who is not yet reached
    (masked as on the register; a person's page reveals, audited)."""
    node = reach_selectors.reach_unit(request.user, code)
    report = reach_selectors.reach(request.user, node)
    people = reach_selectors.not_yet_verified(request.user, node)
    return render(
        request,
        "ops/reach.html",
        {
            "node": node,
            "report": report,
            "page": paginate(request, people),
            "adult_age": settings.REACH_ADULT_AGE,
        },
    )


@login_required
def service_circle(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    """The 10-minute 党群服务圈 of a unit: households reached and not, per unit below it, and
    the buildings outside every circle on a map and in a list."""
    node = circle_selectors.circle_unit(request.user, code)
    report = circle_selectors.circle(request.user, node)
    return render(
        request,
        "ops/circle.html",
        {
            "node": node,
            "report": report,
            "page": paginate(request, report.gaps, 30),
            "map_data": {
                "metres": report.metres,
                "by_road": report.by_road,
                "centre": map_centre(node),
                "places": [{"name": p.name, "lon": p.lon, "lat": p.lat} for p in report.places],
                "gaps": [
                    {
                        "address": g.address,
                        "lon": g.lon,
                        "lat": g.lat,
                        "n": g.households,
                        "away": _("步行 %(m)s 米") % {"m": g.nearest_m}
                        if g.by_road and g.nearest_m is not None
                        else "",
                    }
                    for g in report.gaps
                ],
            },
        },
    )
