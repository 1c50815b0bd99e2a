"""Reads of cases: scoped lists and queues, the timeline, and the KPIs of DOMAIN.md §3."""

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rapidfuzz import fuzz

from wangge.accounts.identity import normalize_contact_phone
from wangge.accounts.models import Role, User
from wangge.cases import kpi_counts
from wangge.cases.actions import Action
from wangge.cases.confidential import shown_to
from wangge.cases.kpi_counts import period_counts
from wangge.cases.models import (
    CLOCK_STATUSES,
    OPEN_STATUSES,
    Assistance,
    Card,
    Case,
    CaseAttachment,
    CaseEvent,
    Status,
)
from wangge.cases.workflow import HANDLER_ROLES, can_view
from wangge.core import pii, segmentation
from wangge.core.db import report_alias
from wangge.core.errors import NotFound
from wangge.core.scope import path_in_scope
from wangge.grids import indexes
from wangge.grids.coords import METRES_PER_DEGREE, box_around, distance_m
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import home_nodes, nodes_in_scope, other_districts

# Past this many summoned cases a handler's arm stays a sub-select (a longer list costs more to
# send and plan than the scan it saves).
SUMMONED_AS_LIST = 2000
# Past this many of their own reports outside their subtree, a staff member's arm stays the
# reporter column.
OWN_AS_LIST = 200


def cases_visible(user: User, *, own_as_list: bool = False) -> QuerySet[Case]:
    """Every case the user may see: their subtree as staff, what they reported, what their
    department was summoned to. Out-of-scope cases do not exist for them.

    ``own_as_list``: a list read page by page in its order (`case_list`) asks for the staff
    member's own reports outside their subtree first, as a list (none, usually: a street's
    dispatcher reports a pothole on the way to work). Beside the scope, the reporter's arm is an
    OR that makes the list a bitmap of the whole scope, sorted, where the scope alone is read in
    the list's order and stops at its page (10 M cases: a street's oldest 50 of 52,000). Other
    reads keep the OR and spare the query."""
    if not user.is_authenticated:
        return Case.objects.none()
    paths = user.scope_paths()
    if paths is None:
        return Case.objects.all()
    own = Q(reporter=user)
    if not paths:
        visible = own
    elif not own_as_list:
        visible = _staff_scope(paths) | own
    else:
        visible = _staff_scope(paths)
        elsewhere = list(
            Case.objects.filter(own)
            .exclude(visible)
            .values_list("pk", flat=True)[: OWN_AS_LIST + 1]
        )
        if len(elsewhere) > OWN_AS_LIST:
            visible |= own
        elif elsewhere:
            visible |= Q(pk__in=elsewhere)
    if user.has_role(Role.DEPARTMENT_HANDLER):
        # The (few) cases their departments were summoned to, read first as a list: a
        # sub-select here is a hashed SubPlan no index answers, and it made every list's count
        # a scan of the whole table (1 M cases: 368 ms for a street's 5,000). As a list, the
        # planner ORs the grid_path, reporter and primary-key indexes.
        summoned = list(
            Assistance.objects.filter(department__members=user).values_list("case_id", flat=True)[
                : SUMMONED_AS_LIST + 1
            ]
        )
        if len(summoned) > SUMMONED_AS_LIST:
            visible |= Q(
                pk__in=Assistance.objects.filter(department__members=user).values("case_id")
            )
        elif summoned:
            visible |= Q(pk__in=summoned)
    return Case.objects.filter(visible)


def _staff_scope(paths: tuple[str, ...]) -> Q:
    """The cases of the subtrees at `paths`: a street's by its `street` column, which every
    writer keeps as the street its path lies in, a move too (`grids.paths.ANCESTOR_COLUMNS`),
    so that a street's list reads its `(street, created_at)` index in order; any other node's
    by the path's prefix."""
    table = indexes.node_table()
    q = Q(pk__in=[])
    for path in paths:
        node = table.by_code.get(path.rstrip("/").rpartition("/")[2])
        if node is not None and node.level == GridLevel.STREET and node.path == path:
            q |= Q(street_id=node.pk)
        else:
            q |= Q(grid_path__startswith=path)
    return q


