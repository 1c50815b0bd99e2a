"""The lists staff work from: the one filtered list (`case_list`) and its search box, each
role's queue, and the dispatcher's desk (its order, status counts, map points and where a case
may be sent)."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet

from wangge.accounts.identity import normalize_contact_phone
from wangge.accounts.models import User
from wangge.cases.models import CLOCK_STATUSES, OPEN_STATUSES, Assistance, Card, Case, Status
from wangge.cases.selectors.access import cases_visible
from wangge.cases.workflow import HANDLER_ROLES
from wangge.core import pii
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import nodes_in_scope, other_districts


@dataclass
class CaseFilter:
    status: list[str] | None = None
    grid: str = ""
    category: str = ""
    channel: str = ""
    overdue: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str = ""


def case_list(user: User, f: CaseFilter) -> QuerySet[Case]:
    qs = cases_visible(user, own_as_list=True).select_related(
        "category", "handling_node", "assignee", "community"
    )
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.grid:
        node = GridNode.objects.filter(code=f.grid).first()
        qs = qs.filter(grid_path__startswith=node.path) if node else qs.none()
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.overdue is True:
        qs = qs.filter(card=Card.RED, status__in=OPEN_STATUSES)
    elif f.overdue is False:
        qs = qs.exclude(card=Card.RED)
    if f.created_from:
        qs = qs.filter(created_at__gte=f.created_from)
    if f.created_to:
        qs = qs.filter(created_at__lt=f.created_to)
    if f.q:
        qs = search_cases(qs, f.q)
    return qs.order_by("-created_at", "-id")


# The longest search a person types; a pasted paragraph is cut, not refused.
MAX_QUERY = 100
# Case numbers are the intake date and the row id (YYYYMMDD + 6 digits): a run of at least
# this many digits is read as the start of one.
_NUMBER_PREFIX_MIN = 8
# A case number read out by its end: the last this many digits (the id part of 编号; fewer
# would match a street's whole list).
_NUMBER_TAIL = (4, 6)
_SEPARATORS = re.compile(r"[\s\-()（）]+")


def search_cases(queryset: QuerySet[Case], q: str) -> QuerySet[Case]:
    """The cases of `queryset` a dispatcher's search box means.

    - digits: a case number (exact or its beginning), or a reporter's phone, compared by the
      keyed hash column so no row is ever decrypted; or, as numbers are read out on the phone,
      the end of either: a case number's last 4–6 digits, a phone's last four (the digits its
      masked form shows, compared by their own keyed hash: core.pii.phone_tail_hash);
    - anything else: each word must appear in the title, the description, the address (an
      estate's name is part of it) or the caller's name (or the whole query is a case number).

    The text arm is `icontains`: on PostgreSQL the trigram indexes of migrations
    0010_case_search_trigram_indexes and 0026_case_reporter_name_trigram_index serve its
    `UPPER(col) LIKE UPPER('%…%')` for queries of three characters or more; on SQLite it is a
    scan, fine at a street's size.
    """
    q = (q or "").strip()[:MAX_QUERY]
    if not q:
        return queryset
    compact = _SEPARATORS.sub("", q)
    if compact.isdigit():
        match = Q(number=compact)
        if len(compact) >= _NUMBER_PREFIX_MIN:
            match |= Q(number__startswith=compact)
        if _NUMBER_TAIL[0] <= len(compact) <= _NUMBER_TAIL[1]:
            # Served on PostgreSQL by the number's trigram index (migration 0013).
            match |= Q(number__endswith=compact)
        if len(compact) == pii.PHONE_TAIL_DIGITS:
            match |= Q(reporter_phone_tail_hash=pii.phone_tail_hash(compact))
        phone = _normalised_phone(compact)
        if phone:
            match |= Q(reporter_phone_hash=pii.phone_hash(phone))
        return queryset.filter(match)
    text = Q()
    for word in q.split():
        text &= (
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(address__icontains=word)
            | Q(reporter_name__icontains=word)
        )
    return queryset.filter(Q(number=q) | text)


def _normalised_phone(digits: str) -> str:
    """The number as intake stored it, or "" when the digits are no phone."""
    try:
        return normalize_contact_phone(digits)
    except ValidationError:
        return ""


def worker_queue(user: User) -> QuerySet[Case]:
    """A handler's own work, most urgent first: overdue, then by deadline."""
    roles = set().union(*HANDLER_ROLES.values())
    nodes = user.grants.filter(role__in=roles).values("node_id")
    return (
        Case.objects.filter(status__in=(Status.DISPATCHED, Status.SIGNED, Status.SUSPENDED))
        .filter(Q(assignee=user) | Q(assignee__isnull=True, handling_node_id__in=nodes))
        .select_related("category", "handling_node")
        .order_by("-urgency", "due_at", "id")
    )


def department_queue(user: User, *, done: bool = False) -> QuerySet[Assistance]:
    """部门待办: the whistles to the departments `user` answers for. Open work (to report in,
    then to report back) on live cases, not yet reported in first; or, with `done`, what
    they reported back, newest first."""
    qs = Assistance.objects.filter(department__memberships__user=user).select_related(
        "department", "case", "case__category", "case__handling_node"
    )
    if done:
        return qs.filter(state=Assistance.State.REPORTED).order_by("-reported_at", "-id")
    return (
        qs.exclude(state=Assistance.State.REPORTED)
        .filter(case__status__in=OPEN_STATUSES)
        .order_by(F("signed_at").asc(nulls_first=True), "summoned_at", "id")
    )


def dispatch_queue(user: User) -> QuerySet[Case]:
    """The street desk's default list: pending (incl. unplaceable) and returned cases in the
    user's scope, oldest first."""
    return case_list(user, CaseFilter(status=[Status.PENDING, Status.RETURNED])).order_by(
        "created_at", "id"
    )


# The desk's orders (forms.DESK_SORTS): each ends on the id, so a page never repeats or
# skips a row when many share a value.
DESK_ORDER: dict[str, tuple[Any, ...]] = {
    "created": ("created_at", "id"),
    "due": (F("due_at").asc(nulls_last=True), "id"),
    "number": ("number", "id"),
    "category": ("category__code", "created_at", "id"),
    "grid": ("grid_path", "created_at", "id"),
    "status": ("status", "created_at", "id"),
    "tier": ("tier", "created_at", "id"),
}


def _desc(term: Any) -> Any:
    if isinstance(term, str):
        return F(term).desc()
    return F(term.expression.name).desc(nulls_last=True)


def desk_cases(user: User, f: CaseFilter, sort: str = "created") -> QuerySet[Case]:
    """The dispatcher's desk: the filtered cases in the chosen order. Boundary polygons and
    the long texts it does not show stay in the database: a page of rows needs names, not
    shapes (the description stays: the duplicate check reads it)."""
    key = sort.removeprefix("-")
    order = DESK_ORDER.get(key, DESK_ORDER["created"])
    if sort.startswith("-") and key in DESK_ORDER:
        order = tuple(_desc(t) for t in order)
    return (
        case_list(user, f)
        .select_related("micro_grid")
        .defer(
            "routing_reason",
            "resolution",
            "followup_note",
            "reporter_phone_encrypted",
            "handling_node__boundary",
            "community__boundary",
            "micro_grid__boundary",
        )
        .order_by(*order)
    )


def desk_status_counts(cases: QuerySet[Case]) -> list[tuple[str, int]]:
    """How many of a desk list's cases each status holds, in the loop's order: what a search
    across every status says above its hits."""
    counts = dict(
        cases.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(s, counts[s]) for s in Status.values if counts.get(s)]


# Enough points to see where the work is; past this the map says how many it leaves out.
MAP_POINTS = 1000


def desk_map_points(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """The located cases of a desk list as bare points for its map; `p` is the words a point
    was inferred from (empty when someone gave it or a building was matched), which the map
    draws apart so an inferred point is never taken for where someone stood."""
    rows = (
        cases.filter(lon__isnull=False, lat__isnull=False)
        .order_by()
        .values("pk", "number", "title", "lon", "lat", "card", "place_phrase")[:MAP_POINTS]
    )
    return [
        {
            "id": r["pk"],
            "n": r["number"],
            "t": r["title"],
            "lon": r["lon"],
            "lat": r["lat"],
            "card": r["card"],
            "p": r["place_phrase"],
        }
        for r in rows
    ]


def supervision_board(user: User) -> QuerySet[Case]:
    return (
        case_list(user, CaseFilter(status=list(CLOCK_STATUSES)))
        .filter(card__in=[Card.YELLOW, Card.RED])
        .order_by("due_at", "id")
    )


def followup_queue(user: User) -> QuerySet[Case]:
    return case_list(user, CaseFilter(status=[Status.VERIFIED])).order_by("verified_at", "id")


def dispatch_targets(user: User, case: Case) -> list[GridNode]:
    """Units a dispatcher may send this case to: grids, communities and the street around it."""
    levels = [GridLevel.STREET, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.EXCLUSIVE]
    own = list(nodes_in_scope(user, levels, within=case.street or case.community)[:400])
    # A case that came to the wrong district of a city is 转办 to the right one, whose own
    # staff place it: the other districts of the city are offered after the case's own units.
    anchor = case.street or case.community or case.micro_grid
    return own + (other_districts(anchor) if anchor is not None else [])
