"""积分兑换 through the API: redeem → voucher holding the points and a unit of stock; capture by
the right keeper or merchant; cancel and timeout release both."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from wangge.points.mall import vouchers_timeout
from wangge.points.models import Item, StockMovement, Voucher
from wangge.points.services import wallet_for

pytestmark = pytest.mark.django_db
REDEEM = "/api/v1/points/redemptions"


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def redeem(c: Client, item: Item, key: str = "k1") -> Any:
    return c.post(
        REDEEM, {"item_id": item.pk, "idempotency_key": key}, content_type="application/json"
    )


def counts(item: Item) -> tuple[int, int]:
    item.refresh_from_db()
    return item.stock, item.reserved


def test_redeem_holds_points_reserves_stock_and_a_repeat_returns_the_same_voucher(
    mall: dict[str, Any],
) -> None:
    c = client_for(mall["resident"])
    first = redeem(c, mall["soap"])
    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "issued" and body["points"] == 100
    assert body["item"]["place"] == "碧沙岗社区兑换柜"
    assert len(body["code"]) == 8 and body["display_code"][4] == "-"
    again = redeem(c, mall["soap"])
    assert again.status_code == 200 and again.json()["code"] == body["code"]
    me = c.get("/api/v1/points/me").json()
    assert (me["balance"], me["available"], me["held"]) == (300, 200, 100)
    assert counts(mall["soap"]) == (9, 1)
    # the same key for a different item is refused, not silently mapped
    other = redeem(c, mall["haircut"])
    assert other.status_code == 409 and other.json()["detail"] == "这个幂等键已用于另一次兑换"


def test_redeeming_beyond_the_balance_or_the_stock_is_a_clean_409(mall: dict[str, Any]) -> None:
    c = client_for(mall["resident"])
    codes = [redeem(c, mall["soap"], f"k{n}").status_code for n in range(4)]
    assert codes == [201, 201, 201, 409]
    assert redeem(c, mall["soap"], "k9").json() == {"detail": "活力值不足"}
    assert counts(mall["soap"]) == (7, 3)
    soap = mall["soap"]
    Item.objects.filter(pk=soap.pk).update(stock=0)
    mall["resident"].refresh_from_db()
    rich = client_for(mall["keeper"])
    assert redeem(rich, soap, "z").json() == {"detail": "该兑换品已兑完"}
    assert redeem(c, Item(pk=999_999), "k10").status_code == 404


def test_the_merchant_captures_once_and_the_points_move_to_the_merchant(
    mall: dict[str, Any],
) -> None:
    resident = client_for(mall["resident"])
    code = redeem(resident, mall["haircut"]).json()["display_code"]
    clerk = client_for(mall["clerk"])
    done = clerk.post(f"/api/v1/points/vouchers/{code}/capture")
    assert done.status_code == 200 and done.json()["status_label"] == "已使用"
    again = clerk.post(f"/api/v1/points/vouchers/{code}/capture")
    assert again.status_code == 409 and again.json() == {"detail": "该兑换券已使用"}
    wallet = wallet_for(mall["resident"])
    assert (wallet.balance, wallet.held) == (250, 0)
    mall["barber"].account.refresh_from_db()
    assert mall["barber"].account.balance == 50
    assert counts(mall["haircut"]) == (4, 0)
    handover = StockMovement.objects.get(kind="handover")
    assert handover.actor == mall["clerk"] and handover.voucher.code == code.replace("-", "")


def test_another_merchant_or_a_resident_cannot_capture(mall: dict[str, Any]) -> None:
    code = redeem(client_for(mall["resident"]), mall["haircut"]).json()["code"]
    other = client_for(mall["other_clerk"]).post(f"/api/v1/points/vouchers/{code}/capture")
    assert other.status_code == 409
    assert other.json()["detail"] == "该兑换券属于建设路老张理发，不能在这里核销"
    keeper = client_for(mall["keeper"]).post(f"/api/v1/points/vouchers/{code}/capture")
    assert keeper.status_code == 409
    resident = client_for(mall["resident"]).post(f"/api/v1/points/vouchers/{code}/capture")
    assert resident.status_code == 403
    assert resident.json()["detail"] == "只有兑换柜管理员或联盟商户可以核销"
    unknown = client_for(mall["clerk"]).post("/api/v1/points/vouchers/ZZZZ2222/capture")
    assert unknown.status_code == 404
    assert Voucher.objects.get(code=code).status == "issued"


def test_cancel_releases_points_and_returns_stock(mall: dict[str, Any]) -> None:
    c = client_for(mall["resident"])
    code = redeem(c, mall["soap"]).json()["code"]
    # someone else's voucher is not theirs to cancel
    assert (
        client_for(mall["clerk"]).post(f"/api/v1/points/vouchers/{code}/cancel").status_code == 404
    )
    done = c.post(f"/api/v1/points/vouchers/{code}/cancel")
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert c.post(f"/api/v1/points/vouchers/{code}/cancel").json() == {"detail": "该兑换券已取消"}
    me = c.get("/api/v1/points/me").json()
    assert (me["balance"], me["held"]) == (300, 0)
    assert counts(mall["soap"]) == (10, 0)
    captured = client_for(mall["keeper"]).post(f"/api/v1/points/vouchers/{code}/capture")
    assert captured.status_code == 409 and captured.json()["detail"] == "该兑换券已取消"


def test_timeout_releases_and_a_late_capture_is_refused(mall: dict[str, Any]) -> None:
    c = client_for(mall["resident"])
    code = redeem(c, mall["soap"]).json()["code"]
    later = timezone.now() + timedelta(days=3, minutes=1)
    with time_machine.travel(later, tick=False):
        late = client_for(mall["keeper"]).post(f"/api/v1/points/vouchers/{code}/capture")
        assert late.status_code == 409 and late.json()["detail"] == "该兑换券已过期"
        assert vouchers_timeout() == 1
        assert vouchers_timeout() == 0
    voucher = Voucher.objects.get(code=code)
    assert voucher.status == "expired"
    assert wallet_for(mall["resident"]).held == 0
    assert counts(mall["soap"]) == (10, 0)
    assert list(voucher.movements.values_list("kind", flat=True).order_by("id")) == [
        "reserve",
        "return",
    ]


def test_an_offer_past_its_validity_cannot_be_redeemed(mall: dict[str, Any]) -> None:
    haircut = mall["haircut"]
    haircut.valid_until = timezone.localdate() - timedelta(days=1)
    haircut.save()
    c = client_for(mall["resident"])
    assert redeem(c, haircut).json() == {"detail": "该优惠已过有效期"}
    ids = [i["id"] for i in c.get("/api/v1/points/items").json()["results"]]
    assert ids == [mall["soap"].pk]


def test_anonymous_callers_are_refused(mall: dict[str, Any]) -> None:
    assert Client().post(REDEEM, {}, content_type="application/json").status_code == 401
    assert Client().get("/api/v1/points/items").status_code == 401
