"""Pages of the case loop: the start page, reporting, each role's list, the dispatcher's desk
and the KPI table; the case page and its actions are in detail_views. Each parses a form, calls
one service, and shows the result."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Field, QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import Role, User
from wangge.cases import batch, selectors, services
from wangge.cases.forms import (
    BATCH_ACTIONS,
    DESK_ALL,
    DESK_COLUMNS,
    DESK_PAGE_SIZES,
    DESK_QUEUE,
    DepartmentQueueForm,
    DeskBackForm,
    DeskBatchForm,
    DeskFilterForm,
    KpiPeriodForm,
    ReportForm,
    desk_status_choices,
)
from wangge.cases.listing import QUEUE, CaseListFilter
from wangge.cases.models import Case, Category, Status
from wangge.core.calendar import midnight, month_bounds, week_bounds, year_bounds
from wangge.core.dates import window_message
from wangge.core.errors import PermissionDenied
from wangge.core.images import clean_images
from wangge.core.paging import paginate
from wangge.core.ratelimit import rate_limit
from wangge.core.web import AuthedRequest, Refusal, cleaned
from wangge.grids.models import GridLevel
from wangge.grids.selectors import access_node, home_nodes, map_centre, nodes_in_scope

DESK_ROLES = (Role.STREET_DISPATCHER, Role.ADMIN)


def _is_desk(user: User) -> bool:
    return user.is_superuser or user.has_role(*DESK_ROLES)


def _is_handler(user: User) -> bool:
    return user.has_role(
        Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_STAFF, Role.EXCLUSIVE_GRID_LEADER
    )


def _is_department(user: User) -> bool:
    return user.has_role(Role.DEPARTMENT_HANDLER) or user.department_memberships.exists()


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if _is_desk(user):
        return redirect("cases:desk")
    if _is_handler(user):
        return redirect("cases:queue")
    if _is_department(user):
        return redirect("cases:department-queue")
    return redirect("cases:mine")


@login_required
def report(request: AuthedRequest) -> HttpResponse:
    user = request.user
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
        with Refusal(form, fields=()):
            if not staff:
                rate_limit(request, "case_intake")
            photos = clean_images(request.FILES.getlist("photos"))
            if staff and d.get("on_the_spot"):
                case = services.patrol_self_handle(
                    data=data, actor=user, result=d["result"], photos_after=photos
                )
            else:
                case, _created = services.case_intake(data=data, actor=user, photos=photos)
            messages.success(
                request,
                _("已提交，编号 %(n)s。%(s)s")
                % {"n": case.number, "s": services.plain_status(case)},
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/report.html", {"form": form, "staff": staff})


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    user = request.user
    rows = Case.objects.filter(reporter=user).select_related("handling_node", "category")
    page = paginate(request, rows.order_by("-created_at", "-id"), 20)
    return render(
        request,
        "cases/mine.html",
        {"page": page, "rows": [(c, services.plain_status(c)) for c in page]},
    )


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    user = request.user
    # Every grid staff member has a 待办 tab; a 微网格长 (who reports but handles no case) sees
    # an empty list with the 巡查上报 button rather than a refusal.
    if not user.is_grid_staff:
        raise PermissionDenied(_("您没有待办事件"))
    page = paginate(request, selectors.worker_queue(user), 20)
    return render(request, "cases/queue.html", {"page": page, "now": timezone.now()})


@login_required
def department_queue(request: AuthedRequest) -> HttpResponse:
    """部门待办: the cases the street whistled to the user's departments."""
    user = request.user
    if not _is_department(user):
        raise PermissionDenied(_("您不是职能部门承办人"))
    done = DepartmentQueueForm(request.GET).value("done")
    rows = selectors.department_queue(user, done=done)
    page = paginate(request, rows, 20)
    departments = list(user.departments.order_by("code").values_list("name", flat=True))
    return render(
        request,
        "cases/department_queue.html",
        {"page": page, "done": done, "departments": departments, "now": timezone.now()},
    )


