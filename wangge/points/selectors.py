from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from wangge.points.models import Account, Entry


@dataclass(frozen=True)
class Statement:
    balance: int
    held: int
    available: int
    history: list[Entry]


def statement(account: Account, limit: int = 50) -> Statement:
    history = list(
        Entry.objects.filter(account=account)
        .select_related("transfer")
        .order_by("-created_at", "-id")[:limit]
    )
    return Statement(
        balance=account.balance, held=account.held, available=account.available, history=history
    )


def ledger_totals() -> dict[str, int]:
    """For reconciliation: the sums every invariant is checked against."""
    entries: QuerySet[Entry] = Entry.objects.all()
    total = entries.aggregate(s=Sum("amount"))["s"] or 0
    wallets = Account.objects.filter(kind=Account.Kind.WALLET).aggregate(s=Sum("balance"))["s"] or 0
    return {"entries_sum": total, "wallets": wallets}


def hourly_rule_code(category: str) -> str:
    """The per-hour earning rule for a service category (环境整治, 关爱帮扶 …): the active rule
    of that category, else the general `volunteer_hour`."""
    from wangge.points.models import EarningRule

    code = (
        EarningRule.objects.filter(kind=EarningRule.Kind.PER_HOUR, category=category, active=True)
        .values_list("code", flat=True)
        .first()
    )
    return code or "volunteer_hour"
