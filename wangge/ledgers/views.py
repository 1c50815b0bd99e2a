"""Pages: hazard checklists on the phone, the facility and organisation registers, and the
议事厅 (staff pages on the desktop, residents' pages in the 原点在线 shell)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wangge.accounts.models import User
from wangge.core.errors import ValidationFailed
from wangge.core.images import clean_images
from wangge.core.masking import mask_name
from wangge.core.paging import paginate
from wangge.core.scope import in_scope, path_in_scope
from wangge.core.web import AuthedRequest, Refusal, cleaned, flash_refusal
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.grids.selectors import (
    building_for_input,
    nodes_in_scope,
)
from wangge.ledgers import selectors, services
from wangge.ledgers.forms import (
    ORGANISATION_FIELDS,
    TOPIC_FIELDS,
    CommentForm,
    FacilityForm,
    FacilityListForm,
    FacilityStatusForm,
    InspectionForm,
    InspectionListForm,
    OrganisationForm,
    OrganisationListForm,
    PlaceForm,
    RectifyForm,
    TemplatePickForm,
    TopicDecideForm,
    TopicForm,
    VoteForm,
)
from wangge.ledgers.inspection_input import inspection_from_form
from wangge.ledgers.models import (
    ChecklistTemplate,
    FacilityKind,
    FacilityStatus,
    OrganisationKind,
    Topic,
    TopicStatus,
    VoteChoice,
)


def _staff(request: AuthedRequest) -> User:
    if not request.user.is_grid_staff:
        raise Http404
    return request.user


def _buildings(user: User) -> list[Building]:
    return list(
        in_scope(user, Building.objects.select_related("micro_grid"), "micro_grid__path").order_by(
            "address"
        )[:500]
    )


def _nodes(user: User, *levels: str) -> list[GridNode]:
    return list(nodes_in_scope(user, levels)[:300])


def _node_from(user: User, code: str) -> GridNode:
    """The node picked from the page's list: one in the user's scope, or a refusal at that
    input."""
    node = GridNode.objects.filter(code=code).first() if code else None
    if node is None or not path_in_scope(user, node.path):
        raise ValidationFailed(_("请选择您管辖范围内的网格"), field="node")
    return node


def _building_by_pk(user: User, value: str) -> Building | None:
    """A building chosen from a list of the user's buildings (the door-to-door survey lists
    only the survey's own, by address)."""
    if not value:
        return None
    building = (
        in_scope(user, Building.objects.all(), "micro_grid__path")
        .select_related("micro_grid")
        .filter(pk=value if value.isdigit() else 0)
        .first()
    )
    if building is None:
        raise ValidationFailed(_("请选择您管辖范围内的楼栋"))
    return building


# ---------------------------------------------------------------- 安全隐患排查


# 台账: the registers a grid worker keeps, one tap from the bottom tab. Every page here is a
# staff page of the caller's grid, as this one is. (url name, title, what it holds)
LEDGER_HOME: tuple[tuple[str, Any, Any], ...] = (
    (
        "ledgers:inspections",
        gettext_lazy("安全隐患排查"),
        gettext_lazy("消防、燃气、飞线充电、高空坠物清单"),
    ),
    ("residents:list", gettext_lazy("实有人口"), gettext_lazy("人口、户籍、特殊群体")),
    ("residents:overdue", gettext_lazy("走访"), gettext_lazy("到期未走访的重点人员")),
    ("residents:disputes", gettext_lazy("矛盾纠纷"), gettext_lazy("登记、化解、排查")),
    ("residents:wishes", gettext_lazy("微心愿"), gettext_lazy("心愿台账与认领")),
    ("ledgers:facilities", gettext_lazy("物"), gettext_lazy("设施、部件及其状态")),
    ("ledgers:organisations", gettext_lazy("组织"), gettext_lazy("社会组织、党组织、商户")),
    ("enterprises:registry", gettext_lazy("企业"), gettext_lazy("企业名录与走访")),
    ("ledgers:topics", gettext_lazy("议事厅"), gettext_lazy("居民议事与表决")),
    ("ledgers:surveys", gettext_lazy("民意调查"), gettext_lazy("问卷与入户调查")),
    ("patrols:reports", gettext_lazy("巡查报告"), gettext_lazy("周报、月报")),
)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    _staff(request)
    return render(request, "ledgers/home.html", {"sections": LEDGER_HOME})