def closed_count(*, path_prefix: str, start: datetime, end: datetime) -> int:
    """Cases of the subtree at `path_prefix` closed (结案) in [start, end) and still closed: what
    a party branch's grids resolved in a year (the 五星支部 rating)."""
    return Case.objects.filter(
        grid_path__startswith=path_prefix,
        status=Status.CLOSED,
        closed_at__gte=start,
        closed_at__lt=end,
    ).count()


def is_own_report(user: User, case_id: int) -> bool:
    """Whether `user` reported case `case_id`: what only its reporter may add to is asked this
    before anything the request carries is read, so a stranger learns nothing but 404."""
    return user.is_authenticated and Case.objects.filter(pk=case_id, reporter=user).exists()


def attachment_visible(user: User, name: str) -> bool:
    """The protected media view's question for a case photo (or its thumbnail): whoever may open
    the case may see its photos — its reporter, the staff whose subtree holds it, its handlers
    and the departments summoned to it (`workflow.can_view`, as `access_case` asks)."""
    parts = name.split("/")
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    att = (
        CaseAttachment.objects.filter(case_id=int(parts[1]))
        .filter(Q(image=name) | Q(thumb=name))
        .select_related("case")
        .first()
    )
    return att is not None and can_view(att.case, user)


# Cases neighbours are not shown on 身边事 even when the reporter made them public.
OFF_BOARD_STATUSES = (Status.VOIDED, Status.MERGED)


def on_public_board(case: Case) -> bool:
    """The case is on 身边事: its reporter chose to show it, and it is news (the rule of
    `public_board`, for one case already in hand)."""
    return (
        case.is_public
        and case.public_hold == Case.PublicHold.NONE
        and not case.is_confidential
        and case.parent_id is None
        and case.status not in OFF_BOARD_STATUSES
    )


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


def access_case(user: User, case_id: int, *, lock: bool = False) -> Case:
    """The case, if the user may see it (`workflow.can_view`); else NotFound, the same for a
    case that is not there. `lock` takes its row lock, for the gate's write that follows."""
    qs = Case.objects.select_related("handling_node", "category", "assignee", "reporter")
    if lock:
        qs = qs.select_for_update(of=("self",))
    case = qs.filter(pk=case_id).first()
    if case is None or not can_view(case, user):
        raise NotFound(_("事件不存在或无权查看"))
    # A 保密件 read for display shows its caller to the desk alone; the gate's locked row is
    # the row itself, since it is written back.
    return case if lock else shown_to(case, user)


# What a person hands away takes the case out of their sight: a transfer to another district or
# unit, a return, an escalation, a dispatch.
HANDING_AWAY = (Action.TRANSFER, Action.RETURN, Action.ESCALATE, Action.DISPATCH)


def own_hand_over(user: User, case_id: int) -> CaseEvent | None:
    """The case's last event when it is this person's own hand-over: what they may be told of a
    case they no longer see (a reply lost on a weak signal, the page asked again)."""
    last = (
        CaseEvent.objects.filter(case_id=case_id)
        .order_by("-created_at", "-pk")
        .only("action", "actor_id", "data")
        .first()
    )
    if last is None or last.actor_id != user.pk or last.action not in HANDING_AWAY:
        return None
    return last


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").prefetch_related("attachments")


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


# --- KPIs ---------------------------------------------------------------------------------

# The units whose KPI tables, dashboards, circulars and assessments are made: the city above
# several districts (its 运行管理中心 compares them), the district and its streets (a 城运中心
# each). One definition for all three: a unit's figures are its subtree's cases.
KPI_LEVELS = (GridLevel.CITY, GridLevel.DISTRICT, GridLevel.STREET)


def home_kpi_units(user: User) -> list[GridNode]:
    """The streets and districts a person holds."""
    return [n for n in home_nodes(user) if n.level in KPI_LEVELS]


