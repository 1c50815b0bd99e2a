"""Administrators fund budgets and stock cabinets through the ledger and stock movements."""

from typing import Any

import pytest
from django.test import Client

from wangge.points.models import Account, EarningRule, Item, StockMovement, Transfer

pytestmark = pytest.mark.django_db


def test_a_budget_is_granted_as_a_ledger_transfer(superuser_client: Client) -> None:
    page = superuser_client.post(
        "/admin/points/account/add/",
        {"kind": "issuer", "name": "林山寨街道志愿者协会", "budget_add": "5000"},
    )
    assert page.status_code == 302
    issuer = Account.objects.get(name="林山寨街道志愿者协会")
    assert issuer.balance == 5000
    assert Transfer.objects.get(kind="budget").entries.get(account=issuer).amount == 5000
    refused = superuser_client.post(
        "/admin/points/account/add/", {"kind": "wallet", "name": "某居民", "budget_add": "10"}
    )
    assert "只有发放账户可以下拨预算" in refused.content.decode()


def test_restocking_an_item_writes_a_movement(
    mall: dict[str, Any], superuser_client: Client
) -> None:
    soap: Item = mall["soap"]
    url = f"/admin/points/item/{soap.pk}/change/"
    form = {
        "kind": "goods",
        "cabinet": mall["cabinet"].pk,
        "name": soap.name,
        "points": "100",
        "active": "on",
        "stock_change": "-3",
        "stock_note": "盘点破损 3 瓶",
        "movements-TOTAL_FORMS": "0",
        "movements-INITIAL_FORMS": "0",
    }
    assert superuser_client.post(url, form).status_code == 302
    soap.refresh_from_db()
    assert soap.stock == 7
    assert StockMovement.objects.filter(kind="adjust", note="盘点破损 3 瓶").count() == 1
    too_many = superuser_client.post(url, {**form, "stock_change": "-20"}).content.decode()
    assert "可兑数量只有 7，不能减少 20" in too_many


def test_earning_rules_are_edited_in_the_admin(superuser_client: Client) -> None:
    rule = EarningRule.objects.get(code="wish_fulfilled")
    page = superuser_client.get("/admin/points/earningrule/").content.decode()
    assert "微心愿完成" in page
    superuser_client.post(
        f"/admin/points/earningrule/{rule.pk}/change/",
        {"name": rule.name, "kind": rule.kind, "points": "30", "daily_cap": "60", "active": "on"},
    )
    rule.refresh_from_db()
    assert (rule.code, rule.points, rule.daily_cap) == ("wish_fulfilled", 30, 60)
