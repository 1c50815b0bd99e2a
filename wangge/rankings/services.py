"""Closing periods: a finished week, month or year is frozen once and never recomputed."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from wangge.rankings.aggregates import (
    daily_rebuild,
    digest,
    frozen_period,
    period_rebuild,
    stored_volunteers,
)
from wangge.rankings.models import Board, FrozenPeriod, OrgPeriodScore, PeriodKind
from wangge.rankings.periods import Period
from wangge.rankings.selectors import compute_org_lines, stored_org_lines


def org_digest_rows(period: Period, *, stored: bool) -> list[tuple[object, ...]]:
    lines = stored_org_lines(period) if stored else compute_org_lines(period)
    return [(ln.org_id, ln.members, ln.hours, ln.score, ln.reached_at) for ln in lines]


def _already_frozen(board: str, period: Period) -> FrozenPeriod | None:
    if not period.is_closed():
        raise ValueError("only a closed period can be frozen")
    return frozen_period(board, period)


def _record_frozen(board: str, period: Period, rows: list[tuple[object, ...]]) -> FrozenPeriod:
    return FrozenPeriod.objects.create(
        board=board, period=period.kind, start=period.start, rows=len(rows), digest=digest(rows)
    )


@transaction.atomic
def freeze_volunteers(period: Period) -> FrozenPeriod:
    """Close a period's volunteers' board: rebuilt in full from the entries, then never again."""
    done = _already_frozen(Board.VOLUNTEERS, period)
    if done is not None:
        return done
    daily_rebuild(period.days())
    period_rebuild(period)
    return _record_frozen(Board.VOLUNTEERS, period, list(stored_volunteers(period)))


@transaction.atomic
def freeze_party_orgs(period: Period) -> FrozenPeriod:
    """Close a period's party organisations' board: computed once and stored."""
    done = _already_frozen(Board.PARTY_ORGS, period)
    if done is not None:
        return done
    lines = compute_org_lines(period)
    OrgPeriodScore.objects.filter(period=period.kind, start=period.start).delete()
    OrgPeriodScore.objects.bulk_create(
        OrgPeriodScore(
            period=period.kind,
            start=period.start,
            org_id=ln.org_id,
            members=ln.members,
            hours=ln.hours,
            score=ln.score,
            reached_at=ln.reached_at,
            grid_path=ln.grid_path,
        )
        for ln in lines
    )
    return _record_frozen(Board.PARTY_ORGS, period, org_digest_rows(period, stored=True))


def freeze_due(today: date | None = None) -> list[FrozenPeriod]:
    """Freeze the week, month and year that ended before `today` (run daily after midnight;
    idempotent, so a missed night is caught up the next)."""
    today = today or timezone.localdate()
    frozen = []
    for kind in PeriodKind.values:
        period = Period.containing(kind, today - timedelta(days=1))
        if not period.is_closed(today):
            period = period.previous()
        frozen.append(freeze_volunteers(period))
        frozen.append(freeze_party_orgs(period))
    return frozen