def may_view_kpis(user: User) -> bool:
    """考核 and 城运中心 are read for a street or the district: open to those who hold one.
    Staff of a community or grid cannot see the street's other units, so they have no table."""
    return bool(user.is_authenticated and user.is_grid_staff and home_kpi_units(user))


DEFAULT_WEIGHTS = {"response": 0.1, "resolution": 0.5, "satisfaction": 0.4}


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    due: int
    closed: int
    closed_on_time: int
    reworked: int
    extended: int
    followups: int
    contacted: int
    solved: int
    satisfied: int
    basic: int
    open_cases: int
    overdue_open: int
    self_handled: int
    completion_rate: float | None
    on_time_rate: float | None
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    composite: float | None
    rework_rate: float | None
    extension_rate: float | None
    overdue_rate: float | None
    self_handled_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def kpi_rank(k: Kpi) -> tuple[float, float, str]:
    """The order of a KPI table: composite score, then on-time rate, best first; then code.
    Units with nothing to measure come last."""
    composite = -1.0 if k.composite is None else k.composite
    on_time = -1.0 if k.on_time_rate is None else k.on_time_rate
    return (-composite, -on_time, k.code)


def kpi_places(rows: list[Kpi]) -> list[int | None]:
    """The place of each unit of a table sorted by kpi_rank, by its 综合成绩 as printed:
    units with the same score share a place (1, 1, 3), a unit with nothing to measure has
    none, and when the scores do not separate the units (all equal, or fewer than two units
    measured) no one is placed at all: seven communities at 0.00 are not ranked 1–7."""
    measured = [k.composite for k in rows if k.composite is not None]
    if len(set(measured)) < 2:
        return [None] * len(rows)
    return [
        None if k.composite is None else 1 + sum(1 for c in measured if c > k.composite)
        for k in rows
    ]


def kpi_unranked_reason(rows: list[Kpi]) -> str:
    """Why a table without places has none ("" when it has them), in the words printed under
    it."""
    measured = [k.composite for k in rows if k.composite is not None]
    if not measured:
        return str(_lazy("暂无数据：本期没有到期或回访的事件，没有可比较的成绩，不排名次。"))
    if len(measured) == 1:
        return str(_lazy("本期只有一个单位有到期或回访的事件，无从比较，不排名次。"))
    if len(set(measured)) == 1:
        return str(
            _lazy("本期各单位综合成绩相同（均为 %(s)s），成绩没有拉开差距，不排名次。")
            % {"s": f"{measured[0] * 100:.2f}"}
        )
    return ""


def kpi_from(code: str, name: str, row: dict[str, int], weights: dict[str, float]) -> Kpi:
    """A unit's KPIs from its counts (period_counts, with its open and overdue cases)."""
    effective = row["followups"]
    response = _ratio(row["contacted"], effective)
    resolution = _ratio(row["solved"], effective)
    satisfaction = (
        round((row["satisfied"] + 0.9 * row["basic"]) / effective, 4) if effective else None
    )
    completion = _ratio(row["closed"], row["due"])
    composite = None
    if effective or row["due"]:
        # The residents' verdict on what was followed up, scaled by the share of the work due
        # that was done: a unit that closed half its cases scores at most half, however well
        # the closed half was rated. Nothing followed up yet earns nothing.
        verdict = (
            weights["response"] * (response or 0)
            + weights["resolution"] * (resolution or 0)
            + weights["satisfaction"] * (satisfaction or 0)
        )
        composite = round(verdict * (1.0 if completion is None else completion), 4)
    return Kpi(
        code=code,
        name=name,
        **row,
        completion_rate=completion,
        on_time_rate=_ratio(row["closed_on_time"], row["due"]),
        response_rate=response,
        resolution_rate=resolution,
        satisfaction_rate=satisfaction,
        composite=composite,
        rework_rate=_ratio(row["reworked"], row["due"]),
        extension_rate=_ratio(row["extended"], row["due"]),
        overdue_rate=_ratio(row["overdue_open"], row["open_cases"]),
        self_handled_rate=_ratio(row["self_handled"], row["closed"]),
    )


