from collections.abc import Callable
from datetime import datetime
from itertools import count

import pytest
import time_machine

from tests.party.conftest import make_member, orgs, serve  # noqa: F401  (shared fixtures)
from tests.volunteering.conftest import make_task  # noqa: F401
from wangge.accounts.models import User
from wangge.points.models import Account, Transfer
from wangge.points.services import points_award, points_budget, system_account, wallet_for


@pytest.fixture
def issuer(db: None) -> Account:
    account = system_account(Account.Kind.ISSUER, "碧沙岗社区志愿者协会")
    points_budget(issuer=account, amount=1_000_000, key="budget-test")
    return account


@pytest.fixture
def award(issuer: Account) -> Callable[..., Transfer]:
    """Award `amount` points to `user` at `when` (a verified task's points)."""
    keys = count(1)

    def give(user: User, amount: int, when: datetime, reason: str = "志愿服务") -> Transfer:
        with time_machine.travel(when, tick=False):
            return points_award(
                issuer=issuer,
                wallet=wallet_for(user),
                amount=amount,
                key=f"award-{next(keys)}",
                reason=reason,
            )

    return give
