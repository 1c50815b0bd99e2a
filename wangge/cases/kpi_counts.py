"""What the KPIs count (DOMAIN.md §3), and the monthly counters per street kept of it.

A period's KPIs are made of counts of two kinds of cases: those due in the period (by resolve
deadline) and those followed up in it. Neither depends on the moment of counting, so a month's
counts can be kept: `KpiMonth` holds them per street and calendar month (local time), and a
district's or the city's KPI table over whole months adds up their rows (`month_sums`) instead
of reading a month of a city's cases (10 M cases: 0.7–1.5 s a page). The open cases, and how
many of them are overdue, are kept too (`KpiOpen`), as of the refresh: an open case passing its
deadline is a change the next refresh recounts, as the dashboard's counters do; a page asking
about another moment counts them live.

The worker refreshes the counters every minute (`refresh`, run by ops.tasks). Incremental: a
case counts in the street it lies in, and a case with a micro-grid never moves to another street
unless sent to another district (or its grid moved by 网格调整, which import_grids does rarely and
the hourly full pass catches), so a run recounts only the streets in which a case changed
(`updated_at` since the last run), the open cases alone of a street where one passed its
deadline, and every case without a micro-grid or street (`loose`, the few a person places by
hand) whenever one of them changed. A transfer to another district, and an hourly full pass,
recount everything. Every figure is a
count, so the rows add up exactly to what the live query counts; tests/city/test_kpi_counts.py
compares them.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from wangge.cases.actions import Action
from wangge.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    KpiMonth,
    KpiMonthsRefresh,
    KpiOpen,
    Satisfaction,
    Status,
)

# What is counted of the cases due in a period (the denominator of most KPIs) ...
DUE_COUNTS: dict[str, Q] = {
    "due": Q(),
    "closed": Q(resolved_at__isnull=False),
    "closed_on_time": Q(closed_on_time=True),
    "reworked": Q(rework_count__gt=0),
    "extended": Q(extension_count__gt=0),
    "self_handled": Q(self_handled=True, resolved_at__isnull=False),
}
# ... and of those followed up in it (有效回访: the follow-ups that reached the reporter).
FOLLOWUP_COUNTS: dict[str, Q] = {
    "followups": Q(),
    "contacted": Q(followup_contacted=True),
    "solved": Q(followup_solved=True),
    "satisfied": Q(satisfaction=Satisfaction.SATISFIED),
    "basic": Q(satisfaction=Satisfaction.BASIC),
}
KPI_FIELDS = (*DUE_COUNTS, *FOLLOWUP_COUNTS)

# The KPI pages read the counters while they are this fresh, and count live otherwise (a
# stopped worker must not freeze the figures unnoticed); the dashboard's counters use the same.
MAX_AGE = timedelta(minutes=3)
# A full pass at least this often: it corrects what the incremental pass cannot see (a grid
# import moving a subtree, a bulk UPDATE that left `updated_at` alone). 10 M cases: 12–16 s.
FULL_PASS_EVERY = timedelta(hours=1)
# Above this many changed streets, one pass over everything costs less than street by street
# (10 M cases, 200 streets: one street 0.6 s, 10 streets 4.6 s, 40 streets 8.4 s, all 12–16 s).
MAX_STREETS_APART = 40
# A case saved in a transaction that began before the last run but committed after it carries
# an updated_at before that run: look back this far so it is not missed.
OVERLAP = timedelta(seconds=30)
# The cases a person can move from one unit to another: those placed by hand.
LOOSE = Q(micro_grid__isnull=True) | Q(street__isnull=True)


def _count(condition: Q) -> Count:
    return Count("id", filter=condition) if condition else Count("id")


def period_counts(start: datetime, end: datetime, prefix: str = "") -> dict[str, Count]:
    """The counts of cases a period's KPIs are computed from (selectors.kpi_from), over
    [start, end): by resolve deadline in the period, and by follow-up in the period. Named with
    `prefix`, so one query can count several periods side by side (the dashboard's counters)."""
    due = Q(due_at__gte=start, due_at__lt=end)
    followed_up = Q(followup_at__gte=start, followup_at__lt=end)
    return {
        **{f"{prefix}{k}": Count("id", filter=due & c) for k, c in DUE_COUNTS.items()},
        **{f"{prefix}{k}": Count("id", filter=followed_up & c) for k, c in FOLLOWUP_COUNTS.items()},
    }


def counted_cases() -> QuerySet[Case]:
    """Voided and merged cases count nowhere."""
    return Case.objects.exclude(status__in=[Status.VOIDED, Status.MERGED])


Key = tuple[bool, int | None, str, date]  # loose, street id, place, month


def count_months(cases: QuerySet[Case], *, loose: bool) -> dict[Key, dict[str, int]]:
    """The monthly counts of `cases`, per street (and per place, for cases without a street):
    two grouped queries, one by the month of the deadline, one by the month of the follow-up."""
    tz = timezone.get_default_timezone()
    group = ["street_id", "grid_path"] if loose else ["street_id"]
    out: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KPI_FIELDS, 0))
    for column, counts in (("due_at", DUE_COUNTS), ("followup_at", FOLLOWUP_COUNTS)):
        rows = (
            cases.filter(**{f"{column}__isnull": False})
            .annotate(month=TruncMonth(column, tzinfo=tz, output_field=DateField()))
            .values(*group, "month")
            .annotate(**{k: _count(c) for k, c in counts.items()})
            .order_by()
        )
        for row in rows:
            r = cast(dict[str, Any], row)  # annotated names are dynamic: not in the TypedDict
            place = r["grid_path"] if loose and r["street_id"] is None else ""
            month = r["month"]
            if isinstance(month, datetime):  # SQLite may hand back the truncated moment
                month = month.date()
            counted = out[(loose, r["street_id"], place, month)]
            for k in counts:
                counted[k] += r[k]
    return dict(out)


