"""The points demo: cabinets, merchants and a resident who can redeem at once; the reset
takes it all away again and leaves the books balanced."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import COMMUNITY, GRID_A, MICRO_A1
from wangge.accounts.models import Role, User
from wangge.demo.points import reset_points_demo, seed_points_demo
from wangge.grids.models import GridNode
from wangge.points.models import Account, Cabinet, Item, Merchant, Voucher
from wangge.points.reconcile import reconcile
from wangge.points.services import wallet_for

pytestmark = pytest.mark.django_db


def test_demo_seed_and_reset(tree: dict[str, GridNode], make_user: Any) -> None:
    GridNode.objects.update(is_sample=True)
    for phone, role, node in (
        ("13800000003", Role.COMMUNITY_STAFF, COMMUNITY),
        ("13800000011", Role.MERCHANT, COMMUNITY),
        ("13800000013", Role.PARTY_MEMBER, MICRO_A1),
        ("13800000014", Role.RESIDENT, MICRO_A1),
    ):
        make_user(role, tree[node], phone=phone, name="演示", is_demo=True)
    seed_points_demo()
    seed_points_demo()  # a second call adds nothing
    assert Cabinet.objects.count() == 1 and Merchant.objects.count() == 4
    assert Merchant.objects.filter(node=tree[GRID_A]).exists()
    assert Item.objects.filter(kind="goods").count() == 6
    resident = User.objects.get(phone="13800000014")
    wallet = wallet_for(resident)
    assert (wallet.balance, wallet.held) == (
        115,
        60,
    )  # 3 × 30 for hours, 20 for the wish, 5 for the festival
    assert Voucher.objects.get().status == "issued"
    clerk = Client()
    clerk.force_login(User.objects.get(phone="13800000011"))
    assert "建设路老张理发店" in clerk.get("/points/counter/").content.decode()
    assert reconcile().ok

    reset_points_demo()
    assert not Cabinet.objects.exists() and not Item.objects.exists()
    assert not Account.objects.exclude(kind="source").exists()
    assert reconcile().ok
    User.objects.filter(is_demo=True).delete()  # nothing protects them any more
