"""Reads of the 城运中心: the figures of a circular and the archive, scoped by the acting user.

Dashboards and archives never write; generating a circular is a service (services.py).
"""

from datetime import date, datetime, timedelta
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.cases.actions import Action
from wangge.cases.models import OPEN_STATUSES, Case, CaseEvent, Channel, Status
from wangge.cases.selectors import (
    DEFAULT_WEIGHTS,
    Kpi,
    cases_visible,
    kpi_from,
    kpi_places,
    kpi_rank,
    kpi_unranked_reason,
    kpis,
)
from wangge.cases.sla import calendar
from wangge.core.calendar import midnight, month_bounds
from wangge.core.scope import scope_q
from wangge.grids.indexes import node_table
from wangge.grids.models import GridLevel, GridNode
from wangge.ops import aggregates, panels
from wangge.ops.models import Circular
from wangge.ops.periods import TREND_WEEKS, trend_mondays

# A case more than this many working days past its deadline is named in the circular's call-out.
SERIOUS_OVERDUE_DAYS = 5
# Enough to name every late case of a street's week; a district-wide list this long is itself
# the news, and the PDF must stay printable.
MAX_LISTED = 200
# The KPI figures a circular compares with the week before.
DELTA_FIELDS = (
    "due",
    "completion_rate",
    "on_time_rate",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "composite",
)


class SystemReader:
    """Reads as the district: a circular covers its whole unit, whoever (or no one) asks."""

    is_authenticated = True
    is_superuser = True
    pk = None

    def scope_paths(self) -> None:
        return None


def system_reader() -> User:
    return cast(User, SystemReader())


def previous_period(kind: str, start: date) -> tuple[date, date]:
    if kind == Circular.Kind.MONTHLY:
        return month_bounds(start - timedelta(days=1))
    return start - timedelta(days=7), start


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number or f"#{case.pk}",
        "title": case.title,
        "unit": case.handling_node.name if case.handling_node else "",
        "community": case.community.name if case.community else "",
        "status": case.get_status_display(),
        "due_at": _local(case.due_at),
    }


def overdue_cases(
    *, user: User, node: GridNode, start: datetime, end: datetime
) -> tuple[list[dict], int, int]:
    """Cases that were past their deadline during [start, end): due before the end and not
    resolved on time before the start. Lateness runs to the resolution or to the period's end,
    in working days of the calendar (a weekend does not make a case later).

    Returns the most overdue MAX_LISTED cases in detail, the number of all of them, and the
    number more than SERIOUS_OVERDUE_DAYS late. Every case is scored from three columns; only
    the listed ones are loaded whole."""
    cal = calendar()
    day_seconds = cal.hours.hours_per_day() * 3600
    qs = (
        cases_visible(user)
        .filter(grid_path__startswith=node.path, due_at__lt=end)
        .exclude(status__in=[Status.VOIDED, Status.MERGED])
        .filter(
            Q(resolved_at__isnull=True, status__in=OPEN_STATUSES)
            | Q(resolved_at__gte=start, resolved_at__gt=F("due_at"))
        )
    )
    scored: list[tuple[float, int]] = []
    for pk, due_at, resolved_at in qs.values_list("id", "due_at", "resolved_at").iterator():
        assert due_at is not None  # filtered on due_at above
        stop = min(resolved_at or end, end)
        scored.append((round(cal.working_seconds_between(due_at, stop) / day_seconds, 1), pk))
    serious = sum(1 for days, _pk in scored if days > SERIOUS_OVERDUE_DAYS)
    scored.sort(key=lambda t: (-t[0], t[1]))
    listed = scored[:MAX_LISTED]
    cases = Case.objects.select_related("handling_node", "community").in_bulk(
        [pk for _days, pk in listed]
    )
    rows = []
    for days, pk in listed:
        row = _case_row(cases[pk])
        row.update(working_days_over=days, serious=days > SERIOUS_OVERDUE_DAYS)
        rows.append(row)
    return rows, len(scored), serious


