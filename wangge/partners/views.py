"""共建单位 and 民生服务项目 pages for the staff of a community, a grid (网格长) and a street:
the units and their resources, the needs with their source, the projects with who pays what and
how they progress, and 红色物业's figures beside the grid's. Records outside the person's
subtree answer 404; people of other roles are told the pages are not theirs (403)."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.calendar import midnight
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned, flash_refusal
from wangge.grids.models import GridNode
from wangge.partners import forms, selectors, services
from wangge.partners.models import NeedSource, PartnerUnit, ResourceKind, UnitKind


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    selectors.require_reader(user)
    return render(
        request,
        "partners/home.html",
        {
            "units": paginate(request, selectors.units(user), 20),
            "needs": paginate(request, selectors.needs(user), 20, param="npage"),
            "projects": paginate(request, selectors.projects(user), 20, param="ppage"),
            "may_manage": services.may_manage(user),
        },
    )


@login_required
def unit_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    selectors.require_reader(user)
    form = forms.UnitForm(request.POST or None)
    refusal = Refusal(form)
    if request.method == "POST":
        with refusal:
            d = cleaned(form)
            unit = services.unit_create(
                actor=user,
                data=services.UnitInput(
                    name=d["name"],
                    kind=d["kind"],
                    node_id=d["node"],
                    contact_name=d["contact_name"],
                    contact_phone=d["contact_phone"],
                    note=d["note"],
                ),
            )
            messages.success(request, _("已登记共建单位：%(name)s") % {"name": unit.name})
            return redirect("partners:unit", unit.pk)
    nodes = [n for n in selectors.need_nodes(user) if n.level in services.UNIT_LEVELS]
    return render(
        request,
        "partners/unit_new.html",
        {
            "form": form,
            "errors": refusal.by_field(*form.fields),
            "kinds": UnitKind.choices,
            "nodes": nodes,
        },
        status=refusal.status,
    )


def _unit_page(
    request: AuthedRequest, unit_id: int, refusal: Refusal | None = None, **forms_: object
) -> HttpResponse:
    user = request.user
    unit = selectors.access_unit(user, unit_id)
    compounds = list(unit.compounds.select_related("node").prefetch_related("staff__user"))
    compound_nodes: list[GridNode] = []
    if unit.is_property_company and selectors.manages(user, unit.grid_path):
        compound_nodes = list(
            GridNode.objects.filter(
                path__startswith=unit.grid_path, level__in=services.COMPOUND_LEVELS
            ).order_by("path")
        )
    return render(
        request,
        "partners/unit.html",
        {
            "unit": unit,
            "resources": list(unit.resources.order_by("kind", "pk")),
            "resource_kinds": ResourceKind.choices,
            "compounds": compounds,
            "compound_nodes": compound_nodes,
            "may_manage": selectors.manages(user, unit.grid_path),
            "resource_form": forms_.get("resource_form") or forms.ResourceForm(),
            "errors": refusal.by_field("kind", "description", "capacity") if refusal else {},
        },
        status=refusal.status if refusal else 200,
    )


@login_required
def unit(request: AuthedRequest, unit_id: int) -> HttpResponse:
    return _unit_page(request, unit_id)


@login_required
@require_POST
def resource_add(request: AuthedRequest, unit_id: int) -> HttpResponse:
    form = forms.ResourceForm(request.POST)
    refusal = Refusal(form)
    with refusal:
        d = cleaned(form)
        services.resource_add(
            actor=request.user,
            unit_id=unit_id,
            kind=d["kind"],
            description=d["description"],
            capacity=d["capacity"],
        )
        messages.success(request, _("已添加资源"))
        return redirect("partners:unit", unit_id)
    return _unit_page(request, unit_id, refusal, resource_form=form)


@login_required
@require_POST
def compound_add(request: AuthedRequest, unit_id: int) -> HttpResponse:
    with flash_refusal(request):
        d = cleaned(forms.CompoundForm(request.POST))
        services.compound_add(
            actor=request.user, unit_id=unit_id, node_id=d["node"], since=d["since"]
        )
        messages.success(request, _("已登记管理小区"))
    return redirect("partners:unit", unit_id)


@login_required
@require_POST
def staff_add(request: AuthedRequest, compound_id: int) -> HttpResponse:
    compound = selectors.access_compound(request.user, compound_id)
    with flash_refusal(request):
        d = cleaned(forms.StaffForm(request.POST))
        staff = services.property_staff_add(
            actor=request.user, compound_id=compound.pk, phone=d["phone"], post=d["post"]
        )
        messages.success(
            request,
            _("%(name)s已作为物业人员担任%(node)s微网格长")
            % {"name": staff.user.name, "node": compound.node.name},
        )
    return redirect("partners:unit", compound.unit_id)


@login_required
def need_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    selectors.require_reader(user)
    form = forms.NeedForm(request.POST or None, initial={"source": NeedSource.WISH})
    refusal = Refusal(form)
    if request.method == "POST":
        with refusal:
            d = cleaned(form)
            need = services.need_create(
                actor=user,
                data=services.NeedInput(
                    source=d["source"],
                    source_id=form.source_id(),
                    node_id=d["node"],
                    title=d["title"],
                    detail=d["detail"],
                ),
            )
            messages.success(request, _("已登记社区需求：%(t)s") % {"t": need.title})
            return redirect(f"{reverse('partners:home')}#needs")
    return render(
        request,
        "partners/need_new.html",
        {
            "form": form,
            "errors": refusal.by_field("source", "wish", "topic", "case", "node", "title"),
            "sources": NeedSource.choices,
            "wishes": selectors.wish_choices(user),
            "topics": selectors.topic_choices(user),
            "cases": selectors.case_choices(user),
            "nodes": selectors.need_nodes(user),
        },
        status=refusal.status,
    )


def parties(units: list[PartnerUnit], nodes: list[GridNode]) -> list[tuple[str, str]]:
    """The share lines' choices: units as "u<id>", the community or street as "n<id>"."""
    return [(f"u{u.pk}", u.name) for u in units] + [
        (f"n{n.pk}", _("%(name)s（本级）") % {"name": n.name}) for n in nodes
    ]


