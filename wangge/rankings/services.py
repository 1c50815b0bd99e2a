"""Closing periods: a finished week, month or year is frozen once and never recomputed."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from wangge.rankings.aggregates import digest, freeze_volunteers
from wangge.rankings.models import Board, FrozenPeriod, OrgPeriodScore, PeriodKind
from wangge.rankings.periods import Period
from wangge.rankings.selectors import compute_org_lines, stored_org_lines


def org_digest_rows(period: Period, *, stored: bool) -> list[tuple[object, ...]]:
    lines = stored_org_lines(period) if stored else compute_org_lines(period)
    return [(ln.org_id, ln.members, ln.hours, ln.score, ln.reached_at) for ln in lines]


@transaction.atomic
def freeze_party_orgs(period: Period) -> FrozenPeriod:
    if not period.is_closed():
        raise ValueError("only a closed period can be frozen")
    done = FrozenPeriod.objects.filter(
        board=Board.PARTY_ORGS, period=period.kind, start=period.start
    ).first()
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
    rows = org_digest_rows(period, stored=True)
    return FrozenPeriod.objects.create(
        board=Board.PARTY_ORGS,
        period=period.kind,
        start=period.start,
        rows=len(rows),
        digest=digest(rows),
    )


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
