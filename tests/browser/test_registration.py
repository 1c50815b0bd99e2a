"""A new resident registers on a phone: text-message code, real name, home address."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from wangge.accounts.models import ResidenceClaim
from wangge.grids.services import buildings_import
from wangge.notifications.sms import MemoryBackend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13912345670"


def test_register_with_code_real_name_and_address(
    live_server: Any, cast: dict[str, Any], tree: Any, new_page: Any
) -> None:
    buildings_import("address,lon,lat,code\n中原区伊河路百花里3号楼,113.6008,34.7508,BH3\n")
    MemoryBackend.outbox.clear()
    page = new_page(phone=True)
    # A newcomer opens the app itself: the first screen is the text-message sign-in / sign-up.
    page.goto(f"{live_server.url}/m/")
    page.wait_for_url(f"{live_server.url}/m/login/?next=/m/")
    expect(page.get_by_role("heading", name="登录 / 注册")).to_be_visible()
    expect(page.get_by_role("link", name="用密码登录")).to_be_visible()
    assert "演示账号见 README" not in page.content()
    page.get_by_label("我已阅读并同意《用户协议》和《隐私政策》").check()
    page.get_by_label("手机号").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_selector("text=验证码已发送")
    code = re.search(r"验证码 (\d{6})", MemoryBackend.outbox[-1][1]).group(1)  # type: ignore[union-attr]
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/m/verify/")
    page.get_by_label("我已阅读并同意《用户协议》和《隐私政策》").check()
    page.get_by_label("姓名").fill("李桂英")
    page.get_by_label("身份证号").fill("410102195003070029")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{live_server.url}/m/address/")
    page.get_by_label("住址（小区、楼栋）").fill("百花里三号楼")
    page.get_by_role("button", name="查找楼栋").click()
    page.get_by_label("中原区伊河路百花里3号楼").check()  # nothing is ticked for the resident
    page.get_by_label("单元和房号").fill("2单元501")
    shot(page, "register-address")
    page.get_by_role("button", name="提交给网格员确认").click()
    page.wait_for_url(f"{live_server.url}/m/me/")
    assert "待确认" in page.content() and "410102********0029" not in page.content()
    assert page.get_by_role("link", name="绑定住址").count() == 0  # already waiting for the worker
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "register-done")
    claim = ResidenceClaim.objects.get()
    assert (claim.user.name, claim.room, claim.building.code) == ("李桂英", "2单元501", "BH3")
