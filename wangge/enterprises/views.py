"""Pages: the 企业服务 module of the resident app, and the back office (registry, policies,
visits)."""

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

from wangge.accounts.models import User
from wangge.accounts.selectors import may_reveal
from wangge.core.paging import paginate
from wangge.core.web import (
    AuthedRequest,
    Refusal,
    answers_json,
    cleaned,
    download,
    flash_refusal,
    revealed,
)
from wangge.enterprises import criteria as crit
from wangge.enterprises import forms, selectors, services
from wangge.enterprises.models import (
    Industry,
    Policy,
    RequestKind,
    RevenueBand,
    Size,
    VisitTopic,
)

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000


def _choices() -> dict[str, Any]:
    return {
        "industries": Industry.choices,
        "sizes": Size.choices,
        "revenue_bands": RevenueBand.choices,
        "request_kinds": RequestKind.choices,
        "topics": VisitTopic.choices,
    }


# -- the resident app module --------------------------------------------------------------------


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """企业服务: my enterprise, the policies matched to it with reasons, requests."""
    user = request.user
    mine = list(selectors.my_enterprises(user))
    if not mine:
        if user.is_grid_staff:
            return redirect("enterprises:registry")
        return render(request, "enterprises/none.html", {"tab": "home"})
    asked = forms.HomeForm(request.GET).value("e")
    chosen = next((e for e in mine if str(e.pk) == asked), mine[0])
    matches = selectors.policy_matches(chosen)
    return render(
        request,
        "enterprises/home.html",
        {
            "tab": "home",
            "e": chosen,
            "mine": mine,
            # The verdicts are counted over every policy; the list shows them a page at a time.
            "matches": paginate(request, matches, 20, param="policies_page"),
            "counts": {
                s: sum(1 for _p, m in matches if m.status == s)
                for s in (crit.QUALIFIED, crit.PENDING, crit.NOT_QUALIFIED)
            },
            "questions": [
                (q, (chosen.answers or {}).get(q)) for q in selectors.all_questions(matches)
            ],
            "requests": paginate(request, selectors.requests_of(chosen), 20),
            "today": timezone.localdate(),
            **_choices(),
        },
    )


