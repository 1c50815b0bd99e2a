"""Reads of cases: scoped lists and queues, the timeline, and the KPIs of DOMAIN.md §3."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _lazy

from wangge.accounts.models import User
from wangge.cases.models import (
    CLOCK_STATUSES,
    OPEN_STATUSES,
    Assistance,
    Card,
    Case,
    CaseAttachment,
    CaseEvent,
    Satisfaction,
    Status,
)
from wangge.cases.workflow import can_view
from wangge.core.db import report_alias
from wangge.core.scope import scope_q
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import home_nodes, nodes_in_scope


def cases_visible(user: User) -> QuerySet[Case]:
    """Every case the user may see: their subtree as staff, what they reported, what their
    department was summoned to. Out-of-scope cases do not exist for them."""
    if not user.is_authenticated:
        return Case.objects.none()
    staff = scope_q(user.scope_paths(), "grid_path")
    if staff is None:
        return Case.objects.all()
    summoned = Assistance.objects.filter(department__members=user).values("case_id")
    return Case.objects.filter(staff | Q(reporter=user) | Q(pk__in=summoned))


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
    return case.is_public and case.parent_id is None and case.status not in OFF_BOARD_STATUSES


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
    qs = cases_visible(user).select_related("category", "handling_node", "assignee", "community")
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
        qs = qs.filter(Q(title__contains=f.q) | Q(description__contains=f.q) | Q(number=f.q))
    return qs.order_by("-created_at", "-id")


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").prefetch_related("attachments")


def worker_queue(user: User) -> QuerySet[Case]:
    """A handler's own work, most urgent first: overdue, then by deadline."""
    from wangge.cases.workflow import HANDLER_ROLES

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
    from django.db.models import F

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
    """The street desk: pending (incl. unplaceable) and returned cases in the user's scope."""
    return case_list(user, CaseFilter(status=[Status.PENDING, Status.RETURNED])).order_by(
        "created_at", "id"
    )


def supervision_board(user: User) -> QuerySet[Case]:
    return (
        case_list(user, CaseFilter(status=list(CLOCK_STATUSES)))
        .filter(card__in=[Card.YELLOW, Card.RED])
        .order_by("due_at", "id")
    )


def followup_queue(user: User) -> QuerySet[Case]:
    return case_list(user, CaseFilter(status=[Status.VERIFIED])).order_by("verified_at", "id")


# --- KPIs ---------------------------------------------------------------------------------

# The units whose KPI tables, dashboards, circulars and assessments are made: the district and
# its streets (a 城运中心 each).
KPI_LEVELS = (GridLevel.DISTRICT, GridLevel.STREET)


def home_kpi_units(user: User) -> list[GridNode]:
    """The streets and districts a person holds."""
    return [n for n in home_nodes(user) if n.level in KPI_LEVELS]


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


def period_counts(start: datetime, end: datetime, prefix: str = "") -> dict[str, Count]:
    """The counts of cases a period's KPIs are computed from (kpi_from), over [start, end): by
    resolve deadline in the period, and by follow-up in the period. Named with `prefix`, so
    one query can count several periods side by side (the dashboard's counters)."""
    due = Q(due_at__gte=start, due_at__lt=end)
    fu = Q(followup_at__gte=start, followup_at__lt=end)
    return {
        f"{prefix}due": Count("id", filter=due),
        f"{prefix}closed": Count("id", filter=due & Q(resolved_at__isnull=False)),
        f"{prefix}closed_on_time": Count("id", filter=due & Q(closed_on_time=True)),
        f"{prefix}reworked": Count("id", filter=due & Q(rework_count__gt=0)),
        f"{prefix}extended": Count("id", filter=due & Q(extension_count__gt=0)),
        f"{prefix}followups": Count("id", filter=fu),
        f"{prefix}contacted": Count("id", filter=fu & Q(followup_contacted=True)),
        f"{prefix}solved": Count("id", filter=fu & Q(followup_solved=True)),
        f"{prefix}satisfied": Count("id", filter=fu & Q(satisfaction=Satisfaction.SATISFIED)),
        f"{prefix}basic": Count("id", filter=fu & Q(satisfaction=Satisfaction.BASIC)),
        f"{prefix}self_handled": Count(
            "id", filter=due & Q(self_handled=True, resolved_at__isnull=False)
        ),
    }


def kpi_rank(k: Kpi) -> tuple[float, float, str]:
    """The order of a KPI table: composite score, then on-time rate, best first; then code."""
    return (-(k.composite or -1), -(k.on_time_rate or -1), k.code)