OpenKey = tuple[bool, int | None, str]  # loose, street id, place


def count_open(
    cases: QuerySet[Case], *, loose: bool, now: datetime
) -> dict[OpenKey, dict[str, int]]:
    """The open cases of `cases` and those of them past their deadline at `now`, per street
    (and per place, for cases without a street)."""
    group = ["street_id", "grid_path"] if loose else ["street_id"]
    rows = (
        cases.filter(status__in=OPEN_STATUSES)
        .values(*group)
        .annotate(open_cases=Count("id"), overdue_open=Count("id", filter=Q(due_at__lt=now)))
        .order_by()
    )
    out: dict[OpenKey, dict[str, int]] = defaultdict(lambda: {"open_cases": 0, "overdue_open": 0})
    for row in rows:
        r = cast(dict[str, Any], row)
        place = r["grid_path"] if loose and r["street_id"] is None else ""
        counted = out[(loose, r["street_id"], place)]
        counted["open_cases"] += r["open_cases"]
        counted["overdue_open"] += r["overdue_open"]
    return dict(out)


def _write_open(counts: dict[OpenKey, dict[str, int]]) -> int:
    KpiOpen.objects.bulk_create(
        KpiOpen(loose=loose, street_id=street, place=place, **fields)
        for (loose, street, place), fields in counts.items()
    )
    return len(counts)


def _write(counts: dict[Key, dict[str, int]]) -> int:
    KpiMonth.objects.bulk_create(
        (
            KpiMonth(loose=loose, street_id=street, place=place, month=month, **fields)
            for (loose, street, place, month), fields in counts.items()
        ),
        batch_size=2000,
    )
    return len(counts)


def _store_all(now: datetime) -> int:
    KpiMonth.objects.all().delete()
    KpiOpen.objects.all().delete()
    placed = counted_cases().filter(micro_grid__isnull=False, street__isnull=False)
    written = _write(count_months(placed, loose=False))
    written += _write_open(count_open(placed, loose=False, now=now))
    return written + _store_loose(now)


def _store_streets(street_ids: set[int], now: datetime) -> int:
    KpiMonth.objects.filter(loose=False, street_id__in=street_ids).delete()
    KpiOpen.objects.filter(loose=False, street_id__in=street_ids).delete()
    placed = counted_cases().filter(micro_grid__isnull=False, street_id__in=street_ids)
    written = _write(count_months(placed, loose=False))
    return written + _write_open(count_open(placed, loose=False, now=now))


def _store_open(street_ids: set[int], now: datetime) -> int:
    KpiOpen.objects.filter(loose=False, street_id__in=street_ids).delete()
    placed = counted_cases().filter(micro_grid__isnull=False, street_id__in=street_ids)
    return _write_open(count_open(placed, loose=False, now=now))


def _store_loose(now: datetime) -> int:
    KpiMonth.objects.filter(loose=True).delete()
    KpiOpen.objects.filter(loose=True).delete()
    loose = counted_cases().filter(LOOSE)
    written = _write(count_months(loose, loose=True))
    return written + _write_open(count_open(loose, loose=True, now=now))


