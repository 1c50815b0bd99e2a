"""Pages for knowing the grid: the person list, a person, a visit on the phone, import/export."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import ID_REVEAL_ROLES, User
from wangge.accounts.selectors import may_reveal
from wangge.core.errors import ValidationFailed
from wangge.core.images import clean_images
from wangge.core.paging import paginate
from wangge.core.scope import path_in_scope
from wangge.core.web import (
    AuthedRequest,
    Refusal,
    answers_json,
    cleaned,
    download,
    flash_refusal,
    revealed,
)
from wangge.grids.models import Building, GridNode
from wangge.grids.selectors import BuildingNotFound, access_node, building_for_input, node_path
from wangge.ledgers import selectors as ledger_selectors
from wangge.points.models import Earning
from wangge.residents import selectors, services
from wangge.residents.forms import (
    BuildingPickForm,
    DisputeActionForm,
    DisputeForm,
    DisputeListForm,
    MediationForm,
    NoteForm,
    PersonExportForm,
    PersonForm,
    PersonListForm,
    ScreeningForm,
    TagForm,
    VisitForm,
    WishActionForm,
    WishListForm,
)
from wangge.residents.models import (
    OPEN_DISPUTE_STATUSES,
    DisputeKind,
    EscalationUnit,
    Relation,
    ResidenceKind,
    RiskLevel,
    SecurityCategory,
    SpecialGroup,
    Wish,
    WishStatus,
)

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000


def _staff_only(user: User) -> None:
    # Residents and outsiders have no grid: the pages do not exist for them.
    if not user.is_grid_staff:
        raise Http404


def _filter(listed: PersonListForm) -> selectors.PersonFilter:
    return selectors.PersonFilter(
        q=listed.value("q"),
        grid=listed.value("grid"),
        building=listed.value("building"),
        residence=listed.value("residence"),
        group=listed.value("group"),
        present=listed.present_only(),
    )


@login_required
def person_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _staff_only(user)
    listed = PersonListForm(request.GET)
    f = _filter(listed)
    rows = selectors.person_list(user, f).only(
        "name",
        "gender",
        "birth_date",
        "id_number_masked",
        "phone_masked",
        "relation",
        "residence",
        "is_present",
        "household__room",
        "household__building__address",
        "household__building__code",
    )
    page = paginate(request, rows, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "residents/list.html",
        {
            "page": page,
            "f": f,
            "query": query.urlencode(),
            "residences": ResidenceKind.choices,
            "groups": SpecialGroup.choices,
            "relation_kinds": Relation,
            "today": timezone.localdate(),
            "may_export_full": may_reveal(user, ID_REVEAL_ROLES),
            "home_code": _home_code(user),
            "may_see_security": selectors.may_see_security(user),
            "list_error": listed.error,
        },
        status=listed.status_code,
    )


def _home_code(user: User) -> str:
    """The node a worker's 六要素 link opens: the (first) node they hold, or the district."""
    paths = user.scope_paths()
    if paths:
        return paths[0].rstrip("/").rsplit("/", 1)[-1]
    if paths is None:
        root = GridNode.objects.filter(parent__isnull=True).order_by("path").first()
        return root.code if root else ""
    return ""


@login_required
def six_elements(request: AuthedRequest, code: str) -> HttpResponse:
    user = request.user
    node = access_node(user, code)
    _staff_only(user)
    return render(
        request,
        "residents/six.html",
        {
            "node": node,
            # Ancestors above the caller's grant are named but not linked: they would 404.
            "trail": [(n, path_in_scope(user, n.path)) for n in node_path(node)],
            "children": GridNode.objects.filter(parent=node).order_by("code"),
            **selectors.six_elements(user, node),
            **ledger_selectors.six_things(user, node),
        },
    )


@login_required
def person_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = selectors.access_person(user, person_id)
    return render(
        request,
        "residents/detail.html",
        {
            "person": person,
            "may_reveal_id": may_reveal(user, ID_REVEAL_ROLES),
            "groups": SpecialGroup.choices,
            "may_see_security": selectors.may_see_security(user),
            "security_categories": SecurityCategory.choices,
            **selectors.person_history(user, person),
            "visits": paginate(request, selectors.person_visits(person), 20, param="visits_page"),
            "wishes": paginate(request, selectors.person_wishes(person), 20, param="wishes_page"),
        },
    )


