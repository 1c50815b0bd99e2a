"""积分兑换 in a browser: a resident redeems an offer, the merchant captures it on the phone,
the resident sees the voucher used and the balance down."""

from typing import Any

import pytest

from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD
from tests.points.conftest import mall  # noqa: F401  (the mall's cast)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_redeem_then_the_merchant_captures_on_the_phone(
    live_server: Any,
    mall: dict[str, Any],  # noqa: F811  (the fixture imported above)
    new_page: Any,
) -> None:
    base = live_server.url
    resident = new_page(phone=True)
    sign_in(resident, base, mall["resident"].phone, PASSWORD)
    resident.goto(f"{base}/m/")
    resident.get_by_role("link", name="积分兑换").click()
    resident.wait_for_selector("#wallet")
    assert resident.locator("#balance").inner_text() == "300"
    resident.locator("#offers").get_by_role("link", name="老人免费理发").click()
    resident.get_by_role("button", name="用 50 活力值兑换").click()
    resident.wait_for_selector("#voucher-code")
    code = resident.locator("#voucher-code").inner_text().strip()
    assert resident.locator("#voucher-status").inner_text() == "待使用"
    assert resident.locator(".pts-qr svg").count() == 1
    shot(resident, "points-voucher")

    clerk = new_page(phone=True)
    sign_in(clerk, base, mall["clerk"].phone, PASSWORD)
    clerk.goto(f"{base}/points/counter/")
    clerk.get_by_label("输入兑换码").fill(code.lower().replace("-", " "))
    clerk.get_by_role("button", name="查询").click()
    clerk.wait_for_selector("#scanned")
    assert "王**" in clerk.locator("#scanned").inner_text()
    clerk.get_by_role("button", name="确认已交付，核销").click()
    clerk.wait_for_selector("#today")
    assert f"核销成功：老人免费理发（{code}）" in clerk.locator(".messages").inner_text()
    assert "今日已核销 1 张" in clerk.locator("#today").inner_text()
    shot(clerk, "points-counter")

    resident.reload()
    assert resident.locator("#voucher-status").inner_text() == "已使用"
    resident.goto(f"{base}/points/")
    assert resident.locator("#balance").inner_text() == "250"
    assert resident.locator("#held").inner_text() == "0"
    assert "兑换" in resident.locator("#recent").inner_text()
    shot(resident, "points-home-after")