# How fine a desk's lists of units go, by the level of the desk: a street's lists every unit
# down to its grids; a district's its streets and communities; a city's its streets. A city's
# lists were the first 500 of its 120,000 units in tree order (one district's first streets),
# two lists of them on every page.
_DESK_LEVELS: dict[str, tuple[str, ...]] = {
    GridLevel.CITY: (GridLevel.STREET,),
    GridLevel.DISTRICT: (GridLevel.STREET, GridLevel.COMMUNITY),
}
_UNIT_LEVELS = (GridLevel.STREET, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.EXCLUSIVE)
_DESK_UNITS = 500


def _desk_nodes(user: User) -> list[tuple[str, str]]:
    """The units a dispatcher filters by and dispatches to, indented by depth in tree order:
    as fine as the desk's level allows (`_DESK_LEVELS`, from the highest node it holds)."""
    held = {node.level for node in home_nodes(user)}
    desk = next((level for level in _DESK_LEVELS if level in held), None)
    levels = _DESK_LEVELS[desk] if desk is not None else _UNIT_LEVELS
    nodes = nodes_in_scope(user, levels).only("code", "name", "depth", "path")[:_DESK_UNITS]
    top = min((n.depth for n in nodes), default=0)
    return [(n.code, f"{'　' * (n.depth - top)}{n.name}") for n in nodes]


def _desk_categories() -> list[tuple[str, str]]:
    rows = Category.objects.filter(is_active=True).select_related("parent").order_by("code")
    return [(c.code, f"{c.parent.name} / {c.name}" if c.parent else c.name) for c in rows]


def _desk_search(data: dict[str, Any]) -> str:
    return (data.get("q") or "").strip()


def _desk_filter(request: AuthedRequest, form: DeskFilterForm) -> selectors.CaseFilter | None:
    """The desk's filter, read as the API and the export read theirs (cases.listing), with
    the dispatch queue as its default tab; None when a value cannot be read, which is then
    shown at its field and lists nothing rather than a list the filter did not ask for."""
    listed = CaseListFilter(request.GET, default_status=QUEUE)
    valid = listed.is_valid()
    # The desk's own form draws the fields; the one reader's word on them is the one shown.
    for name in list(form.errors):
        if name in listed.fields:
            del form.errors[name]
    if not valid:
        for name, errors in listed.errors.items():
            form.add_error(name if name in form.fields else None, errors[0])
        return None
    found = listed.case_filter()
    if found.q:
        # A search looks through every status, whichever tab is open: a 12345 caller ringing
        # back about a case already dispatched or closed was "共 0 件" from the queue's tab.
        found.status = None
    return found


# Table columns that sort the list when their heading is clicked.
_SORTABLE = {"number", "created", "category", "grid", "tier", "due", "status"}


@dataclass(frozen=True)
class DeskRow:
    """A desk row as the table prints it: the case, its page's address, its possible twins
    (twin, address, similarity) and the labels of its choice columns. Made once per row in
    Python: a hundred reverses and two hundred label lookups in the template were a quarter of
    it."""

    case: Case
    url: str
    twins: list[tuple[selectors.PossibleTwin, str, int]]
    labels: dict[str, str]


# The desk's columns that print a choice's label (what `get_FOO_display` gives).
_LABELLED = ("channel", "tier", "card", "status")


def _case_url() -> Callable[[int], str]:
    """A case page's address by its id, from one reverse."""
    prefix, _zero, suffix = reverse("cases:detail", args=[0]).rpartition("0")
    return lambda pk: f"{prefix}{pk}{suffix}"


def _desk_row_labels() -> Callable[[Case], dict[str, str]]:
    """A case's labels of `_LABELLED`, from the model's choices read once in the request's
    language; a value no choice has is printed as it is, as `get_FOO_display` does."""
    choices = {
        name: {
            value: str(label)
            for value, label in cast("Field[Any, Any]", Case._meta.get_field(name)).flatchoices
        }
        for name in _LABELLED
    }
    return lambda case: {
        name: labels.get(getattr(case, name), getattr(case, name))
        for name, labels in choices.items()
    }


