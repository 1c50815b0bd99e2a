"""The volunteers' board's aggregates, kept equal to the ledger.

Score = points earned from verified work: award transfers into residents' wallets, less the
reversals of such awards, on the day (Asia/Shanghai) the entry was written. The points services
are not touched: this module reads the entries and rebuilds whole days, so it never adds a
number twice and never needs a hook in the ledger.

Why whole days: entry ids come from a sequence, and a transaction that took an id may commit after
a later one did, so "everything above the last id seen" can miss an entry. Entries are stamped
when written, so a late commit always lands on today (or, just after midnight, yesterday): every
refresh rebuilds today and yesterday in full, plus any older day a newly seen entry belongs to.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from wangge.accounts.models import RoleGrant
from wangge.core.calendar import midnight
from wangge.notices.selectors import HOME_ROLES
from wangge.points.models import Account, Entry, Transfer
from wangge.rankings.models import Board, DailyPoints, FrozenPeriod, PeriodScore, RefreshMark
from wangge.rankings.periods import Period, periods_touching

MARK = "daily_points"
CHUNK = 500  # ids per IN (...) list: SQLite allows at most 999 parameters

SCORING = Q(account__kind=Account.Kind.WALLET, account__owner__isnull=False) & (
    Q(transfer__kind=Transfer.Kind.AWARD)
    | Q(transfer__kind=Transfer.Kind.REVERSE, transfer__reverses__kind=Transfer.Kind.AWARD)
)


def scoring_entries(start: datetime, end: datetime, using: str = "default") -> QuerySet[Entry]:
    return Entry.objects.using(using).filter(SCORING, created_at__gte=start, created_at__lt=end)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    return midnight(day), midnight(day + timedelta(days=1))


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _insert_select(table: str, columns: list[str], qs: QuerySet[Any], extra: list[Any]) -> None:
    """INSERT INTO table (columns) SELECT <qs's columns>, <extra params>: the rows never
    travel through Python (a year's rebuild is millions of them)."""
    sql, params = qs.query.sql_with_params()
    extra = [connection.ops.adapt_datefield_value(v) if isinstance(v, date) else v for v in extra]
    tail = "".join(", %s" for _ in extra)
    with connection.cursor() as cur:
        # Table and column names are ours; every value is a parameter.
        cur.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT s.*{tail} FROM ({sql}) s",  # noqa: S608
            [*extra, *params],  # the extra placeholders come first in the text
        )


def daily_rebuild(days: Iterable[date]) -> set[int]:
    """Recompute the given days from the entries; returns the users whose totals may have
    changed."""
    affected: set[int] = set()
    for day in sorted(set(days)):
        start, end = _day_bounds(day)
        existing = DailyPoints.objects.filter(day=day)
        affected.update(existing.values_list("user_id", flat=True))
        existing.delete()
        rows = (
            scoring_entries(start, end)
            .values("account__owner_id")
            .annotate(points=Sum("amount"), last_at=Max("created_at"))
            .order_by()
        )
        _insert_select(
            DailyPoints._meta.db_table, ["user_id", "points", "last_at", "day"], rows, [day]
        )
        affected.update(existing.values_list("user_id", flat=True))
    return affected


def _home_path() -> Coalesce:
    """A person's home grid path, chosen as notices.selectors.home_node chooses it."""
    return Coalesce(
        Subquery(
            RoleGrant.objects.filter(user_id=OuterRef("user_id"), role__in=HOME_ROLES)
            .order_by("role", "pk")
            .values("node__path")[:1]
        ),
        Value(""),
    )


def period_rebuild(period: Period, user_ids: Iterable[int] | None = None) -> None:
    """Recompute the period's board rows (for some users, or all) from the daily totals."""
    daily = DailyPoints.objects.filter(day__gte=period.start, day__lt=period.end)
    scope = PeriodScore.objects.filter(period=period.kind, start=period.start)
    batches: Iterable[Sequence[int] | None]
    batches = [None] if user_ids is None else list(_chunks(sorted(set(user_ids))))
    for batch in batches:
        rows_qs = daily if batch is None else daily.filter(user_id__in=batch)
        rows = (
            rows_qs.values("user_id")
            .annotate(points=Sum("points"), reached_at=Max("last_at"), home=_home_path())
            .filter(points__gt=0)
            .order_by()
        )
        (scope if batch is None else scope.filter(user_id__in=batch)).delete()
        _insert_select(
            PeriodScore._meta.db_table,
            ["user_id", "points", "reached_at", "home_path", "period", "start"],
            rows,
            [period.kind, period.start],
        )


