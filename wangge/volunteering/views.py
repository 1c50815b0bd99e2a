"""Pages of 志愿服务 in the 原点在线 shell: residents browse, grab, check in and see their hours;
organisers publish, show the rotating check-in code and certify hours."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned, flash_refusal
from wangge.grids.selectors import map_centre
from wangge.notices.selectors import home_node
from wangge.points.qr import qr_svg
from wangge.volunteering import checkin_codes, presence, selectors, services
from wangge.volunteering.forms import (
    BrowseForm,
    CheckinForm,
    CodeForm,
    HoursForm,
    NoteForm,
    QrPartForm,
    TaskForm,
)
from wangge.volunteering.models import Category, Task

# ---------------------------------------------------------------- residents


@login_required
def browse(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = BrowseForm(request.GET)
    form.is_valid()  # what reads is kept, what does not is left out
    kind = form.cleaned_data.get("kind") or ""
    near = form.point()
    located = near is not None
    home = home_node(user)
    if near is None and home is not None and home.centroid_lon is not None:
        near = (home.centroid_lon, home.centroid_lat or 0.0)
    page = paginate(request, selectors.open_tasks(kind=kind, near=near), 20)
    rows = selectors.with_distance(page, near)
    rules = selectors.earning_rules()
    return render(
        request,
        "volunteering/browse.html",
        {
            "tab": "home",
            "page": page,
            "rows": [(t, d, selectors.earning_rule_for(t, rules)) for t, d in rows],
            "kind": kind,
            "kinds": Task.Kind.choices,
            "located": located,
            "can_publish": True,
        },
    )


@login_required
def detail(request: AuthedRequest, task_id: int) -> HttpResponse:
    user = request.user
    task = selectors.access_task(user, task_id)
    mine = selectors.my_open_signup(user, task)
    return render(
        request,
        "volunteering/detail.html",
        {
            "tab": "home",
            "task": task,
            "mine": mine,
            "position": selectors.waitlist_position(mine) if mine and mine.is_waitlisted else None,
            "rule": selectors.earning_rule_for(task),
            "can_manage": selectors.can_manage(user, task),
            "open": task.is_open and task.ends_at > timezone.now(),
            "started": timezone.now() >= task.starts_at,
        },
    )


@login_required
@require_POST
def act(request: AuthedRequest, task_id: int, fn: str) -> HttpResponse:
    user = request.user
    if fn not in ("grab", "wait", "withdraw"):
        raise Http404
    with flash_refusal(request):
        if fn == "grab":
            services.task_grab(task_id=task_id, user=user)
            messages.success(request, _("报名成功"))
        elif fn == "wait":
            signup, _created = services.task_grab(task_id=task_id, user=user, waitlist=True)
            messages.success(request, _("已加入候补") if signup.is_waitlisted else _("报名成功"))
        else:
            services.signup_cancel(task_id=task_id, user=user)
            messages.success(request, _("已取消报名"))
    return redirect("volunteering:detail", task_id=task_id)


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "volunteering/mine.html",
        {"tab": "me", "signups": paginate(request, selectors.my_signups(request.user), 20)},
    )


@never_cache
@login_required
def checkin_page(request: AuthedRequest, task_id: int) -> HttpResponse:
    """Where the QR on the organiser's screen leads: `?t=<code>`. Without a code (or when the
    task uses a fence) the phone's position is offered instead."""
    user = request.user
    task = selectors.access_task(user, task_id)
    code = (cleaned(CodeForm(request.POST))["t"] or cleaned(CodeForm(request.GET))["t"])[:32]
    if request.method == "POST":
        form = CheckinForm(request.POST)
        form.is_valid()  # a position that does not read is none: the code may still do
        d = form.cleaned_data
        fn = d.get("fn", "")
        lon, lat, crs = d.get("lon"), d.get("lat"), d.get("crs") or "wgs84"
        with flash_refusal(request):
            if fn == "in":
                presence.checkin(task_id=task.pk, user=user, code=code, lon=lon, lat=lat, crs=crs)
                messages.success(request, _("签到成功"))
            elif fn == "out":
                presence.checkout(task_id=task.pk, user=user, code=code, lon=lon, lat=lat, crs=crs)
                messages.success(request, _("签退成功"))
        url = reverse("volunteering:checkin", args=[task.pk])
        return redirect(f"{url}?t={code}" if code else url)
    mine = selectors.my_open_signup(user, task)
    checkins = list(mine.checkins.all()) if mine else []
    return render(
        request,
        "volunteering/checkin.html",
        {
            "tab": "home",
            "task": task,
            "mine": mine,
            "code": code,
            "checkins": checkins,
            "open_checkin": next((c for c in checkins if c.checked_out_at is None), None),
        },
    )