@login_required
@require_POST
@answers_json
def person_reveal(request: AuthedRequest, person_id: int, field: str) -> HttpResponse:
    """The full ID number or phone for the worker who taps 查看; written to the audit log."""
    user = request.user
    if field not in ("id_number", "phone"):
        raise Http404
    person = selectors.access_person(user, person_id)
    reveal = (
        services.person_reveal_id_number if field == "id_number" else services.person_reveal_phone
    )
    return revealed(request, partial(reveal, actor=user, person=person), purpose=_("核实人员信息"))


@login_required
@require_POST
def person_move_out(request: AuthedRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = selectors.access_person(user, person_id)
    with flash_refusal(request):
        d = cleaned(NoteForm(request.POST))
        services.person_move_out(actor=user, person=person, note=d["note"])
        messages.success(request, _("已登记迁出"))
    return redirect("residents:person", person_id=person_id)


def _save_tag(
    request: AuthedRequest,
    person_id: int,
    save: Callable[..., Any],
    fields: dict[str, str],
    done: str,
) -> HttpResponse:
    """Shared by the special-group and the security-category forms: same checks, same answer."""
    user = request.user
    person = selectors.access_person(user, person_id)
    with flash_refusal(request):
        d = cleaned(TagForm(request.POST))
        save(
            actor=user,
            person=person,
            visit_every_days=30 if d["visit_every_days"] is None else d["visit_every_days"],
            is_active=not d["end"],
            **{name: d[key] for name, key in fields.items()},
        )
        messages.success(request, done)
    return redirect("residents:person", person_id=person.pk)


@login_required
@require_POST
def person_tag(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Put a person in a special group, or change the plan and frequency (or end it)."""
    return _save_tag(
        request,
        person_id,
        services.group_tag_set,
        {"group": "group", "care_plan": "care_plan"},
        _("已保存特殊人群信息"),
    )


@login_required
@require_POST
def person_security(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Set a GB/T 31000 category; the page does not exist for users not granted them."""
    if not selectors.may_see_security(request.user):
        raise Http404
    return _save_tag(
        request,
        person_id,
        services.security_tag_set,
        {"category": "category", "measures": "measures"},
        _("已保存"),
    )


def _picked_building(user: User, picked: BuildingPickForm) -> Building:
    """The building of a registration form's address picker (required there)."""
    d = cleaned(picked)
    building = building_for_input(user, code=d["building"], address=d["building_address"])
    if building is None:
        raise BuildingNotFound(_("请输入楼栋地址并从候选中选择"))
    return building


@login_required
def person_new(request: AuthedRequest) -> HttpResponse:
    """Register one person (and their household, if the room is new) by hand."""
    user = request.user
    _staff_only(user)
    p = request.POST
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            building = _picked_building(user, BuildingPickForm(p))
            person = services.person_register_at(
                actor=user, building_code=building.code, **cleaned(PersonForm(p))
            )
            messages.success(request, _("已登记"))
            return redirect("residents:person", person_id=person.pk)
    return render(
        request,
        "residents/new.html",
        {
            "error": refusal.besides("building"),
            "building_error": refusal.at("building"),
            "form": p,
            "residences": ResidenceKind.choices,
            "relations": Relation.choices,
        },
        status=refusal.status,
    )


@login_required
def visit_new(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The phone form a worker fills at the door."""
    user = request.user
    person = selectors.access_person(user, person_id)
    _staff_only(user)
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(VisitForm(request.POST))
            services.visit_record_with_wish(
                actor=user,
                person=person,
                findings=d["findings"],
                follow_up=d["follow_up"],
                follow_up_as_case=d["as_case"],
                lon=d["lon"],
                lat=d["lat"],
                photos=clean_images(request.FILES.getlist("photos")),
                wish=d["wish"],
                wish_detail=d["wish_detail"],
            )
            messages.success(request, _("走访已记录"))
            return redirect("residents:person", person_id=person.pk)
    return render(
        request,
        "residents/visit.html",
        {"person": person, "error": refusal.message, "form": request.POST},
        status=refusal.status,
    )


@login_required
def security_list(request: AuthedRequest) -> HttpResponse:
    """综治重点人员: a page that does not exist for anyone not granted the categories."""
    user = request.user
    if not selectors.may_see_security(user):
        raise Http404
    rows = (
        selectors.security_tags_visible(user)
        .filter(is_active=True, person__is_present=True)
        .select_related("person__household__building")
        .order_by("category", "person__household__building__code", "person__household__room")
    )
    page = paginate(request, rows, PAGE_SIZE)
    return render(request, "residents/security.html", {"page": page})


@login_required
def overdue(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _staff_only(user)
    page = paginate(request, selectors.overdue_visits(user), PAGE_SIZE)
    return render(request, "residents/overdue.html", {"page": page})


@login_required
def person_import(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _staff_only(user)
    report = None
    refusal = Refusal()
    if request.method == "POST":
        upload = request.FILES.get("file")
        with refusal:
            if upload is None:
                raise ValidationFailed(_("请选择要导入的 Excel 文件"))
            if upload.size is not None and upload.size > 20 * 1024 * 1024:
                raise ValidationFailed(_("文件不能超过 20 MB"))
            report = services.persons_import(actor=user, data=upload.read())
    status = 422 if refusal or (report and not report.ok) else 200
    return render(
        request,
        "residents/import.html",
        {"report": report, "error": refusal.message, "columns": services.IMPORT_COLUMNS},
        status=status,
    )


@login_required
def person_export(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _staff_only(user)
    asked = PersonExportForm(request.GET)
    if asked.error:
        # An export filtered by all but the unreadable value would be a wrong file.
        raise ValidationFailed(asked.error)
    rows = selectors.person_list(user, _filter(asked))
    if rows.count() > EXPORT_LIMIT:
        messages.error(request, _("一次最多导出 %(n)d 人，请缩小筛选范围") % {"n": EXPORT_LIMIT})
        return redirect(f"{reverse('residents:list')}?{request.GET.urlencode()}")
    data = services.persons_export(
        actor=user,
        persons=list(rows.prefetch_related("tags")),
        unmasked=asked.value("full"),
        ip=request.META.get("REMOTE_ADDR"),
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return download(data, f"persons-{stamp}.xlsx", kind="xlsx")


@login_required
def wishes(request: AuthedRequest) -> HttpResponse:
    """Staff see the ledger of their grid; volunteers and party members the community's board."""
    user = request.user
    if not selectors.may_see_wishes(user):
        raise Http404
    staff = user.is_grid_staff
    rows = (
        selectors.wishes_visible(user).select_related("person")
        if staff
        else selectors.wish_board(user).select_related("claimed_by")
    )
    listed = WishListForm(request.GET)
    status = listed.value("status")
    if status:
        rows = rows.filter(status=status)
    page = paginate(request, rows.order_by("-created_at"), PAGE_SIZE)
    return render(
        request,
        "residents/wishes.html",
        {
            "page": page,
            "staff": staff,
            "statuses": WishStatus.choices,
            "status": status,
            "list_error": listed.error,
        },
        status=listed.status_code,
    )


@login_required
def wish_detail(request: AuthedRequest, wish_id: int) -> HttpResponse:
    user = request.user
    wish, full = selectors.access_wish(user, wish_id)
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(WishActionForm(request.POST))
            action = d["action"]
            if action == "publish":
                services.wish_publish(actor=user, wish=wish)
            elif action == "claim":
                services.wish_claim(actor=user, wish=wish)
            elif action == "fulfil":
                services.wish_fulfil(
                    actor=user,
                    wish=wish,
                    note=d["note"],
                    photos=clean_images(request.FILES.getlist("photos")),
                )
            elif action == "thank":
                thanked = services.wish_thank(actor=user, wish=wish, thanks=d["thanks"])
                _said_points(
                    request, thanked.wish, thanked.earning, thanked.unpaid, paid_later=False
                )
                return redirect("residents:wish", wish_id=wish.pk)
            else:  # pay
                paid = services.wish_points_pay(actor=user, wish=wish)
                _said_points(request, wish, paid, "", paid_later=True)
                return redirect("residents:wish", wish_id=wish.pk)
            messages.success(request, _("已保存"))
            return redirect("residents:wish", wish_id=wish.pk)
        wish.refresh_from_db()
    earning = selectors.wish_points(wish)
    return render(
        request,
        "residents/wish.html",
        {
            "wish": wish,
            "full": full,
            "error": refusal.message,
            "earning": earning,
            "outcomes": Earning.Outcome,
            "may_pay": full and wish.is_thanked and earning is None,
            "may_claim": wish.can_claim and user.has_role(*selectors.VOLUNTEER_ROLES),
            "may_fulfil": wish.can_fulfil and wish.claimed_by_id == user.pk,
        },
        status=refusal.status,
    )


def _said_points(
    request: AuthedRequest, wish: Wish, earning: Earning | None, unpaid: str, *, paid_later: bool
) -> None:
    """Tell the staff member what the thanks (or a later payment) gave the claimer, or why it
    gave nothing."""
    assert wish.claimed_by is not None
    who = wish.claimed_by.name or wish.claimed_by.masked_phone
    done = _("已补发") if paid_later else _("已致谢")
    if unpaid:
        messages.warning(
            request,
            _("已致谢，但活力值未能发放：%(why)s。请联系管理员下拨预算后，在本页补发。")
            % {"why": unpaid},
        )
    elif earning is not None and earning.granted:
        messages.success(
            request,
            _("%(done)s，%(who)s 获得活力值 %(n)d")
            % {"done": done, "who": who, "n": earning.granted},
        )
    elif earning is not None:
        messages.success(
            request,
            _("%(done)s；%(who)s 未获得活力值：%(why)s")
            % {"done": done, "who": who, "why": earning.get_outcome_display()},
        )


@login_required
def disputes(request: AuthedRequest) -> HttpResponse:
    """The ledger of the caller's grid, open ones first; the registration form beside it."""
    user = request.user
    _staff_only(user)
    p = request.POST
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            b = _picked_building(user, BuildingPickForm(p))
            d = services.dispute_register(actor=user, building=b, **cleaned(DisputeForm(p)))
            messages.success(request, _("纠纷已登记"))
            return redirect("residents:dispute", dispute_id=d.pk)
    listed = DisputeListForm(request.GET)
    show = listed.value("show")
    rows = selectors.disputes_visible(user).select_related("building")
    if show == "open":
        rows = rows.filter(status__in=OPEN_DISPUTE_STATUSES)
    page = paginate(request, rows.order_by("next_step_on", "-created_at"), PAGE_SIZE)
    return render(
        request,
        "residents/disputes.html",
        {
            "page": page,
            "show": show,
            "error": refusal.besides("building"),
            "building_error": refusal.at("building"),
            "form": p,
            "kinds": DisputeKind.choices,
            "risks": RiskLevel.choices,
            "risk_levels": RiskLevel,
            "today": timezone.localdate(),
            "home_code": _home_code(user),
            "list_error": listed.error,
        },
        status=refusal.status if refusal else listed.status_code,
    )


@login_required
def dispute_detail(request: AuthedRequest, dispute_id: int) -> HttpResponse:
    user = request.user
    dispute = selectors.access_dispute(user, dispute_id)
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(DisputeActionForm(request.POST))
            if d["action"] == "mediate":
                services.dispute_mediate(
                    actor=user, dispute=dispute, **cleaned(MediationForm(request.POST))
                )
            elif d["action"] == "escalate":
                services.dispute_escalate(
                    actor=user, dispute=dispute, unit=d["unit"], reason=d["reason"]
                )
            else:
                services.dispute_clear(actor=user, dispute=dispute, outcome=d["outcome"])
            messages.success(request, _("已保存"))
            return redirect("residents:dispute", dispute_id=dispute.pk)
        dispute.refresh_from_db()
    return render(
        request,
        "residents/dispute.html",
        {
            "d": dispute,
            "mediations": list(dispute.mediations.select_related("mediator")),
            "units": EscalationUnit.choices,
            "error": refusal.message,
        },
        status=refusal.status,
    )


@login_required
def dispute_screening(request: AuthedRequest, code: str) -> HttpResponse:
    """月度矛盾纠纷排查 of a community (or any node the caller holds)."""
    user = request.user
    node = access_node(user, code)
    _staff_only(user)
    asked = ScreeningForm(request.GET)
    month = asked.value("month") or timezone.localdate()
    return render(
        request,
        "residents/screening.html",
        {
            "node": node,
            "month": month,
            **selectors.dispute_screening(user, node, month),
            "error": asked.error,
        },
        status=asked.status_code,
    )
