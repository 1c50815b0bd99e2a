from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.points.models import Account, EarningRule, Entry, Item, Voucher

if TYPE_CHECKING:
    from wangge.accounts.models import User


@dataclass(frozen=True)
class Statement:
    balance: int
    held: int
    available: int
    history: list[Entry]


def entries_of(account: Account) -> QuerySet[Entry]:
    """An account's ledger entries, newest first (the 活力值明细 pages through them)."""
    return (
        Entry.objects.filter(account=account)
        .select_related("transfer")
        .order_by("-created_at", "-id")
    )


def statement(account: Account, limit: int = 50) -> Statement:
    history = list(entries_of(account)[:limit])
    return Statement(
        balance=account.balance, held=account.held, available=account.available, history=history
    )


def hourly_rule_code(category: str, rules: Iterable[EarningRule] | None = None) -> str:
    """The per-hour earning rule for a service category (环境整治, 关爱帮扶 …): the active rule
    of that category, else the general `volunteer_hour`. Given `rules` (all of them, in the
    model's order), it is picked from those without a query, for lists of many tasks."""
    if rules is None:
        rules = EarningRule.objects.filter(
            kind=EarningRule.Kind.PER_HOUR, category=category, active=True
        )
    code = next(
        (
            r.code
            for r in rules
            if r.kind == EarningRule.Kind.PER_HOUR and r.category == category and r.active
        ),
        None,
    )
    return code or "volunteer_hour"


def items_redeemable() -> QuerySet[Item]:
    """Items on sale today at an active cabinet or merchant, in stock or not (sold-out ones are
    shown as such)."""
    today = timezone.localdate()
    return (
        Item.objects.filter(active=True)
        .filter(Q(cabinet__active=True) | Q(merchant__active=True))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("cabinet", "merchant")
        .order_by("kind", "points", "id")
    )


def vouchers_owned(user: "User") -> QuerySet[Voucher]:
    """A resident's vouchers, newest first."""
    return (
        Voucher.objects.filter(owner=user)
        .select_related("item__cabinet", "item__merchant")
        .order_by("-created_at", "-id")
    )
