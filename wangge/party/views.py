"""Pages of 党员双报到: the member's own in the resident app, the branch's and unit's for staff."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.models import User
from wangge.core.calendar import midnight, year_bounds
from wangge.core.errors import NotFound, ValidationFailed
from wangge.core.paging import paginate
from wangge.core.web import AuthedRequest, Refusal, cleaned, download, flash_refusal
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import ancestor, nodes_in_scope
from wangge.notices.selectors import home_node
from wangge.party import hours, selectors, services
from wangge.party.forms import (
    CommitmentForm,
    DecideForm,
    DeclareForm,
    NextForm,
    PostForm,
    RegistrationForm,
    StarEvidenceForm,
    StarsYearForm,
)
from wangge.party.models import PartyMember, PartyOrg, PostCategory, Registration
from wangge.party.stars import is_rated
from wangge.party.statements import Quarter, statement_pdf, statement_xlsx, unit_statement


def _year_hours(member: PartyMember) -> tuple[float, float]:
    """Confirmed hours this quarter and this year."""
    quarter = Quarter.of(timezone.localdate())
    q_start, q_end = quarter.bounds()
    y_start, y_end = (midnight(d) for d in year_bounds(quarter.first_day))
    q = hours.confirmed_hours(start=q_start, end=q_end, user_ids=[member.user_id])
    y = hours.confirmed_hours(start=y_start, end=y_end, user_ids=[member.user_id])
    return float(q.get(member.user_id, 0)), float(y.get(member.user_id, 0))


def _home_community(user: User) -> GridNode | None:
    node = home_node(user)
    if node is None:
        return None
    return ancestor(node, GridLevel.COMMUNITY)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    member = selectors.member_for(user)
    ctx: dict[str, object] = {"tab": "home", "member": member}
    if member is None or not member.is_verified:
        ctx["branches"] = selectors.branches_to_join()
    else:
        regs = {r.kind: r for r in member.registrations.select_related("community", "unit")}
        home_community = _home_community(user)
        claims = list(selectors.active_claims(member))
        ctx.update(
            residence=regs.get(Registration.Kind.RESIDENCE),
            workplace=regs.get(Registration.Kind.WORKPLACE),
            communities=GridNode.objects.filter(level=GridLevel.COMMUNITY)
            .select_related("parent")
            .order_by("path"),
            home_community=home_community,
            units=selectors.units(),
            posts=paginate(request, selectors.posts_for_member(member), 20, param="posts_page"),
            claims=claims,
            claimed_ids={c.post_id for c in claims},
        )
        ctx["quarter_hours"], ctx["year_hours"] = _year_hours(member)
        # The member's branch (a 党小组's is the branch above it) and its 五星支部 stars.
        branch = member.org if is_rated(member.org) else member.org.parent
        if branch is not None and is_rated(branch):
            ctx["branch"], ctx["rating"] = branch, selectors.latest_star_rating(branch)
    return render(request, "party/home.html", ctx)


def _done(request: AuthedRequest, ok: str, fn: Callable[[], object]) -> HttpResponse:
    with flash_refusal(request):
        fn()
        messages.success(request, ok)
    return redirect(cleaned(NextForm(request.POST))["next"] or "party:home")


@login_required
@require_POST
def declare(request: AuthedRequest) -> HttpResponse:
    def go() -> None:
        d = cleaned(DeclareForm(request.POST))
        services.member_declare(
            user=request.user,
            org_id=d["org"] or 0,
            joined_on=d["joined_on"],
            commitment=d["commitment"],
            duty=d["duty"],
        )

    return _done(request, _("已提交，请等待支部核实"), go)


@login_required
@require_POST
def register(request: AuthedRequest) -> HttpResponse:
    def go() -> None:
        d = cleaned(RegistrationForm(request.POST))
        services.registration_register(
            user=request.user,
            kind=d["kind"],
            community_code=d["community"],
            unit_id=d["unit"] or None,
            note=d["note"],
        )

    return _done(request, _("报到成功"), go)


@login_required
@require_POST
def claim(request: AuthedRequest, post_id: int) -> HttpResponse:
    return _done(
        request, _("认领成功"), lambda: services.post_claim(user=request.user, post_id=post_id)
    )


@login_required
@require_POST
def release(request: AuthedRequest, claim_id: int) -> HttpResponse:
    return _done(
        request,
        _("已退出该岗位"),
        lambda: services.post_release(user=request.user, claim_id=claim_id),
    )


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    """三亮: 亮身份 (the verified membership), 亮承诺 (the member's words), 亮行动 (posts and
    confirmed service)."""
    user = request.user
    member = selectors.member_for(user)
    if member is None or not member.is_verified:
        messages.error(request, _("党员身份经支部核实后才能查看三亮页"))
        return redirect("party:home")
    if request.method == "POST":
        with flash_refusal(request):
            d = cleaned(CommitmentForm(request.POST))
            services.member_commit(user=user, commitment=d["commitment"])
            messages.success(request, _("承诺已更新"))
        return redirect("party:profile")
    q_hours, y_hours = _year_hours(member)
    return render(
        request,
        "party/profile.html",
        {
            "tab": "home",
            "member": member,
            "claims": selectors.active_claims(member),
            "regs": member.registrations.select_related("community", "unit"),
            "quarter_hours": q_hours,
            "year_hours": y_hours,
        },
    )


# Staff pages -----------------------------------------------------------------------------


def _staff(request: AuthedRequest) -> User:
    user = request.user
    if not selectors.is_party_staff(user):
        raise DjangoPermissionDenied
    return user


@login_required
def staff_index(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    orgs = paginate(request, selectors.orgs_visible(user).select_related("parent"), 30)
    return render(
        request,
        "party/staff_index.html",
        {
            "orgs": orgs,
            "pending": selectors.members_to_verify(user).count(),
        },
    )


@login_required
def staff_members(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    return render(
        request,
        "party/staff_members.html",
        {"pending": paginate(request, selectors.members_to_verify(user), 30)},
    )


@login_required
@require_POST
def staff_decide(request: AuthedRequest, member_id: int) -> HttpResponse:
    user = _staff(request)
    d = cleaned(DecideForm(request.POST))
    approve = d["decision"] == "approve"
    with flash_refusal(request):
        services.member_decide(actor=user, member_id=member_id, approve=approve, note=d["note"])
        messages.success(request, _("已核实") if approve else _("已退回"))
    return redirect("party:staff-members")


def _registrations(request: AuthedRequest, org: PartyOrg) -> dict[str, object]:
    """The org page's table (a unit's members, or the members who registered with a
    community-side organisation), a page at a time."""
    found = selectors.registrations_for(org)
    rows = found["rows"] if org.is_unit else found["incoming"]
    assert isinstance(rows, list)
    return {"org": org, "page": paginate(request, rows, 30)}


@login_required
def staff_org(request: AuthedRequest, org_id: int) -> HttpResponse:
    user = _staff(request)
    org = selectors.access_org(user, org_id)
    quarters = [Quarter.of(timezone.localdate())]
    while len(quarters) < 8:
        quarters.append(quarters[-1].previous)
    return render(
        request,
        "party/staff_org.html",
        {
            **_registrations(request, org),
            "quarters": quarters,
            "rated": is_rated(org),
            "rating": selectors.latest_star_rating(org) if is_rated(org) else None,
        },
    )


@login_required
def staff_statement(
    request: AuthedRequest, org_id: int, quarter: Quarter, fmt: str
) -> HttpResponse:
    # The URL admits only a quarter of the accepted years and xlsx or pdf (party.urls).
    user = _staff(request)
    org = selectors.access_org(user, org_id)
    s = unit_statement(org, quarter)
    filename = f"party-statement-{org.pk}-{quarter}.{fmt}"
    if fmt == "pdf":
        return download(statement_pdf(s), filename, kind="pdf")
    return download(statement_xlsx(s), filename, kind="xlsx")


@login_required
def staff_posts(request: AuthedRequest) -> HttpResponse:
    user = _staff(request)
    communities = nodes_in_scope(user, [GridLevel.COMMUNITY])
    ctx: dict[str, object] = {
        "posts": paginate(
            request, selectors.posts_visible(user).order_by("community__path", "category", "pk"), 30
        ),
        "communities": communities,
        "categories": PostCategory.choices,
        "values": request.POST,
    }
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            d = cleaned(PostForm(request.POST))
            community = communities.filter(code=d["community"]).first()
            if community is None:
                raise ValidationFailed(_("请选择社区"), field="community")
            services.post_create(
                actor=user,
                community=community,
                category=d["category"],
                title=d["title"],
                description=d["description"],
                slots=d["slots"] or 0,
            )
            messages.success(request, _("岗位已发布"))
            return redirect("party:staff-posts")
        ctx["error"] = refusal.message
    return render(request, "party/staff_posts.html", ctx, status=refusal.status)


# 五星支部 -------------------------------------------------------------------------------------

YEARS_SHOWN = 3


@login_required
def staff_stars(request: AuthedRequest) -> HttpResponse:
    """The branches of the staff member's subtree with their stars of the year and the two
    before it."""
    user = _staff(request)
    this_year = timezone.localdate().year
    form = StarsYearForm(request.GET)
    year = this_year
    error = ""
    if form.is_valid():
        year = min(form.cleaned_data["year"] or this_year, this_year)
    else:
        error = str(next(iter(form.errors.values()))[0])
    years = [year - i for i in range(YEARS_SHOWN)]
    page = paginate(request, selectors.branches_rated(user), 30)
    ratings = selectors.star_ratings([o.pk for o in page], years)
    rows = [(o, [(y, ratings.get((o.pk, y))) for y in years]) for o in page]
    return render(
        request,
        "party/staff_stars.html",
        {
            "page": page,
            "rows": rows,
            "years": years,
            "year": year,
            "this_year": this_year,
            "error": error,
        },
    )


@login_required
def staff_stars_branch(request: AuthedRequest, org_id: int, year: int) -> HttpResponse:
    """One branch's year: each criterion's figure, whether it is met and why, the materials
    attached, and what may be done (attach, recompute, confirm)."""
    user = _staff(request)
    org = selectors.access_rated_branch(user, org_id)
    this_year = timezone.localdate().year
    if year > this_year:
        raise NotFound(_("该年度尚未开始"))
    rating = selectors.star_rating(org, year)
    evidence = list(selectors.star_evidence(org, year))
    lines = []
    if rating is not None:
        for r in rating.results.all():
            lines.append((r, [e for e in evidence if e.criterion_id == r.criterion_id]))
    open_year = rating is None or not rating.is_confirmed
    return render(
        request,
        "party/staff_stars_branch.html",
        {
            "org": org,
            "year": year,
            "rating": rating,
            "lines": lines,
            "evidence": evidence,
            "criteria": selectors.star_criteria(),
            "may_edit": open_year,
            "may_confirm": open_year
            and year < this_year
            and selectors.can_confirm_stars(user, org),
        },
    )


def _back_to_year(org_id: int, year: int) -> HttpResponse:
    return redirect("party:staff-stars-branch", org_id=org_id, year=year)


@login_required
@require_POST
def staff_stars_evidence(request: AuthedRequest, org_id: int, year: int) -> HttpResponse:
    user = _staff(request)
    with flash_refusal(request):
        d = cleaned(StarEvidenceForm(request.POST))
        services.star_evidence_attach(
            actor=user, org_id=org_id, year=year, criterion_id=d["criterion"], note=d["note"]
        )
        messages.success(request, _("材料已添加，星级已重新计算"))
    return _back_to_year(org_id, year)


@login_required
@require_POST
def staff_stars_evidence_remove(
    request: AuthedRequest, org_id: int, year: int, evidence_id: int
) -> HttpResponse:
    user = _staff(request)
    with flash_refusal(request):
        services.star_evidence_remove(actor=user, org_id=org_id, year=year, evidence_id=evidence_id)
        messages.success(request, _("材料已删除，星级已重新计算"))
    return _back_to_year(org_id, year)


@login_required
@require_POST
def staff_stars_recompute(request: AuthedRequest, org_id: int, year: int) -> HttpResponse:
    user = _staff(request)
    with flash_refusal(request):
        services.stars_recompute(actor=user, org_id=org_id, year=year)
        messages.success(request, _("已按最新数据重新计算"))
    return _back_to_year(org_id, year)


@login_required
@require_POST
def staff_stars_confirm(request: AuthedRequest, org_id: int, year: int) -> HttpResponse:
    user = _staff(request)
    with flash_refusal(request):
        services.stars_confirm(actor=user, org_id=org_id, year=year)
        messages.success(request, _("年度评定已确认"))
    return _back_to_year(org_id, year)