def _open_counts(now: datetime) -> dict[str, Count]:
    """The counts that depend on the moment: open cases, and those of them past their deadline."""
    return {
        "open_cases": Count("id", filter=Q(status__in=OPEN_STATUSES)),
        "overdue_open": Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
    }


def _kpi_counts(start: datetime, end: datetime, now: datetime) -> tuple[dict[str, Count], Q]:
    """The counts the KPIs are made of, and the cases that can add to them: due or followed up
    in the period, or still open."""
    aggregates = {**period_counts(start, end), **_open_counts(now)}
    relevant = (
        Q(due_at__gte=start, due_at__lt=end)
        | Q(followup_at__gte=start, followup_at__lt=end)
        | Q(status__in=OPEN_STATUSES)
    )
    return aggregates, relevant


def kpi_over(cases: QuerySet[Case], code: str, name: str, *, start: datetime, end: datetime) -> Kpi:
    """One unit's KPIs over the cases given (scoped by the caller), by the definitions of
    `kpis`; voided and merged cases count nowhere."""
    aggregates, relevant = _kpi_counts(start, end, timezone.now())
    row = (
        cases.exclude(status__in=[Status.VOIDED, Status.MERGED])
        .filter(relevant)
        .aggregate(**aggregates)
    )
    return kpi_from(code, name, row, DEFAULT_WEIGHTS)


KPI_COUNTS = (*kpi_counts.KPI_FIELDS, "open_cases", "overdue_open")
# Counts of the cases of one street, or of those at one place without a street (a district's
# or the city's desk): (street id, the street's path or that place, counts).
StreetCounts = tuple[int | None, str, dict[str, int]]


def _street_counts(cases: QuerySet[Case], aggregates: dict[str, Count]) -> list[StreetCounts]:
    """`aggregates` over `cases` per street, and per place for cases without a street: two
    grouped queries whatever the size of the subtree (the counts all add up)."""
    table = indexes.node_table()
    result: list[StreetCounts] = []
    by_street = cases.filter(street__isnull=False).values("street_id").annotate(**aggregates)
    for row in by_street.order_by():
        r = cast(dict[str, Any], row)  # annotated names are dynamic: not in the TypedDict
        street = table.by_id.get(r["street_id"])
        counts = {k: r[k] or 0 for k in aggregates}
        result.append((r["street_id"], street.path if street is not None else "", counts))
    unplaced = cases.filter(street__isnull=True).values("grid_path").annotate(**aggregates)
    for place_row in unplaced.order_by():
        r = cast(dict[str, Any], place_row)
        result.append((None, r["grid_path"], {k: r[k] or 0 for k in aggregates}))
    return result


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for k, n in counts.items():
        total[k] += n


def _unit_rows(
    parent: GridNode, counted: list[StreetCounts], weights: dict[str, float]
) -> tuple[Kpi, list[Kpi]]:
    """The KPIs of a district (its streets' rows) or of a city (its districts' rows, each the
    sum of its streets' counts and of its cases not placed in a street, at the district's
    desk) from the counts per street; the total holds every count, the city's own desk too."""
    total = dict.fromkeys(KPI_COUNTS, 0)
    for _street, _path, counts in counted:
        _add(total, counts)
    level = GridLevel.DISTRICT if parent.level == GridLevel.CITY else GridLevel.STREET
    children = list(
        GridNode.objects.using(report_alias())
        .filter(parent=parent, level=level)
        .defer("boundary")
        .order_by("path")
    )
    sums: dict[int, dict[str, int]] = {c.pk: dict.fromkeys(KPI_COUNTS, 0) for c in children}
    for street, path, counts in counted:
        if level == GridLevel.STREET:
            unit = street
        else:
            unit = next((c.pk for c in children if path.startswith(c.path)), None)
        if unit in sums:
            _add(sums[unit], counts)
    rows = [kpi_from(c.code, c.name, sums[c.pk], weights) for c in children]
    rows.sort(key=kpi_rank)
    return kpi_from(parent.code, parent.name, total, weights), rows


