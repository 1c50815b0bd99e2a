"""Pages: hazard checklists on the phone, the facility and organisation registers, and the
议事厅 (staff pages on the desktop, residents' pages in the 原点在线 shell)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import User
from wangge.core.dates import check_date
from wangge.core.errors import DomainError, NotFound, ValidationFailed
from wangge.core.images import clean_images
from wangge.core.masking import mask_name
from wangge.core.scope import in_scope
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.grids.selectors import access_node, nodes_in_scope
from wangge.ledgers import selectors, services
from wangge.ledgers.inspection_input import building_from, inspection_from_form
from wangge.ledgers.models import (
    ChecklistTemplate,
    FacilityKind,
    FacilityStatus,
    OrganisationKind,
    Topic,
    TopicStatus,
    VoteChoice,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _staff(request: HttpRequest) -> User:
    user = _user(request)
    if not user.is_grid_staff:
        raise Http404
    return user


def _buildings(user: User) -> list[Building]:
    return list(
        in_scope(user, Building.objects.select_related("micro_grid"), "micro_grid__path").order_by(
            "address"
        )[:500]
    )


def _nodes(user: User, *levels: str) -> list[GridNode]:
    return list(nodes_in_scope(user, levels)[:300])


def _node_from(user: User, code: str) -> GridNode:
    try:
        return access_node(user, code)
    except NotFound:
        raise ValidationFailed(_("请选择您管辖范围内的网格")) from None


_building_from = building_from  # the survey pages pick a building the same way


# ---------------------------------------------------------------- 安全隐患排查


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    open_only = request.GET.get("open") == "1"
    page = Paginator(selectors.inspection_list(user, open_only=open_only), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ledgers/inspections.html",
        {
            "page": page,
            "open_only": open_only,
            "templates": ChecklistTemplate.objects.filter(is_active=True),
            "may_inspect": user.is_superuser or user.has_role(*services.INSPECTION_ROLES),
        },
    )


@login_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    """The checklist on the phone: every item 合格 or 不合格, a note and (optionally) a case for
    each failed one. A refused form comes back with everything the worker entered."""
    user = _staff(request)
    code = request.POST.get("template") or request.GET.get("template", "")
    template = ChecklistTemplate.objects.filter(code=code, is_active=True).first()
    if template is None:
        return render(
            request,
            "ledgers/inspection_pick.html",
            {"templates": ChecklistTemplate.objects.filter(is_active=True)},
        )
    items = list(template.items.all())
    error = ""
    p = request.POST
    if request.method == "POST":
        try:
            inspection = inspection_from_form(
                actor=user,
                template=template,
                items=items,
                data=p,
                photos=clean_images(request.FILES.getlist("photos")),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("排查已提交"))
            return redirect("ledgers:inspection", inspection_id=inspection.pk)
    rows = [
        (
            item,
            p.get(f"item-{item.pk}", ""),
            p.get(f"note-{item.pk}", ""),
            p.get(f"report-{item.pk}"),
        )
        for item in items
    ]
    return render(
        request,
        "ledgers/inspection_new.html",
        {
            "template": template,
            "rows": rows,
            "buildings": _buildings(user),
            "form": p,
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = _staff(request)
    try:
        inspection = selectors.access_inspection(user, inspection_id)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "ledgers/inspection.html",
        {
            "inspection": inspection,
            "results": list(inspection.results.select_related("case", "rectified_by")),
            "may_act": user.is_superuser or user.has_role(*services.INSPECTION_ROLES),
        },
    )


def _result_action(request: HttpRequest, result_id: int, action: str) -> HttpResponse:
    user = _staff(request)
    try:
        result = selectors.access_result(user, result_id)
    except NotFound as exc:
        raise Http404 from exc
    try:
        if action == "report":
            result = services.inspection_result_report(actor=user, result=result)
            messages.success(request, _("已上报为事件 %(n)s") % {"n": result.case.number})  # type: ignore[union-attr]
        else:
            services.inspection_result_rectify(
                actor=user, result=result, note=request.POST.get("note", "")
            )
            messages.success(request, _("已确认整改"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("ledgers:inspection", inspection_id=result.inspection_id)


@login_required
@require_POST
def result_report(request: HttpRequest, result_id: int) -> HttpResponse:
    return _result_action(request, result_id, "report")


@login_required
@require_POST
def result_rectify(request: HttpRequest, result_id: int) -> HttpResponse:
    return _result_action(request, result_id, "rectify")


# ---------------------------------------------------------------- 物 and 组织


@login_required
def facilities(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    error = ""
    p = request.POST
    if request.method == "POST":
        try:
            building = _building_from(user, p.get("building", ""))
            node = None if building else _node_from(user, p.get("node", ""))
            checked = p.get("checked_on", "")
            try:
                checked_on = date.fromisoformat(checked) if checked else None
            except ValueError:
                raise ValidationFailed(_("检查日期格式不正确")) from None
            if checked_on is not None:
                check_date(checked_on)
            services.facility_add(
                actor=user,
                kind=p.get("kind", ""),
                name=p.get("name", ""),
                node=node,
                building=building,
                checked_on=checked_on,
                note=p.get("note", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("设施已登记"))
            return redirect("ledgers:facilities")
    qs = selectors.facilities_visible(user).select_related("building", "micro_grid")
    kind = request.GET.get("kind", "")
    if kind in FacilityKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ledgers/facilities.html",
        {
            "page": page,
            "kinds": FacilityKind.choices,
            "statuses": FacilityStatus.choices,
            "kind": kind,
            "buildings": _buildings(user),
            "nodes": _nodes(user, GridLevel.MICRO, GridLevel.GRID, GridLevel.EXCLUSIVE),
            "form": p,
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def facility_status(request: HttpRequest, facility_id: int) -> HttpResponse:
    user = _staff(request)
    try:
        facility = selectors.access_facility(user, facility_id)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.facility_set_status(
            actor=user, facility=facility, status=request.POST.get("status", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("设施状态已更新"))
    return redirect("ledgers:facilities")


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    error = ""
    p = request.POST
    if request.method == "POST":
        try:
            services.organisation_add(
                actor=user,
                kind=p.get("kind", ""),
                name=p.get("name", ""),
                node=_node_from(user, p.get("node", "")),
                address=p.get("address", ""),
                contact_name=p.get("contact_name", ""),
                contact_phone=p.get("contact_phone", ""),
                note=p.get("note", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("组织已登记"))
            return redirect("ledgers:organisations")
    qs = selectors.organisations_visible(user).select_related("node")
    kind = request.GET.get("kind", "")
    if kind in OrganisationKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(o, mask_name(o.contact_name), o.contact_phone_masked) for o in page]
    return render(
        request,
        "ledgers/organisations.html",
        {
            "page": page,
            "rows": rows,
            "kinds": OrganisationKind.choices,
            "kind": kind,
            "nodes": _nodes(
                user, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.MICRO, GridLevel.EXCLUSIVE
            ),
            "form": p,
            "error": error,
        },
        status=422 if error else 200,
    )


# ---------------------------------------------------------------- 议事厅 (staff)


@login_required
def topics(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    error = ""
    p = request.POST
    if request.method == "POST":
        try:
            topic = services.topic_create(
                actor=user,
                node=_node_from(user, p.get("node", "")),
                title=p.get("title", ""),
                body=p.get("body", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("议题已发布"))
            return redirect("ledgers:topic", topic_id=topic.pk)
    page = Paginator(selectors.topics_managed(user).select_related("node"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ledgers/topics.html",
        {
            "page": page,
            "nodes": _nodes(user, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.MICRO),
            "form": p,
            "error": error,
        },
        status=422 if error else 200,
    )


def _managed_topic(user: User, topic_id: int) -> Topic:
    topic = selectors.topics_managed(user).select_related("node").filter(pk=topic_id).first()
    if topic is None:
        raise Http404
    return topic


@login_required
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = _managed_topic(_staff(request), topic_id)
    return render(
        request,
        "ledgers/topic.html",
        {
            "topic": topic,
            "tally": selectors.tally(topic),
            "comments": selectors.topic_comments(topic),
        },
    )


@login_required
@require_POST
def topic_decide(request: HttpRequest, topic_id: int) -> HttpResponse:
    user = _staff(request)
    topic = _managed_topic(user, topic_id)
    try:
        services.topic_decide(actor=user, topic=topic, decision=request.POST.get("decision", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("议事决定已公布"))
    return redirect("ledgers:topic", topic_id=topic.pk)


# ---------------------------------------------------------------- 议事厅 (residents, /m/ shell)


@login_required
def yishi(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    topics_ = selectors.topics_for_resident(user).select_related("node")
    return render(
        request,
        "ledgers/yishi.html",
        {
            "open_topics": topics_.filter(status=TopicStatus.OPEN),
            "decided": topics_.filter(status=TopicStatus.DECIDED)[:20],
        },
    )


def _resident_topic(request: HttpRequest, topic_id: int) -> Topic:
    topic = (
        selectors.topics_for_resident(_user(request)).select_related("node").filter(pk=topic_id)
    ).first()
    if topic is None:
        raise Http404
    return topic


@login_required
def yishi_topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    user = _user(request)
    topic = _resident_topic(request, topic_id)
    mine = topic.votes.filter(voter=user).first()
    return render(
        request,
        "ledgers/yishi_topic.html",
        {
            "topic": topic,
            "tally": selectors.tally(topic),
            "comments": selectors.topic_comments(topic),
            "mine": mine,
            "choices": VoteChoice.choices,
            "may_take_part": services.may_take_part(user, topic),
        },
    )


@login_required
@require_POST
def yishi_vote(request: HttpRequest, topic_id: int) -> HttpResponse:
    user = _user(request)
    topic = _resident_topic(request, topic_id)
    try:
        services.topic_vote(actor=user, topic=topic, choice=request.POST.get("choice", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("投票成功"))
    return redirect("ledgers:yishi-topic", topic_id=topic.pk)


@login_required
@require_POST
def yishi_comment(request: HttpRequest, topic_id: int) -> HttpResponse:
    user = _user(request)
    topic = _resident_topic(request, topic_id)
    try:
        services.topic_comment(actor=user, topic=topic, body=request.POST.get("body", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("意见已发表"))
    return redirect("ledgers:yishi-topic", topic_id=topic.pk)
