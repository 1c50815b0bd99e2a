"""The stable access token: the mini-program and the 公众号 fetch theirs with
`POST /cgi-bin/stable_token` (a second system on the same AppID does not invalidate it), reuse
it while it lasts, refresh it once when WeChat refuses it, and force a refresh only when WeChat
keeps answering the refused token, no more often than WeChat allows."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.wechat.fake import MP_APPID, MP_SECRET, FakeWechat
from wangge.wechat import client
from wangge.wechat.models import AccessToken


def send() -> None:
    client.subscribe_send(
        openid="o-1", template_id="T", page="pages/cases/cases", data={"thing1": "测试"}
    )


def test_the_stable_token_is_fetched_once_and_reused(fake: FakeWechat, db: Any) -> None:
    for _ in range(3):
        send()
    assert len(fake.subscribe_sent) == 3
    assert fake.requests.count("/cgi-bin/stable_token") == 1
    assert "/cgi-bin/token" not in fake.requests
    assert fake.forced["mini"] == 0


def test_a_refused_token_is_refreshed_once_without_forcing(fake: FakeWechat, db: Any) -> None:
    send()
    fake.expire_tokens()
    send()
    send()
    assert len(fake.subscribe_sent) == 3
    assert fake.requests.count("/cgi-bin/stable_token") == 2
    assert fake.forced["mini"] == 0
    assert AccessToken.objects.get(app="mini").refreshed == 2


def test_a_refused_token_wechat_keeps_answering_is_forced_once_per_30_seconds(
    fake: FakeWechat, db: Any
) -> None:
    send()
    fake.sticky_stable = True  # normal mode keeps answering the token WeChat now refuses
    fake.expire_tokens()
    send()
    assert fake.forced["mini"] == 1 and len(fake.subscribe_sent) == 2
    # Refused again at once: forcing again so soon is not allowed; nothing is sent, the
    # caller is told to try later.
    fake.expire_tokens()
    with pytest.raises(client.Unreachable):
        send()
    assert fake.forced["mini"] == 1 and len(fake.subscribe_sent) == 2
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        send()
    assert fake.forced["mini"] == 2 and len(fake.subscribe_sent) == 3


def test_the_official_account_uses_the_stable_token_too(
    fake: FakeWechat, settings: Any, db: Any
) -> None:
    settings.WECHAT_MP_APPID, settings.WECHAT_MP_SECRET = MP_APPID, MP_SECRET
    token = client.access_token(client.MP)
    assert token == fake.tokens["mp"]
    assert client.access_token(client.MP) == token
    assert fake.requests == ["/cgi-bin/stable_token"]