def _counters_apply(user: User, parent: GridNode, start: datetime, end: datetime) -> bool:
    """Whether the monthly counters can stand for the cases: whole months, of a district or a
    city (the counters are per street), all of whose cases the person sees (the counters know
    nothing of whom a case is visible to), while they are fresh."""
    return (
        parent.level in (GridLevel.DISTRICT, GridLevel.CITY)
        and kpi_counts.whole_months(start, end) is not None
        and path_in_scope(user, parent.path)
        and kpi_counts.fresh_as_of(report_alias()) is not None
    )


def kpis(
    *,
    user: User,
    parent: GridNode,
    start: datetime,
    end: datetime,
    weights: dict[str, float] | None = None,
    now: datetime | None = None,
) -> tuple[Kpi, list[Kpi]]:
    """KPIs of `parent` and of each community (or street, or district) under it, over
    [start, end).

    Definitions (DOMAIN.md §3): a case is *due* in the period when its resolve deadline falls in
    it; *closed* = resolved by the handler (办结); *effective follow-ups* are follow-ups in the
    period that reached the reporter. Voided and merged cases count nowhere.

    Over whole months of a district or the city, the period's counts come from the monthly
    counters (kpi_counts) when they are fresh, and only the open cases are counted here.
    """
    weights = weights or DEFAULT_WEIGHTS
    now = now or timezone.now()
    # KPIs tolerate replication lag and are the heaviest read: they go to the report alias.
    base = (
        cases_visible(user)
        .using(report_alias())
        .filter(grid_path__startswith=parent.path)
        .exclude(status__in=[Status.VOIDED, Status.MERGED])
    )
    if _counters_apply(user, parent, start, end):
        months = kpi_counts.whole_months(start, end)
        assert months is not None  # checked by _counters_apply
        counted = kpi_counts.month_sums(parent.path, *months, using=report_alias())
        as_of = kpi_counts.fresh_as_of(report_alias())
        if as_of is not None and abs(now - as_of) <= kpi_counts.MAX_AGE:
            # Overdue as of the refresh: a case passing its deadline since is the next
            # refresh's change, as any other.
            counted += kpi_counts.open_sums(parent.path, using=report_alias())
        else:
            # Overdue at another moment than the counters': counted here (a city's 150,000
            # open cases: 0.3 s).
            counted += _street_counts(base.filter(status__in=OPEN_STATUSES), _open_counts(now))
        return _unit_rows(parent, counted, weights)
    aggregates, relevant = _kpi_counts(start, end, now)
    if parent.level != GridLevel.STREET:
        return _unit_rows(parent, _street_counts(base.filter(relevant), aggregates), weights)
    total_row = base.filter(relevant).aggregate(**aggregates)
    total = kpi_from(parent.code, parent.name, total_row, weights)
    rows = base.filter(relevant).values("community_id").annotate(**aggregates).order_by()
    children = {
        n.pk: n
        for n in GridNode.objects.using(report_alias()).filter(
            parent=parent, level=GridLevel.COMMUNITY
        )
    }
    by_child = {r["community_id"]: cast(dict[str, Any], r) for r in rows}
    empty = dict.fromkeys(aggregates, 0)
    result = []
    for pk, node in children.items():
        row = {k: by_child.get(pk, empty)[k] for k in aggregates}
        result.append(kpi_from(node.code, node.name, row, weights))
    result.sort(key=kpi_rank)
    return total, result


# Within this distance an open case is "nearby" even when it lies in the next micro-grid.
NEARBY_METRES = 300.0
# A problem told again is told within a week: older open cases are not offered as duplicates.
DUPLICATE_WINDOW = timedelta(days=7)
# rapidfuzz token-set ratio (0–100) over jieba words. Tried on call texts: the same problem
# told twice scores 70–85, unrelated problems at the same place 10–40.
SIMILARITY_THRESHOLD = 60
_CANDIDATES = 200


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> str:
    """A text's jieba words, space-joined. Cached: the desk compares each new case with up to
    200 open ones nearby, page after page, and segmenting the same texts again each time made
    a page of 50 similar hotline orders take half a minute."""
    # jieba's plain segmentation (jieba.lcut), on the dictionary the category model loaded
    # already: loaded on first use, not at import, in a process that has no category model.
    return " ".join(w for w in segmentation.plain().lcut(text or "") if re.search(r"\w", w))


