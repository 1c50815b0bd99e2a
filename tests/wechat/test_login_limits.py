"""The mini-program's sign-in limits: a hall of residents on one Wi-Fi (or a 4G carrier's shared
address) all get in, while guessing is stopped per WeChat identity and per phone, with a 429
and a Chinese {"detail"}. The limits are the settings' defaults (RATE_LIMIT_WECHAT_LOGIN…)."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.wechat.fake import FakeWechat
from wangge.accounts.models import User
from wangge.wechat.models import WechatApp, WechatIdentity

JSCODE = "/sns/jscode2session"

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(settings: Any) -> Iterator[None]:
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


def mini_login(c: Client, code: str) -> Any:
    return c.post("/api/v1/auth/wechat/mini-login", {"code": code}, content_type="application/json")


def bind(c: Client, token: str, phone: str, sms_code: str) -> Any:
    return c.post(
        "/api/v1/auth/wechat/bind",
        {"phone": phone, "sms_code": sms_code},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def too_many(r: Any) -> bool:
    detail = r.json()["detail"]
    return r.status_code == 429 and "频繁" in detail


def test_the_default_admits_at_least_200_sign_ins_an_hour_per_address(settings: Any) -> None:
    count, _per, period = settings.RATE_LIMITS["wechat_login"].partition("/")
    assert period == "h" and int(count) >= 200


def test_a_hall_of_100_residents_signs_in_from_one_address(
    fake: FakeWechat, limited: None, make_user: Any
) -> None:
    """A training at the community hall: 100 residents, half of them bound already, open the
    mini-program within a minute on the hall's Wi-Fi, and then once more each."""
    for n in range(50):
        user = make_user(name=f"居民{n}", phone=f"1371234{n:04d}")
        WechatIdentity.objects.create(app=WechatApp.MINI, openid=f"o-{n}", user=user)
    c = Client(REMOTE_ADDR="203.0.113.7")
    for round_ in (1, 2):
        answers = []
        for n in range(100):
            fake.codes[f"code-{round_}-{n}"] = (f"o-{n}", "")
            answers.append(mini_login(c, f"code-{round_}-{n}"))
        assert [r.status_code for r in answers] == [200] * 100
        bound = [r.json()["bound"] for r in answers]
        assert bound == [True] * 50 + [False] * 50


def test_one_wechat_signing_in_over_and_over_is_stopped(fake: FakeWechat, limited: None) -> None:
    c = Client(REMOTE_ADDR="203.0.113.8")
    for n in range(20):
        fake.codes[f"c{n}"] = ("o-script", "")
        assert mini_login(c, f"c{n}").status_code == 200
    fake.codes["c20"] = ("o-script", "")
    r = mini_login(c, "c20")
    assert too_many(r)
    # Another WeChat on the same address is not held up by it.
    fake.codes["other"] = ("o-neighbour", "")
    assert mini_login(c, "other").status_code == 200


def test_one_code_replayed_stops_reaching_wechat(fake: FakeWechat, limited: None) -> None:
    c = Client(REMOTE_ADDR="203.0.113.9")
    fake.codes["once"] = ("o-once", "")
    assert mini_login(c, "once").status_code == 200
    answers = [mini_login(c, "once") for _ in range(25)]
    # WeChat's codes work once: 40029 in Chinese until the limit, then 429 without asking WeChat.
    assert all(r.status_code == 422 for r in answers[:19])
    assert all(too_many(r) for r in answers[19:])
    assert fake.requests.count(JSCODE) == 20


def test_guessing_one_phones_code_from_many_wechats_is_stopped(
    fake: FakeWechat, limited: None, people: dict[str, User]
) -> None:
    """An attacker with many WeChat accounts tries text-message codes against a resident's phone
    (each code allows five wrong guesses, and the attacker asks for new ones)."""
    phone = people["resident"].phone
    c = Client(REMOTE_ADDR="203.0.113.10")
    code = c.post("/api/v1/auth/sms-code", {"phone": phone}, content_type="application/json")
    assert code.status_code == 200
    answers = []
    for n in range(11):
        fake.codes[f"a{n}"] = (f"o-attacker-{n}", "")
        token = mini_login(c, f"a{n}").json()["token"]
        answers.append(bind(c, token, phone, "000000"))
    assert all(r.status_code == 422 for r in answers[:10]), [r.json() for r in answers]
    assert too_many(answers[10]) and "手机号" in answers[10].json()["detail"]
    assert not WechatIdentity.objects.filter(user=people["resident"]).exists()
    # Another resident's phone binds as usual from the same address.
    other = "13912340000"
    fake.codes["mine"] = ("o-honest", "")
    token = mini_login(c, "mine").json()["token"]
    sms = c.post("/api/v1/auth/sms-code", {"phone": other}, content_type="application/json")
    assert bind(c, token, other, sms.json()["demo_code"]).status_code == 200


def test_one_wechat_guessing_many_phones_is_stopped(fake: FakeWechat, limited: None) -> None:
    c = Client(REMOTE_ADDR="203.0.113.11")
    fake.codes["a"] = ("o-attacker", "")
    token = mini_login(c, "a").json()["token"]  # the identity's first count
    answers = [bind(c, token, f"1360000{n:04d}", "123456") for n in range(20)]
    assert all(r.status_code == 422 for r in answers[:19]), [r.json() for r in answers]
    assert too_many(answers[19])
