"""Reads of the party app. Staff see the organisations whose grid node lies in their subtree;
a member sees their own record."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope, path_in_scope
from wangge.grids.models import GridLevel
from wangge.grids.selectors import ancestor
from wangge.party.models import (
    MEMBER_KINDS,
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrg,
    Post,
    PostClaim,
    Registration,
    StarAssessment,
    StarBand,
    StarCriterion,
    StarEvidence,
    StarResult,
)

# Who speaks for a party organisation: the branch's secretary usually holds one of these on the
# organisation's grid node (组织管理员, 社区工作者, 网格长), or the district's administrators.
ORG_STAFF_ROLES = (Role.ORG_ADMIN, Role.COMMUNITY_STAFF, Role.GRID_LEADER, Role.ADMIN)


def is_party_staff(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(*ORG_STAFF_ROLES))


def can_manage_org(user: User, org: PartyOrg) -> bool:
    return is_party_staff(user) and path_in_scope(user, org.grid_node.path)


def org_officers(org: PartyOrg) -> list[User]:
    """Who is told about a declaration or a registration: staff on the organisation's node or
    the node above it."""
    node = org.grid_node
    nodes = [node.pk] + ([node.parent_id] if node.parent_id else [])
    return list(
        User.objects.filter(grants__role__in=ORG_STAFF_ROLES, grants__node__in=nodes).distinct()
    )


def orgs_visible(user: User) -> QuerySet[PartyOrg]:
    if not is_party_staff(user):
        return PartyOrg.objects.none()
    return in_scope(user, PartyOrg.objects.select_related("grid_node"), "grid_node__path")


def access_org(user: User, org_id: int) -> PartyOrg:
    org = orgs_visible(user).filter(pk=org_id).first()
    if org is None:
        raise NotFound(_("党组织不存在或无权查看"))
    return org


def branches_to_join() -> QuerySet[PartyOrg]:
    """What a resident picks from when declaring membership: every branch and group (the names
    of organisations are public)."""
    return (
        PartyOrg.objects.filter(kind__in=MEMBER_KINDS)
        .select_related("grid_node", "parent")
        .order_by("path")
    )


def units() -> QuerySet[PartyOrg]:
    """Workplace units a member registers with: the top organisation of each unit."""
    return PartyOrg.objects.filter(
        Q(parent__isnull=True) | Q(parent__is_unit=False), is_unit=True
    ).order_by("name")


def members_to_verify(user: User) -> QuerySet[PartyMember]:
    return (
        PartyMember.objects.filter(
            status=MemberStatus.PENDING, org__in=orgs_visible(user).filter(kind__in=MEMBER_KINDS)
        )
        .select_related("user", "org")
        .order_by("created_at")
    )


def member_for(user: User) -> PartyMember | None:
    if not user.is_authenticated:
        return None
    return PartyMember.objects.select_related("org__parent", "user").filter(user=user).first()


def members_of(org: PartyOrg) -> QuerySet[PartyMember]:
    """Verified members of an organisation and of everything under it."""
    return (
        PartyMember.objects.filter(status=MemberStatus.VERIFIED, org__path__startswith=org.path)
        .select_related("user", "org")
        .order_by("org__path", "user__name", "pk")
    )


def registrations_for(org: PartyOrg) -> dict[str, object]:
    """A unit's view: its members, with where each registered to live and whether they
    registered with the unit. A community-side organisation sees the members who registered
    with its communities."""
    if org.is_unit:
        members = list(members_of(org))
        regs = Registration.objects.filter(member__in=members).select_related("community", "unit")
        by_member: dict[int, dict[str, Registration]] = {}
        for reg in regs:
            by_member.setdefault(reg.member_id, {})[reg.kind] = reg
        rows = [(m, by_member.get(m.pk, {})) for m in members]
        return {"org": org, "rows": rows, "incoming": []}
    incoming = list(
        Registration.objects.filter(
            kind=Registration.Kind.RESIDENCE,
            community__path__startswith=org.grid_node.path,
            member__status=MemberStatus.VERIFIED,
        )
        .select_related("member__user", "member__org", "community")
        .order_by("community__path", "member__user__name")
    )
    return {"org": org, "rows": [], "incoming": incoming}


def posts_for_member(member: PartyMember) -> QuerySet[Post]:
    """Posts of the community the member registered with, with their free places."""
    residence = Registration.objects.filter(member=member, kind=Registration.Kind.RESIDENCE).first()
    if residence is None:
        return Post.objects.none()
    return (
        Post.objects.filter(community_id=residence.community_id, is_open=True)
        .annotate(taken=Count("claims", filter=Q(claims__released_at__isnull=True)))
        .order_by("category", "pk")
    )


def active_claims(member: PartyMember) -> QuerySet[PostClaim]:
    return (
        PostClaim.objects.filter(member=member, released_at__isnull=True)
        .select_related("post__community")
        .order_by("claimed_at")
    )


def posts_visible(user: User) -> QuerySet[Post]:
    if not is_party_staff(user):
        return Post.objects.none()
    return in_scope(
        user,
        Post.objects.select_related("community").annotate(
            taken=Count("claims", filter=Q(claims__released_at__isnull=True))
        ),
        "community__path",
    )


# 五星支部 -------------------------------------------------------------------------------------


def branches_rated(user: User) -> QuerySet[PartyOrg]:
    """The branches of the staff member's subtree that the star rating covers (the community
    side's 党支部; `stars.is_rated`)."""
    return (
        orgs_visible(user)
        .filter(kind=OrgKind.BRANCH, is_unit=False)
        .select_related("parent", "grid_node")
        .order_by("path")
    )