def text_similarity(a: str, b: str) -> float:
    """0–100; Chinese has no spaces, so compare jieba words, not raw characters."""
    wa, wb = _words(a), _words(b)
    return float(fuzz.token_set_ratio(wa, wb)) if wa and wb else 0.0


@dataclass(frozen=True)
class PossibleTwin:
    """What the desk compares and prints of an open case that may be a page case's twin, read
    as columns: a street's pool of a few hundred made into cases was a fifth of its desk page."""

    pk: int
    number: str
    title: str
    description: str
    micro_grid_id: int | None
    lon: float | None
    lat: float | None
    created_at: datetime


Told = TypeVar("Told", Case, PossibleTwin)


@dataclass(frozen=True)
class SimilarCase(Generic[Told]):
    case: Told
    score: float
    distance_m: float | None
    same_micro_grid: bool


def similar_open_cases_near(
    user: User,
    *,
    text: str,
    micro_grid_id: int | None,
    lon: float | None,
    lat: float | None,
    exclude_id: int | None = None,
    since: datetime | None = None,
    limit: int = 5,
) -> list[SimilarCase[Case]]:
    """Open cases the user may see in the same micro-grid or within 300 m that tell the same
    problem, most similar first: the dispatch desk's and the hotline desk's duplicate check."""
    near = Q(pk__in=[])
    if micro_grid_id is not None:
        near |= Q(micro_grid_id=micro_grid_id)
    if lon is not None and lat is not None:
        west, south, east, north = box_around(lon, lat, NEARBY_METRES)
        near |= Q(lon__range=(west, east), lat__range=(south, north))
    candidates = cases_visible(user).filter(near, status__in=OPEN_STATUSES).exclude(status="merged")
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    if since is not None:
        candidates = candidates.filter(created_at__gte=since)
    pool = candidates.select_related("handling_node", "category").order_by("-created_at", "-id")
    return _similar_in(
        pool[:_CANDIDATES], text=text, micro_grid_id=micro_grid_id, lon=lon, lat=lat, limit=limit
    )


def _similar_in(
    pool: Iterable[Told],
    *,
    text: str,
    micro_grid_id: int | None,
    lon: float | None,
    lat: float | None,
    limit: int,
) -> list[SimilarCase[Told]]:
    """The cases of `pool` in the same micro-grid or within 300 m that tell the same problem."""
    found: list[SimilarCase[Told]] = []
    for case in pool:
        same_micro = micro_grid_id is not None and case.micro_grid_id == micro_grid_id
        metres = None
        if lon is not None and lat is not None and case.lon is not None and case.lat is not None:
            metres = distance_m(lon, lat, case.lon, case.lat)
        if not same_micro and (metres is None or metres > NEARBY_METRES):
            continue
        score = text_similarity(text, f"{case.title} {case.description}")
        if score >= SIMILARITY_THRESHOLD:
            found.append(SimilarCase(case, score, metres, same_micro))
    found.sort(key=lambda s: (-s.score, s.distance_m if s.distance_m is not None else 0.0))
    return found[:limit]


def likely_duplicates(user: User, case: Case, limit: int = 5) -> list[tuple[Case, int]]:
    """Open cases of the last week that may be the same problem: (case, similarity 0–100)."""

    rows = similar_open_cases_near(
        user,
        text=case.description,
        micro_grid_id=case.micro_grid_id,
        lon=case.lon,
        lat=case.lat,
        exclude_id=case.pk,
        since=case.created_at - DUPLICATE_WINDOW,
        limit=limit,
    )
    return [(r.case, int(r.score)) for r in rows]


# A page's shared pool of candidates: enough for a street's week of open cases nearby.
_PAGE_CANDIDATES = 1000


Box = tuple[float, float, float, float]


