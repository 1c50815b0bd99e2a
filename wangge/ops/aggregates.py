"""Pre-aggregated dashboard figures: per-unit counters refreshed every minute by the worker.

A street's dashboard over a million cases cannot count them on every load, so a periodic job
(tasks.refresh_unit_figures) counts them once per minute into `UnitFigures`, one row per
community (or street/district-level unit) of the grid tree, and the dashboard adds up the rows
under the street it shows. Every figure is a count, so the sums over a street's rows are exactly
what the live selectors count over the street's cases; tests/ops/test_aggregates.py checks that.

Incremental: a run recomputes only the streets in which a case changed (`updated_at` after the
last run) or an open case passed its deadline since the last run; a new local day, or ten minutes
since the last full pass (which also catches a case moved from one street to another), recomputes
everything. Grouping is by `grid_path`, truncated in Python to the community's path, so the
database returns at most one row per micro-grid.
"""

import heapq
import math
import operator
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

# The same look-back and freshness as the KPI counters, which the same worker keeps: a case
# committed after the run that began before it is not missed, and a stopped worker does not
# freeze the figures unnoticed (the dashboard counts live past MAX_AGE).
from wangge.cases.kpi_counts import MAX_AGE, OVERLAP
from wangge.cases.models import OPEN_STATUSES, Case, Status
from wangge.cases.selectors import period_counts
from wangge.core.calendar import midnight, month_bounds
from wangge.grids.indexes import node_table
from wangge.grids.models import GridLevel, GridNode
from wangge.ops.models import FiguresRefresh, UnitFigures
from wangge.ops.periods import TREND_WEEKS, trend_mondays

# A full pass at least this often: it corrects what the incremental pass cannot see.
FULL_PASS_EVERY = timedelta(minutes=10)
# Above this many changed streets, one pass over everything is cheaper than street by street.
MAX_STREETS_APART = 4
# Heat layer: new cases of the last seven days in cells of 0.002° (about 200 m × 180 m here).
HEAT_DAYS = 7
HEAT_STEP = 0.002

KPI_FIELDS = (
    "due",
    "closed",
    "closed_on_time",
    "reworked",
    "extended",
    "followups",
    "contacted",
    "solved",
    "satisfied",
    "basic",
    "self_handled",
)
TODAY_FIELDS = ("new", "dispatched", "signed", "closed")
# Channels through which residents raise needs: 情 of the six elements counts their open cases
# (the residents' 六要素 page counts the same).
RESIDENT_CHANNELS = ("resident", "snapshot", "hotline", "assistant", "open311")


def windows(now: datetime) -> dict[str, Any]:
    """The periods the dashboard shows, as of `now` (local calendar)."""
    today = timezone.localdate(now)
    m_start, m_end = month_bounds(today)
    p_start, p_end = month_bounds(m_start - timedelta(days=1))
    mondays = trend_mondays(today)
    return {
        "today": midnight(today),
        "month": (midnight(m_start), midnight(m_end)),
        "prev_month": (midnight(p_start), midnight(p_end)),
        "weeks": [(midnight(m), midnight(m + timedelta(days=7))) for m in mondays],
        "mondays": mondays,
        "heat_since": now - timedelta(days=HEAT_DAYS),
    }


def level_path(grid_path: str, level: str) -> str:
    """The path of the node of `level` a grid path lies in, or the path itself if higher up.
    By level, not by depth: a city above the district moves every level one step down."""
    table = node_table()
    parts = [p for p in grid_path.split("/") if p]
    for i, code in enumerate(parts):
        node = table.by_code.get(code)
        if node is not None and node.level == level:
            return "".join(f"{p}/" for p in parts[: i + 1])
    return "".join(f"{p}/" for p in parts)


def unit_of(grid_path: str) -> str:
    """The community-level path of a case's grid path (or the path itself if higher up)."""
    return level_path(grid_path, GridLevel.COMMUNITY)


def street_of(grid_path: str) -> str:
    return level_path(grid_path, GridLevel.STREET)


def _cases(prefix: str) -> QuerySet[Case]:
    qs = Case.objects.exclude(status__in=[Status.VOIDED, Status.MERGED])
    return qs.filter(grid_path__startswith=prefix) if prefix else qs


Key = tuple[str, int | None, int | None]


def empty_figures() -> dict[str, Any]:
    return {
        "today": dict.fromkeys(TODAY_FIELDS, 0),
        "open": 0,
        "overdue": 0,
        "open_needs": 0,
        "month": dict.fromkeys(KPI_FIELDS, 0),
        "prev_month": dict.fromkeys(KPI_FIELDS, 0),
        "received": [0] * TREND_WEEKS,
        "resolved": [0] * TREND_WEEKS,
        "categories": {},
        "heat": {},
    }


