"""我的 → 协议与授权: what was agreed and when, and withdrawal, which closes the account and removes
the personal data it was given — said in Chinese before it is confirmed."""

from typing import Any

import pytest
from django.test import Client

from tests.consent.conftest import agree_now
from wangge.accounts.models import ResidenceClaim, User
from wangge.accounts.services import api_token_create, api_token_identify, user_set_real_name
from wangge.consent.models import Consent
from wangge.grids.models import Building
from wangge.grids.services import buildings_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(cast: dict[str, Any]) -> User:
    user = cast["resident"]
    user_set_real_name(user=user, name="王秀兰", id_number="410102195003070029")
    agree_now(user, occasion="real_name")
    return user


def test_the_page_shows_what_was_agreed_and_when(resident: User) -> None:
    c = Client()
    c.force_login(resident)
    consent = Consent.objects.get(user=resident)
    html = c.get("/m/legal/mine/").content.decode()
    assert f"{consent.agreed_at.astimezone().strftime('%Y年')}" in html
    assert "网页 · 实名认证" in html
    assert 'href="/m/legal/terms/v1/"' in html and 'href="/m/legal/privacy/v1/"' in html
    assert 'href="/m/legal/withdraw/"' in html


def test_what_happens_is_said_before_confirming(resident: User) -> None:
    c = Client()
    c.force_login(resident)
    html = c.get("/m/legal/withdraw/").content.decode()
    for words in ("账号立即注销", "姓名、身份证号、手机号和住址申请被删除", "办理记录"):
        assert words in html
    refused = c.post("/m/legal/withdraw/", {})
    assert refused.status_code == 422
    assert "请先勾选" in refused.content.decode()
    resident.refresh_from_db()
    assert resident.is_active


def test_withdrawal_closes_the_account_and_removes_its_personal_data(resident: User) -> None:
    buildings_import("address,lon,lat,code\n中原区伊河路百花里3号楼,113.6008,34.7508,BH3\n")
    ResidenceClaim.objects.create(
        user=resident,
        building=Building.objects.get(code="BH3"),
        room="2单元501",
        grid_path=Building.objects.get(code="BH3").micro_grid.path,
    )
    _row, key = api_token_create(user=resident, name="小程序")
    phone = resident.phone
    c = Client()
    c.force_login(resident)
    done = c.post("/m/legal/withdraw/", {"confirm": "1"})
    assert done.status_code == 200 and "账号已注销" in done.content.decode()
    resident.refresh_from_db()
    assert not resident.is_active and not resident.has_usable_password()
    assert (resident.name, resident.id_number_encrypted, resident.id_number_hash) == ("", "", None)
    assert resident.real_name_verified_at is None
    assert resident.phone != phone and not resident.phone.startswith("1")
    assert not ResidenceClaim.objects.filter(user=resident).exists()
    assert api_token_identify(key) is None
    # The proof stays: what was agreed, and when it ended.
    consent = Consent.objects.get(user=resident)
    assert consent.withdrawn_at is not None
    # Signed out, and the number is free to register again.
    assert c.get("/m/me/")["Location"].startswith("/m/login/")
    assert not User.objects.filter(phone=phone).exists()


def test_staff_withdraw_through_the_administrator(cast: dict[str, Any]) -> None:
    c = Client()
    c.force_login(cast["worker_a"])
    resp = c.post("/m/legal/withdraw/", {"confirm": "1"})
    assert resp.status_code == 403 and "联系系统管理员" in resp.content.decode()
    assert User.objects.get(pk=cast["worker_a"].pk).is_active
