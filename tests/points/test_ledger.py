"""The ledger's invariants under random sequences of every operation (DOMAIN.md §6)."""

import contextlib
import itertools
from typing import Any

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.concurrency import POSTGRES_ONLY, run_parallel
from wangge.core.errors import Conflict, ValidationFailed
from wangge.points.models import Account, Entry, Hold, Transfer
from wangge.points.services import (
    InsufficientPoints,
    points_award,
    points_budget,
    points_capture,
    points_expire,
    points_hold,
    points_release,
    points_reverse,
)

keys = itertools.count()


def key() -> str:
    return f"k{next(keys)}"


class Ledger(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        run = next(keys)
        self.issuer = Account.objects.create(kind="issuer", name=f"志愿者协会{run}")
        self.mall = Account.objects.create(kind="mall", name=f"兑换柜{run}")
        self.wallets = [
            Account.objects.create(kind="wallet", name=f"居民{run}-{i}") for i in range(4)
        ]
        self.ids = [self.issuer.pk, self.mall.pk, *[w.pk for w in self.wallets]]
        points_budget(issuer=self.issuer, amount=10_000, key=key())
        self.holds: list[Hold] = []
        self.transfers: list[Transfer] = []

    @rule(i=st.integers(0, 3), amount=st.integers(1, 400))
    def award(self, i: int, amount: int) -> None:
        with contextlib.suppress(InsufficientPoints):
            self.transfers.append(
                points_award(
                    issuer=self.issuer,
                    wallet=self.wallets[i],
                    amount=amount,
                    key=key(),
                    reason="志愿服务",
                )
            )

    @rule(i=st.integers(0, 3), amount=st.integers(1, 300))
    def hold(self, i: int, amount: int) -> None:
        with contextlib.suppress(InsufficientPoints):
            self.holds.append(
                points_hold(wallet=self.wallets[i], amount=amount, key=key(), reason="兑换")
            )

    @precondition(lambda self: bool(getattr(self, "holds", None)))
    @rule(data=st.data(), capture=st.booleans())
    def settle(self, data: Any, capture: bool) -> None:
        hold = data.draw(st.sampled_from(self.holds))
        try:
            if capture:
                self.transfers.append(
                    points_capture(hold=hold, to=self.mall, key=key(), reason="领取")
                )
            else:
                points_release(hold=hold, key=key(), reason="取消")
        except Conflict:
            pass  # already settled

    @rule(i=st.integers(0, 3), amount=st.integers(1, 200))
    def expire(self, i: int, amount: int) -> None:
        with contextlib.suppress(InsufficientPoints):
            self.transfers.append(
                points_expire(wallet=self.wallets[i], amount=amount, key=key(), reason="年度过期")
            )

    @precondition(lambda self: bool(getattr(self, "transfers", None)))
    @rule(data=st.data())
    def reverse(self, data: Any) -> None:
        transfer = data.draw(st.sampled_from(self.transfers))
        with contextlib.suppress(InsufficientPoints, Conflict, ValidationFailed):
            points_reverse(transfer=transfer, key=key(), reason="冲正")

    @rule(i=st.integers(0, 3))
    def replay(self, i: int) -> None:
        """Repeating a key returns the first result and writes nothing."""
        before = Entry.objects.count()
        k = key()
        first = points_award(
            issuer=self.issuer, wallet=self.wallets[i], amount=1, key=k, reason="重复"
        )
        again = points_award(
            issuer=self.issuer, wallet=self.wallets[i], amount=1, key=k, reason="重复"
        )
        assert first.pk == again.pk and Entry.objects.count() == before + 2

    @invariant()
    def books_balance(self) -> None:
        if not hasattr(self, "ids"):
            return
        assert (Entry.objects.aggregate(s=Sum("amount"))["s"] or 0) == 0
        for account in Account.objects.filter(pk__in=self.ids):
            sums = account.entries.aggregate(a=Sum("amount"), h=Sum("held_delta"))
            assert account.balance == (sums["a"] or 0)  # the cache is the entries
            assert account.held == (sums["h"] or 0)
            assert account.balance >= 0 and 0 <= account.held <= account.balance
        # issued − spent − expired = what the wallets hold
        wallet_ids = [w.pk for w in self.wallets]
        by_kind = dict(
            Entry.objects.filter(account_id__in=wallet_ids)
            .values_list("transfer__kind")
            .annotate(s=Sum("amount"))
            .values_list("transfer__kind", "s")
        )
        wallets = Account.objects.filter(pk__in=wallet_ids).aggregate(s=Sum("balance"))["s"] or 0
        assert sum(by_kind.values()) == wallets


@pytest.mark.django_db
def test_ledger_invariants_hold_under_random_operations() -> None:
    state = Ledger.TestCase
    state.settings = settings(
        max_examples=25,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    state().runTest()


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_fifty_parallel_holds_on_a_balance_for_three() -> None:
    issuer = Account.objects.create(kind="issuer", name="协会")
    wallet = Account.objects.create(kind="wallet", name="居民")
    points_budget(issuer=issuer, amount=1000, key="budget")
    points_award(issuer=issuer, wallet=wallet, amount=300, key="award", reason="服务")
    results = run_parallel(
        50, lambda n: points_hold(wallet=wallet, amount=100, key=f"redeem-{n}", reason="兑换")
    )
    held = [r for r in results if isinstance(r, Hold)]
    refused = [r for r in results if isinstance(r, InsufficientPoints)]
    assert (len(held), len(refused)) == (3, 47)
    wallet.refresh_from_db()
    assert (wallet.balance, wallet.held) == (300, 300)


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_twenty_repeats_of_one_key_make_one_entry_pair() -> None:
    issuer = Account.objects.create(kind="issuer", name="协会")
    wallet = Account.objects.create(kind="wallet", name="居民")
    points_budget(issuer=issuer, amount=1000, key="budget")

    def award(_n: int) -> Transfer:
        return points_award(issuer=issuer, wallet=wallet, amount=10, key="same", reason="服务")

    results = run_parallel(20, award)
    assert len({r.pk for r in results}) == 1
    wallet.refresh_from_db()
    assert wallet.balance == 10
    assert Transfer.objects.filter(idempotency_key="same").count() == 1


@pytest.mark.django_db
def test_points_me_api(cast: Any) -> None:
    from django.test import Client

    from wangge.points.services import wallet_for

    issuer = Account.objects.create(kind="issuer", name="协会")
    points_budget(issuer=issuer, amount=1000, key="b")
    wallet = wallet_for(cast["resident"])
    points_award(issuer=issuer, wallet=wallet, amount=120, key="a1", reason="清理楼道 2 小时")
    points_hold(wallet=wallet, amount=50, key="h1", reason="兑换洗衣液")
    c = Client()
    c.force_login(cast["resident"])
    body = c.get("/api/v1/points/me").json()
    assert (body["balance"], body["available"], body["held"]) == (120, 70, 50)
    assert [e["reason"] for e in body["history"]] == ["兑换洗衣液", "清理楼道 2 小时"]
    assert Client().get("/api/v1/points/me").status_code == 401


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_twenty_parallel_repeats_of_one_hold_key_leave_one_hold() -> None:
    issuer = Account.objects.create(kind="issuer", name="协会")
    wallet = Account.objects.create(kind="wallet", name="居民")
    points_budget(issuer=issuer, amount=1000, key="budget")
    points_award(issuer=issuer, wallet=wallet, amount=500, key="award", reason="服务")
    results = run_parallel(
        20, lambda _n: points_hold(wallet=wallet, amount=100, key="same-hold", reason="兑换")
    )
    assert len({r.pk for r in results}) == 1
    wallet.refresh_from_db()
    assert Hold.objects.count() == 1 and wallet.held == 100