# ---------------------------------------------------------------- organisers


@login_required
def manage(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "volunteering/manage.html",
        {
            "tab": "me",
            "tasks": paginate(request, selectors.tasks_managed(user), 20),
            "to_approve": paginate(
                request, selectors.tasks_to_approve(user), 20, param="approve_page"
            ),
        },
    )


def _task_input(d: dict[str, Any]) -> services.TaskInput:
    """The service's input from TaskForm's values; the service checks what they mean."""

    def text(name: str, default: str = "") -> str:
        return str(d[name] or default)

    return services.TaskInput(
        kind=text("kind", Task.Kind.TASK),
        publisher_kind=text("publisher_kind"),
        publisher_name=text("publisher_name"),
        title=text("title"),
        description=text("description"),
        category=text("category", "other"),
        place=text("place"),
        lon=d["lon"],
        lat=d["lat"],
        crs=text("crs", "wgs84"),
        starts_at=d["starts_at"],
        ends_at=d["ends_at"],
        slots=d["slots"],
        skills=text("skills"),
        circle_tag=text("circle_tag"),
        points_rule=text("points_rule", Task.PointsRule.PER_HOUR),
        checkin_method=text("checkin_method", Task.CheckinMethod.QR),
        geofence_m=200 if d["geofence_m"] is None else d["geofence_m"],
    )


def _form_context(request: AuthedRequest, values: object, task: Task | None) -> dict[str, object]:
    user = request.user
    home = home_node(user) or next((g.node for g in user.grants.select_related("node")), None)
    return {
        "tab": "me",
        "values": values,
        "task": task,
        "kinds": Task.Kind.choices,
        "publisher_kinds": Task.PublisherKind.choices
        if user.is_grid_staff
        else [(Task.PublisherKind.INDIVIDUAL, Task.PublisherKind.INDIVIDUAL.label)],
        "categories": Category.choices,
        "points_rules": Task.PointsRule.choices,
        "checkin_methods": Task.CheckinMethod.choices,
        "centre": map_centre(home),
    }