def compute(prefix: str, now: datetime) -> dict[Key, dict[str, Any]]:
    """Counters of every unit under `prefix` ("" = everything), as of `now`: three queries."""
    w = windows(now)
    today = w["today"]
    (m0, m1), (p0, p1) = w["month"], w["prev_month"]
    since = w["weeks"][0][0]
    agg: dict[str, Count] = {
        "t_new": Count("id", filter=Q(created_at__gte=today, created_at__lt=now)),
        "t_dispatched": Count("id", filter=Q(dispatched_at__gte=today, dispatched_at__lt=now)),
        "t_signed": Count("id", filter=Q(signed_at__gte=today, signed_at__lt=now)),
        "t_closed": Count("id", filter=Q(closed_at__gte=today, closed_at__lt=now)),
        "open": Count("id", filter=Q(status__in=OPEN_STATUSES)),
        "overdue": Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        "open_needs": Count(
            "id", filter=Q(status__in=OPEN_STATUSES, channel__in=RESIDENT_CHANNELS)
        ),
        **period_counts(m0, m1, "m_"),
        **period_counts(p0, p1, "p_"),
    }
    for i, (lo, hi) in enumerate(w["weeks"]):
        agg[f"r{i}"] = Count("id", filter=Q(created_at__gte=lo, created_at__lt=hi))
        agg[f"d{i}"] = Count("id", filter=Q(resolved_at__gte=lo, resolved_at__lt=hi))
    earliest = min(p0, since)
    relevant = (
        Q(status__in=OPEN_STATUSES)
        | Q(created_at__gte=earliest)
        | Q(resolved_at__gte=earliest)
        | Q(due_at__gte=p0, due_at__lt=m1)
        | Q(followup_at__gte=p0, followup_at__lt=m1)
        | Q(dispatched_at__gte=today)
        | Q(signed_at__gte=today)
        | Q(closed_at__gte=today)
    )
    units: dict[Key, dict[str, Any]] = defaultdict(empty_figures)
    rows = (
        _cases(prefix)
        .filter(relevant)
        .values("grid_path", "community_id", "street_id")
        .annotate(**agg)
        .order_by()
    )
    for row in rows:
        r = cast(dict[str, Any], row)  # annotated names are dynamic: not in the TypedDict
        u = units[(unit_of(r["grid_path"]), r["community_id"], r["street_id"])]
        for f in TODAY_FIELDS:
            u["today"][f] += r[f"t_{f}"]
        u["open"] += r["open"]
        u["overdue"] += r["overdue"]
        u["open_needs"] += r["open_needs"]
        for f in KPI_FIELDS:
            u["month"][f] += r[f"m_{f}"]
            u["prev_month"][f] += r[f"p_{f}"]
        for i in range(TREND_WEEKS):
            u["received"][i] += r[f"r{i}"]
            u["resolved"][i] += r[f"d{i}"]
    cats = (
        _cases(prefix)
        .filter(created_at__gte=m0, category__isnull=False)
        .values("grid_path", "community_id", "street_id", "category__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    for cat in cats:
        key = (unit_of(cat["grid_path"]), cat["community_id"], cat["street_id"])
        c = units[key]["categories"]
        c[cat["category__name"]] = c.get(cat["category__name"], 0) + cat["n"]
    heat = (
        _cases(prefix)
        .filter(created_at__gte=w["heat_since"], created_at__lt=now, lon__isnull=False)
        .filter(lat__isnull=False)
        .values_list("grid_path", "community_id", "street_id", "lon", "lat")
    )
    for path, community, street, lon, lat in heat.iterator():
        assert lon is not None and lat is not None  # filtered above
        h = units[(unit_of(path), community, street)]["heat"]
        cell = heat_cell(lon, lat)
        h[cell] = h.get(cell, 0) + 1
    return dict(units)


def heat_cell(lon: float, lat: float) -> str:
    return f"{math.floor(lon / HEAT_STEP)},{math.floor(lat / HEAT_STEP)}"


# The heat layer's points at most: a city's week fills tens of thousands of cells, most of them
# with one case, which the map cannot tell apart from an even glow and the page paid for in
# reading each cell (a third of the city dashboard's time).
HEAT_MAX_POINTS = 3000


def heat_points(cells: dict[str, int]) -> list[list[float]]:
    """[lat, lon, count] at each cell's centre, most cases first; the densest
    `HEAT_MAX_POINTS` cells where there are more."""
    chosen = (
        cells.items()
        if len(cells) <= HEAT_MAX_POINTS
        else heapq.nlargest(HEAT_MAX_POINTS, cells.items(), key=operator.itemgetter(1))
    )
    points = []
    for cell, n in chosen:
        x, y = (int(v) for v in cell.split(","))
        points.append(
            [round((y + 0.5) * HEAT_STEP, 6), round((x + 0.5) * HEAT_STEP, 6), n],
        )
    points.sort(key=lambda p: (-p[2], p[0], p[1]))
    return points


@transaction.atomic
def store(prefix: str, now: datetime) -> int:
    """Replace the counters under `prefix` with a fresh count; returns the units written."""
    units = compute(prefix, now)
    old = UnitFigures.objects.all()
    if prefix:
        old = old.filter(unit_path__startswith=prefix)
    old.delete()
    UnitFigures.objects.bulk_create(
        UnitFigures(
            unit_path=path,
            community_id=community,
            street_id=street,
            data=data,
        )
        for (path, community, street), data in units.items()
    )
    return len(units)


def refresh(now: datetime | None = None, *, full: bool = False) -> dict[str, Any]:
    """The minute's run: a full pass when due, otherwise only the streets that changed."""
    now = now or timezone.now()
    with transaction.atomic():
        state = FiguresRefresh.objects.select_for_update().filter(pk=1).first()
        if state is None:
            state = FiguresRefresh.objects.create(pk=1)
        last, last_full = state.refreshed_at, state.full_at
        new_day = last is None or timezone.localdate(last) != timezone.localdate(now)
        if (
            full
            or new_day
            or last is None
            or last_full is None
            or now - last_full >= FULL_PASS_EVERY
        ):
            written = store("", now)
            state.refreshed_at = state.full_at = now
            state.save(update_fields=["refreshed_at", "full_at"])
            return {"full": True, "streets": None, "units": written}
        # Bounded by `now` as well: a row stamped later is the next run's (OVERLAP covers it).
        changed = Case.objects.filter(
            Q(updated_at__gt=last - OVERLAP, updated_at__lte=now)
            | Q(status__in=OPEN_STATUSES, due_at__gt=last, due_at__lte=now)
        )
        paths = set(changed.values_list("grid_path", flat=True).order_by().distinct())
        streets = sorted({street_of(p) for p in paths})
        if len(streets) > MAX_STREETS_APART:
            # One pass over everything costs about as much as five or six streets counted apart
            # (bench/bench_dashboard.py), so a busy minute is a full pass.
            written = store("", now)
            state.refreshed_at = now
            state.save(update_fields=["refreshed_at"])
            return {"full": False, "streets": [""], "units": written}
        written = 0
        for street in streets:
            # A path above street level (the district's own cases) is a full recount.
            unit = node_table().by_code.get(street.rstrip("/").rsplit("/", 1)[-1])
            if unit is None or unit.level != GridLevel.STREET:
                written += store("", now)
                streets = [""]
                break
            written += store(street, now)
        state.refreshed_at = now
        state.save(update_fields=["refreshed_at"])
        return {"full": False, "streets": streets, "units": written}


def fresh_as_of(now: datetime | None = None) -> datetime | None:
    """When the counters were last refreshed, if recently enough for the dashboard to use."""
    now = now or timezone.now()
    state = FiguresRefresh.objects.filter(pk=1).first()
    if state is None or state.refreshed_at is None or now - state.refreshed_at > MAX_AGE:
        return None
    return state.refreshed_at


def add_figures(total: dict[str, Any], data: dict[str, Any]) -> None:
    """Add one unit's counters into `total` (in place)."""
    for part in ("today", "month", "prev_month"):
        for f, n in data[part].items():
            total[part][f] += n
    total["open"] += data["open"]
    total["overdue"] += data["overdue"]
    # Counters written before this figure existed lack it until the next full pass.
    total["open_needs"] += data.get("open_needs", 0)
    for part in ("received", "resolved"):
        total[part] = [a + b for a, b in zip(total[part], data[part], strict=True)]
    for part in ("categories", "heat"):
        for k, n in data[part].items():
            total[part][k] = total[part].get(k, 0) + n


def figures_under(node: GridNode) -> list[UnitFigures]:
    return list(UnitFigures.objects.filter(unit_path__startswith=node.path))


def child_level(node: GridNode) -> str:
    if node.level == GridLevel.STREET:
        return GridLevel.COMMUNITY
    if node.level == GridLevel.CITY:
        return GridLevel.DISTRICT
    return GridLevel.STREET