def refresh(now: datetime | None = None, *, full: bool = False) -> dict[str, Any]:
    """The minute's run: a full pass when due, otherwise only what changed since the last."""
    now = now or timezone.now()
    with transaction.atomic():
        state = KpiMonthsRefresh.objects.select_for_update().filter(pk=1).first()
        if state is None:
            state = KpiMonthsRefresh.objects.create(pk=1)
        last, last_full = state.refreshed_at, state.full_at
        if not full and last is not None and last_full is not None:
            since = last - OVERLAP
            # Bounded by `now` as well: a row stamped later is the next run's (OVERLAP covers
            # it).
            changed = Case.objects.filter(updated_at__gt=since, updated_at__lte=now)
            # An open case that passed its deadline is overdue now though no one touched it:
            # only its street's open cases need counting again, not its months.
            passed = Case.objects.filter(status__in=OPEN_STATUSES, due_at__gte=last, due_at__lt=now)
            streets, overdue = _placed_streets(changed), _placed_streets(passed)
            overdue -= streets
            # A case sent to another district leaves its micro-grid and street behind: which
            # street counted it before is not kept anywhere, so everything is counted again.
            moved_away = CaseEvent.objects.filter(
                created_at__gt=since, action=Action.TRANSFER, data__has_key="district"
            ).exists()
            full = now - last_full >= FULL_PASS_EVERY or moved_away
            full = full or len(streets) > MAX_STREETS_APART
        if full or last is None or last_full is None:
            written = _store_all(now)
            state.refreshed_at = state.full_at = now
            state.save(update_fields=["refreshed_at", "full_at"])
            return {"full": True, "streets": None, "rows": written}
        written = _store_streets(streets, now) if streets else 0
        written += _store_open(overdue, now) if overdue else 0
        loose_changed = changed.filter(LOOSE).exists() or passed.filter(LOOSE).exists()
        if loose_changed:
            written += _store_loose(now)
        state.refreshed_at = now
        state.save(update_fields=["refreshed_at"])
        return {
            "full": False,
            "streets": sorted(streets),
            "overdue": sorted(overdue),
            "loose": loose_changed,
            "rows": written,
        }


def _placed_streets(cases: QuerySet[Case]) -> set[int]:
    """The streets of those of `cases` that lie in a micro-grid."""
    rows = cases.filter(micro_grid__isnull=False, street__isnull=False).values_list(
        "street_id", flat=True
    )
    return {street for street in rows.order_by().distinct() if street is not None}


def whole_months(start: datetime, end: datetime) -> tuple[date, date] | None:
    """[first month, month after the last) when [start, end) is whole calendar months in local
    time, else None."""
    tz = timezone.get_default_timezone()
    s, e = start.astimezone(tz), end.astimezone(tz)
    if s.day != 1 or e.day != 1 or s.time() != time.min or e.time() != time.min or e <= s:
        return None
    return s.date(), e.date()


def fresh_as_of(using: str, now: datetime | None = None) -> datetime | None:
    """When the counters were last refreshed, if they were recounted in full once and
    refreshed recently enough to be read instead of the cases."""
    now = now or timezone.now()
    state = KpiMonthsRefresh.objects.using(using).filter(pk=1).first()
    if state is None or state.full_at is None or state.refreshed_at is None:
        return None
    return state.refreshed_at if now - state.refreshed_at <= MAX_AGE else None


def open_sums(path: str, *, using: str) -> list[tuple[int | None, str, dict[str, int]]]:
    """The open and overdue cases under the node at `path` (a street or higher) as of the
    last refresh, per street, as `month_sums` gives the months' counts."""
    rows = (
        KpiOpen.objects.using(using)
        .filter(Q(street__path__startswith=path) | Q(street__isnull=True, place__startswith=path))
        .values("street_id", "street__path", "place")
        .annotate(open_cases=Sum("open_cases"), overdue_open=Sum("overdue_open"))
        .order_by()
    )
    result = []
    for row in rows:
        r = cast(dict[str, Any], row)
        where = r["street__path"] if r["street_id"] is not None else r["place"]
        counts = {"open_cases": r["open_cases"] or 0, "overdue_open": r["overdue_open"] or 0}
        result.append((r["street_id"], where, counts))
    return result


def month_sums(
    path: str, first: date, after: date, *, using: str
) -> list[tuple[int | None, str, dict[str, int]]]:
    """The counts of months [first, after) under the node at `path` (a street or higher), per
    street: (street id, the street's path or the place of cases without one, counts)."""
    rows = (
        KpiMonth.objects.using(using)
        .filter(month__gte=first, month__lt=after)
        .filter(Q(street__path__startswith=path) | Q(street__isnull=True, place__startswith=path))
        .values("street_id", "street__path", "place")
        .annotate(**{f: Sum(f) for f in KPI_FIELDS})
        .order_by()
    )
    result = []
    for row in rows:
        r = cast(dict[str, Any], row)
        where = r["street__path"] if r["street_id"] is not None else r["place"]
        result.append((r["street_id"], where, {f: r[f] or 0 for f in KPI_FIELDS}))
    return result
