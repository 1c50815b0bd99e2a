"""Every write of the party app: organisations, membership, 双报到, posts and claims, and the
五星支部 rating (recomputed from its evidence, materials attached, the 党工委's confirmation)."""

import logging
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.accounts.services import role_grant
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.paths import with_new_prefix
from wangge.notices.selectors import home_node
from wangge.notifications.services import notify
from wangge.party.models import (
    MEMBER_KINDS,
    PARENT_KINDS,
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrg,
    Post,
    PostCategory,
    PostClaim,
    Registration,
    StarAssessment,
    StarCriterion,
    StarEvidence,
    StarResult,
)
from wangge.party.selectors import (
    access_rated_branch,
    can_confirm_stars,
    can_manage_org,
    org_officers,
    star_criteria,
)
from wangge.party.stars import YearOfBranch, is_rated, stars_for

logger = logging.getLogger(__name__)


def org_parent_problem(
    *, kind: str, parent: PartyOrg | None, is_unit: bool, org: PartyOrg | None = None
) -> str | None:
    """Why `parent` cannot lead an organisation of `kind` (`org` when it exists already), in
    Chinese; None when it can. Shared by the services and the admin's form."""
    if kind not in OrgKind.values:
        return _("未知的组织类型")
    if org is not None and org.pk and parent is not None and parent.path.startswith(org.path):
        # Named first: the kinds would refuse it too, but less clearly.
        return _("不能隶属于自身或自己的下级组织")
    allowed = PARENT_KINDS[kind]
    # A unit's organisation may stand on its own (its leading body is outside the district's
    # tree); a community's must hang under its street's 党工委.
    if parent is None and allowed and not is_unit and kind != OrgKind.COMMITTEE:
        return _("该类型的组织须有上级组织")
    if parent is not None and parent.kind not in allowed:
        return _("%(kind)s不能隶属于%(parent)s") % {
            "kind": OrgKind(kind).label,
            "parent": OrgKind(parent.kind).label,
        }
    return None


@transaction.atomic
def org_create(
    *,
    name: str,
    kind: str,
    grid_node: GridNode,
    parent: PartyOrg | None = None,
    is_unit: bool = False,
) -> PartyOrg:
    name = name.strip()
    if not name:
        raise ValidationFailed(_("请填写组织名称"))
    problem = org_parent_problem(kind=kind, parent=parent, is_unit=is_unit)
    if problem:
        raise ValidationFailed(problem)
    org = PartyOrg.objects.create(
        name=name, kind=kind, parent=parent, grid_node=grid_node, is_unit=is_unit, path=""
    )
    org.path = f"{parent.path if parent else ''}{org.pk}/"
    org.save(update_fields=["path"])
    return org


def org_change_problems(
    *, org: PartyOrg, kind: str, parent: PartyOrg | None, is_unit: bool
) -> list[tuple[str, str]]:
    """What stands against giving an existing organisation this kind and parent, as (field,
    Chinese message) pairs: the parent rule, and a new kind its sub-organisations and members
    no longer fit. Shared by `org_update` and the admin's form."""
    problems: list[tuple[str, str]] = []
    problem = org_parent_problem(kind=kind, parent=parent, is_unit=is_unit, org=org)
    if problem:
        problems.append(("parent", problem))
    if kind != org.kind and kind in OrgKind.values:
        for child in org.children.all():
            if kind not in PARENT_KINDS[child.kind]:
                problems.append(
                    (
                        "kind",
                        _("下级组织“%(name)s”（%(child)s）不能隶属于%(kind)s")
                        % {
                            "name": child.name,
                            "child": OrgKind(child.kind).label,
                            "kind": OrgKind(kind).label,
                        },
                    )
                )
        if kind not in MEMBER_KINDS and org.members.exists():
            problems.append(("kind", _("该组织有党员，只能是党支部或党小组")))
    return problems


