"""Signing in with a phone number: Chinese messages, throttling, demo accounts only in demo mode."""

import re
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.conftest import PASSWORD


def login(client: Client, phone: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": phone, "password": password})


def test_login_with_phone_in_any_common_form(cast: dict[str, Any]) -> None:
    phone = cast["worker_a"].phone
    spaced = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    client = Client()
    resp = login(client, spaced, PASSWORD)
    assert resp.status_code == 302
    home = client.get("/").content.decode()
    assert "您好，周敏" in home
    assert "网格员" in home


def test_wrong_password_says_so_in_chinese_and_keeps_the_phone(cast: dict[str, Any]) -> None:
    phone = cast["worker_a"].phone
    resp = login(Client(), phone, "wrong")
    page = resp.content.decode()
    assert resp.status_code == 200
    assert "手机号或密码不正确。" in page
    assert f'value="{phone}"' in page


def test_five_failures_lock_the_phone_on_that_address(cast: dict[str, Any]) -> None:
    phone = cast["worker_a"].phone
    client = Client()
    for _ in range(5):
        login(client, phone, "wrong")
    resp = login(client, phone, PASSWORD)
    assert resp.status_code == 429
    assert "登录已暂停" in resp.content.decode()


def test_demo_accounts_cannot_sign_in_outside_demo_mode(make_user: Any) -> None:
    demo = make_user(name="演示", is_demo=True)
    with override_settings(DEMO_MODE=False):
        resp = login(Client(), demo.phone, PASSWORD)
        assert resp.status_code == 200
        assert "手机号或密码不正确。" in resp.content.decode()
    assert login(Client(), demo.phone, PASSWORD).status_code == 302


def test_logout_needs_post(cast: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast["resident"])
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("url", ["/", "/grids/map/"])
def test_pages_send_anonymous_visitors_to_login(db: Any, url: str) -> None:
    resp = Client().get(url)
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/")


# --- what django-axes keeps: no phone numbers --------------------------------------------------


def test_failed_logins_are_kept_under_a_masked_and_hashed_name(cast: dict[str, Any]) -> None:
    from axes.models import AccessAttempt, AccessFailureLog

    phone = cast["worker_a"].phone
    login(Client(), phone, "wrong")
    attempt = AccessAttempt.objects.get()
    assert re.fullmatch(rf"{phone[:3]}\*\*\*\*{phone[-4:]}#[0-9a-f]{{16}}", attempt.username)
    assert phone not in attempt.post_data and phone not in attempt.username
    for row in AccessFailureLog.objects.all():
        assert phone not in row.username


def test_the_lockout_still_counts_one_phone_however_it_is_typed(cast: dict[str, Any]) -> None:
    phone = cast["worker_a"].phone
    client = Client()
    for typed in (phone, f"+86 {phone}", f"{phone[:3]} {phone[3:7]} {phone[7:]}", phone, phone):
        login(client, typed, "wrong")
    assert login(client, phone, PASSWORD).status_code == 429
    # The lock is for this phone on this address only.
    assert login(Client(REMOTE_ADDR="10.7.7.7"), phone, PASSWORD).status_code == 302


def test_a_phone_with_the_same_mask_is_counted_apart(make_user: Any) -> None:
    first = make_user(phone="13900001234")
    twin = make_user(phone="13955551234")  # masked alike: 139****1234
    client = Client()
    for _ in range(5):
        login(client, first.phone, "wrong")
    assert login(client, first.phone, PASSWORD).status_code == 429
    assert login(client, twin.phone, PASSWORD).status_code == 302


def test_a_sign_in_is_logged_without_the_phone_and_clears_the_failures(
    cast: dict[str, Any],
) -> None:
    from axes.models import AccessAttempt, AccessLog

    phone = cast["worker_a"].phone
    client = Client()
    login(client, phone, "wrong")
    assert AccessAttempt.objects.count() == 1
    assert login(client, phone, PASSWORD).status_code == 302
    assert AccessAttempt.objects.count() == 0  # AXES_RESET_ON_SUCCESS found them by the name
    [entry] = AccessLog.objects.all()
    assert entry.username.startswith(f"{phone[:3]}****{phone[-4:]}#") and phone not in str(
        entry.__dict__
    )
    client.post("/accounts/logout/")
    entry.refresh_from_db()
    assert entry.logout_time is not None  # sign-out found the row by the same name


def test_a_password_typed_as_the_phone_is_not_kept(db: Any) -> None:
    from axes.models import AccessAttempt

    login(Client(), "my-Secret-pw!", "wrong")
    [attempt] = AccessAttempt.objects.all()
    assert re.fullmatch(r"#[0-9a-f]{16}", attempt.username)