def frozen_period(board: str, period: Period, using: str = "default") -> FrozenPeriod | None:
    """The record of a board's period once it is closed and frozen; None before."""
    return (
        FrozenPeriod.objects.using(using)
        .filter(board=board, period=period.kind, start=period.start)
        .first()
    )


@dataclass(frozen=True)
class RefreshResult:
    days: list[date]
    users: int


@transaction.atomic
def refresh(now: datetime | None = None) -> RefreshResult:
    """Bring the aggregates up to the ledger: the job every minute runs this."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    mark, _ = RefreshMark.objects.select_for_update().get_or_create(name=MARK)
    top = Entry.objects.aggregate(m=Max("pk"))["m"] or 0
    tz = timezone.get_default_timezone()
    seen = (
        Entry.objects.filter(SCORING, pk__gt=mark.last_entry_id, pk__lte=top)
        .annotate(d=TruncDate("created_at", tzinfo=tz))
        .values_list("d", flat=True)
        .distinct()
    )
    days = set(seen) | {today, today - timedelta(days=1)}
    users = daily_rebuild(days)
    for period in sorted(periods_touching(days)):
        if frozen_period(Board.VOLUNTEERS, period) is None:
            period_rebuild(period, users)
    mark.last_entry_id = top
    mark.refreshed_at = now
    mark.save()
    return RefreshResult(days=sorted(days), users=len(users))


def rebuild_all() -> int:
    """Rebuild every day that has scoring entries and every period not yet frozen (after an
    import, or to repair): the slow path the refresh job never needs."""
    tz = timezone.get_default_timezone()
    days = set(
        Entry.objects.filter(SCORING)
        .annotate(d=TruncDate("created_at", tzinfo=tz))
        .values_list("d", flat=True)
        .distinct()
    )
    DailyPoints.objects.exclude(day__in=days).delete()
    daily_rebuild(days)
    for period in sorted(periods_touching(days)):
        if frozen_period(Board.VOLUNTEERS, period) is None:
            period_rebuild(period)
    RefreshMark.objects.update_or_create(
        name=MARK,
        defaults={
            "last_entry_id": Entry.objects.aggregate(m=Max("pk"))["m"] or 0,
            "refreshed_at": timezone.now(),
        },
    )
    return len(days)


def verify(start: date, end: date) -> list[str]:
    """Compare the daily totals of [start, end) with the entries; one line per difference."""
    tz = timezone.get_default_timezone()
    lo, hi = midnight(start), midnight(end)
    truth = {
        (r["account__owner_id"], r["d"]): (r["points"], r["last_at"])
        for r in scoring_entries(lo, hi)
        .annotate(d=TruncDate("created_at", tzinfo=tz))
        .values("account__owner_id", "d")
        .annotate(points=Sum("amount"), last_at=Max("created_at"))
        .order_by()
    }
    kept = {
        (d.user_id, d.day): (d.points, d.last_at)
        for d in DailyPoints.objects.filter(day__gte=start, day__lt=end)
    }
    problems = []
    for key in sorted(set(truth) | set(kept)):
        if truth.get(key) != kept.get(key):
            problems.append(
                f"user {key[0]} {key[1]}: entries {truth.get(key)} aggregate {kept.get(key)}"
            )
    return problems


# Ranked rows and the frozen lists ---------------------------------------------------------

RankedRow = tuple[int, int, datetime]  # (user id, points, reached at)


def rank_key(row: RankedRow) -> tuple[int, datetime, int]:
    """The published rule: more points first; equal points — whoever reached the score earlier;
    then the older account."""
    user_id, points, reached_at = row
    return (-points, reached_at, user_id)


def recompute_volunteers(period: Period) -> list[RankedRow]:
    """The period's board straight from the entries, without any aggregate."""
    start, end = period.bounds()
    rows = (
        scoring_entries(start, end)
        .values("account__owner_id")
        .annotate(points=Sum("amount"), reached_at=Max("created_at"))
        .order_by()
    )
    ranked = [
        (r["account__owner_id"], r["points"], r["reached_at"]) for r in rows if r["points"] > 0
    ]
    return sorted(ranked, key=rank_key)


def stored_volunteers(period: Period) -> list[RankedRow]:
    rows = PeriodScore.objects.filter(period=period.kind, start=period.start).values_list(
        "user_id", "points", "reached_at"
    )
    return sorted(rows, key=rank_key)


def digest(rows: Iterable[tuple[object, ...]]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(
            "|".join(v.isoformat() if isinstance(v, datetime) else str(v) for v in row).encode()
        )
        h.update(b"\n")
    return h.hexdigest()
