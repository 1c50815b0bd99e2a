"""Points earned in a year lapse at the end of the following year, oldest first, as entries."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wangge.points.expiry import expire_due, expiring_soon
from wangge.points.models import Account, Transfer
from wangge.points.services import (
    points_award,
    points_budget,
    points_capture,
    points_hold,
    points_release,
)
from wangge.points.tasks import points_expiry

SH = ZoneInfo("Asia/Shanghai")


def moment(y: int, m: int, d: int, h: int = 12) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


@pytest.fixture
def books(db: Any) -> dict[str, Account]:
    issuer = Account.objects.create(kind="issuer", name="协会")
    mall = Account.objects.create(kind="mall", name="兑换柜")
    wallet = Account.objects.create(kind="wallet", name="王秀兰")
    points_budget(issuer=issuer, amount=10_000, key="b")
    return {"issuer": issuer, "mall": mall, "wallet": wallet}


def award(books: dict[str, Account], amount: int, key: str, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        points_award(
            issuer=books["issuer"], wallet=books["wallet"], amount=amount, key=key, reason="服务"
        )


def test_points_of_2024_lapse_after_2025_oldest_spent_first(books: dict[str, Account]) -> None:
    wallet = books["wallet"]
    award(books, 100, "a2024", moment(2024, 6, 1))
    award(books, 50, "a2025", moment(2025, 3, 1))
    # 30 spent in 2025 come out of the 2024 points first
    with time_machine.travel(moment(2025, 4, 1), tick=False):
        hold = points_hold(wallet=wallet, amount=30, key="h1", reason="兑换洗衣液")
        points_capture(hold=hold, to=books["mall"], key="c1", reason="领取")
    assert expiring_soon(wallet, now=moment(2025, 12, 1)).amount == 70
    assert expire_due(now=moment(2025, 12, 31, 23)) == 0  # still valid on New Year's Eve

    # the nightly job on 1 January 2026 (00:10 Shanghai) expires the rest of 2024's points
    with time_machine.travel(moment(2026, 1, 1, 0), tick=False):
        points_expiry()
    wallet.refresh_from_db()
    assert wallet.balance == 50
    expiry = Transfer.objects.get(kind="expire")
    assert expiry.reason == "2024 年及以前获得的活力值到期"
    assert expiry.entries.get(account=wallet).amount == -70
    # running again changes nothing
    assert expire_due(now=moment(2026, 1, 2)) == 0
    assert expiring_soon(wallet, now=moment(2026, 1, 2)).amount == 50


def test_held_points_lapse_once_their_voucher_is_released(books: dict[str, Account]) -> None:
    wallet = books["wallet"]
    award(books, 100, "a2024", moment(2024, 6, 1))
    with time_machine.travel(moment(2025, 12, 31, 20), tick=False):
        hold = points_hold(wallet=wallet, amount=40, key="h1", reason="兑换")
    assert expire_due(now=moment(2026, 1, 1, 1)) == 60
    wallet.refresh_from_db()
    assert (wallet.balance, wallet.held) == (40, 40)
    points_release(hold=hold, key="r1", reason="取消")
    assert expire_due(now=moment(2026, 1, 2, 1)) == 40
    wallet.refresh_from_db()
    assert (wallet.balance, wallet.held) == (0, 0)
