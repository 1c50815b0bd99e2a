"""The 积分兑换 pages: the resident's wallet and mall, the voucher with its QR, and the counter
where the keeper or merchant captures."""

from typing import Any

import pytest
from django.test import Client

from wangge.mobile.modules import MODULES, available
from wangge.points.models import Voucher

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def redeem_on_page(c: Client, item_id: int, key: str = "page-key") -> Any:
    return c.post(f"/points/items/{item_id}/redeem/", {"idempotency_key": key}, follow=True)


def test_the_tile_is_live_and_the_home_shows_wallet_goods_and_offers(
    mall: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    tile = next(m for m in MODULES if m.key == "points")
    assert available(tile)
    c = client_for(mall["resident"])
    with django_assert_max_num_queries(15):
        page = c.get("/points/").content.decode()
    assert 'id="balance">300<' in page
    assert "洗衣液 1 升" in page and "碧沙岗社区兑换柜" in page
    assert "老人免费理发" in page and "建设路老张理发" in page
    assert "志愿服务" in page  # the award's reason in the recent history
    assert "兑换台" not in page  # residents have no counter


def test_redeem_on_the_page_shows_the_voucher_with_code_and_qr(mall: dict[str, Any]) -> None:
    c = client_for(mall["resident"])
    item_page = c.get(f"/points/items/{mall['soap'].pk}/").content.decode()
    assert "用 100 活力值兑换" in item_page
    page = redeem_on_page(c, mall["soap"].pk)
    html = page.content.decode()
    voucher = Voucher.objects.get()
    assert "兑换成功，请凭兑换码领取" in html
    assert voucher.display_code in html and "<svg" in html
    # the same form sent again (a double tap) lands on the same voucher
    redeem_on_page(c, mall["soap"].pk)
    assert Voucher.objects.count() == 1
    home = c.get("/points/").content.decode()
    assert 'id="available">200<' in home and 'id="held">100<' in home
    assert "我的兑换券（1）" in home
    # another person's voucher is not found
    assert client_for(mall["clerk"]).get(f"/points/vouchers/{voucher.code}/").status_code == 404


def test_refusals_are_shown_in_chinese(mall: dict[str, Any]) -> None:
    poor = client_for(mall["clerk"])  # no points
    page = redeem_on_page(poor, mall["soap"].pk).content.decode()
    assert "活力值不足" in page
    assert not Voucher.objects.exists()


def test_cancel_on_the_page_gives_the_points_back(mall: dict[str, Any]) -> None:
    c = client_for(mall["resident"])
    redeem_on_page(c, mall["haircut"].pk)
    code = Voucher.objects.get().code
    page = c.post(f"/points/vouchers/{code}/cancel/", follow=True).content.decode()
    assert "已取消兑换，活力值已退回" in page and "已取消" in page
    assert 'id="available">300<' in c.get("/points/").content.decode()


def test_the_merchant_counter_scans_captures_and_lists_today(mall: dict[str, Any]) -> None:
    redeem_on_page(client_for(mall["resident"]), mall["haircut"].pk)
    voucher = Voucher.objects.get()
    clerk = client_for(mall["clerk"])
    counter = clerk.get("/points/counter/").content.decode()
    assert "建设路老张理发" in counter and "老人免费理发" in counter
    assert "剩余 4 · 待核销 1" in counter and "今天还没有核销" in counter
    scan = clerk.get(f"/points/counter/scan/?code={voucher.display_code.lower()}").content.decode()
    assert "确认已交付，核销" in scan and "王**" in scan
    done = clerk.post("/points/counter/scan/", {"code": voucher.code}, follow=True)
    html = done.content.decode()
    assert f"核销成功：老人免费理发（{voucher.display_code}）" in html
    assert "今日已核销 1 张" in html and "共 50 活力值" in html
    again = clerk.post("/points/counter/scan/", {"code": voucher.code}).content.decode()
    assert "该兑换券已使用" in again


def test_the_counter_refuses_other_merchants_and_residents(mall: dict[str, Any]) -> None:
    redeem_on_page(client_for(mall["resident"]), mall["haircut"].pk)
    voucher = Voucher.objects.get()
    other = client_for(mall["other_clerk"])
    scan = other.get(f"/points/counter/scan/?code={voucher.code}").content.decode()
    assert "该兑换券属于建设路老张理发，不能在这里核销" in scan and "确认已交付" not in scan
    other.post("/points/counter/scan/", {"code": voucher.code})
    voucher.refresh_from_db()
    assert voucher.status == "issued"
    resident = client_for(mall["resident"])
    refused = resident.get("/points/counter/")
    assert refused.status_code == 403
    assert "只有兑换柜管理员或联盟商户可以使用兑换台" in refused.content.decode()
    assert resident.get("/points/counter/scan/").status_code == 403
    assert Client().get("/points/").status_code == 302  # to the login page


def test_the_history_and_the_voucher_list_show_what_happened(mall: dict[str, Any]) -> None:
    c = client_for(mall["resident"])
    empty = c.get("/points/vouchers/").content.decode()
    assert "还没有兑换券。" in empty
    redeem_on_page(c, mall["soap"].pk)
    voucher = Voucher.objects.get()
    history = c.get("/points/history/").content.decode()
    assert "余额 300，可用 200" in history
    assert "志愿服务" in history and ">+300<" in history
    assert "冻结 100" in history
    vouchers = c.get("/points/vouchers/").content.decode()
    assert "洗衣液 1 升" in vouchers and voucher.display_code in vouchers
    assert "100 活力值" in vouchers and "碧沙岗社区兑换柜" in vouchers
    assert "有效期至" in vouchers and "还没有兑换券。" not in vouchers
    # nobody else's wallet or vouchers show
    clerk = client_for(mall["clerk"])
    assert "还没有活力值记录。" in clerk.get("/points/history/").content.decode()
    assert voucher.display_code not in clerk.get("/points/vouchers/").content.decode()
