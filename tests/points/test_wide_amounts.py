"""Amounts past 2³¹ are booked to the point: a district's yearly budget can be that large, and
an integer parameter Django types as a four-byte int arrived on PostgreSQL wrapped around
(3,000,000,000 became -1,294,967,296) until the backend sent it in a type that holds it."""

from typing import Any

from django.db.models import Sum

from wangge.points.models import Account, Entry
from wangge.points.services import points_award, points_budget, system_account, wallet_for


def test_a_budget_past_two_billion_is_booked_exactly(db: Any, cast: dict[str, Any]) -> None:
    issuer = system_account(Account.Kind.ISSUER, "区级活力值发放")
    points_budget(issuer=issuer, amount=1_000_000_000, key="year-1")
    points_budget(issuer=issuer, amount=3_000_000_000, key="year-2")
    wallet = wallet_for(cast["resident"])
    points_award(issuer=issuer, wallet=wallet, amount=2_500_000_000, key="big", reason="试算")

    issuer.refresh_from_db()
    wallet.refresh_from_db()
    assert issuer.balance == 1_500_000_000
    assert wallet.balance == 2_500_000_000
    # The balances are the ledger's sums, as the nightly reconciliation checks them.
    for account in (issuer, wallet):
        total = Entry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"]
        assert account.balance == total