def kpi_from(code: str, name: str, row: dict[str, int], weights: dict[str, float]) -> Kpi:
    """A unit's KPIs from its counts (period_counts, with its open and overdue cases)."""
    effective = row["followups"]
    response = _ratio(row["contacted"], effective)
    resolution = _ratio(row["solved"], effective)
    satisfaction = (
        round((row["satisfied"] + 0.9 * row["basic"]) / effective, 4) if effective else None
    )
    composite = None
    if effective:
        composite = round(
            weights["response"] * (response or 0)
            + weights["resolution"] * (resolution or 0)
            + weights["satisfaction"] * (satisfaction or 0),
            4,
        )
    return Kpi(
        code=code,
        name=name,
        **row,
        completion_rate=_ratio(row["closed"], row["due"]),
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


def kpis(
    *,
    user: User,
    parent: GridNode,
    start: datetime,
    end: datetime,
    weights: dict[str, float] | None = None,
    now: datetime | None = None,
) -> tuple[Kpi, list[Kpi]]:
    """KPIs of `parent` and of each community (or street) under it, over [start, end).

    Definitions (DOMAIN.md §3): a case is *due* in the period when its resolve deadline falls in
    it; *closed* = resolved by the handler (办结); *effective follow-ups* are follow-ups in the
    period that reached the reporter. Voided and merged cases count nowhere.
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
    due = Q(due_at__gte=start, due_at__lt=end)
    fu = Q(followup_at__gte=start, followup_at__lt=end)
    aggregates = {
        **period_counts(start, end),
        "open_cases": Count("id", filter=Q(status__in=OPEN_STATUSES)),
        "overdue_open": Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
    }
    relevant = due | fu | Q(status__in=OPEN_STATUSES)
    total_row = base.filter(relevant).aggregate(**aggregates)
    total = kpi_from(parent.code, parent.name, total_row, weights)
    group_field = "community" if parent.level == "street" else "street"
    rows = base.filter(relevant).values(f"{group_field}_id").annotate(**aggregates).order_by()
    children = {
        n.pk: n
        for n in GridNode.objects.using(report_alias()).filter(parent=parent, level=group_field)
    }
    by_child = {r[f"{group_field}_id"]: r for r in rows}
    empty = dict.fromkeys(aggregates, 0)
    result = []
    for pk, node in children.items():
        row = {k: by_child.get(pk, empty)[k] for k in aggregates}
        result.append(kpi_from(node.code, node.name, row, weights))
    result.sort(key=kpi_rank)
    return total, result


# Within this distance an open case is "nearby" even when it lies in the next micro-grid.
NEARBY_METRES = 300.0
# rapidfuzz token-set ratio (0–100) over jieba words. Tried on call texts: the same problem
# told twice scores 70–85, unrelated problems at the same place 10–40.
SIMILARITY_THRESHOLD = 60
_CANDIDATES = 200


def text_similarity(a: str, b: str) -> float:
    """0–100; Chinese has no spaces, so compare jieba words, not raw characters."""
    import re

    import jieba
    from rapidfuzz import fuzz

    def words(text: str) -> str:
        return " ".join(w for w in jieba.lcut(text or "") if re.search(r"\w", w))

    wa, wb = words(a), words(b)
    return float(fuzz.token_set_ratio(wa, wb)) if wa and wb else 0.0


@dataclass(frozen=True)
class SimilarCase:
    case: Case
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
) -> list[SimilarCase]:
    """Open cases the user may see in the same micro-grid or within 300 m that tell the same
    problem, most similar first: the dispatch desk's and the hotline desk's duplicate check."""
    import math

    from wangge.grids.coords import distance_m

    near = Q(pk__in=[])
    if micro_grid_id is not None:
        near |= Q(micro_grid_id=micro_grid_id)
    if lon is not None and lat is not None:
        dlat = NEARBY_METRES / 111_320
        dlon = NEARBY_METRES / (111_320 * max(math.cos(math.radians(lat)), 0.01))
        near |= Q(lon__range=(lon - dlon, lon + dlon), lat__range=(lat - dlat, lat + dlat))
    candidates = cases_visible(user).filter(near, status__in=OPEN_STATUSES).exclude(status="merged")
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    if since is not None:
        candidates = candidates.filter(created_at__gte=since)
    found: list[SimilarCase] = []
    for case in candidates.select_related("handling_node", "category").order_by(
        "-created_at", "-id"
    )[:_CANDIDATES]:
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
    from datetime import timedelta

    rows = similar_open_cases_near(
        user,
        text=case.description,
        micro_grid_id=case.micro_grid_id,
        lon=case.lon,
        lat=case.lat,
        exclude_id=case.pk,
        since=case.created_at - timedelta(days=7),
        limit=limit,
    )
    return [(r.case, int(r.score)) for r in rows]


def dispatch_targets(user: User, case: Case) -> list[GridNode]:
    """Units a dispatcher may send this case to: grids, communities and the street around it."""
    levels = [GridLevel.STREET, GridLevel.COMMUNITY, GridLevel.GRID, GridLevel.EXCLUSIVE]
    return list(nodes_in_scope(user, levels, within=case.street or case.community)[:400])


def public_board(node: GridNode | None) -> QuerySet[Case]:
    """身边事: what residents chose to show their neighbours, newest first.

    Voided or merged cases are not news; the reporter's name and phone never leave the
    server through this list (the page prints only `is_anonymous_public`'s choice of label).
    """
    qs = Case.objects.filter(is_public=True, parent__isnull=True).exclude(
        status__in=OFF_BOARD_STATUSES
    )
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
