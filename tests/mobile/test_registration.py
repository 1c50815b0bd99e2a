"""Registration: text-message code, real name, home address confirmed by the grid worker."""

import logging
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from wangge.accounts import registration
from wangge.accounts.models import ResidenceClaim, Role, SmsCode, User
from wangge.core.errors import ValidationFailed
from wangge.grids.services import buildings_import
from wangge.notifications.models import SmsMessage
from wangge.notifications.sms import MemoryBackend

PHONE = "13912340000"


@pytest.fixture(autouse=True)
def outbox(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Texts go out after commit, which never comes inside a test's transaction: send at once."""
    import types

    from django.db import transaction

    shim = types.SimpleNamespace(atomic=transaction.atomic, on_commit=lambda f, **kw: f())
    monkeypatch.setattr("wangge.notifications.services.transaction", shim)
    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


def last_code(outbox: list[tuple[str, str]]) -> str:
    import re

    phone, body = outbox[-1]
    assert phone == PHONE
    match = re.search(r"验证码 (\d{6})", body)
    assert match
    return match.group(1)


def test_code_is_sent_stored_hashed_and_logs_nothing(db: Any, outbox: Any, caplog: Any) -> None:
    with caplog.at_level(logging.DEBUG):
        registration.sms_code_request(phone=PHONE, ip="10.0.0.1")
    code = last_code(outbox)
    row = SmsCode.objects.get()
    assert code not in row.code_hash
    assert code not in caplog.text
    assert code not in SmsMessage.objects.get().body  # the message record is redacted too


def test_first_login_creates_the_account(db: Any, outbox: Any) -> None:
    registration.sms_code_request(phone=PHONE)
    user, new = registration.sms_code_login(phone=PHONE, code=last_code(outbox))
    assert new and user.phone == PHONE and not user.has_usable_password()
    with pytest.raises(ValidationFailed, match="验证码已过期"):
        registration.sms_code_login(phone=PHONE, code=last_code(outbox))  # used once only


def test_wrong_codes_expire_and_rate_limits(db: Any, outbox: Any) -> None:
    registration.sms_code_request(phone=PHONE)
    code = last_code(outbox)
    with pytest.raises(registration.RateLimited, match="1 分钟后再试"):
        registration.sms_code_request(phone=PHONE)
    for _ in range(5):
        with pytest.raises(ValidationFailed, match="验证码不正确"):
            registration.sms_code_login(
                phone=PHONE, code="000000" if code != "000000" else "111111"
            )
    with pytest.raises(ValidationFailed, match="错误次数过多"):
        registration.sms_code_login(phone=PHONE, code=code)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2)):
        registration.sms_code_request(phone=PHONE)
        fresh = last_code(outbox)
    with (
        time_machine.travel(timezone.now() + timezone.timedelta(minutes=8)),
        pytest.raises(ValidationFailed, match="验证码已过期"),
    ):
        registration.sms_code_login(phone=PHONE, code=fresh)


def test_a_hall_of_residents_gets_codes_from_one_address(db: Any, outbox: Any) -> None:
    # A training in a community hall: a hundred residents ask for codes over one Wi-Fi.
    for n in range(100):
        registration.sms_code_request(phone=f"1390000{n:04d}", ip="10.0.0.9")
    assert SmsCode.objects.filter(ip_address="10.0.0.9").count() == 100


def test_codes_from_one_address_stop_at_the_setting(db: Any, outbox: Any, settings: Any) -> None:
    settings.SMS_CODES_PER_ADDRESS_HOURLY = 3
    for n in range(3):
        registration.sms_code_request(phone=f"1390000{n:04d}", ip="10.0.0.9")
    with pytest.raises(registration.RateLimited, match="请求过于频繁"):
        registration.sms_code_request(phone="13900009999", ip="10.0.0.9")
    registration.sms_code_request(phone="13900009999", ip="10.0.0.10")  # another address


def test_real_name_then_address_then_confirmation(
    cast: dict[str, Any], tree: Any, outbox: Any
) -> None:
    buildings_import("address,lon,lat,code\n中原区伊河路百花里3号楼,113.6008,34.7508,BH3\n")
    c = Client()
    c.post("/m/login/", {"agree": "1", "phone": PHONE, "action": "send"})
    resp = c.post(
        "/m/login/", {"agree": "1", "phone": PHONE, "code": last_code(outbox), "action": "verify"}
    )
    assert resp["Location"] == "/m/verify/"
    bad = c.post("/m/verify/", {"agree": "1", "name": "李桂英", "id_number": "410102195003070028"})
    assert "身份证号码校验位不正确" in bad.content.decode() and "李桂英" in bad.content.decode()
    assert "410102195003070028" not in bad.content.decode()  # not echoed back
    assert (
        c.post("/m/verify/", {"agree": "1", "name": "李桂英", "id_number": "410102195003070029"})[
            "Location"
        ]
        == "/m/address/"
    )
    page = c.post("/m/address/", {"q": "百花里三号楼"}).content.decode()
    assert "中原区伊河路百花里3号楼" in page
    building = __import__("wangge.grids.models", fromlist=["Building"]).Building.objects.get(
        code="BH3"
    )
    resp = c.post("/m/address/", {"q": "百花里三号楼", "building": building.pk, "room": "2单元501"})
    assert resp.status_code == 302
    claim = ResidenceClaim.objects.get()
    assert claim.status == "pending"
    # Grid B's worker neither sees nor decides it; grid A's worker confirms it.
    other = Client()
    other.force_login(cast["worker_b"])
    assert "李桂英" not in other.get("/m/claims/").content.decode()
    worker = Client()
    worker.force_login(cast["worker_a"])
    assert "李桂英" in worker.get("/m/claims/").content.decode()
    worker.post(f"/m/claims/{claim.pk}/decide/", {"confirm": "1"})
    user = User.objects.get(phone=PHONE)
    assert user.grants.filter(role=Role.RESIDENT, node=building.micro_grid).exists()
    assert "A1 微网格" in c.get("/m/").content.decode()


def test_residents_cannot_confirm(cast: dict[str, Any]) -> None:
    c = Client()
    c.force_login(cast["resident"])
    assert c.get("/m/claims/").status_code == 403
