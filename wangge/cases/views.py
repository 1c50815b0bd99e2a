"""Pages of the case loop. Each parses a form, calls one service, and shows the result."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import Role, User
from wangge.cases import selectors, services
from wangge.cases.forms import ACTION_FIELDS, DEFAULT_FIELDS, ActionForm, ReportForm
from wangge.cases.models import Case
from wangge.cases.workflow import ACTION_LABELS, allowed_actions
from wangge.core.calendar import midnight, month_bounds, week_bounds, year_bounds
from wangge.core.dates import optional_date, window_message
from wangge.core.errors import DomainError, NotFound, error_text, json_error
from wangge.core.images import clean_images
from wangge.core.ratelimit import rate_limit
from wangge.grids.models import GridLevel, GridNode

DESK_ROLES = (Role.STREET_DISPATCHER, Role.ADMIN)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_desk(user: User) -> bool:
    return user.is_superuser or user.has_role(*DESK_ROLES)


def _is_handler(user: User) -> bool:
    return user.has_role(
        Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_STAFF, Role.EXCLUSIVE_GRID_LEADER
    )


def _is_department(user: User) -> bool:
    return user.has_role(Role.DEPARTMENT_HANDLER) or user.department_memberships.exists()


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if _is_desk(user):
        return redirect("cases:desk")
    if _is_handler(user):
        return redirect("cases:queue")
    if _is_department(user):
        return redirect("cases:department-queue")
    return redirect("cases:mine")


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    staff = user.is_grid_staff
    form = ReportForm(request.POST or None, request.FILES or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.CaseInput(
            description=d["description"],
            category_code=d["category"],
            address=d["address"],
            lon=d["lon"],
            lat=d["lat"],
            urgency=d["urgency"],
            public_anonymous=d["public_anonymous"],
            public=bool(d.get("public")),
            channel="patrol" if staff else ("snapshot" if request.FILES else "resident"),
        )
        try:
            if not staff:
                rate_limit(request, "case_intake")
            photos = clean_images(request.FILES.getlist("photos"))
            if staff and d.get("on_the_spot"):
                case = services.patrol_self_handle(
                    data=data, actor=user, result=d["result"], photos_after=photos
                )
            else:
                case, _created = services.case_intake(data=data, actor=user, photos=photos)
        except (DomainError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("已提交，编号 %(n)s。%(s)s")
                % {"n": case.number, "s": services.plain_status(case)},
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/report.html", {"form": form, "staff": staff})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = Case.objects.filter(reporter=user).select_related("handling_node", "category")
    page = Paginator(rows.order_by("-created_at"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/mine.html",
        {"page": page, "rows": [(c, services.plain_status(c)) for c in page]},
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (_is_handler(user) or _is_desk(user)):
        return HttpResponseForbidden(_("您没有待办事件"))
    rows = list(selectors.worker_queue(user)[:200])
    return render(request, "cases/queue.html", {"rows": rows, "now": timezone.now()})


@login_required
def department_queue(request: HttpRequest) -> HttpResponse:
    """部门待办: the cases the street whistled to the user's departments."""
    user = _user(request)
    if not _is_department(user):
        return HttpResponseForbidden(_("您不是职能部门承办人"))
    done = request.GET.get("done") == "1"
    rows = selectors.department_queue(user, done=done)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    departments = list(user.departments.order_by("code").values_list("name", flat=True))
    return render(
        request,
        "cases/department_queue.html",
        {"page": page, "done": done, "departments": departments, "now": timezone.now()},
    )


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _is_desk(user):
        return HttpResponseForbidden(_("仅街道城运中心可以使用分拨台"))
    pending = list(selectors.dispatch_queue(user)[:100])
    rows = [(c, selectors.likely_duplicates(user, c, limit=3)) for c in pending]
    return render(request, "cases/desk.html", {"rows": rows})


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_grid_staff:
        return HttpResponseForbidden(_("无权查看督办看板"))
    rows = list(selectors.supervision_board(user).select_related("handling_node")[:300])
    units: dict[str, list[Case]] = {}
    for c in rows:
        units.setdefault(c.handling_node.name if c.handling_node else _("未派单"), []).append(c)
    return render(request, "cases/supervision.html", {"units": units, "now": timezone.now()})


