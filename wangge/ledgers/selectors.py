"""Reads of the ledgers, through the acting user's grid scope."""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import NotFound
from wangge.core.masking import mask_name
from wangge.core.scope import in_scope
from wangge.enterprises.selectors import enterprises_visible
from wangge.grids.models import GridNode, path_prefixes
from wangge.ledgers.models import (
    Facility,
    FacilityKind,
    FacilityStatus,
    Inspection,
    InspectionResult,
    Organisation,
    OrganisationKind,
    Survey,
    Topic,
    TopicComment,
    VoteChoice,
)
from wangge.ledgers.services import VOTER_ROLES
from wangge.party.models import PartyOrg
from wangge.points.models import Merchant


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


# ---------------------------------------------------------------- 组织


@dataclass(frozen=True)
class OrgCount:
    kind: str
    label: str
    n: int


def _sources(user: User, prefix: str) -> dict[str, tuple[QuerySet, tuple[str, ...]]]:
    """The organisations other apps keep, under `prefix` and in the user's scope, with the
    path fields that place them: party organisations (party), enterprises (enterprises, by their
    micro-grid or exclusive grid) and the merchants of the points mall's alliance."""
    under_exclusive = Q(exclusive_path__startswith=prefix)  # prefix is a node path: never ""
    return {
        OrganisationKind.PARTY: (
            in_scope(
                user, PartyOrg.objects.filter(grid_node__path__startswith=prefix), "grid_node__path"
            ),
            ("grid_node__path",),
        ),
        OrganisationKind.ENTERPRISE: (
            enterprises_visible(user).filter(Q(grid_path__startswith=prefix) | under_exclusive),
            ("grid_path", "exclusive_path"),
        ),
        OrganisationKind.MERCHANT: (
            in_scope(
                user,
                Merchant.objects.filter(active=True, node__path__startswith=prefix),
                "node__path",
            ),
            ("node__path",),
        ),
    }


def _on_one_line(a: str, b: str) -> bool:
    # One place contains the other: a register row on a community and the same shop on one of
    # its grids are one shop; two shops of one name in two grids are two.
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def name_key(name: str) -> str:
    """A name as people type it in different ways: full-width and half-width forms (（）and (),
    全角 letters and digits), spaces anywhere and letter case do not make another organisation."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _typed_twice(
    registered: Iterable[tuple[str, str]],
    source: QuerySet,
    path_fields: tuple[str, ...],
) -> int:
    """How many register rows (name, grid_path) name an organisation its own app already holds
    at the same place (names compared by `name_key`)."""
    rows = [(name_key(name), path) for name, path in registered]
    if not rows:
        return 0
    # Only the source rows on one line with a register row can match: those under its place and
    # those on one of the places above it.
    near = Q()
    for path in {p for _n, p in rows if p}:
        above = path_prefixes(path)
        for f in path_fields:
            near |= Q(**{f"{f}__startswith": path}) | Q(**{f"{f}__in": above})
    if not near:
        return 0
    held: dict[str, list[str]] = {}
    for name, *paths in source.filter(near).values_list("name", *path_fields):
        held.setdefault(name_key(name), []).extend(paths)
    return sum(1 for key, path in rows if any(_on_one_line(path, p) for p in held.get(key, [])))


def organisation_counts(user: User, node: GridNode) -> list[OrgCount]:
    """组织 under `node`, by kind, for the caller's scope: the register's organisations plus the
    party organisations, enterprises and alliance merchants their own apps keep, so none is
    typed in twice. A register row naming one of those at the same place (same kind and name,
    one place within the other) is not counted again."""
    prefix = node.path
    register = organisations_visible(user).filter(grid_path__startswith=prefix)
    counts = dict(register.order_by().values_list("kind").annotate(n=Count("id")))
    for kind, (source, path_fields) in _sources(user, prefix).items():
        typed = register.filter(kind=kind).values_list("name", "grid_path")
        counts[kind] = (
            counts.get(kind, 0) - _typed_twice(typed, source, path_fields) + source.count()
        )
    return [
        OrgCount(kind=kind, label=str(label), n=counts[kind])
        for kind, label in OrganisationKind.choices
        if counts.get(kind)
    ]


def six_things(user: User, node: GridNode) -> dict[str, object]:
    """物 and 组织 of a node the caller may see: facilities by kind, faults, open hazards from the
    checklists, and organisations by kind (`organisation_counts`)."""
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
    orgs = organisation_counts(user, node)
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
    grants = user.grants.filter(role__in=VOTER_ROLES).select_related("node")
    return sorted({path for grant in grants for path in grant.node.ancestor_paths()})


def topics_for_resident(user: User) -> QuerySet[Topic]:
    """Topics put to the grids where the person lives."""
    if not user.is_authenticated:
        return Topic.objects.none()
    return Topic.objects.filter(grid_path__in=home_prefixes(user))


def topic_comments(topic: Topic) -> QuerySet[TopicComment]:
    """A topic's comments, oldest first (the caller has reached the topic through its scope)."""
    return TopicComment.objects.filter(topic=topic).select_related("author")


def named_comments(comments: Iterable[TopicComment]) -> list[tuple[str, TopicComment]]:
    """Comments (a page of them), each with its author's name masked as the 议事厅 shows it."""
    return [(mask_name(c.author.name), c) for c in comments]


def tally(topic: Topic) -> dict[str, object]:
    counts = dict(topic.votes.values_list("choice").annotate(n=Count("id")))
    total = sum(counts.values())
    rows = [
        (value, label, counts.get(value, 0), (counts.get(value, 0) * 100 // total) if total else 0)
        for value, label in VoteChoice.choices
    ]
    return {"rows": rows, "total": total}


# ---------------------------------------------------------------- 民意调查


def surveys_managed(user: User) -> QuerySet[Survey]:
    return in_scope(user, Survey.objects.all(), "grid_path")


def surveys_for_resident(user: User) -> QuerySet[Survey]:
    if not user.is_authenticated:
        return Survey.objects.none()
    return Survey.objects.filter(grid_path__in=home_prefixes(user))


def access_managed_survey(user: User, survey_id: int) -> Survey:
    found = surveys_managed(user).select_related("node").filter(pk=survey_id).first()
    if found is None:
        raise NotFound(_("调查不存在或无权查看"))
    return found
