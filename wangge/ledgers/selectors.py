"""Reads of the ledgers, through the acting user's grid scope."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope
from wangge.grids.models import GridNode
from wangge.ledgers.models import (
    Facility,
    FacilityKind,
    FacilityStatus,
    Inspection,
    InspectionResult,
    Organisation,
    OrganisationKind,
    Topic,
    VoteChoice,
)
from wangge.ledgers.services import VOTER_ROLES


def inspections_visible(user: User) -> QuerySet[Inspection]:
    return in_scope(user, Inspection.objects.all(), "grid_path")


def inspection_list(user: User, *, open_only: bool = False) -> QuerySet[Inspection]:
    qs = (
        inspections_visible(user)
        .select_related("template", "building", "inspector")
        .annotate(
            n_failed=Count("results", filter=Q(results__passed=False)),
            n_open=Count(
                "results", filter=Q(results__passed=False, results__rectified_at__isnull=True)
            ),
        )
    )
    if open_only:
        qs = qs.filter(n_open__gt=0)
    return qs.order_by("-created_at", "-pk")


def access_inspection(user: User, inspection_id: int) -> Inspection:
    found = (
        inspections_visible(user)
        .select_related("template", "building", "inspector")
        .filter(pk=inspection_id)
        .first()
    )
    if found is None:
        raise NotFound(_("排查记录不存在或无权查看"))
    return found


def access_result(user: User, result_id: int) -> InspectionResult:
    found = (
        InspectionResult.objects.filter(pk=result_id, inspection__in=inspections_visible(user))
        .select_related("inspection")
        .first()
    )
    if found is None:
        raise NotFound(_("检查项不存在或无权查看"))
    return found


def facilities_visible(user: User) -> QuerySet[Facility]:
    return in_scope(user, Facility.objects.all(), "grid_path")


def access_facility(user: User, facility_id: int) -> Facility:
    found = facilities_visible(user).filter(pk=facility_id).first()
    if found is None:
        raise NotFound(_("设施不存在或无权查看"))
    return found


def organisations_visible(user: User) -> QuerySet[Organisation]:
    return in_scope(user, Organisation.objects.filter(is_active=True), "grid_path")


def six_things(user: User, node: GridNode) -> dict[str, object]:
    """物 and 组织 of a node the caller may see: facilities by kind, faults, open hazards from the
    checklists, and organisations by kind."""
    prefix = node.path
    fac_labels = dict(FacilityKind.choices)
    facilities = (
        facilities_visible(user)
        .filter(grid_path__startswith=prefix)
        .exclude(status=FacilityStatus.RETIRED)
    )
    by_kind = [
        (fac_labels[row["kind"]], row["n"])
        for row in facilities.values("kind").annotate(n=Count("id")).order_by("kind")
    ]
    hazards = InspectionResult.objects.filter(
        inspection__in=inspections_visible(user).filter(grid_path__startswith=prefix),
        passed=False,
    )
    org_labels = dict(OrganisationKind.choices)
    orgs = [
        (org_labels[row["kind"]], row["n"])
        for row in organisations_visible(user)
        .filter(grid_path__startswith=prefix)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    ]
    return {
        "things": {
            "facilities": by_kind,
            "faulty": facilities.filter(status=FacilityStatus.FAULTY).count(),
            "open_hazards": hazards.filter(rectified_at__isnull=True).count(),
            "rectified": hazards.filter(rectified_at__isnull=False).count(),
            "recent_hazards": list(
                hazards.filter(rectified_at__isnull=True)
                .select_related("inspection__template", "inspection__building")
                .order_by("-inspection__created_at")[:5]
            ),
        },
        "organisations": orgs,
    }


# ---------------------------------------------------------------- 议事厅


def topics_managed(user: User) -> QuerySet[Topic]:
    """Topics of the grids a staff member holds."""
    return in_scope(user, Topic.objects.all(), "grid_path")


def home_prefixes(user: User) -> list[str]:
    """Every node path from the district down to each place the person lives."""
    paths = user.grants.filter(role__in=VOTER_ROLES).values_list("node__path", flat=True)
    prefixes: set[str] = set()
    for path in paths:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            prefixes.add("/".join(parts[:i]) + "/")
    return sorted(prefixes)


def topics_for_resident(user: User) -> QuerySet[Topic]:
    """Topics put to the grids where the person lives."""
    if not user.is_authenticated:
        return Topic.objects.none()
    return Topic.objects.filter(grid_path__in=home_prefixes(user))


def topics_visible(user: User) -> QuerySet[Topic]:
    if not user.is_authenticated:
        return Topic.objects.none()
    return (topics_managed(user) | topics_for_resident(user)).distinct()


def access_topic(user: User, topic_id: int) -> Topic:
    found = topics_visible(user).select_related("node").filter(pk=topic_id).first()
    if found is None:
        raise NotFound(_("议题不存在或无权查看"))
    return found


def tally(topic: Topic) -> dict[str, object]:
    counts = dict(
        topic.votes.values_list("choice").annotate(n=Count("id")).values_list("choice", "n")
    )
    total = sum(counts.values())
    rows = [
        (value, label, counts.get(value, 0), (counts.get(value, 0) * 100 // total) if total else 0)
        for value, label in VoteChoice.choices
    ]
    return {"rows": rows, "total": total}
