"""WeChat's way into the web pages: the mini-program's web-view signed in by a one-time ticket,
the 公众号's authorisation for /m/ (through the unionid, or once by a text message), 企业微信's
first open binding a staff account, and the domain check files. (Forged callbacks and
企业微信's sign-in: test_signin.py.)"""

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from tests.wechat.fake import MP_APPID, MP_SECRET, FakeWechat
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.wechat import services
from wangge.wechat.models import WechatApp, WechatIdentity, WecomIdentity

WECHAT_UA = "Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0.50 NetType/WIFI"
WECOM_UA = "Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0 wxwork/4.1.22"


@pytest.fixture
def mp(fake: FakeWechat, settings: Any) -> FakeWechat:
    settings.WECHAT_MP_APPID, settings.WECHAT_MP_SECRET = MP_APPID, MP_SECRET
    return fake


def authorise(c: Client, page: str) -> dict[str, str]:
    """Open `page` in WeChat or 企业微信 and follow it to WeChat's authorisation page: what
    WeChat sends back to (the callback, its `next`) and the state it must carry back."""
    r = c.get(page)
    assert r.status_code == 302, r.content
    where = urlparse(r["Location"])
    assert where.netloc == "open.weixin.qq.com"
    query = parse_qs(where.query)
    back = urlparse(query["redirect_uri"][0])
    return {"path": back.path, "next": parse_qs(back.query)["next"][0], "state": query["state"][0]}


def come_back(c: Client, to: dict[str, str], code: str) -> Any:
    """WeChat's redirect to the callback, with the person's code and the state it was given."""
    return c.get(to["path"], {"code": code, "state": to["state"], "next": to["next"]})


def token_for(user: User) -> str:
    return api_token_create(user=user, name=services.MINI_TOKEN_NAME)[1]


def test_the_web_view_opens_signed_in_once(people: dict[str, User]) -> None:
    c = Client()
    key = token_for(people["resident"])
    r = c.post(
        "/api/v1/me/wechat/web-ticket",
        {"next": "/volunteering/"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 200
    url = urlparse(r.json()["url"])
    assert url.path == "/m/wx/enter/"
    browser = Client()
    entered = browser.get(f"{url.path}?{url.query}")
    assert entered.status_code == 302 and entered["Location"] == "/volunteering/"
    assert browser.get("/m/me/").status_code == 200  # signed in as the resident
    # Used once: the same link again is refused, in Chinese.
    again = Client().get(f"{url.path}?{url.query}")
    assert again.status_code == 403 and "链接已失效" in again.content.decode()


def test_a_ticket_never_leaves_the_site(people: dict[str, User]) -> None:
    key = token_for(people["resident"])
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        r = Client().post(
            "/api/v1/me/wechat/web-ticket",
            {"next": target},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert r.status_code == 422 and "本平台" in r.json()["detail"], target


def test_wechat_sends_a_signed_out_resident_through_the_mp_authorisation(
    mp: FakeWechat, people: dict[str, User]
) -> None:
    c = Client(HTTP_USER_AGENT=WECHAT_UA)
    r = c.get("/m/me/")
    assert r.status_code == 302
    where = urlparse(r["Location"])
    assert where.netloc == "open.weixin.qq.com"
    query = parse_qs(where.query)
    assert query["appid"] == [MP_APPID] and query["scope"] == ["snsapi_base"]
    back = urlparse(query["redirect_uri"][0])
    assert back.path == "/m/wx/oauth/" and parse_qs(back.query)["next"] == ["/m/me/"]
    # A browser outside WeChat is not sent there.
    assert Client().get("/m/me/")["Location"].startswith("/m/login/")


def test_the_same_person_lands_signed_in_through_the_unionid(
    mp: FakeWechat, people: dict[str, User]
) -> None:
    resident = people["resident"]
    WechatIdentity.objects.create(app=WechatApp.MINI, openid="o-mini", unionid="u-1", user=resident)
    mp.mp_codes = {"mp-code": ("o-mp", "u-1")}
    c = Client(HTTP_USER_AGENT=WECHAT_UA)
    r = come_back(c, authorise(c, "/m/me/"), "mp-code")
    assert r.status_code == 302 and r["Location"] == "/m/me/"
    assert c.get("/m/me/").status_code == 200
    assert WechatIdentity.objects.get(app=WechatApp.MP, openid="o-mp").user == resident


def test_without_a_unionid_one_text_message_sign_in_binds_the_mp_openid(
    mp: FakeWechat, people: dict[str, User]
) -> None:
    resident = people["resident"]
    mp.mp_codes = {"mp-code": ("o-mp-2", "")}
    c = Client(HTTP_USER_AGENT=WECHAT_UA)
    r = come_back(c, authorise(c, "/m/me/"), "mp-code")
    assert r["Location"].startswith("/m/login/")
    r = c.post("/m/login/", {"phone": resident.phone, "action": "send", "agree": "1"})
    code = r.context["demo_code"]
    c.post("/m/login/", {"phone": resident.phone, "code": code, "action": "verify", "agree": "1"})
    assert WechatIdentity.objects.get(app=WechatApp.MP, openid="o-mp-2").user == resident
    # The next visit from WeChat lands signed in without a code.
    mp.mp_codes = {"mp-code-2": ("o-mp-2", "")}
    c2 = Client(HTTP_USER_AGENT=WECHAT_UA)
    assert come_back(c2, authorise(c2, "/m/"), "mp-code-2")["Location"] == "/m/"
    assert c2.get("/m/me/").status_code == 200


def test_first_open_in_wecom_binds_the_signed_in_staff_account(
    fake: FakeWechat, people: dict[str, User]
) -> None:
    worker = people["worker_a"]
    c = Client(HTTP_USER_AGENT=WECOM_UA)
    c.force_login(worker)
    to = authorise(c, "/cases/queue/")
    assert to["path"] == "/m/wx/wecom/"
    fake.wecom_codes["wc-1"] = "zhoumin"
    r = come_back(c, to, "wc-1")
    assert r["Location"] == "/cases/queue/"
    assert WecomIdentity.objects.get(user=worker).userid == "zhoumin"
    # Bound: pages open directly now.
    assert c.get("/cases/queue/").status_code == 200


def test_domain_check_files_are_served_at_the_root(settings: Any, db: Any) -> None:
    settings.WECHAT_DOMAIN_CHECK_FILES = {"MP_verify_abc123.txt": "abc123"}
    r = Client().get("/MP_verify_abc123.txt")
    assert r.status_code == 200 and r.content == b"abc123"
    assert Client().get("/MP_verify_other.txt").status_code == 404