def _project_form_page(
    request: AuthedRequest, form: forms.ProjectForm, refusal: Refusal, need_id: int | None
) -> HttpResponse:
    user = request.user
    found_units, nodes = selectors.funding_parties(user)
    return render(
        request,
        "partners/project_new.html",
        {
            "form": form,
            "errors": refusal.by_field(
                "need",
                "title",
                "total",
                "shares",
                "resources",
                "residents_served",
                "households_served",
            ),
            "needs": list(selectors.needs(user)[: selectors.PICKER_ROWS]),
            "chosen_need": need_id,
            "parties": parties(found_units, nodes),
            "resources": [(u, r) for u in found_units for r in u.resources.all() if r.is_active],
            "lines": form.lines(),
        },
        status=refusal.status,
    )


@login_required
def project_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    selectors.require_reader(user)
    found_units, _nodes = selectors.funding_parties(user)
    resource_ids = [r.pk for u in found_units for r in u.resources.all()]
    pick = forms.PickNeedForm(request.GET)
    need_id = pick.cleaned_data.get("need") if pick.is_valid() else None
    form = forms.ProjectForm(
        request.POST or None, resource_ids=resource_ids, initial={"need": need_id}
    )
    refusal = Refusal(form, fields=())
    if request.method == "POST":
        with refusal:
            d = cleaned(form)
            project = services.project_create(
                actor=user,
                data=services.ProjectInput(
                    need_id=d["need"],
                    title=d["title"],
                    total_fen=forms.fen(d["total"]),
                    shares=d["shares"],
                    resource_ids=tuple(d["resources"]),
                    residents_served=d["residents_served"] or 0,
                    households_served=d["households_served"],
                ),
            )
            messages.success(request, _("已立项：%(t)s") % {"t": project.title})
            return redirect("partners:project", project.pk)
    return _project_form_page(request, form, refusal, need_id)