def _task_values(task: Task) -> dict[str, object]:
    local = timezone.localtime
    return {
        "kind": task.kind,
        "publisher_kind": task.publisher_kind,
        "publisher_name": task.publisher_name,
        "title": task.title,
        "description": task.description,
        "category": task.category,
        "place": task.place,
        "lon": task.lon,
        "lat": task.lat,
        "starts_at": local(task.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(task.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "slots": task.slots,
        "skills": task.skills,
        "circle_tag": task.circle_tag,
        "points_rule": task.points_rule,
        "checkin_method": task.checkin_method,
        "geofence_m": task.geofence_m,
    }


@login_required
def task_form(request: AuthedRequest, task_id: int | None = None) -> HttpResponse:
    user = request.user
    task = None
    if task_id is not None:
        task = Task.objects.filter(pk=task_id).first()
        if task is None or not selectors.can_manage(user, task):
            raise Http404
    values: object = (
        request.POST
        if request.method == "POST"
        else (_task_values(task) if task else {"slots": 10, "geofence_m": 200})
    )
    ctx = _form_context(request, values, task)
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            data = _task_input(cleaned(TaskForm(request.POST)))
            if task is None:
                task = services.task_create(organiser=user, data=data)
            else:
                task = services.task_update(task_id=task.pk, actor=user, data=data)
            messages.success(request, _("已保存"))
            return redirect("volunteering:manage-task", task_id=task.pk)
        ctx["error"] = refusal.message
    return render(request, "volunteering/task_form.html", ctx, status=refusal.status)


def _managed(request: AuthedRequest, task_id: int) -> Task:
    user = request.user
    task = Task.objects.select_related("organiser", "issuer", "grid").filter(pk=task_id).first()
    if task is None or not (selectors.can_manage(user, task) or services.can_approve(user, task)):
        raise Http404
    return task


@login_required
def manage_task(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = _managed(request, task_id)
    user = request.user
    return render(
        request,
        "volunteering/manage_task.html",
        {
            "tab": "me",
            "task": task,
            "roster": paginate(request, selectors.roster(task), 30, param="roster_page"),
            "events": paginate(
                request,
                task.events.select_related("actor").order_by("-created_at", "-id"),
                30,
                param="events_page",
            ),
            "can_edit": services.can_edit(user, task),
            "can_publish": task.status == Task.Status.DRAFT and selectors.can_manage(user, task),
            "can_review": task.status == Task.Status.PENDING and services.can_approve(user, task),
            "can_cancel": services.can_cancel(user, task),
            "can_decide": services.can_decide_hours(user, task),
            "rule": selectors.earning_rule_for(task),
            "checkin_url": request.build_absolute_uri(
                reverse("volunteering:checkin", args=[task.pk])
            ),
        },
    )


@login_required
@require_POST
def manage_act(request: AuthedRequest, task_id: int, fn: str) -> HttpResponse:
    user = request.user
    note = cleaned(NoteForm(request.POST))["note"]
    if fn not in ("publish", "approve", "reject", "cancel", "hours"):
        raise Http404
    with flash_refusal(request):
        if fn == "publish":
            task = services.task_publish(task_id=task_id, actor=user)
            messages.success(
                request,
                _("已提交社区审核") if task.status == Task.Status.PENDING else _("已发布"),
            )
        elif fn in ("approve", "reject"):
            services.task_review(task_id=task_id, actor=user, approve=fn == "approve", note=note)
            messages.success(request, _("已审核通过") if fn == "approve" else _("已退回"))
        elif fn == "cancel":
            services.task_cancel(task_id=task_id, actor=user, reason=note)
            messages.success(request, _("任务已取消，已通知报名的居民"))
        else:
            d = cleaned(HoursForm(request.POST))
            signup = services.hours_decide(
                signup_id=d["signup"] or 0,
                actor=user,
                decision=d["decision"],
                hours=d["hours"],
                note=note,
            )
            messages.success(
                request,
                _("已认定 %(name)s，发放活力值 %(p)d")
                % {"name": signup.user.name or signup.user.masked_phone, "p": signup.points},
            )
    return redirect("volunteering:manage-task", task_id=task_id)


def _qr_context(request: AuthedRequest, task: Task) -> dict[str, object]:
    code = checkin_codes.current_code(task)
    url = request.build_absolute_uri(reverse("volunteering:checkin", args=[task.pk])) + f"?t={code}"
    return {
        "task": task,
        "svg": qr_svg(url, fill=True),
        "url": url,
        "left": checkin_codes.seconds_left(),
    }


@never_cache
@login_required
def checkin_qr(request: AuthedRequest, task_id: int) -> HttpResponse:
    """Full screen, for the organiser's phone or a screen at the place; the code turns over
    every minute and the page fetches the new one by itself."""
    task = _managed(request, task_id)
    if not task.uses_qr:
        raise Http404
    part = QrPartForm(request.GET).value("part")
    template = "volunteering/qr_code.html" if part else "volunteering/qr.html"
    return render(request, template, _qr_context(request, task))