@transaction.atomic
def org_update(
    *,
    org: PartyOrg,
    name: str,
    kind: str,
    grid_node: GridNode,
    parent: PartyOrg | None,
    is_unit: bool,
) -> PartyOrg:
    """Change an organisation; a new parent moves it with its whole subtree (`org_move`)."""
    locked = PartyOrg.objects.select_for_update().get(pk=org.pk)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("请填写组织名称"))
    if parent is not None:
        parent = PartyOrg.objects.get(pk=parent.pk)  # its path as committed
    problems = org_change_problems(org=locked, kind=kind, parent=parent, is_unit=is_unit)
    if problems:
        raise ValidationFailed(problems[0][1])
    locked.name, locked.kind, locked.grid_node, locked.is_unit = name, kind, grid_node, is_unit
    locked.save(update_fields=["name", "kind", "grid_node", "is_unit", "updated_at"])
    if locked.parent_id != (parent.pk if parent else None):
        return org_move(org=locked, parent=parent)
    return locked


@transaction.atomic
def org_move(*, org: PartyOrg, parent: PartyOrg | None) -> PartyOrg:
    """Put `org` and everything under it below `parent` (an adjustment of the organisation
    tree, 党组织调整). Every path in the subtree is rewritten in this transaction, so subtree
    queries (members, service hours, the party boards) follow at once."""
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    if parent is not None:
        parent = PartyOrg.objects.get(pk=parent.pk)  # its path as committed
    problem = org_parent_problem(kind=org.kind, parent=parent, is_unit=org.is_unit, org=org)
    if problem:
        raise ValidationFailed(problem)
    old, new = org.path, f"{parent.path if parent else ''}{org.pk}/"
    if old != new:
        # One UPDATE; each path ends in its own id, so no rewritten path equals another row's.
        PartyOrg.objects.filter(path__startswith=old).update(
            path=with_new_prefix("path", old, new), updated_at=timezone.now()
        )
        PartyOrg.objects.filter(pk=org.pk).update(parent=parent, updated_at=timezone.now())
        org.refresh_from_db()
    return org


def _member_of(user: User) -> PartyMember:
    member = PartyMember.objects.select_related("org").filter(user=user).first()
    if member is None:
        raise NotFound(_("您还没有登记党员身份"))
    return member


def _verified_member(user: User) -> PartyMember:
    member = _member_of(user)
    if member.status != MemberStatus.VERIFIED:
        raise Conflict(_("党员身份经支部核实后才能办理"))
    return member


@transaction.atomic
def member_declare(
    *, user: User, org_id: int, joined_on: date, commitment: str = "", duty: str = ""
) -> PartyMember:
    """A resident says they are a party member of a branch; the branch then verifies it."""
    if not user.name:
        raise ValidationFailed(_("请先完成实名认证"))
    org = PartyOrg.objects.filter(pk=org_id).first()
    if org is None or not org.holds_members:
        raise ValidationFailed(_("请选择所在的党支部或党小组"))
    if joined_on > timezone.localdate():
        raise ValidationFailed(_("入党日期不能晚于今天"))
    if joined_on.year < 1921:
        raise ValidationFailed(_("入党日期不正确"))
    existing = PartyMember.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.status == MemberStatus.VERIFIED:
        raise Conflict(_("您的党员身份已核实，无需重复登记"))
    fields = {
        "org": org,
        "joined_on": joined_on,
        "commitment": commitment.strip()[:200],
        "duty": duty.strip()[:40],
        "status": MemberStatus.PENDING,
        "decided_by": None,
        "decided_at": None,
        "decision_note": "",
    }
    if existing is None:
        member = PartyMember.objects.create(user=user, **fields)
    else:
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.save()
        member = existing
    notify(
        recipients=org_officers(org),
        title=_("待核实党员：%(name)s") % {"name": user.name},
        body=_("%(name)s 登记为%(org)s党员，请核实。") % {"name": user.name, "org": org.name},
        link=reverse("party:staff-members"),
        topic="party",
    )
    return member