def _nearby_boxes(cases: Sequence[Case]) -> list[Box]:
    """Boxes (west, south, east, north) that hold every point within `NEARBY_METRES` of the
    located cases, one a case, merged where they overlap: a street's page is one or two, a
    city's page as many as the places it spans. One box around all of them was the whole city
    for a city's page, and its pool every open case of the period."""
    boxes: list[Box] = []
    for c in cases:
        if c.lon is None or c.lat is None:
            continue
        box = box_around(c.lon, c.lat, NEARBY_METRES)
        # The boxes it overlaps are taken out and it grows to hold them; a grown box may reach
        # one it did not, so it is compared again until it overlaps none.
        while overlapped := [b for b in boxes if _overlap(b, box)]:
            boxes = [b for b in boxes if not _overlap(b, box)]
            box = (
                min(b[0] for b in (box, *overlapped)),
                min(b[1] for b in (box, *overlapped)),
                max(b[2] for b in (box, *overlapped)),
                max(b[3] for b in (box, *overlapped)),
            )
        boxes.append(box)
    return boxes


def _overlap(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def likely_duplicates_for(
    user: User, cases: Sequence[Case], limit: int = 1
) -> dict[int, list[tuple[PossibleTwin, int]]]:
    """`likely_duplicates` for a page of cases at once (the desk): one query for the open cases
    near any of them, then each case compared with that pool — not a query and 200 rows for
    every case of the page."""
    if not cases:
        return {}
    near = Q(pk__in=[])
    micro = {c.micro_grid_id for c in cases if c.micro_grid_id is not None}
    if micro:
        near |= Q(micro_grid_id__in=micro)
    for west, south, east, north in _nearby_boxes(cases):
        near |= Q(lon__range=(west, east), lat__range=(south, north))
    week = DUPLICATE_WINDOW
    pool = [
        PossibleTwin(*row)
        for row in cases_visible(user)
        .filter(
            near, status__in=OPEN_STATUSES, created_at__gte=min(c.created_at for c in cases) - week
        )
        .exclude(status="merged")
        .order_by("-created_at", "-id")
        .values_list(*(f.name for f in dataclasses.fields(PossibleTwin)))[:_PAGE_CANDIDATES]
    ]
    # Each case is compared only with the pool's cases of its micro-grid and of its band of
    # latitude (`_similar_in` checks the distance): a page of 50 against a pool of 1,000 was
    # 50,000 distances, most of them across the street.
    band = NEARBY_METRES / METRES_PER_DEGREE
    order = {o.pk: i for i, o in enumerate(pool)}
    by_micro: dict[int, list[PossibleTwin]] = {}
    for o in pool:
        if o.micro_grid_id is not None:
            by_micro.setdefault(o.micro_grid_id, []).append(o)
    by_lat = sorted((o for o in pool if o.lat is not None), key=lambda o: o.lat or 0.0)
    lats = [o.lat or 0.0 for o in by_lat]
    result: dict[int, list[tuple[PossibleTwin, int]]] = {}
    for case in cases:
        since = case.created_at - week
        near_by = {o.pk: o for o in by_micro.get(case.micro_grid_id or 0, ())}
        if case.lat is not None and case.lon is not None:
            lo = bisect.bisect_left(lats, case.lat - band)
            hi = bisect.bisect_right(lats, case.lat + band)
            near_by.update((o.pk, o) for o in by_lat[lo:hi])
        mine = sorted(
            (o for o in near_by.values() if o.pk != case.pk and o.created_at >= since),
            key=lambda o: order[o.pk],
        )
        rows = _similar_in(
            mine,
            text=case.description,
            micro_grid_id=case.micro_grid_id,
            lon=case.lon,
            lat=case.lat,
            limit=limit,
        )
        result[case.pk] = [(r.case, int(r.score)) for r in rows]
    return result


def dispatch_targets(user: User, case: Case) -> list[GridNode]:
    """Units a dispatcher may send this case to: grids, communities and the street around it."""
    levels = [GridLevel.STREET, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.EXCLUSIVE]
    own = list(nodes_in_scope(user, levels, within=case.street or case.community)[:400])
    # A case that came to the wrong district of a city is 转办 to the right one, whose own
    # staff place it: the other districts of the city are offered after the case's own units.
    anchor = case.street or case.community or case.micro_grid
    return own + (other_districts(anchor) if anchor is not None else [])


def public_board(node: GridNode | None) -> QuerySet[Case]:
    """身边事: what residents chose to show their neighbours, newest first.

    Voided or merged cases are not news, and a 保密件 is never shown; the reporter's name and
    phone never leave the server through this list (the page prints only
    `is_anonymous_public`'s choice of label).
    """
    # A report whose words content security has not passed (审核中, or hidden) is not shown.
    qs = Case.objects.filter(
        is_public=True,
        public_hold=Case.PublicHold.NONE,
        is_confidential=False,
        parent__isnull=True,
    ).exclude(status__in=OFF_BOARD_STATUSES)
    if node is not None:
        qs = qs.filter(grid_path__startswith=node.path)
    return qs.select_related("category", "micro_grid", "reporter").order_by("-created_at")


# --- the reporter's own view -----------------------------------------------------------------

# The steps a resident follows, in plain words; a status counts as having reached the step.
RESIDENT_STEPS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (
        _lazy("已受理"),
        (
            "pending",
            "dispatched",
            "signed",
            "suspended",
            "resolved",
            "verified",
            "closed",
            "returned",
        ),
    ),
    (
        _lazy("已派给办理人"),
        ("dispatched", "signed", "suspended", "resolved", "verified", "closed"),
    ),
    (_lazy("正在处理"), ("signed", "suspended", "resolved", "verified", "closed")),
    (_lazy("已办好"), ("resolved", "verified", "closed")),
    (_lazy("已回访结案"), ("closed",)),
)
# Timeline rows a reporter is shown (the rest is internal: routing, cards, recounts, 吹哨).
RESIDENT_EVENTS: dict[str, Promise] = {
    "intake": _lazy("收到您的反映"),
    "accept": _lazy("已受理"),
    "dispatch": _lazy("已派单"),
    "route": _lazy("已派单"),
    "transfer": _lazy("已转给更合适的单位"),
    "sign": _lazy("办理人已签收"),
    "contact": _lazy("办理人已联系您"),
    "resolve": _lazy("已办好"),
    "verify_pass": _lazy("已核查"),
    "verify_fail": _lazy("核查未通过，重新办理"),
    "rate": _lazy("您已评价"),
    "follow_up": _lazy("已回访"),
    "reopen": _lazy("重新办理"),
}


