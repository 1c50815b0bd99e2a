"""The KPIs of DOMAIN.md §3: who may read them, each unit's figures over a period, and their
ranking; and the count of closed cases the 五星支部 rating reads. Over whole months of a
district or the city the figures are read from the monthly counters (`cases.kpi_counts`);
otherwise counted from the cases, on the report alias."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from wangge.accounts.models import User
from wangge.cases import kpi_counts
from wangge.cases.kpi_counts import period_counts
from wangge.cases.models import OPEN_STATUSES, Case, Status
from wangge.cases.selectors.access import cases_visible
from wangge.core.db import report_alias
from wangge.core.scope import path_in_scope
from wangge.grids import indexes
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import home_nodes


def closed_count(*, path_prefix: str, start: datetime, end: datetime) -> int:
    """Cases of the subtree at `path_prefix` closed (结案) in [start, end) and still closed: what
    a party branch's grids resolved in a year (the 五星支部 rating)."""
    return Case.objects.filter(
        grid_path__startswith=path_prefix,
        status=Status.CLOSED,
        closed_at__gte=start,
        closed_at__lt=end,
    ).count()


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