@transaction.atomic
def member_decide(*, actor: User, member_id: int, approve: bool, note: str = "") -> PartyMember:
    member = (
        PartyMember.objects.select_for_update(of=("self",))
        .select_related("org__grid_node", "user")
        .filter(pk=member_id)
        .first()
    )
    if member is None or not can_manage_org(actor, member.org):
        raise NotFound(_("党员不存在或无权查看"))
    if member.status != MemberStatus.PENDING:
        raise Conflict(_("该登记已处理"))
    if not approve and not note.strip():
        raise ValidationFailed(_("不通过时请填写原因"))
    member.status = MemberStatus.VERIFIED if approve else MemberStatus.REJECTED
    member.decided_by = actor
    member.decided_at = timezone.now()
    member.decision_note = note.strip()[:200]
    member.save()
    if approve:
        role_grant(
            user=member.user,
            role=Role.PARTY_MEMBER,
            node=home_node(member.user) or member.org.grid_node,
            granted_by=actor,
        )
    notify(
        recipients=[member.user],
        title=_("党员身份已核实") if approve else _("党员身份未通过核实"),
        body=member.decision_note,
        link=reverse("party:home"),
        topic="party",
    )
    return member


@transaction.atomic
def member_commit(*, user: User, commitment: str) -> PartyMember:
    """亮承诺: the member's own words, shown on their 三亮 page."""
    member = _verified_member(user)
    commitment = commitment.strip()
    if not commitment:
        raise ValidationFailed(_("请填写承诺内容"))
    member.commitment = commitment[:200]
    member.save(update_fields=["commitment", "updated_at"])
    return member


@transaction.atomic
def registration_register(
    *, user: User, kind: str, community_code: str = "", unit_id: int | None = None, note: str = ""
) -> Registration:
    """双报到. Registering again with another community or unit (after a move, a new job)
    replaces the earlier registration of that kind; the posts held in the old community end."""
    member = _verified_member(user)
    community: GridNode | None = None
    unit: PartyOrg | None = None
    if kind == Registration.Kind.RESIDENCE:
        community = GridNode.objects.filter(code=community_code).first()
        if community is None or community.level != GridLevel.COMMUNITY:
            raise ValidationFailed(_("请选择居住地所在社区"))
    elif kind == Registration.Kind.WORKPLACE:
        unit = PartyOrg.objects.filter(pk=unit_id, is_unit=True).first() if unit_id else None
        if unit is None:
            raise ValidationFailed(_("请选择工作单位党组织"))
    else:
        raise ValidationFailed(_("未知的报到类型"))
    reg = Registration.objects.select_for_update().filter(member=member, kind=kind).first()
    if reg is None:
        reg = Registration.objects.create(
            member=member, kind=kind, community=community, unit=unit, note=note.strip()[:200]
        )
    else:
        if kind == Registration.Kind.RESIDENCE and reg.community_id != community.pk:  # type: ignore[union-attr]
            PostClaim.objects.filter(
                member=member, released_at__isnull=True, post__community_id=reg.community_id
            ).update(released_at=timezone.now())
        reg.community, reg.unit, reg.note = community, unit, note.strip()[:200]
        reg.save()
    target = community if community is not None else unit
    assert target is not None
    officers = (
        org_officers(unit)
        if unit is not None
        else list(
            User.objects.filter(
                grants__role__in=(Role.COMMUNITY_STAFF, Role.ORG_ADMIN),
                grants__node=community,
            ).distinct()
        )
    )
    notify(
        recipients=officers,
        title=_("党员报到：%(name)s") % {"name": user.name},
        body=_("%(name)s 已向%(target)s报到。") % {"name": user.name, "target": target.name},
        # A unit's officers see their members' registrations on the unit's page; a community's
        # reach theirs from the list of organisations they look after.
        link=(
            reverse("party:staff-org", args=[unit.pk])
            if unit is not None
            else reverse("party:staff")
        ),
        topic="party",
    )
    return reg