@login_required
def inspections(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    open_only = InspectionListForm(request.GET).value("open")
    page = paginate(request, selectors.inspection_list(user, open_only=open_only), 30)
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
def inspection_new(request: AuthedRequest) -> HttpResponse:
    """The checklist on the phone: every item 合格 or 不合格, a note and (optionally) a case for
    each failed one. A refused form comes back with everything the worker entered."""
    user = _staff(request)
    code = (
        cleaned(TemplatePickForm(request.POST))["template"]
        or cleaned(TemplatePickForm(request.GET))["template"]
    )
    template = ChecklistTemplate.objects.filter(code=code, is_active=True).first()
    if template is None:
        return render(
            request,
            "ledgers/inspection_pick.html",
            {"templates": ChecklistTemplate.objects.filter(is_active=True)},
        )
    p = request.POST
    form = InspectionForm(p, items=template.items.all())
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            inspection = inspection_from_form(
                actor=user,
                template=template,
                form=form,
                photos=clean_images(request.FILES.getlist("photos")),
            )
            messages.success(request, _("排查已提交"))
            return redirect("ledgers:inspection", inspection_id=inspection.pk)
    return render(
        request,
        "ledgers/inspection_new.html",
        {
            "template": template,
            "rows": form.rows(),
            "form": p,
            "error": refusal.besides("building"),
            "building_error": refusal.at("building"),
        },
        status=refusal.status,
    )


@login_required
def inspection_detail(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    user = _staff(request)
    inspection = selectors.access_inspection(user, inspection_id)
    return render(
        request,
        "ledgers/inspection.html",
        {
            "inspection": inspection,
            "results": list(inspection.results.select_related("case", "rectified_by")),
            "may_act": user.is_superuser or user.has_role(*services.INSPECTION_ROLES),
        },
    )


def _result_action(request: AuthedRequest, result_id: int, action: str) -> HttpResponse:
    user = _staff(request)
    result = selectors.access_result(user, result_id)
    with flash_refusal(request):
        if action == "report":
            result = services.inspection_result_report(actor=user, result=result)
            messages.success(request, _("已上报为事件 %(n)s") % {"n": result.case.number})  # type: ignore[union-attr]
        else:
            d = cleaned(RectifyForm(request.POST))
            services.inspection_result_rectify(actor=user, result=result, note=d["note"])
            messages.success(request, _("已确认整改"))
    return redirect("ledgers:inspection", inspection_id=result.inspection_id)


@login_required
@require_POST
def result_report(request: AuthedRequest, result_id: int) -> HttpResponse:
    return _result_action(request, result_id, "report")


@login_required
@require_POST
def result_rectify(request: AuthedRequest, result_id: int) -> HttpResponse:
    return _result_action(request, result_id, "rectify")


# ---------------------------------------------------------------- 物 and 组织


@login_required
def facilities(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    p = request.POST
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            place = cleaned(PlaceForm(p))
            building = building_for_input(
                user, code=place["building"], address=place["building_address"]
            )
            node = None if building else _node_from(user, place["node"])
            d = cleaned(FacilityForm(p))
            services.facility_add(
                actor=user,
                kind=d["kind"],
                name=d["name"],
                node=node,
                building=building,
                checked_on=d["checked_on"],
                note=d["note"],
            )
            messages.success(request, _("设施已登记"))
            return redirect("ledgers:facilities")
    qs = selectors.facilities_visible(user).select_related("building", "micro_grid")
    listed = FacilityListForm(request.GET)
    kind = listed.value("kind")
    if kind:
        qs = qs.filter(kind=kind)
    page = paginate(request, qs, 50)
    return render(
        request,
        "ledgers/facilities.html",
        {
            "page": page,
            "kinds": FacilityKind.choices,
            "statuses": FacilityStatus.choices,
            "kind": kind,
            "nodes": _nodes(user, GridLevel.MICRO, GridLevel.GRID, GridLevel.EXCLUSIVE),
            "form": p,
            "error": refusal.besides("building"),
            "building_error": refusal.at("building"),
            "list_error": listed.error,
        },
        status=refusal.status if refusal else listed.status_code,
    )


@login_required
@require_POST
def facility_status(request: AuthedRequest, facility_id: int) -> HttpResponse:
    user = _staff(request)
    facility = selectors.access_facility(user, facility_id)
    with flash_refusal(request):
        d = cleaned(FacilityStatusForm(request.POST))
        services.facility_set_status(actor=user, facility=facility, status=d["status"])
        messages.success(request, _("设施状态已更新"))
    return redirect("ledgers:facilities")


@login_required
def organisations(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    p = request.POST
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(OrganisationForm(p))
            services.organisation_add(actor=user, **{**d, "node": _node_from(user, d["node"])})
            messages.success(request, _("组织已登记"))
            return redirect("ledgers:organisations")
    qs = selectors.organisations_visible(user).select_related("node")
    listed = OrganisationListForm(request.GET)
    kind = listed.value("kind")
    if kind:
        qs = qs.filter(kind=kind)
    page = paginate(request, qs, 50)
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
            "errors": refusal.by_field(*ORGANISATION_FIELDS),
            "list_error": listed.error,
        },
        status=refusal.status if refusal else listed.status_code,
    )


# ---------------------------------------------------------------- 议事厅 (staff)


@login_required
def topics(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    p = request.POST
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(TopicForm(p))
            topic = services.topic_create(
                actor=user, node=_node_from(user, d["node"]), title=d["title"], body=d["body"]
            )
            messages.success(request, _("议题已发布"))
            return redirect("ledgers:topic", topic_id=topic.pk)
    page = paginate(request, selectors.topics_managed(user).select_related("node"), 30)
    return render(
        request,
        "ledgers/topics.html",
        {
            "page": page,
            "nodes": _nodes(user, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.MICRO),
            "form": p,
            "errors": refusal.by_field(*TOPIC_FIELDS),
        },
        status=refusal.status,
    )


def _comments(request: AuthedRequest, topic: Topic) -> dict[str, object]:
    page = paginate(request, selectors.topic_comments(topic), 30)
    return {"comments_page": page, "comments": selectors.named_comments(page)}


def _managed_topic(user: User, topic_id: int) -> Topic:
    topic = selectors.topics_managed(user).select_related("node").filter(pk=topic_id).first()
    if topic is None:
        raise Http404
    return topic


@login_required
def topic_detail(request: AuthedRequest, topic_id: int) -> HttpResponse:
    topic = _managed_topic(_staff(request), topic_id)
    return render(
        request,
        "ledgers/topic.html",
        {
            "topic": topic,
            "tally": selectors.tally(topic),
            **_comments(request, topic),
        },
    )


@login_required
@require_POST
def topic_decide(request: AuthedRequest, topic_id: int) -> HttpResponse:
    user = _staff(request)
    topic = _managed_topic(user, topic_id)
    with flash_refusal(request):
        d = cleaned(TopicDecideForm(request.POST))
        services.topic_decide(actor=user, topic=topic, decision=d["decision"])
        messages.success(request, _("议事决定已公布"))
    return redirect("ledgers:topic", topic_id=topic.pk)


# ---------------------------------------------------------------- 议事厅 (residents, /m/ shell)


@login_required
def yishi(request: AuthedRequest) -> HttpResponse:
    user = request.user
    topics_ = selectors.topics_for_resident(user).select_related("node")
    return render(
        request,
        "ledgers/yishi.html",
        {
            "open_topics": paginate(request, topics_.filter(status=TopicStatus.OPEN), 20),
            "decided": paginate(
                request,
                topics_.filter(status=TopicStatus.DECIDED).order_by("-decided_at", "-pk"),
                20,
                param="decided_page",
            ),
        },
    )


def _resident_topic(request: AuthedRequest, topic_id: int) -> Topic:
    topic = (
        selectors.topics_for_resident(request.user).select_related("node").filter(pk=topic_id)
    ).first()
    if topic is None:
        raise Http404
    return topic


@login_required
def yishi_topic(request: AuthedRequest, topic_id: int) -> HttpResponse:
    user = request.user
    topic = _resident_topic(request, topic_id)
    mine = topic.votes.filter(voter=user).first()
    return render(
        request,
        "ledgers/yishi_topic.html",
        {
            "topic": topic,
            "tally": selectors.tally(topic),
            **_comments(request, topic),
            "mine": mine,
            "choices": VoteChoice.choices,
            "may_take_part": services.may_take_part(user, topic),
        },
    )


@login_required
@require_POST
def yishi_vote(request: AuthedRequest, topic_id: int) -> HttpResponse:
    user = request.user
    topic = _resident_topic(request, topic_id)
    with flash_refusal(request):
        d = cleaned(VoteForm(request.POST))
        services.topic_vote(actor=user, topic=topic, choice=d["choice"])
        messages.success(request, _("投票成功"))
    return redirect("ledgers:yishi-topic", topic_id=topic.pk)


@login_required
@require_POST
def yishi_comment(request: AuthedRequest, topic_id: int) -> HttpResponse:
    user = request.user
    topic = _resident_topic(request, topic_id)
    with flash_refusal(request):
        d = cleaned(CommentForm(request.POST))
        services.topic_comment(actor=user, topic=topic, body=d["body"])
        messages.success(request, _("意见已发表"))
    return redirect("ledgers:yishi-topic", topic_id=topic.pk)