@login_required
def desk(request: AuthedRequest) -> HttpResponse:
    """分拨台: the street's incoming and returned cases (or any filtered set) as a table, with
    search, paging, a map of the filtered cases and batch actions."""
    user = request.user
    if not _is_desk(user):
        raise PermissionDenied(_("仅街道城运中心可以使用分拨台"))
    nodes = _desk_nodes(user)
    form = DeskFilterForm(request.GET, categories=_desk_categories(), nodes=nodes)
    form.is_valid()  # the order and the page size; the filter is read by cases.listing
    data = form.cleaned_data
    q = _desk_search(data)
    sort = data.get("sort") or "created"
    found = _desk_filter(request, form)
    cases = selectors.desk_cases(user, found, sort) if found is not None else Case.objects.none()
    page = paginate(request, cases, data.get("per") or DESK_PAGE_SIZES[0])
    # What the old card list showed beside each new case: an open case nearby that tells the
    # same problem (merge it from the batch bar). Only for this page's cases still to dispatch.
    dispatchable = (Status.PENDING, Status.RETURNED)
    duplicates = selectors.likely_duplicates_for(
        user, [c for c in page if c.status in dispatchable], limit=1
    )
    url, labels = _case_url(), _desk_row_labels()
    rows = [
        DeskRow(
            case=c,
            url=url(c.pk),
            twins=[(d, url(d.pk), score) for d, score in duplicates.get(c.pk, [])],
            labels=labels(c),
        )
        for c in page
    ]
    keep = request.GET.copy()
    keep.pop("page", None)
    heads = [
        {
            "key": key,
            "label": label,
            "sort": (f"-{key}" if sort == key else key) if key in _SORTABLE else "",
            "dir": "ascending" if sort == key else "descending" if sort == f"-{key}" else "",
        }
        for key, label in DESK_COLUMNS
    ]
    return render(
        request,
        "cases/desk.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "sort": sort,
            "heads": heads,
            "columns": DESK_COLUMNS,
            "points": selectors.desk_map_points(cases),
            "map_limit": selectors.MAP_POINTS,
            # Where the map opens when no case of the list has a point: the desk's own area.
            "map_centre": map_centre(next(iter(home_nodes(user)), None)),
            "batch": DeskBatchForm(nodes=nodes, scope=user.scope_paths()),
            "back": keep.urlencode(),
            "results": request.session.pop("desk_results", None),
            "search": _desk_search_summary(cases, data) if q else None,
            "now": timezone.now(),
        },
    )


@dataclass(frozen=True)
class DeskSearch:
    """What the desk says above a search's hits: the words, the status tab it looked past,
    and how many hits each status holds (so 共 0 件 is never the whole answer)."""

    q: str
    tab: str
    by_status: list[tuple[str, int]]


def _desk_search_summary(cases: QuerySet[Case], data: dict[str, Any]) -> DeskSearch:
    status = data.get("status") or DESK_QUEUE
    tabs = dict(desk_status_choices())
    labels = dict(Status.choices)
    counts = selectors.desk_status_counts(cases)
    return DeskSearch(
        q=_desk_search(data),
        tab=str(tabs.get(status, "")) if status != DESK_ALL else "",
        by_status=[(str(labels.get(s, s)), n) for s, n in counts],
    )