@transaction.atomic
def post_create(
    *,
    actor: User,
    community: GridNode,
    category: str,
    title: str,
    description: str = "",
    slots: int = 5,
) -> Post:
    if not (actor.is_grid_staff and path_in_scope(actor, community.path)):
        raise PermissionDenied(_("只能在本人负责的社区设岗"))
    if community.level != GridLevel.COMMUNITY:
        raise ValidationFailed(_("岗位须设在社区"))
    if category not in PostCategory.values:
        raise ValidationFailed(_("请选择岗位类别"))
    if not title.strip():
        raise ValidationFailed(_("请填写岗位名称"))
    if not 1 <= slots <= 500:
        raise ValidationFailed(_("名额须在 1 到 500 之间"))
    return Post.objects.create(
        community=community,
        category=category,
        title=title.strip()[:80],
        description=description.strip(),
        slots=slots,
        created_by=actor,
    )


@transaction.atomic
def post_claim(*, user: User, post_id: int) -> tuple[PostClaim, bool]:
    """Claim a post of the community the member registered with. The post row is locked, so
    two members racing for its last place never both get it. Returns (claim, created)."""
    member = _verified_member(user)
    post = Post.objects.select_for_update().filter(pk=post_id).first()
    if post is None:
        raise NotFound(_("岗位不存在"))
    existing = PostClaim.objects.filter(post=post, member=member, released_at__isnull=True).first()
    if existing is not None:
        return existing, False
    if not post.is_open:
        raise Conflict(_("该岗位已停止认领"))
    residence = Registration.objects.filter(member=member, kind=Registration.Kind.RESIDENCE).first()
    if residence is None or residence.community_id != post.community_id:
        raise Conflict(_("请先向该岗位所在社区报到，再认领岗位"))
    if PostClaim.objects.filter(post=post, released_at__isnull=True).count() >= post.slots:
        raise Conflict(_("该岗位名额已满"))
    return PostClaim.objects.create(post=post, member=member), True


@transaction.atomic
def post_release(*, user: User, claim_id: int) -> PostClaim:
    claim = (
        PostClaim.objects.select_for_update(of=("self",))
        .filter(pk=claim_id, member__user=user, released_at__isnull=True)
        .first()
    )
    if claim is None:
        raise NotFound(_("没有找到您认领的这个岗位"))
    claim.released_at = timezone.now()
    claim.save(update_fields=["released_at"])
    return claim


# 五星支部 -------------------------------------------------------------------------------------

FIRST_YEAR = 2000  # the accepted date window (core.dates)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationFailed(
            _("年度须在 %(first)s 年到今年之间") % {"first": FIRST_YEAR}, field="year"
        )


def _locked_rating(org: PartyOrg, year: int) -> StarAssessment:
    StarAssessment.objects.get_or_create(org=org, year=year)
    return StarAssessment.objects.select_for_update().get(org=org, year=year)


def _compute(rating: StarAssessment) -> StarAssessment:
    """Measure every active criterion and write the year's lines, points and stars."""
    figures = YearOfBranch(rating.org, rating.year)
    lines = []
    for criterion in star_criteria():
        m = figures.measure(criterion)
        lines.append(
            StarResult(
                assessment=rating,
                criterion=criterion,
                name=criterion.name,
                kind=criterion.kind,
                target=criterion.target,
                value=m.value,
                met=m.met,
                points=criterion.points if m.met else 0,
                reason=m.reason[:300],
                order=criterion.order,
            )
        )
    rating.results.all().delete()
    StarResult.objects.bulk_create(lines)
    rating.points = sum(line.points for line in lines)
    rating.stars = stars_for(rating.points)
    rating.computed_at = timezone.now()
    rating.save(update_fields=["points", "stars", "computed_at", "updated_at"])
    return rating


@transaction.atomic
def stars_assess(*, org: PartyOrg, year: int) -> StarAssessment:
    """The branch's rating of `year` computed again from its evidence; a confirmed year is
    returned as it is (frozen). What the job, a change of evidence and the pages call."""
    if not is_rated(org):
        raise ValidationFailed(_("五星支部评定只针对社区党支部"))
    rating = _locked_rating(org, year)
    if rating.is_confirmed:
        return rating
    rating.org = org
    return _compute(rating)