def reopened_cases(
    *, user: User, node: GridNode, start: datetime, end: datetime
) -> tuple[list[dict], int]:
    """Cases sent back to be handled again (重办) during the period: the first MAX_LISTED in
    detail, and how many there were."""
    events = CaseEvent.objects.filter(
        action=Action.REOPEN, created_at__gte=start, created_at__lt=end
    )
    qs = (
        cases_visible(user)
        .filter(grid_path__startswith=node.path, pk__in=events.values("case_id"))
        .select_related("handling_node", "community")
        .order_by("id")
    )
    rows = []
    for case in qs[:MAX_LISTED]:
        row = _case_row(case)
        row["reopen_count"] = case.reopen_count
        rows.append(row)
    return rows, qs.count()


def hotline_stats(*, user: User, node: GridNode, start: datetime, end: datetime) -> dict:
    """12345 orders received in the period: how many, how many resolved, how many on time."""
    qs = (
        cases_visible(user)
        .filter(grid_path__startswith=node.path, channel=Channel.HOTLINE)
        .filter(created_at__gte=start, created_at__lt=end)
        .exclude(status__in=[Status.VOIDED, Status.MERGED])
    )
    count = qs.count()
    closed = qs.filter(resolved_at__isnull=False).count()
    on_time = qs.filter(closed_on_time=True).count()
    return {
        "count": count,
        "closed": closed,
        "on_time": on_time,
        "closed_rate": round(closed / count, 4) if count else None,
        "on_time_rate": round(on_time / count, 4) if count else None,
    }


def _kpi_dict(k: Kpi) -> dict[str, Any]:
    return k.as_dict()


def circular_figures(
    *, user: User, node: GridNode, kind: str, start: date, end: date, now: datetime | None = None
) -> dict[str, Any]:
    """Everything a circular prints, as JSON-ready data: the KPI ranking (from `kpis()`), the
    comparison with the period before, overdue and reopened cases, and the hotline figures."""
    s, e = midnight(start), midnight(end)
    now = min(now or timezone.now(), e)
    total, rows = kpis(user=user, parent=node, start=s, end=e, now=now)
    p_start, p_end = previous_period(kind, start)
    prev, _prev_rows = kpis(
        user=user, parent=node, start=midnight(p_start), end=midnight(p_end), now=s
    )
    deltas: dict[str, float | None] = {}
    for field in DELTA_FIELDS:
        cur, old = getattr(total, field), getattr(prev, field)
        deltas[field] = round(cur - old, 4) if cur is not None and old is not None else None
    overdue, overdue_count, serious_count = overdue_cases(user=user, node=node, start=s, end=e)
    reopened, reopened_count = reopened_cases(user=user, node=node, start=s, end=e)
    return {
        "node": {"code": node.code, "name": node.name, "level": node.level},
        "kind": kind,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "last_day": (end - timedelta(days=1)).isoformat(),
        "previous": {"start": p_start.isoformat(), "end": p_end.isoformat(), **_kpi_dict(prev)},
        "total": _kpi_dict(total),
        "rows": [
            {"rank": place, **_kpi_dict(k)} for k, place in zip(rows, kpi_places(rows), strict=True)
        ],
        # The basis printed with the table: the formula's weights, and why there is no ranking
        # when the scores do not separate the units.
        "weights": dict(DEFAULT_WEIGHTS),
        "unranked_reason": kpi_unranked_reason(rows),
        "deltas": deltas,
        "overdue": overdue,
        "overdue_count": overdue_count,
        "serious_overdue": [r for r in overdue if r["serious"]],
        "serious_overdue_count": serious_count,
        "reopened": reopened,
        "reopened_count": reopened_count,
        "max_listed": MAX_LISTED,
        "hotline": hotline_stats(user=user, node=node, start=s, end=e),
        "serious_days": SERIOUS_OVERDUE_DAYS,
    }


def circulars_visible(user: User) -> QuerySet[Circular]:
    """Circulars of the units the user holds as staff or sits under: a street's staff see their
    street's circulars (and the district's only if they hold the district)."""
    qs = Circular.objects.select_related("node")
    if not user.is_authenticated or not user.is_grid_staff:
        return qs.none()
    paths = user.scope_paths()
    if paths is None:
        return qs
    # A circular is about its whole unit, so the user must hold that unit or one above it.
    q = scope_q(paths, "node__path")
    return qs.filter(q) if q is not None else qs