def _project_page(
    request: AuthedRequest,
    project_id: int,
    refusal: Refusal | None = None,
    shares_form: forms.SharesForm | None = None,
) -> HttpResponse:
    user = request.user
    project = selectors.access_project(user, project_id)
    found_units, nodes = selectors.project_parties(user, project)
    if shares_form is None:
        initial: dict[str, object] = {"total": forms.as_yuan(project.total_fen)}
        for i, share in enumerate(project.shares.all(), start=1):
            initial[f"party_{i}"] = f"u{share.unit_id}" if share.unit_id else f"n{share.node_id}"
            initial[f"amount_{i}"] = forms.as_yuan(share.amount_fen)
        shares_form = forms.SharesForm(initial=initial)
    return render(
        request,
        "partners/project.html",
        {
            "project": project,
            "shares": list(project.shares.all()),
            "notes": list(project.notes.select_related("by").order_by("on", "pk")),
            "resources": list(project.resources.select_related("unit")),
            "may_manage": selectors.manages(user, project.node.path),
            "parties": parties(found_units, nodes),
            "lines": shares_form.lines(),
            "shares_form": shares_form,
            "today": timezone.localdate(),
            "errors": refusal.by_field("total", "shares") if refusal else {},
            "refused": refusal.message if refusal else "",
        },
        status=refusal.status if refusal else 200,
    )


@login_required
def project(request: AuthedRequest, project_id: int) -> HttpResponse:
    return _project_page(request, project_id)


@login_required
@require_POST
def project_fund(request: AuthedRequest, project_id: int) -> HttpResponse:
    selectors.access_project(request.user, project_id)
    form = forms.SharesForm(request.POST)
    refusal = Refusal(form, fields=())
    with refusal:
        d = cleaned(form)
        services.project_fund(
            actor=request.user,
            project_id=project_id,
            total_fen=forms.fen(d["total"]),
            shares=d["shares"],
        )
        messages.success(request, _("出资已更新，各方合计与项目总额一致"))
        return redirect("partners:project", project_id)
    return _project_page(request, project_id, refusal, form)


@login_required
@require_POST
def project_advance(request: AuthedRequest, project_id: int) -> HttpResponse:
    selectors.access_project(request.user, project_id)
    with flash_refusal(request):
        d = cleaned(forms.AdvanceForm(request.POST))
        done = services.project_advance(
            actor=request.user,
            project_id=project_id,
            to_status=d["to_status"],
            note=d["note"],
            on=d["on"],
            residents_served=d["residents_served"],
            households_served=d["households_served"],
        )
        messages.success(request, _("项目进展已更新为“%(s)s”") % {"s": done.get_status_display()})
    return redirect("partners:project", project_id)


@login_required
@require_POST
def project_note(request: AuthedRequest, project_id: int) -> HttpResponse:
    selectors.access_project(request.user, project_id)
    with flash_refusal(request):
        d = cleaned(forms.NoteForm(request.POST))
        services.project_note(
            actor=request.user,
            project_id=project_id,
            note=d["note"],
            on=d["on"],
            residents_served=d["residents_served"],
        )
        messages.success(request, _("已记录进展"))
    return redirect("partners:project", project_id)


def period(form: forms.PeriodForm) -> tuple[date, date, str]:
    """The days asked for (both included), this year so far without them; the form's first
    error when it has one."""
    today = timezone.localdate()
    valid = form.is_valid()
    start = (form.cleaned_data.get("start") if valid else None) or today.replace(month=1, day=1)
    end = (form.cleaned_data.get("end") if valid else None) or today
    error = "" if valid else str(next(iter(form.errors.values()))[0])
    if end < start:
        start, end = end, start
    return start, end, error


@login_required
def property_figures(request: AuthedRequest) -> HttpResponse:
    user = request.user
    selectors.require_reader(user)
    start, end, error = period(forms.PeriodForm(request.GET))
    rows = selectors.property_figures(user, midnight(start), midnight(end + timedelta(days=1)))
    return render(
        request,
        "partners/property.html",
        {"rows": rows, "start": start, "end": end, "error": error},
        status=422 if error else 200,
    )
