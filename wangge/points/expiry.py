"""Expiry of 活力值 (DOMAIN.md §6): points earned in a calendar year lapse at the end of the
following one, oldest first.

Spending is first-in first-out, so what of the old points is still there is what came in before
the cut-off less everything that has ever gone out of the wallet (captures, earlier expiries,
reversed awards). Expiry never touches points held for a voucher: they lapse on a later run
once the voucher is released, or they are spent."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.calendar import local_date, midnight
from wangge.points.models import Account, Entry
from wangge.points.services import points_expire

# Points earned in year Y stay valid through the whole of year Y + LIFETIME_YEARS.
LIFETIME_YEARS = 1


def _year_start(year: int) -> datetime:
    return midnight(date(year, 1, 1))


@dataclass(frozen=True)
class Expiring:
    amount: int
    on: date  # the last day they are valid


def _old_remaining(wallets: QuerySet[Account], cutoff: datetime) -> dict[int, int]:
    """Per wallet: points credited before `cutoff` that have not gone out since."""
    rows = (
        Entry.objects.filter(account__in=wallets)
        .values("account_id")
        .annotate(
            old_in=Sum("amount", filter=Q(amount__gt=0, created_at__lt=cutoff)),
            out=Sum("amount", filter=Q(amount__lt=0)),
        )
    )
    return {
        r["account_id"]: max(0, (r["old_in"] or 0) + (r["out"] or 0))
        for r in rows
        if (r["old_in"] or 0) + (r["out"] or 0) > 0
    }


def expiring_soon(wallet: Account, *, now: datetime | None = None) -> Expiring:
    """What lapses at the end of the current year unless it is spent first."""
    year = local_date(now or timezone.now()).year
    cutoff = _year_start(year - LIFETIME_YEARS + 1)
    amount = _old_remaining(Account.objects.filter(pk=wallet.pk), cutoff).get(wallet.pk, 0)
    return Expiring(amount=amount, on=date(year, 12, 31))


def expire_due(*, now: datetime | None = None) -> int:
    """Expire what has lapsed in every wallet; returns the points expired. Safe to run as often
    as wanted: a second run in the same state finds nothing, and each expiry's key names the
    wallet's state it was computed from."""
    year = local_date(now or timezone.now()).year
    cutoff = _year_start(year - LIFETIME_YEARS)
    wallets = Account.objects.filter(kind=Account.Kind.WALLET, balance__gt=0)
    total = 0
    for wallet_id in _old_remaining(wallets, cutoff):
        with transaction.atomic():
            # Recomputed under the wallet's lock: a voucher captured meanwhile has spent some
            # of the old points, and they must not lapse twice.
            wallet = Account.objects.select_for_update().get(pk=wallet_id)
            old = _old_remaining(Account.objects.filter(pk=wallet_id), cutoff).get(wallet_id, 0)
            amount = min(old, wallet.available)
            if amount <= 0:
                continue
            gone_out = -(
                Entry.objects.filter(account=wallet, amount__lt=0).aggregate(s=Sum("amount"))["s"]
                or 0
            )
            points_expire(
                wallet=wallet,
                amount=amount,
                key=f"expire:{wallet_id}:{cutoff.year}:{gone_out}",
                reason=_("%(year)s 年及以前获得的活力值到期") % {"year": cutoff.year - 1},
            )
        total += amount
    return total