def access_rated_branch(user: User, org_id: int) -> PartyOrg:
    org = branches_rated(user).filter(pk=org_id).first()
    if org is None:
        raise NotFound(_("党支部不存在或无权查看"))
    return org


def can_confirm_stars(user: User, org: PartyOrg) -> bool:
    """The 党工委 confirms a year: party staff whose scope covers the branch's street (the node
    the 党工委 sits on), or the district's."""
    if not is_party_staff(user):
        return False
    street = ancestor(org.grid_node, GridLevel.STREET)
    if street is None:
        return bool(user.is_superuser)
    return path_in_scope(user, street.path)


def star_ratings(org_ids: list[int], years: list[int]) -> dict[tuple[int, int], StarAssessment]:
    """The stored assessments of these branches and years, by (org id, year)."""
    rows = StarAssessment.objects.filter(org_id__in=org_ids, year__in=years)
    return {(a.org_id, a.year): a for a in rows}


def star_rating(org: PartyOrg, year: int) -> StarAssessment | None:
    """A branch's assessment of the year with its results, or None before it is first made."""
    return (
        StarAssessment.objects.filter(org=org, year=year)
        .select_related("confirmed_by")
        .prefetch_related(Prefetch("results", queryset=StarResult.objects.order_by("order", "pk")))
        .first()
    )


def latest_star_rating(org: PartyOrg) -> StarAssessment | None:
    """What the branch's page shows: the newest year assessed, with its reasons."""
    latest = StarAssessment.objects.filter(org=org).order_by("-year").first()
    return star_rating(org, latest.year) if latest else None


def star_bands() -> QuerySet[StarBand]:
    return StarBand.objects.order_by("stars")


def star_criteria() -> QuerySet[StarCriterion]:
    return StarCriterion.objects.filter(is_active=True).order_by("order", "pk")


def star_evidence(org: PartyOrg, year: int) -> QuerySet[StarEvidence]:
    return (
        StarEvidence.objects.filter(org=org, year=year)
        .select_related("criterion", "added_by")
        .order_by("criterion__order", "criterion_id", "created_at", "pk")
    )
