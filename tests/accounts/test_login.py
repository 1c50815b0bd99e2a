"""Signing in with a phone number: Chinese messages, throttling, demo accounts only in demo mode."""

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