def circular_file_visible(user: User, name: str) -> bool:
    """The protected media view's question for a circular's PDF or Excel file."""
    return circulars_visible(user).filter(Q(pdf=name) | Q(xlsx=name)).exists()


# --- dashboard -----------------------------------------------------------------------------

KPI_CARDS = (
    ("completion_rate", _("办结率")),
    ("on_time_rate", _("按期办结率")),
    ("response_rate", _("响应率")),
    ("resolution_rate", _("解决率")),
    ("satisfaction_rate", _("满意率")),
    ("composite", _("综合成绩")),
)
PREVIOUS_KPI_SECONDS = 60
TOP_CATEGORIES = 8


def _node_cases(user: User, node: GridNode) -> QuerySet[Case]:
    return (
        cases_visible(user)
        .filter(grid_path__startswith=node.path)
        .exclude(status__in=[Status.VOIDED, Status.MERGED])
    )


def live_counts(*, user: User, node: GridNode, now: datetime | None = None) -> dict[str, int]:
    """Today so far (local day): received, dispatched, signed, closed; and open cases now past
    their deadline. One query."""
    now = now or timezone.now()
    today = midnight(timezone.localdate(now))
    return _node_cases(user, node).aggregate(
        new=Count("id", filter=Q(created_at__gte=today, created_at__lt=now)),
        dispatched=Count("id", filter=Q(dispatched_at__gte=today, dispatched_at__lt=now)),
        signed=Count("id", filter=Q(signed_at__gte=today, signed_at__lt=now)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        closed=Count("id", filter=Q(closed_at__gte=today, closed_at__lt=now)),
    )


def kpi_cards(*, user: User, node: GridNode, now: datetime | None = None) -> dict[str, Any]:
    """This month's KPIs of the unit (from `kpis()`) against last month's, card by card."""
    now = now or timezone.now()
    start, end = month_bounds(timezone.localdate(now))
    p_start, p_end = previous_period(Circular.Kind.MONTHLY, start)
    total, rows = kpis(user=user, parent=node, start=midnight(start), end=midnight(end), now=now)
    # Last month is closed: its figures move only with a late follow-up, so the dashboard keeps
    # them for a minute (the staleness the dashboard allows) instead of re-reading them on
    # every refresh. Keyed by user, since kpis() reads through the user's scope.
    key = f"ops:prev-kpi:{user.pk}:{node.pk}:{p_start.isoformat()}"
    prev = cache.get(key)
    if prev is None:
        prev, _rows = kpis(
            user=user, parent=node, start=midnight(p_start), end=midnight(p_end), now=now
        )
        cache.set(key, prev, PREVIOUS_KPI_SECONDS)
    cards = _cards(total, prev)
    return {
        "start": start,
        "end": end,
        "total": total,
        "rows": rows,
        "cards": cards,
        "previous_start": p_start,
    }


def weekly_trend(*, user: User, node: GridNode, now: datetime | None = None) -> dict[str, list]:
    """Cases received and resolved in each of the last eight Monday–Sunday weeks (this one
    included): one aggregate query with a FILTER per week, so nothing but sixteen numbers
    leaves the database, on SQLite and PostgreSQL alike."""
    now = now or timezone.now()
    mondays = trend_mondays(timezone.localdate(now))
    bounds = [(midnight(m), midnight(m + timedelta(days=7))) for m in mondays]
    since = bounds[0][0]
    aggregates: dict[str, Count] = {}
    for i, (lo, hi) in enumerate(bounds):
        aggregates[f"r{i}"] = Count("id", filter=Q(created_at__gte=lo, created_at__lt=hi))
        aggregates[f"d{i}"] = Count("id", filter=Q(resolved_at__gte=lo, resolved_at__lt=hi))
    row = (
        _node_cases(user, node)
        .filter(Q(created_at__gte=since) | Q(resolved_at__gte=since))
        .aggregate(**aggregates)
    )
    return {
        "weeks": [m.strftime("%m-%d") for m in mondays],
        "received": [row[f"r{i}"] for i in range(TREND_WEEKS)],
        "resolved": [row[f"d{i}"] for i in range(TREND_WEEKS)],
    }


def top_categories(*, user: User, node: GridNode, now: datetime | None = None) -> list[dict]:
    """The commonest categories of this month's cases (top-level name with the item)."""
    now = now or timezone.now()
    start, _end = month_bounds(timezone.localdate(now))
    rows = (
        _node_cases(user, node)
        .filter(created_at__gte=midnight(start), category__isnull=False)
        .values("category__name")
        .annotate(n=Count("id"))
        .order_by("-n", "category__name")[:TOP_CATEGORIES]
    )
    return [{"name": r["category__name"], "value": r["n"]} for r in rows]


def unit_load(*, user: User, node: GridNode, now: datetime | None = None) -> list[dict]:
    """Open and overdue cases per community (of a street) or street (of the district), for
    colouring the map."""
    now = now or timezone.now()
    field = "community" if node.level == "street" else "street"
    counts = {
        r[f"{field}_id"]: r
        for r in _node_cases(user, node)
        .filter(status__in=OPEN_STATUSES)
        .values(f"{field}_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))
        .order_by()
    }
    result = []
    for child in GridNode.objects.filter(parent=node, level=field).order_by("code"):
        row = counts.get(child.pk, {})
        result.append(
            {
                "code": child.code,
                "name": child.name,
                "open": row.get("open", 0),
                "overdue": row.get("overdue", 0),
            }
        )
    return result


def heat_cells(*, user: User, node: GridNode, now: datetime | None = None) -> dict[str, int]:
    """New cases of the last seven days with a location, counted per map cell (the heat layer)."""
    now = now or timezone.now()
    cells: dict[str, int] = {}
    rows = (
        _node_cases(user, node)
        .filter(created_at__gte=now - timedelta(days=aggregates.HEAT_DAYS), created_at__lt=now)
        .filter(lon__isnull=False, lat__isnull=False)
        .values_list("lon", "lat")
    )
    for lon, lat in rows.iterator():
        assert lon is not None and lat is not None  # filtered above
        cell = aggregates.heat_cell(lon, lat)
        cells[cell] = cells.get(cell, 0) + 1
    return cells


def _live_core(user: User, node: GridNode, now: datetime) -> dict[str, Any]:
    return {
        "live": live_counts(user=user, node=node, now=now),
        "kpi": kpi_cards(user=user, node=node, now=now),
        "trend": weekly_trend(user=user, node=node, now=now),
        "categories": top_categories(user=user, node=node, now=now),
        "units": unit_load(user=user, node=node, now=now),
        "heat": aggregates.heat_points(heat_cells(user=user, node=node, now=now)),
        "open_needs": _node_cases(user, node)
        .filter(status__in=OPEN_STATUSES, channel__in=aggregates.RESIDENT_CHANNELS)
        .count(),
    }


def _cards(total: Kpi, prev: Kpi) -> list[dict[str, Any]]:
    cards = []
    for field, label in KPI_CARDS:
        cur, old = getattr(total, field), getattr(prev, field)
        cards.append(
            {
                "field": field,
                "label": label,
                "value": cur,
                "previous": old,
                "delta": round(cur - old, 4) if cur is not None and old is not None else None,
            }
        )
    return cards


def _kpi_row(period: dict[str, int], open_: int, overdue: int) -> dict[str, int]:
    return {**period, "open_cases": open_, "overdue_open": overdue}


def figures_core(node: GridNode, as_of: datetime) -> dict[str, Any]:
    """`counted_core`, kept until the counters' next refresh: it is the same for everyone who
    may open the node (a city's dashboard read its 2,500 communities' counters, megabytes of JSON,
    on every load of every screen that shows it)."""
    return cast(
        dict[str, Any],
        cache.get_or_set(
            f"ops:figures:{node.pk}:{as_of.timestamp()}",
            lambda: counted_core(node, as_of),
            int(aggregates.MAX_AGE.total_seconds()),
        ),
    )


def warm_figures() -> None:
    """The figures of the tree's cities and districts added up as of the counters' last
    refresh, by the worker right after it: the first person to open a city's dashboard in a
    minute paid for adding up its communities (0.3 s of a 2 vCPU machine)."""
    as_of = aggregates.fresh_as_of()
    if as_of is None:
        return
    tops = GridNode.objects.filter(level__in=(GridLevel.CITY, GridLevel.DISTRICT))
    for node in tops.only("id", "code", "name", "level", "path"):
        figures_core(node, as_of)


def counted_core(node: GridNode, as_of: datetime) -> dict[str, Any]:
    """The dashboard's case figures added up from the pre-aggregated counters (aggregates.py),
    as of their refresh: the same numbers the live selectors count, at most a minute old.

    The caller has checked that the user holds `node` (access_node), so every case under it is
    in the user's scope and the counters need no per-user filter."""
    rows = aggregates.figures_under(node)
    total = aggregates.empty_figures()
    level = aggregates.child_level(node)
    key = "community_id" if level == GridLevel.COMMUNITY else "street_id"
    table = node_table()
    by_child: dict[int | None, dict[str, Any]] = {}
    for r in rows:
        row_key: int | None = getattr(r, key)
        if level == GridLevel.DISTRICT:
            # A city's rows are its districts: the counters are kept by community (and by a
            # district's own desk), added up to the district each lies in.
            district = aggregates.level_path(r.unit_path, GridLevel.DISTRICT).rstrip("/")
            found = table.by_code.get(district.rsplit("/", 1)[-1]) if district else None
            row_key = found.pk if found is not None and found.level == GridLevel.DISTRICT else None
        aggregates.add_figures(by_child.setdefault(row_key, aggregates.empty_figures()), r.data)
    # The whole is the sum of its children's sums (and of the rows of no child): each row added
    # once, not twice (a city's 2,500 communities, each with its heat cells).
    for part in by_child.values():
        aggregates.add_figures(total, part)
    weights = DEFAULT_WEIGHTS
    kpi_total = kpi_from(
        node.code, node.name, _kpi_row(total["month"], total["open"], total["overdue"]), weights
    )
    kpi_prev = kpi_from(
        node.code,
        node.name,
        _kpi_row(total["prev_month"], total["open"], total["overdue"]),
        weights,
    )
    children = list(GridNode.objects.filter(parent=node, level=level).order_by("code"))
    kpi_rows = []
    units = []
    for child in children:
        f = by_child.get(child.pk) or aggregates.empty_figures()
        kpi_rows.append(
            kpi_from(child.code, child.name, _kpi_row(f["month"], f["open"], f["overdue"]), weights)
        )
        units.append(
            {"code": child.code, "name": child.name, "open": f["open"], "overdue": f["overdue"]}
        )
    kpi_rows.sort(key=kpi_rank)
    w = aggregates.windows(as_of)
    cats = sorted(total["categories"].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CATEGORIES]
    m_start = timezone.localdate(w["month"][0])
    return {
        "live": {**total["today"], "overdue": total["overdue"]},
        "kpi": {
            "start": m_start,
            "end": timezone.localdate(w["month"][1]),
            "total": kpi_total,
            "rows": kpi_rows,
            "cards": _cards(kpi_total, kpi_prev),
            "previous_start": timezone.localdate(w["prev_month"][0]),
        },
        "trend": {
            "weeks": [m.strftime("%m-%d") for m in w["mondays"]],
            "received": total["received"],
            "resolved": total["resolved"],
        },
        "categories": [{"name": n, "value": v} for n, v in cats],
        "units": units,
        "heat": aggregates.heat_points(total["heat"]),
        "open_needs": total["open_needs"],
    }


def dashboard(*, user: User, node: GridNode, now: datetime | None = None) -> dict[str, Any]:
    """Everything the dashboard shows. The case figures come from the counters while the worker
    keeps them fresh (`as_of` says when they were counted), and are counted live otherwise."""
    now = now or timezone.now()
    as_of = aggregates.fresh_as_of(now)
    core = figures_core(node, as_of) if as_of is not None else _live_core(user, node, now)
    extra = panels.panels(
        user=user,
        node=node,
        now=now,
        open_cases=core["kpi"]["total"].open_cases,
        overdue=core["live"]["overdue"],
        open_needs=core["open_needs"],
        month_start=core["kpi"]["start"],
    )
    return {"node": node, "now": now, "as_of": as_of, **core, **extra}
