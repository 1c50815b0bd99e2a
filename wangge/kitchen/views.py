"""红色厨房 pages: the staff's day (plans, alerts), the list of who receives meals and who may,
the monthly figures; the deliverer's round on a phone (works without signal: each 已送达 /
不在家 / 拒收 goes through the outbox with its key)."""

from datetime import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned, flash_refusal
from wangge.kitchen import forms, selectors, services
from wangge.kitchen.models import Meal, Outcome, Payment
from wangge.residents.selectors import access_person


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    selectors.require_staff(user)
    today = timezone.localdate()
    return render(
        request,
        "kitchen/home.html",
        {
            "today": today,
            "plans": list(selectors.plans_of_day(user, today)),
            "open_alerts": paginate(
                request, selectors.alerts(user, open_only=True), 20, param="apage"
            ),
            "kitchens": list(selectors.kitchens(user)),
            "enrolled": selectors.enrolments(user).count(),
        },
    )


@login_required
def enrolments(request: AuthedRequest) -> HttpResponse:
    user = request.user
    selectors.require_staff(user)
    return render(
        request,
        "kitchen/enrolments.html",
        {
            "page": paginate(request, selectors.enrolments(user), 30),
            "candidates": paginate(request, selectors.candidates(user), 30, param="cpage"),
            "meal_kinds": Meal,
        },
    )


@login_required
def enrol(request: AuthedRequest, person_id: int) -> HttpResponse:
    user = request.user
    selectors.require_staff(user)
    person = access_person(user, person_id)
    form = forms.EnrolForm(request.POST or None)
    refusal = Refusal(form)
    if request.method == "POST":
        with refusal:
            d = cleaned(form)
            services.enrol(
                actor=user,
                person=person,
                data=services.EnrolmentInput(
                    kitchen_id=d["kitchen"],
                    meals=tuple(d["meals"]),
                    diet=d["diet"],
                    contact_name=d["contact_name"],
                    contact_relation=d["contact_relation"],
                    contact_phone=d["contact_phone"],
                    contact_is_guardian=d["contact_is_guardian"],
                    payment=d["payment"],
                    resident_pays=d["resident_pays"],
                    subsidy=d["subsidy"],
                    subsidy_source=d["subsidy_source"],
                    assessed_visit_id=d["assessed_visit"],
                ),
            )
            messages.success(request, _("%(name)s已加入助餐名单") % {"name": person.name})
            return redirect("kitchen:enrolments")
    return render(
        request,
        "kitchen/enrol.html",
        {
            "person": person,
            "form": form,
            "kitchens": list(selectors.kitchens(user)),
            "meals": Meal.choices,
            "default_meal": Meal.LUNCH,
            "payments": Payment.choices,
            "visits": list(person.visits.order_by("-visited_at")[:10]),
            "why_not": services.eligibility(person),
        },
        status=refusal.status,
    )


@login_required
@require_POST
def enrolment_end(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    with flash_refusal(request):
        d = cleaned(forms.EndForm(request.POST))
        services.enrolment_end(actor=request.user, enrolment_id=enrolment_id, reason=d["reason"])
        messages.success(request, _("已停止助餐"))
    return redirect("kitchen:enrolments")


@login_required
def plan_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    selectors.require_staff(user)
    today = timezone.localdate()
    form = forms.PlanForm(
        request.POST or None,
        initial={
            "day": today.isoformat(),
            "meal": Meal.LUNCH,
            "window_start": "11:00",
            "window_end": "12:30",
            "deliverers": 2,
        },
    )
    refusal = Refusal(form)
    if request.method == "POST":
        with refusal:
            d = cleaned(form)
            plans = services.plan_day(
                actor=user,
                data=services.PlanInput(
                    kitchen_id=d["kitchen"],
                    day=d["day"],
                    meal=d["meal"],
                    window_start=d["window_start"],
                    window_end=d["window_end"],
                    menu=d["menu"],
                    deliverers=d["deliverers"],
                ),
            )
            messages.success(
                request,
                _("已制定 %(n)s 个网格的送餐计划，送餐志愿任务已发布") % {"n": len(plans)},
            )
            return redirect("kitchen:home")
    return render(
        request,
        "kitchen/plan_new.html",
        {
            "form": form,
            "kitchens": list(selectors.kitchens(user)),
            "meals": Meal.choices,
            "default_window": (time(11, 0), time(12, 30)),
        },
        status=refusal.status,
    )


@login_required
def plan(request: AuthedRequest, plan_id: int) -> HttpResponse:
    found = selectors.access_plan(request.user, plan_id)
    return render(
        request,
        "kitchen/plan.html",
        {"plan": found, "deliveries": list(selectors.deliveries(found))},
    )


@login_required
def alerts(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "kitchen/alerts.html",
        {"page": paginate(request, selectors.alerts(user), 30)},
    )


@login_required
def alert(request: AuthedRequest, alert_id: int) -> HttpResponse:
    found = selectors.access_alert(request.user, alert_id)
    # What was recorded at the door and when, every record: a 不在家 later changed to 已送达
    # (or back) is read here by the worker the alert reached.
    events = list(found.delivery.events.select_related("recorded_by"))
    return render(request, "kitchen/alert.html", {"alert": found, "events": events})


@login_required
def figures(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = forms.FiguresForm(request.GET)
    valid = form.is_valid()
    month = (form.cleaned_data.get("month") if valid else None) or timezone.localdate()
    node = selectors.report_unit(user, form.cleaned_data.get("grid", "") if valid else "")
    report = selectors.month_figures(user, node, month)
    error = "" if valid else next(iter(form.errors.values()))[0]
    return render(
        request,
        "kitchen/figures.html",
        {"report": report, "node": node, "error": error, "month": month},
        status=422 if error else 200,
    )


@login_required
def rounds(request: AuthedRequest) -> HttpResponse:
    """The deliverer's round of the day: each resident with three buttons."""
    today = timezone.localdate()
    plans = [(p, list(selectors.deliveries(p))) for p in selectors.my_rounds(request.user, today)]
    return render(
        request,
        "kitchen/rounds.html",
        {
            "rounds": plans,
            "today": today,
            "outcomes": Outcome,
            "outcome_choices": [(o.value, o.label) for o in Outcome if o != Outcome.PENDING],
        },
    )


@login_required
@require_POST
def record(request: AuthedRequest, delivery_id: int) -> HttpResponse:
    """The round's buttons without the outbox (a browser with no script): record and go back."""
    with flash_refusal(request):
        d = cleaned(forms.DeliveryForm(request.POST))
        delivery = services.delivery_record(
            actor=request.user,
            delivery_id=delivery_id,
            outcome=d["outcome"],
            note=d["note"],
            confirm=d["confirm"],
        )
        messages.success(
            request,
            _("已记录：%(name)s %(outcome)s")
            % {"name": delivery.enrolment.person.name, "outcome": delivery.get_outcome_display()},
        )
    return redirect("kitchen:rounds")