@transaction.atomic
def stars_recompute(*, actor: User, org_id: int, year: int) -> StarAssessment:
    """Party staff ask for the year to be computed now."""
    org = access_rated_branch(actor, org_id)
    _check_year(year)
    rating = _locked_rating(org, year)
    if rating.is_confirmed:
        raise Conflict(_("该年度评定已确认，不再重新计算"))
    rating.org = org
    return _compute(rating)


def _open_rating(org: PartyOrg, year: int) -> StarAssessment:
    rating = _locked_rating(org, year)
    if rating.is_confirmed:
        raise Conflict(_("该年度评定已确认，不能再增删佐证材料"))
    rating.org = org
    return rating


@transaction.atomic
def star_evidence_attach(
    *, actor: User, org_id: int, year: int, criterion_id: int | None, note: str
) -> StarEvidence:
    """Attach a material to a criterion of the branch's year; the year is computed again."""
    org = access_rated_branch(actor, org_id)
    _check_year(year)
    criterion = (
        StarCriterion.objects.filter(pk=criterion_id, is_active=True).first()
        if criterion_id
        else None
    )
    if criterion is None:
        raise ValidationFailed(_("请选择评定标准"), field="criterion")
    note = note.strip()
    if not note:
        raise ValidationFailed(_("请填写材料说明"), field="note")
    if len(note) > 300:
        raise ValidationFailed(_("材料说明最多 300 字"), field="note")
    rating = _open_rating(org, year)
    evidence = StarEvidence.objects.create(
        org=org, year=year, criterion=criterion, note=note, added_by=actor
    )
    _compute(rating)
    return evidence


@transaction.atomic
def star_evidence_remove(*, actor: User, org_id: int, year: int, evidence_id: int) -> None:
    org = access_rated_branch(actor, org_id)
    evidence = StarEvidence.objects.filter(pk=evidence_id, org=org, year=year).first()
    if evidence is None:
        raise NotFound(_("佐证材料不存在"))
    rating = _open_rating(org, year)
    evidence.delete()
    _compute(rating)


@transaction.atomic
def stars_confirm(*, actor: User, org_id: int, year: int) -> StarAssessment:
    """The 党工委 confirms a finished year: computed one last time, then frozen."""
    org = access_rated_branch(actor, org_id)
    if not can_confirm_stars(actor, org):
        raise PermissionDenied(_("年度评定由街道党工委确认"))
    _check_year(year)
    if year >= timezone.localdate().year:
        raise Conflict(_("年度结束后才能确认评定"))
    rating = _locked_rating(org, year)
    if rating.is_confirmed:
        raise Conflict(_("该年度评定已确认"))
    rating.org = org
    _compute(rating)
    rating.confirmed_at = timezone.now()
    rating.confirmed_by = actor
    rating.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    return rating


class StarSweepIncomplete(Exception):
    """Some branches' ratings could not be computed; the others were."""


def stars_sweep(*, today: date | None = None) -> int:
    """Compute the open ratings again: every rated branch's current year, and last year's while
    the 党工委 has not confirmed it (hours certified in January for December's service). Each
    branch in its own transaction; one that fails is logged and the others go on."""
    year = (today or timezone.localdate()).year
    branches = PartyOrg.objects.filter(kind=OrgKind.BRANCH, is_unit=False).select_related(
        "grid_node"
    )
    last_year_open = set(
        StarAssessment.objects.filter(year=year - 1, confirmed_at__isnull=True).values_list(
            "org_id", flat=True
        )
    )
    done, failed = 0, []
    for org in branches.order_by("path"):
        for y in (year, year - 1) if org.pk in last_year_open else (year,):
            try:
                stars_assess(org=org, year=y)
            except Exception:
                logger.exception("star rating failed for party org %s, %s", org.pk, y)
                failed.append(f"{org.pk}/{y}")
            else:
                done += 1
    if failed:
        raise StarSweepIncomplete(f"star ratings: {done} made, failed: {', '.join(failed)}")
    return done
