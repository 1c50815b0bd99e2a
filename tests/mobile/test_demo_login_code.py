"""The demo has no SMS gateway: in demo mode /m/login/ shows the code it "sent", and a new
resident signs up with it; outside demo mode, and always in production, the page never shows it."""

import re
from typing import Any

import pytest
from django.test import Client

from wangge.accounts.models import User

PHONE = "13912345678"


def send_code(client: Client) -> str:
    response = client.post("/m/login/", {"agree": "1", "phone": PHONE, "action": "send"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "验证码已发送" in page
    return page


def shown_code(page: str) -> str | None:
    match = re.search(r"data-demo-code>[^<]*<strong>(\d{6})</strong>", page)
    return match.group(1) if match else None


def test_demo_mode_shows_the_code_and_a_new_resident_signs_up_with_it(
    db: Any, settings: Any
) -> None:
    settings.DEMO_MODE, settings.PRODUCTION = True, False
    client = Client()
    code = shown_code(send_code(client))
    assert code is not None
    response = client.post(
        "/m/login/", {"agree": "1", "phone": PHONE, "code": code, "action": "verify"}
    )
    # A first login registers the person and sends them on to real-name verification.
    assert response.status_code == 302 and response["Location"] == "/m/verify/"
    user = User.objects.get(phone=PHONE, is_demo=False)
    # …which they pass, and go on to say where they live.
    response = client.post(
        "/m/verify/", {"agree": "1", "name": "林晓", "id_number": "11010519491231002X"}
    )
    assert response.status_code == 302 and response["Location"] == "/m/address/"
    user.refresh_from_db()
    assert user.real_name_verified_at is not None


def test_a_wrong_code_is_refused_even_in_demo_mode(db: Any, settings: Any) -> None:
    settings.DEMO_MODE, settings.PRODUCTION = True, False
    client = Client()
    code = shown_code(send_code(client))
    assert code is not None
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(
        "/m/login/", {"agree": "1", "phone": PHONE, "code": wrong, "action": "verify"}
    )
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not User.objects.filter(phone=PHONE).exists()


@pytest.mark.parametrize(("demo_mode", "production"), [(False, False), (True, True), (False, True)])
def test_the_code_is_not_shown_outside_demo_mode_or_in_production(
    db: Any, settings: Any, demo_mode: bool, production: bool
) -> None:
    settings.DEMO_MODE, settings.PRODUCTION = demo_mode, production
    page = send_code(Client())
    assert shown_code(page) is None
    assert "data-demo-code" not in page and "本次验证码" not in page