@login_required
def followups(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _is_desk(user):
        return HttpResponseForbidden(_("仅街道城运中心可以回访"))
    rows = list(selectors.followup_queue(user)[:100])
    return render(request, "cases/followups.html", {"rows": rows})


def _node_choices(user: User, case: Case) -> list[tuple[str, str]]:
    return [
        (n.code, f"{'　' * max(n.depth - 1, 0)}{n.name}")
        for n in selectors.dispatch_targets(user, case)
    ]


def _detail_context(
    request: HttpRequest, case: Case, failed: ActionForm | None = None
) -> dict[str, Any]:
    user = _user(request)
    allowed = allowed_actions(case, user)
    choices = _node_choices(user, case) if {"dispatch", "transfer"} & set(allowed) else []
    forms = []
    for action in allowed:
        form = (
            failed
            if failed is not None and failed.data.get("action") == action
            else ActionForm(initial={"action": action}, node_choices=choices)
        )
        fields = ACTION_FIELDS.get(action, DEFAULT_FIELDS)
        forms.append(
            {
                "action": action,
                "label": ACTION_LABELS.get(action, action),
                "form": form,
                "fields": [form[f] for f in fields],
            }
        )
    orphan_errors = (
        list(failed.non_field_errors())
        if failed is not None and failed.data.get("action") not in allowed
        else []
    )
    return {
        "case": case,
        "status_text": services.plain_status(case),
        "forms": forms,
        "action_errors": orphan_errors,
        "events": list(selectors.timeline(case)),
        "photos": list(case.attachments.all()),
        "assistances": list(case.assistances.select_related("department")),
        "duplicates": selectors.likely_duplicates(user, case, limit=3)
        if "merge" in allowed
        else [],
        "now": timezone.now(),
    }


@login_required
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = services.access_case(_user(request), case_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _render_detail(request, case)


def _render_detail(
    request: HttpRequest, case: Case, failed: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    """Staff see the working page; a resident sees their case in plain words in the app."""
    ctx = _detail_context(request, case, failed=failed)
    if _user(request).uses_resident_app:
        ctx["mine"] = selectors.resident_case_view(case)
        ctx["tab"] = "me"
        return render(request, "cases/resident_detail.html", ctx, status=status)
    return render(request, "cases/detail.html", ctx, status=status)


@login_required
@require_POST
def act(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    try:
        case = services.access_case(user, case_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ActionForm(request.POST, request.FILES, node_choices=_node_choices(user, case))
    if form.is_valid():
        d = form.cleaned_data
        params = {
            k: v
            for k, v in d.items()
            if k not in ("action", "note", "photos") and v not in ("", None, [])
        }
        try:
            photos = clean_images(request.FILES.getlist("photos"))
            case = services.case_act(
                case_id=case.pk,
                actor=user,
                action=d["action"],
                note=d["note"],
                params=params,
                photos=photos,
            )
        except (DomainError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request, _("已%(a)s") % {"a": ACTION_LABELS.get(d["action"], d["action"])}
            )
            if services.can_view_now(case, user):
                return redirect("cases:detail", case_id=case.pk)
            return redirect("cases:index")
    case.refresh_from_db()
    return _render_detail(request, case, failed=form, status=422)


@login_required
@require_POST
def unpublish(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        services.case_unpublish(
            case_id=case_id, actor=_user(request), note=request.POST.get("note", "")
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已从身边事撤下"))
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
def reveal_phone(request: HttpRequest, case_id: int) -> HttpResponse:
    """The worker taps “拨打电话”: the full number for the dialler, written to the audit log."""
    user = _user(request)
    try:
        case = services.access_case(user, case_id)
        phone = services.reveal_reporter_phone(
            case=case, actor=user, purpose=_("联系诉求人"), ip=request.META.get("REMOTE_ADDR")
        )
    except DomainError as exc:
        return json_error(exc)
    return JsonResponse({"phone": phone})


def _period(request: HttpRequest) -> tuple[date, date, str]:
    today = timezone.localdate()
    kind = request.GET.get("period", "month")
    start, end = optional_date(request.GET.get("start")), optional_date(request.GET.get("end"))
    if start is not None and end is not None and start < end:
        return start, end, "custom"
    if request.GET.get("start") or request.GET.get("end"):
        # Say so rather than let someone read this month's figures as the range they asked for.
        messages.warning(
            request,
            _("所选日期无效（%(why)s，且结束须晚于开始），已改为按期间显示")
            % {"why": window_message()},
        )
    if kind == "week":
        return (*week_bounds(today), kind)
    if kind == "year":
        return (*year_bounds(today), kind)
    return (*month_bounds(today), "month")


@login_required
def kpi(request: HttpRequest, code: str | None = None) -> HttpResponse:
    user = _user(request)
    if not user.is_grid_staff:
        return HttpResponseForbidden(_("无权查看考核指标"))
    from wangge.grids.selectors import access_node, home_nodes

    if code is None:
        nodes = selectors.home_kpi_units(user)
        if not nodes:
            street = GridNode.objects.filter(
                level=GridLevel.STREET,
                code__in=[c for n in home_nodes(user) for c in n.ancestor_codes()],
            ).first()
            nodes = [street] if street else []
        if not nodes:
            return HttpResponseForbidden(_("无权查看考核指标"))
        return redirect("cases:kpi-node", code=nodes[0].code)
    try:
        node = access_node(user, code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if node.level not in selectors.KPI_LEVELS:
        raise Http404(_("考核指标按街道或全区查看"))
    start, end, kind = _period(request)
    total, rows = selectors.kpis(user=user, parent=node, start=midnight(start), end=midnight(end))
    return render(
        request,
        "cases/kpi.html",
        {
            "node": node,
            "total": total,
            "rows": rows,
            "start": start,
            "end": end,
            "end_inclusive": end - timedelta(days=1),
            "kind": kind,
        },
    )