@dataclass(frozen=True)
class ResidentCaseView:
    steps: list[tuple[str, str]]  # (words, "done" | "current" | "todo")
    handler: str  # the person (or unit) handling it, by name
    due_at: datetime | None
    before: list[Any]  # photos of the problem (the report's and the handler's 处置前)
    after: list[Any]  # 处置后
    events: list[tuple[datetime, str]]


def resident_case_view(case: Case) -> ResidentCaseView:
    """What the reporter sees of their case: plain steps, who and by when, before and after —
    never routing scores, card colours or internal notes."""
    reached = [case.status in statuses for _words, statuses in RESIDENT_STEPS]
    last = max((i for i, r in enumerate(reached) if r), default=-1)
    steps = [
        (str(words), "done" if i < last else "current" if i == last else "todo")
        for i, (words, _statuses) in enumerate(RESIDENT_STEPS)
    ]
    handler = ""
    if case.assignee_id and case.assignee:
        handler = case.assignee.name
    elif case.handling_node_id and case.handling_node:
        handler = case.handling_node.name
    photos = list(case.attachments.all())
    before = [
        p for p in photos if p.kind in (CaseAttachment.Kind.REPORT, CaseAttachment.Kind.BEFORE)
    ]
    after = [p for p in photos if p.kind == CaseAttachment.Kind.AFTER]
    events = [
        (e.created_at, str(RESIDENT_EVENTS[e.action]))
        for e in case.events.order_by("created_at", "pk")
        if e.action in RESIDENT_EVENTS
    ]
    return ResidentCaseView(steps, handler, case.due_at, before, after, events)