@login_required
@require_POST
def desk_batch(request: AuthedRequest) -> HttpResponse:
    """The desk's batch bar: one action on the ticked cases, each through the workflow; the
    per-case outcome is shown on the desk it came from."""
    user = request.user
    if not _is_desk(user):
        raise PermissionDenied(_("仅街道城运中心可以使用分拨台"))
    back = QueryDict(cleaned(DeskBackForm(request.POST))["back"]).urlencode()
    target = reverse("cases:desk") + (f"?{back}" if back else "")
    form = DeskBatchForm(request.POST, nodes=_desk_nodes(user), scope=user.scope_paths())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(target)
    d = form.cleaned_data
    if d["action"] == "merge" and not d["confirm"]:
        preview = batch.merge_preview(actor=user, case_ids=d["ids"], parent=d["parent"])
        return render(
            request,
            "cases/desk_merge_confirm.html",
            {
                "preview": preview,
                "ids": d["ids"],
                "note": d["note"],
                "back": back,
                "cancel": target,
            },
        )
    results = batch.case_batch_act(
        actor=user,
        case_ids=d["ids"],
        action=d["action"],
        node=d["node"],
        department=d["department"],
        parent=d["parent"],
        note=d["note"],
    )
    done = sum(r.ok for r in results)
    request.session["desk_results"] = [r.as_dict() for r in results]
    label = dict(BATCH_ACTIONS)[d["action"]]
    if done == len(results):
        messages.success(request, _("%(a)s：%(n)d 件全部完成") % {"a": label, "n": done})
    else:
        messages.warning(
            request,
            _("%(a)s：完成 %(ok)d 件，未完成 %(bad)d 件，原因见下表")
            % {"a": label, "ok": done, "bad": len(results) - done},
        )
    return redirect(target)


@login_required
def supervision(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not user.is_grid_staff:
        raise PermissionDenied(_("无权查看督办看板"))
    page = paginate(request, selectors.supervision_board(user).select_related("handling_node"), 30)
    # Grouped by unit within the page: the board is ordered by deadline, so each page holds the
    # soonest-due cards whichever unit has them.
    units: dict[str, list[Case]] = {}
    for c in page:
        units.setdefault(c.handling_node.name if c.handling_node else _("未派单"), []).append(c)
    return render(
        request,
        "cases/supervision.html",
        {"page": page, "units": units, "now": timezone.now()},
    )


@login_required
def followups(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not _is_desk(user):
        raise PermissionDenied(_("仅街道城运中心可以回访"))
    page = paginate(request, selectors.followup_queue(user), 20)
    return render(request, "cases/followups.html", {"page": page})


def _period(request: AuthedRequest) -> tuple[date, date, str]:
    today = timezone.localdate()
    asked = KpiPeriodForm(request.GET)
    kind = asked.value("period")
    start, end = asked.value("start"), asked.value("end")
    if start is not None and end is not None and start < end:
        return start, end, "custom"
    if asked.sent("start") or asked.sent("end"):
        # Say so rather than let someone read this month's figures as the range they asked for.
        messages.warning(
            request,
            _("所选日期无效（%(why)s，且结束须晚于开始），已改为按期间显示")
            % {"why": window_message()},
        )
    elif asked.error:
        messages.warning(request, asked.error)
    if kind == "week":
        return (*week_bounds(today), kind)
    if kind == "year":
        return (*year_bounds(today), kind)
    return (*month_bounds(today), "month")


@login_required
def kpi(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    user = request.user
    if not user.is_grid_staff:
        raise PermissionDenied(_("无权查看考核指标"))
    if code is None:
        # The table compares the units of a street or the district, so it opens on one the
        # person holds; staff of a community or grid hold none (and see no 考核 link).
        if not selectors.may_view_kpis(user):
            raise PermissionDenied(_("考核指标按街道或全区查看，您负责的网格不在此列"))
        return redirect("cases:kpi-node", code=selectors.home_kpi_units(user)[0].code)
    node = access_node(user, code)
    if node.level not in selectors.KPI_LEVELS:
        raise Http404(_("考核指标按街道或全区查看"))
    start, end, kind = _period(request)
    total, rows = selectors.kpis(user=user, parent=node, start=midnight(start), end=midnight(end))
    places = selectors.kpi_places(rows)
    return render(
        request,
        "cases/kpi.html",
        {
            "node": node,
            "total": total,
            "rows": list(zip(rows, places, strict=True)),
            "ranked": any(places),
            "unranked_reason": selectors.kpi_unranked_reason(rows),
            "start": start,
            "end": end,
            "end_inclusive": end - timedelta(days=1),
            "kind": kind,
        },
    )
