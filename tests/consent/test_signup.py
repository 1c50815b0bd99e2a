"""Consent before any personal data: the text-message sign-in / sign-up and real-name
verification carry the box before their first personal field, unticked; without it nothing is
sent or kept, the reason is given in Chinese and what was typed stays on the page; with it the
consent is recorded with the versions, the time and the channel."""

import re
from typing import Any

import pytest
from django.test import Client

from wangge.accounts.models import SmsCode, User
from wangge.consent.models import Consent

pytestmark = pytest.mark.django_db
PHONE = "13912340000"
REFUSED = "请先阅读并勾选同意《用户协议》和《隐私政策》"
AGREED = {"agree": "1", "terms_version": "1", "privacy_version": "1"}


def code_of(outbox: list[tuple[str, str]]) -> str:
    match = re.search(r"验证码 (\d{6})", outbox[-1][1])
    assert match
    return match.group(1)


def test_the_box_comes_before_the_phone_and_is_not_ticked() -> None:
    html = Client().get("/m/login/").content.decode()
    box = html.index('name="agree"')
    assert box < html.index('name="phone"')
    tag = re.search(r"<input[^>]*name=\"agree\"[^>]*>", html)
    assert tag and "checked" not in tag.group(0)
    label = re.sub(r"<[^>]+>", "", html[html.index('<label class="check" for="agree"') :])
    assert label.split("</label>")[0].strip().startswith("我已阅读并同意《用户协议》和《隐私政策》")
    assert 'href="/m/legal/terms/"' in html and 'href="/m/legal/privacy/"' in html


def test_no_code_is_sent_without_consent_and_the_phone_stays(
    outbox: list[tuple[str, str]],
) -> None:
    resp = Client().post("/m/login/", {"phone": PHONE, "action": "send"})
    html = resp.content.decode()
    assert REFUSED in html
    assert f'value="{PHONE}"' in html
    assert outbox == [] and not SmsCode.objects.exists()


def test_signing_up_with_consent_records_it(outbox: list[tuple[str, str]]) -> None:
    c = Client()
    c.post("/m/login/", {"phone": PHONE, "action": "send", **AGREED})
    code = code_of(outbox)
    # The box untouched on the second step: refused, the phone and the code kept, no account.
    again = c.post("/m/login/", {"phone": PHONE, "action": "verify", "code": code})
    assert REFUSED in again.content.decode()
    assert f'value="{code}"' in again.content.decode()
    assert not User.objects.filter(phone=PHONE).exists()
    resp = c.post("/m/login/", {"phone": PHONE, "action": "verify", "code": code, **AGREED})
    assert resp["Location"] == "/m/verify/"
    [consent] = Consent.objects.filter(user__phone=PHONE)
    assert (consent.terms.kind, consent.terms.version) == ("terms", 1)
    assert (consent.privacy.kind, consent.privacy.version) == ("privacy", 1)
    assert (consent.channel, consent.occasion, consent.withdrawn_at) == ("web", "sign_in", None)


def test_a_page_showing_a_replaced_version_is_asked_again(
    outbox: list[tuple[str, str]], new_versions: Any
) -> None:
    resp = Client().post("/m/login/", {"phone": PHONE, "action": "send", **AGREED})
    html = resp.content.decode()
    assert "刚刚更新" in html and outbox == []
    # The page now carries the new versions, with the box unticked again.
    assert 'name="terms_version" value="2"' in html
    assert not re.search(r"<input[^>]*name=\"agree\"[^>]*checked", html)


def test_signing_in_again_adds_no_second_record(
    cast: dict[str, Any], outbox: list[tuple[str, str]]
) -> None:
    resident = cast["resident"]
    c = Client()
    for _ in range(2):
        SmsCode.objects.all().delete()
        c.post("/m/login/", {"phone": resident.phone, "action": "send", **AGREED})
        c.post(
            "/m/login/",
            {"phone": resident.phone, "action": "verify", "code": code_of(outbox), **AGREED},
        )
        c.logout()
    assert Consent.objects.filter(user=resident).count() == 1


def test_real_name_verification_asks_for_consent_before_the_name(cast: dict[str, Any]) -> None:
    resident = cast["resident"]
    c = Client()
    c.force_login(resident)
    html = c.get("/m/verify/").content.decode()
    assert html.index('name="agree"') < html.index('name="name"') < html.index('name="id_number"')
    refused = c.post("/m/verify/", {"name": "王秀兰", "id_number": "410102195003070029"})
    assert REFUSED in refused.content.decode()
    assert 'value="王秀兰"' in refused.content.decode()
    assert "410102195003070029" not in refused.content.decode()  # never echoed back
    resident.refresh_from_db()
    assert resident.real_name_verified_at is None and not resident.id_number_encrypted
    ok = c.post("/m/verify/", {"name": "王秀兰", "id_number": "410102195003070029", **AGREED})
    assert ok["Location"] == "/m/address/"
    [consent] = Consent.objects.filter(user=resident)
    assert (consent.channel, consent.occasion) == ("web", "real_name")


def test_a_refused_id_number_keeps_no_consent_either(cast: dict[str, Any]) -> None:
    c = Client()
    c.force_login(cast["resident"])
    c.post("/m/verify/", {"name": "王秀兰", "id_number": "410102195003070028", **AGREED})
    assert not Consent.objects.exists()
