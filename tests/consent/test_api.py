"""The mini-program's side of consent: the documents in force without signing in, the caller's
state, and agreement recorded with the versions shown and the mini-program as its channel."""

from typing import Any

import pytest
from django.test import Client

from tests.consent.conftest import agree_now
from wangge.accounts.services import api_token_create
from wangge.consent import services
from wangge.consent.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer(cast: dict[str, Any]) -> dict[str, str]:
    _row, key = api_token_create(user=cast["resident"], name="小程序")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_documents_in_force_need_no_sign_in() -> None:
    answer = Client().get("/api/v1/consent/documents").json()
    assert answer["terms"]["version"] == 1 and answer["terms"]["url"] == "/m/legal/terms/"
    assert answer["privacy"]["title"] == "原点在线个人信息保护政策"
    text = Client().get("/api/v1/consent/documents/privacy").json()
    assert [True, "一、我们收集哪些信息"] in text["paragraphs"]
    assert Client().get("/api/v1/consent/documents/rules").status_code == 422


def test_agreeing_from_the_mini_program(cast: dict[str, Any], bearer: dict[str, str]) -> None:
    c = Client()
    before = c.get("/api/v1/consent/me", **bearer).json()
    assert (before["agreed"], before["needs_renewal"], before["agreed_at"]) == (False, False, None)
    resp = c.post(
        "/api/v1/consent/me",
        {"terms_version": 1, "privacy_version": 1, "occasion": "bind"},
        content_type="application/json",
        **bearer,
    )
    assert resp.status_code == 201
    assert resp.json()["channel"] == "miniprogram"
    [consent] = Consent.objects.filter(user=cast["resident"])
    assert (consent.channel, consent.occasion) == ("miniprogram", "bind")
    after = c.get("/api/v1/consent/me", **bearer).json()
    assert (after["agreed"], after["terms_version"], after["privacy_version"]) == (True, 1, 1)


def test_a_new_version_is_asked_again_and_the_old_one_refused(
    cast: dict[str, Any], bearer: dict[str, str]
) -> None:
    agree_now(cast["resident"], channel="miniprogram", occasion="bind")
    services.document_publish(
        kind="privacy", title="原点在线个人信息保护政策", body="新的说明。", changes="新增说明"
    )
    c = Client()
    state = c.get("/api/v1/consent/me", **bearer).json()
    assert (state["agreed"], state["needs_renewal"]) == (False, True)
    assert state["documents"]["privacy"]["version"] == 2
    assert state["documents"]["privacy"]["changes"] == "新增说明"

    def agree(terms: int, privacy: int) -> Any:
        return c.post(
            "/api/v1/consent/me",
            {"terms_version": terms, "privacy_version": privacy, "occasion": "renewal"},
            content_type="application/json",
            **bearer,
        )

    stale = agree(1, 1)
    assert stale.status_code == 409
    assert stale.json()["detail"] == "用户协议或隐私政策刚刚更新，请阅读新版本后再同意"
    assert agree(1, 2).status_code == 201
    assert c.get("/api/v1/consent/me", **bearer).json()["agreed"] is True


def test_signed_out_state_is_refused() -> None:
    assert Client().get("/api/v1/consent/me").status_code == 401
