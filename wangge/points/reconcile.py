"""Nightly reconciliation: the ledger's invariants and every item's stock against its movements.

A difference here means something wrote around the services (a hand edit in the database, a
bug, a restore gone wrong); the report names each one so a person can trace it. Nothing is
corrected automatically: corrections are new entries, made by a person who understands them."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.notifications.services import notify
from wangge.points.models import (
    Account,
    Entry,
    Hold,
    Item,
    ReconciliationReport,
    Transfer,
    Voucher,
)


@dataclass
class Findings:
    problems: list[dict[str, str]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def add(self, check: str, detail: str) -> None:
        self.problems.append({"check": check, "detail": detail})


def _ledger(f: Findings) -> None:
    total = Entry.objects.aggregate(s=Sum("amount"))["s"] or 0
    f.totals["entries_sum"] = total
    if total != 0:
        f.add("entries_sum", _("全部流水合计为 %(n)d，应为 0") % {"n": total})
    unbalanced = (
        Entry.objects.values("transfer_id")
        .annotate(s=Sum("amount"))
        .exclude(s=0)
        .order_by("transfer_id")[:50]
    )
    for bad in unbalanced:
        f.add(
            "transfer_unbalanced",
            _("流水 #%(id)d 各分录合计为 %(n)d，应为 0")
            % {"id": bad["transfer_id"], "n": bad["s"]},
        )

    not_source = Account.objects.exclude(kind=Account.Kind.SOURCE)
    for a in not_source.filter(Q(balance__lt=0) | Q(held__lt=0) | Q(held__gt=F("balance"))):
        f.add(
            "account_negative",
            _("账户“%(name)s”余额 %(b)d、冻结 %(h)d：余额不得为负，冻结不得超过余额")
            % {"name": a.name, "b": a.balance, "h": a.held},
        )

    sums = Account.objects.annotate(
        s=Coalesce(Sum("entries__amount"), Value(0)),
        h=Coalesce(Sum("entries__held_delta"), Value(0)),
    )
    for a in sums.exclude(balance=F("s"), held=F("h")).order_by("pk")[:100]:
        f.add(
            "cache_mismatch",
            _("账户“%(name)s”记录余额 %(b)d、冻结 %(h)d，按流水应为 %(s)d、%(sh)d")
            % {"name": a.name, "b": a.balance, "h": a.held, "s": a.s, "sh": a.h},
        )

    holds = dict(
        Hold.objects.filter(status=Hold.Status.HELD)
        .values("account_id")
        .annotate(s=Sum("amount"))
        .values_list("account_id", "s")
    )
    for a in Account.objects.filter(Q(held__gt=0) | Q(pk__in=list(holds))).order_by("pk"):
        if a.held != holds.get(a.pk, 0):
            f.add(
                "holds_mismatch",
                _("账户“%(name)s”冻结 %(h)d，未结冻结单合计 %(s)d")
                % {"name": a.name, "h": a.held, "s": holds.get(a.pk, 0)},
            )

    # issued − spent − expired = what the wallets hold, each side read from the other accounts
    by_kind: dict[str, int] = defaultdict(int)
    rows = (
        Entry.objects.exclude(transfer__kind=Transfer.Kind.BUDGET)
        .exclude(transfer__reverses__kind=Transfer.Kind.BUDGET)
        .values("account__kind")
        .annotate(s=Sum("amount"))
    )
    for row in rows:
        by_kind[row["account__kind"]] += row["s"] or 0
    issued = -by_kind[Account.Kind.ISSUER]
    spent = by_kind[Account.Kind.MALL] + by_kind[Account.Kind.MERCHANT]
    expired = by_kind[Account.Kind.EXPIRED]
    wallets = Account.objects.filter(kind=Account.Kind.WALLET).aggregate(s=Sum("balance"))["s"] or 0
    f.totals.update(issued=issued, spent=spent, expired=expired, wallets=wallets)
    if issued - spent - expired != wallets:
        f.add(
            "issued_spent_expired",
            _("发放 %(i)d − 兑换 %(s)d − 过期 %(e)d = %(d)d，居民钱包合计 %(w)d")
            % {"i": issued, "s": spent, "e": expired, "d": issued - spent - expired, "w": wallets},
        )


def _stock(f: Findings) -> None:
    items = Item.objects.select_related("cabinet", "merchant").annotate(
        ms=Coalesce(Sum("movements__stock_delta"), Value(0)),
        mr=Coalesce(Sum("movements__reserved_delta"), Value(0)),
    )
    open_vouchers = dict(
        Voucher.objects.filter(status=Voucher.Status.ISSUED)
        .values("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    for item in items.order_by("pk"):
        ms, mr = item.ms, item.mr
        label = f"{item.place_name}·{item.name}"
        if item.stock != ms or item.reserved != mr:
            f.add(
                "stock_mismatch",
                _("%(item)s 记录可兑 %(s)d、预留 %(r)d，按库存变动应为 %(ms)d、%(mr)d")
                % {"item": label, "s": item.stock, "r": item.reserved, "ms": ms, "mr": mr},
            )
        if item.reserved != open_vouchers.get(item.pk, 0):
            f.add(
                "reserved_vouchers",
                _("%(item)s 预留 %(r)d，待使用兑换券 %(n)d 张")
                % {"item": label, "r": item.reserved, "n": open_vouchers.get(item.pk, 0)},
            )
    f.totals["items"] = items.count()


def reconcile() -> ReconciliationReport:
    """Check everything, store the report, and tell the district's administrators if anything
    is off."""
    findings = Findings()
    _ledger(findings)
    _stock(findings)
    report = ReconciliationReport.objects.create(
        ok=not findings.problems, problems=findings.problems, totals=findings.totals
    )
    if findings.problems:
        admins = User.objects.filter(
            Q(is_superuser=True) | Q(grants__role=Role.ADMIN, grants__node__parent__isnull=True),
            is_active=True,
        ).distinct()
        notify(
            recipients=admins,
            title=_("活力值对账发现 %(n)d 处差异") % {"n": len(findings.problems)},
            body="\n".join(p["detail"] for p in findings.problems[:20]),
            link=f"/admin/points/reconciliationreport/{report.pk}/change/",
            topic="points-reconcile",
        )
    return report
