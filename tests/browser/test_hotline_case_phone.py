"""A 12345 order as the grid worker who holds it first meets it: on a phone (390 px), in
Chromium, from the case page as it opens. An order with a call recording shows a player whose
file plays for them; a 保密 order shows no caller and no recording. No serious axe finding."""

import base64
import json
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import shot, sign_in, watch
from tests.conftest import PASSWORD
from tests.hotline.conftest import ORDERS, order
from tests.hotline.test_exchange import MP3
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _post(key: str, **fields: Any) -> Case:
    recording = {
        "file_name": "通话录音.mp3",
        "mime_type": "audio/mpeg",
        "content": base64.b64encode(MP3).decode(),
    }
    body = order(attachments=[recording], **fields)
    resp = Client().post(
        ORDERS,
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert resp.status_code == 201, resp.content
    return Case.objects.get(pk=resp.json()["case_id"])


def test_the_grid_worker_opens_a_hotline_order_on_a_phone(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    _token, key = api_token_create(user=people["admin"], name="12345 热线")
    # Both orders are in before the browser opens (SQLite's shared cache locks a table a
    # page is reading while the test's own thread writes).
    heard = _post(key, order_no="PHONE001")
    secret = _post(key, order_no="PHONE002", is_secret=True, content="家门口路灯坏了三天了")
    assert heard.assignee == people["worker_a"] and secret.assignee == people["worker_a"]
    base = live_server.url
    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, people["worker_a"].phone, PASSWORD)

    page.goto(f"{base}/cases/{heard.pk}/")
    player = page.locator("audio")
    expect(player).to_have_count(1)
    src = player.get_attribute("src")
    assert src
    answer = page.request.get(f"{base}{src}")
    assert answer.status == 200 and answer.headers["content-type"] == "audio/mpeg"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    assert axe_serious(page) == []
    shot(page, "hotline-case-phone")

    page.goto(f"{base}/cases/{secret.pk}/")
    expect(page.locator("#caller-confidential")).to_contain_text("保密件")
    expect(page.locator("audio")).to_have_count(0)
    shown = page.inner_text("main")
    assert "李桂兰" not in shown
    assert "139****2345" not in shown
    assert axe_serious(page) == []
    assert problems == []
