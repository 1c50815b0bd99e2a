"""A small points mall: a cabinet with a keeper, two merchants with a clerk each, a funded
resident."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (verified reports)
from tests.conftest import COMMUNITY, GRID_A, GRID_B
from wangge.accounts.models import Role, User
from wangge.grids.models import GridNode
from wangge.points.mall import item_restock
from wangge.points.models import Account, Cabinet, Item, Merchant
from wangge.points.services import points_award, points_budget, wallet_for


@pytest.fixture(autouse=True)
def _seeded_earning_rules(earning_rules: None) -> None:
    """Every points test runs with the seeded rules (tests/conftest.py's `earning_rules`)."""


@pytest.fixture
def mall(
    tree: dict[str, GridNode], make_user: Callable[..., User], cast: dict[str, User]
) -> dict[str, Any]:
    keeper = make_user(Role.COMMUNITY_STAFF, tree[COMMUNITY], name="孙丽华")
    clerk = make_user(Role.MERCHANT, tree[GRID_A], name="褚明")
    other_clerk = make_user(Role.MERCHANT, tree[GRID_B], name="韩梅")
    cabinet = Cabinet.objects.create(
        name="碧沙岗社区兑换柜", place="碧沙岗社区党群服务中心一楼", node=tree[COMMUNITY]
    )
    cabinet.keepers.add(keeper)
    barber = Merchant.objects.create(
        name="建设路老张理发", address="建设路 86 号", node=tree[GRID_A]
    )
    barber.staff.add(clerk)
    tailor = Merchant.objects.create(name="桐柏路裁缝铺", address="桐柏路 12 号", node=tree[GRID_B])
    tailor.staff.add(other_clerk)
    soap = Item.objects.create(kind="goods", cabinet=cabinet, name="洗衣液 1 升", points=100)
    item_restock(item=soap, quantity=10, actor=keeper, note="首批")
    haircut = Item.objects.create(
        kind="offer",
        merchant=barber,
        name="老人免费理发",
        points=50,
        offer_type="free",
        terms="60 岁以上居民，工作日上午",
    )
    item_restock(item=haircut, quantity=5, actor=clerk)
    issuer = Account.objects.create(kind="issuer", name="碧沙岗社区")
    points_budget(issuer=issuer, amount=100_000, key="mall-budget")
    resident = cast["resident"]
    points_award(
        issuer=issuer, wallet=wallet_for(resident), amount=300, key="mall-a1", reason="志愿服务"
    )
    return {
        "keeper": keeper,
        "clerk": clerk,
        "other_clerk": other_clerk,
        "cabinet": cabinet,
        "barber": barber,
        "tailor": tailor,
        "soap": soap,
        "haircut": haircut,
        "issuer": issuer,
        "resident": resident,
    }