@login_required
def profile(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    user = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    if not services.may_manage(user, e):
        raise Http404
    refusal = Refusal()
    values: Any = forms.enterprise_initial(e)
    if request.method == "POST":
        values = request.POST
        with refusal:
            d = cleaned(forms.EnterpriseForm(request.POST))
            services.enterprise_update(actor=user, enterprise=e, data=forms.enterprise_input(d))
            messages.success(request, _("企业信息已保存"))
            if selectors.is_member(user, e):
                return redirect(f"{reverse('enterprises:home')}?e={e.pk}")
            return redirect("enterprises:detail", enterprise_id=e.pk)
    return render(
        request,
        "enterprises/profile.html",
        {"tab": "home", "e": e, "values": values, "error": refusal.message, **_choices()},
        status=refusal.status,
    )


@login_required
@require_POST
def answers(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    user = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    given = forms.AnswersForm(request.POST).answers()
    with flash_refusal(request):
        services.enterprise_answer(actor=user, enterprise=e, answers=given)
        messages.success(request, _("回答已保存，匹配结果已更新"))
    return redirect(f"{reverse('enterprises:home')}?e={e.pk}#questions")


@login_required
def request_new(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    user = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(forms.RequestForm(request.POST))
            r = services.enterprise_request_submit(
                actor=user, enterprise=e, kind=d["kind"], description=d["description"]
            )
            messages.success(request, _("诉求已提交，事件编号 %(n)s") % {"n": r.case.number})
            return redirect(f"{reverse('enterprises:home')}?e={e.pk}#requests")
    return render(
        request,
        "enterprises/request.html",
        {"tab": "home", "e": e, "error": refusal.message, "values": request.POST, **_choices()},
        status=refusal.status,
    )


# -- back office --------------------------------------------------------------------------------


def _staff_only(user: User) -> None:
    if not user.is_grid_staff:
        raise Http404


def _filter(asked: forms.RegistryForm) -> selectors.EnterpriseFilter:
    return selectors.EnterpriseFilter(
        q=asked.value("q"),
        industry=asked.value("industry"),
        size=asked.value("size"),
        grid=asked.value("grid"),
        tag=asked.value("tag"),
    )


@login_required
def registry(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _staff_only(user)
    f = _filter(forms.RegistryForm(request.GET))
    page = paginate(request, selectors.enterprise_list(user, f), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/registry.html",
        {
            "page": page,
            "f": f,
            "query": query.urlencode(),
            "may_export_full": may_reveal(user),
            "may_edit_policies": selectors.may_edit_policies(user),
            **_choices(),
        },
    )


@login_required
def registry_export(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _staff_only(user)
    asked = forms.RegistryExportForm(request.GET)
    rows = selectors.enterprise_list(user, _filter(asked))
    if rows.count() > EXPORT_LIMIT:
        messages.error(request, _("一次最多导出 %(n)d 家，请缩小筛选范围") % {"n": EXPORT_LIMIT})
        return redirect(f"{reverse('enterprises:registry')}?{request.GET.urlencode()}")
    data = services.enterprises_export(
        actor=user,
        enterprises=list(rows),
        unmasked=asked.value("full"),
        ip=request.META.get("REMOTE_ADDR"),
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return download(data, f"enterprises-{stamp}.xlsx", kind="xlsx")


@login_required
def registry_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _staff_only(user)
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(forms.EnterpriseForm(request.POST))
            e = services.enterprise_create(actor=user, data=forms.enterprise_input(d))
            messages.success(request, _("企业已登记"))
            return redirect("enterprises:detail", enterprise_id=e.pk)
    return render(
        request,
        "enterprises/new.html",
        {"values": request.POST, "error": refusal.message, **_choices()},
        status=refusal.status,
    )


@login_required
def detail(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    user = request.user
    _staff_only(user)
    e = selectors.access_enterprise(user, enterprise_id)
    if not selectors.enterprise_in_scope(user, e):
        raise Http404
    return render(
        request,
        "enterprises/detail.html",
        {
            "e": e,
            "matches": paginate(request, selectors.policy_matches(e), 30, param="policies_page"),
            "requests": paginate(request, selectors.requests_of(e), 20, param="requests_page"),
            "visits": paginate(
                request,
                e.visits.select_related("case").order_by("-visited_on", "-pk"),
                20,
                param="visits_page",
            ),
            "members": list(e.members.all()),
            "may_reveal": may_reveal(user),
            "today": timezone.localdate(),
            **_choices(),
        },
    )


@answers_json
@login_required
@require_POST
def reveal(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    user = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    reveal = partial(services.enterprise_reveal_phone, actor=user, enterprise=e)
    return revealed(request, reveal, purpose=_("联系企业"))


@login_required
@require_POST
def member_add(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    user = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    with flash_refusal(request):
        d = cleaned(forms.MemberForm(request.POST))
        services.enterprise_member_add(actor=user, enterprise=e, phone=d["phone"])
        messages.success(request, _("已关联企业用户"))
    return redirect("enterprises:detail", enterprise_id=e.pk)


@login_required
@require_POST
def visit_new(request: AuthedRequest, enterprise_id: int) -> HttpResponse:
    user = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    with flash_refusal(request):
        d = cleaned(forms.VisitForm(request.POST))
        visit = services.enterprise_visit_record(
            actor=user,
            enterprise=e,
            visited_on=forms._date(d["visited_on"], _("走访日期")),
            topics=d["topics"],
            problems=d["problems"],
            follow_up=d["follow_up"],
            follow_up_as_case=d["as_case"],
        )
        if visit.case is not None:
            messages.success(
                request, _("走访已记录，跟进事项已转为事件 %(n)s") % {"n": visit.case.number}
            )
        else:
            messages.success(request, _("走访已记录"))
    return redirect(f"{reverse('enterprises:detail', args=[e.pk])}#visits")


@login_required
def visits(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _staff_only(user)
    page = paginate(request, selectors.visits_visible(user), PAGE_SIZE)
    return render(request, "enterprises/visits.html", {"page": page})


def _editor(user: User) -> None:
    if not selectors.may_edit_policies(user):
        raise Http404


@login_required
def policies(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _editor(user)
    return render(
        request,
        "enterprises/policies.html",
        {"page": paginate(request, selectors.policies_all(), 30), "today": timezone.localdate()},
    )


@login_required
def policy_edit(request: AuthedRequest, policy_id: int | None = None) -> HttpResponse:
    user = request.user
    _editor(user)
    policy: Policy | None = None
    if policy_id is not None:
        policy = selectors.access_policy(user, policy_id)
    refusal = Refusal()
    values: Any
    criteria_values: dict[str, Any]
    if request.method == "POST":
        values = request.POST
        # The form shown again as typed (criteria_initial's keys, the two lists as lists).
        criteria_values = cleaned(forms.CriteriaTypedForm(request.POST))
        with refusal:
            d = cleaned(forms.PolicyForm(request.POST))
            saved = services.policy_save(actor=user, data=forms.policy_input(d), policy=policy)
            messages.success(request, _("政策已保存"))
            return redirect("enterprises:policy", policy_id=saved.pk)
    elif policy is not None:
        values = forms.policy_initial(policy)
        criteria_values = forms.criteria_initial(policy.criteria_dict())
    else:
        values, criteria_values = {}, forms.criteria_initial({})
    preview = (
        selectors.policy_preview(user, policy.criteria_dict())
        if policy is not None and not refusal
        else None
    )
    return render(
        request,
        "enterprises/policy.html",
        {
            "policy": policy,
            "values": values,
            "c": criteria_values,
            "error": refusal.message,
            "preview": preview,
            **_choices(),
        },
        status=refusal.status,
    )


@login_required
@require_POST
def policy_preview(request: AuthedRequest) -> HttpResponse:
    """The editor's 预览: who among the enterprises they see would match these criteria."""
    user = request.user
    _editor(user)
    preview = None
    with Refusal() as refusal:
        typed = cleaned(forms.CriteriaTypedForm(request.POST))
        raw = forms.criteria_from(typed)
        codes = forms.split_list(typed["regions"])
        criteria = crit.clean(raw, selectors.regions_for(codes))
        preview = selectors.policy_preview(user, criteria)
    return render(
        request, "enterprises/_preview.html", {"preview": preview, "error": refusal.message}
    )
