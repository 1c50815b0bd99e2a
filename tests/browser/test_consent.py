"""Consent on a phone (Chromium, 390 px), in the standard mode and in 长辈版: the 用户协议 and
隐私政策 box stands before the first personal field, unticked; submitting without it is refused in
Chinese with what was typed still there; axe-core finds nothing serious."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import shot, sign_in
from tests.browser.resident_pages import MEASURE
from tests.conftest import PASSWORD
from wangge.accounts.models import SmsCode, User
from wangge.consent.models import Consent
from wangge.notifications.sms import MemoryBackend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REFUSED = "请先阅读并勾选同意《用户协议》和《隐私政策》"
PHONE = "13912345670"
# (smallest text, smallest tap target) in CSS px, as tests/browser/test_resident_a11y.py
LIMITS = {"standard": (14, 44), "elderly": (18, 60)}


def above(page: Any, first: str, second: str) -> bool:
    a = page.locator(first).bounding_box()
    b = page.locator(second).bounding_box()
    return bool(a and b and a["y"] + a["height"] <= b["y"])


def test_sign_up_asks_before_the_phone(live_server: Any, new_page: Any) -> None:
    MemoryBackend.outbox.clear()
    page = new_page(phone=True)
    page.goto(f"{live_server.url}/m/login/")
    box = page.get_by_label("我已阅读并同意《用户协议》和《隐私政策》")
    expect(box).not_to_be_checked()
    assert above(page, "#m-consent", "#phone")
    assert axe_serious(page) == []
    page.get_by_label("手机号").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#agree-error")).to_have_text(REFUSED)
    expect(page.get_by_label("手机号")).to_have_value(PHONE)
    assert MemoryBackend.outbox == [] and not SmsCode.objects.exists()
    assert axe_serious(page) == []
    shot(page, "consent-login-refused-phone")
    # Ticked, the code is sent and the refusal goes away.
    box.check()
    expect(page.locator("#agree-error")).to_be_hidden()
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_selector("text=验证码已发送")
    expect(page.get_by_label("我已阅读并同意《用户协议》和《隐私政策》")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_documents_open_from_the_box(live_server: Any, new_page: Any) -> None:
    page = new_page(phone=True)
    page.goto(f"{live_server.url}/m/login/")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="《隐私政策》").click()
    doc = opened.value
    doc.wait_for_load_state()
    expect(doc.get_by_role("heading", name="原点在线个人信息保护政策")).to_be_visible()
    assert axe_serious(doc) == []


@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_real_name_verification_asks_before_the_name(
    live_server: Any, cast: dict[str, User], new_page: Any, mode: str
) -> None:
    resident = cast["resident"]
    resident.elderly_mode = mode == "elderly"
    resident.save(update_fields=["elderly_mode"])
    page = new_page(phone=True)
    sign_in(page, live_server.url, resident.phone, PASSWORD)
    page.goto(f"{live_server.url}/m/verify/")
    assert page.evaluate("document.documentElement.classList.contains('elderly')") == (
        mode == "elderly"
    )
    box = page.get_by_label("我已阅读并同意《用户协议》和《隐私政策》")
    expect(box).not_to_be_checked()
    assert above(page, "#m-consent", "#name")
    page.get_by_label("姓名").fill("王秀兰")
    page.get_by_label("身份证号").fill("410102195003070029")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#agree-error")).to_have_text(REFUSED)
    # Nothing typed is lost, the ID number included; nothing was kept on the server.
    expect(page.get_by_label("姓名")).to_have_value("王秀兰")
    expect(page.get_by_label("身份证号")).to_have_value("410102195003070029")
    resident.refresh_from_db()
    assert resident.real_name_verified_at is None
    assert axe_serious(page) == []
    min_text, min_tap = LIMITS[mode]
    measured = page.evaluate(MEASURE, [min_text, min_tap])
    assert (measured["text"], measured["taps"]) == ([], [])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"consent-verify-refused-{mode}")
    box.check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{live_server.url}/m/address/")
    consent = Consent.objects.get(user=resident)
    assert (consent.channel, consent.occasion) == ("web", "real_name")
