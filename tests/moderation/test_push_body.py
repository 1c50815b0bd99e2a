"""The body of WeChat's 消息推送 is read by its schema: JSON in plaintext mode, any event
acknowledged, and a body that is not a JSON object refused with words for the operator who set
the push up (WeChat shows them in its console)."""

import hashlib
from typing import Any

import pytest
from django.test import Client

TOKEN = "push-token"
URL = "/moderation/wechat/push/"


@pytest.fixture
def signed(settings: Any) -> str:
    settings.WECHAT_PUSH_TOKEN = TOKEN
    timestamp, nonce = "1764300000", "n0nce"
    signature = hashlib.sha1("".join(sorted([TOKEN, timestamp, nonce])).encode()).hexdigest()  # noqa: S324 - WeChat's scheme
    return f"{URL}?signature={signature}&timestamp={timestamp}&nonce={nonce}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "said"),
    [
        (b'{"Event": "user_enter_tempsession"}', 200, "success"),
        (b'{"Event": "wxa_media_check", "trace_id": "", "errcode": "x"}', 200, "success"),
        (b"", 200, "success"),
        (b"<xml><Event>x</Event></xml>", 400, "消息不是 JSON"),
        (b'["wxa_media_check"]', 400, "消息格式无法识别"),
        (b'{"Encrypt": "abc"}', 400, "未配置消息加密"),
    ],
)
def test_a_push_body_is_read_by_its_schema(
    signed: str, body: bytes, status: int, said: str
) -> None:
    resp = Client().post(signed, body, content_type="application/json")
    assert resp.status_code == status
    assert said in resp.content.decode()
