"""Sign-in through WeChat's and 企业微信's web authorisation cannot be forged: the state is random,
this session's own, used once and short-lived, and a callback without it is refused before its
code is exchanged (the login-CSRF of a parked openid). Staff and department handlers sign in
through 企业微信 inside 企业微信; a department handler bound by `bind_wecom` is whistled there."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, STREET
from tests.wechat.fake import AGENTID, CORPID, MP_APPID, MP_SECRET, FakeWechat
from tests.wechat.test_web import WECHAT_UA, WECOM_UA, authorise, come_back
from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.cases.services import case_act
from wangge.wechat import oauth, services
from wangge.wechat.models import Outbound, WechatApp, WechatIdentity, WecomIdentity

EXCHANGE = "/sns/oauth2/access_token"
USERINFO = "/cgi-bin/auth/getuserinfo"


@pytest.fixture
def mp(fake: FakeWechat, settings: Any) -> FakeWechat:
    settings.WECHAT_MP_APPID, settings.WECHAT_MP_SECRET = MP_APPID, MP_SECRET
    return fake


def sms_sign_in(c: Client, phone: str) -> None:
    code = c.post("/m/login/", {"phone": phone, "action": "send", "agree": "1"}).context[
        "demo_code"
    ]
    r = c.post("/m/login/", {"phone": phone, "code": code, "action": "verify", "agree": "1"})
    assert r.status_code == 302, r.content


def refused(r: Any) -> bool:
    return r.status_code == 403 and "未予登录" in r.content.decode()


# --- the state ------------------------------------------------------------------------------


def test_each_authorisation_carries_a_random_state_of_its_own_session(
    mp: FakeWechat, people: dict[str, User]
) -> None:
    first = authorise(Client(HTTP_USER_AGENT=WECHAT_UA), "/m/me/")["state"]
    second = authorise(Client(HTTP_USER_AGENT=WECHAT_UA), "/m/me/")["state"]
    assert first != second and first != "wangge"
    # WeChat passes back only [A-Za-z0-9], up to 128 bytes.
    assert first.isalnum() and first.isascii() and 16 <= len(first) <= 128


def test_a_forged_callback_cannot_park_an_openid_for_the_victims_sign_in(
    mp: FakeWechat, people: dict[str, User]
) -> None:
    """The attack: the attacker starts the authorisation in their own WeChat, keeps their code,
    and gets the victim to open the callback with it; the victim then signs in by text message,
    which used to bind the attacker's openid to the victim's account."""
    victim = people["resident"]
    attacker = Client(HTTP_USER_AGENT=WECHAT_UA)
    theirs = authorise(attacker, "/m/me/")
    mp.mp_codes = {"attacker-code": ("o-attacker", "")}
    forged = [
        {"code": "attacker-code", "next": "/m/me/"},  # no state at all
        {"code": "attacker-code", "next": "/m/me/", "state": "wangge"},  # the old fixed one
        {"code": "attacker-code", "next": "/m/me/", "state": theirs["state"]},  # another's
    ]

    browser = Client(HTTP_USER_AGENT=WECHAT_UA)
    for query in forged:
        r = browser.get("/m/wx/oauth/", query)
        assert refused(r), query
        assert "重新打开" in r.content.decode()
    assert EXCHANGE not in mp.requests  # refused before the code was exchanged
    sms_sign_in(browser, victim.phone)
    assert not WechatIdentity.objects.filter(user=victim).exists()
    assert not WechatIdentity.objects.filter(openid="o-attacker").exists()


def test_a_forged_callback_does_not_replace_the_victims_own_openid(
    mp: FakeWechat, people: dict[str, User]
) -> None:
    victim = people["resident"]
    attacker = Client(HTTP_USER_AGENT=WECHAT_UA)
    theirs = authorise(attacker, "/m/me/")
    mp.mp_codes = {"attacker-code": ("o-attacker", ""), "victim-code": ("o-victim", "")}

    browser = Client(HTTP_USER_AGENT=WECHAT_UA)
    mine = authorise(browser, "/m/me/")
    assert come_back(browser, mine, "victim-code")["Location"].startswith("/m/login/")
    # Opened between the victim's authorisation and their text-message sign-in: the
    # attacker's own state, or the victim's own 企业微信 one, is not this 公众号 leg's.
    session = browser.session
    wecom_state = oauth.issue_state(session, oauth.WECOM)
    session.save()
    for state in (theirs["state"], wecom_state, mine["state"]):
        assert refused(browser.get("/m/wx/oauth/", {"code": "attacker-code", "state": state}))
    assert mp.requests.count(EXCHANGE) == 1  # the victim's own code only

    sms_sign_in(browser, victim.phone)
    assert WechatIdentity.objects.get(user=victim).openid == "o-victim"
    assert not WechatIdentity.objects.filter(openid="o-attacker").exists()


def test_a_state_is_used_once_and_not_after_ten_minutes(
    mp: FakeWechat, people: dict[str, User]
) -> None:
    resident = people["resident"]
    WechatIdentity.objects.create(app=WechatApp.MP, openid="o-mp", user=resident)
    c = Client(HTTP_USER_AGENT=WECHAT_UA)
    to = authorise(c, "/m/me/")
    mp.mp_codes = {"c1": ("o-mp", ""), "c2": ("o-mp", "")}
    assert come_back(c, to, "c1")["Location"] == "/m/me/"
    # The same callback again (a link opened twice, or replayed): refused, not exchanged.
    c.logout()
    assert refused(come_back(c, to, "c2"))
    assert mp.requests.count(EXCHANGE) == 1

    late = Client(HTTP_USER_AGENT=WECHAT_UA)
    to = authorise(late, "/m/me/")
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert refused(come_back(late, to, "c2"))
    assert mp.requests.count(EXCHANGE) == 1


def test_a_refusal_is_a_click_away_from_a_fresh_try_and_an_error_is_tried_once(
    mp: FakeWechat, people: dict[str, User]
) -> None:
    c = Client(HTTP_USER_AGENT=WECHAT_UA)
    assert refused(c.get("/m/wx/oauth/", {"code": "x", "next": "/m/me/"}))
    # 重新打开 goes through the authorisation again, with a state this session will accept.
    to = authorise(c, "/m/me/")
    # WeChat refuses the code (40029): the text-message sign-in, and no second trip to WeChat.
    r = come_back(c, to, "unknown-code")
    assert r["Location"].startswith("/m/login/")
    assert c.get("/m/me/")["Location"].startswith("/m/login/")


def test_a_forged_wecom_callback_binds_nothing(fake: FakeWechat, people: dict[str, User]) -> None:
    worker = people["worker_a"]
    fake.wecom_codes["attacker"] = "attacker-userid"
    for signed_in in (True, False):
        c = Client(HTTP_USER_AGENT=WECOM_UA)
        if signed_in:
            c.force_login(worker)
        r = c.get("/m/wx/wecom/", {"code": "attacker", "next": "/cases/queue/"})
        assert refused(r)
    assert USERINFO not in fake.requests
    assert not WecomIdentity.objects.exists()


# --- 企业微信 sign-in -------------------------------------------------------------------------


def test_a_signed_out_worker_tapping_a_card_in_wecom_is_signed_in(
    fake: FakeWechat, people: dict[str, User]
) -> None:
    services.wecom_bind(user=people["worker_a"], userid="zhoumin", how="test")
    c = Client(HTTP_USER_AGENT=WECOM_UA)
    r = c.get("/cases/queue/")
    query = parse_qs(urlparse(r["Location"]).query)
    assert query["appid"] == [CORPID] and query["agentid"] == [AGENTID]
    to = authorise(c, "/cases/queue/")
    fake.wecom_codes["wc"] = "zhoumin"
    assert come_back(c, to, "wc")["Location"] == "/cases/queue/"
    page = c.get("/cases/queue/")
    assert page.status_code == 200 and page.wsgi_request.user == people["worker_a"]
    # Outside 企业微信 the same page asks for the password, as before.
    assert Client().get("/cases/queue/")["Location"].startswith("/accounts/login/")
    # And the sign-in page itself is never sent to 企业微信 (a person who signed out stays so).
    assert Client(HTTP_USER_AGENT=WECOM_UA).get("/accounts/login/").status_code == 200


def test_a_deactivated_account_is_never_signed_in_through_wecom(
    fake: FakeWechat, people: dict[str, User]
) -> None:
    worker = people["worker_a"]
    services.wecom_bind(user=worker, userid="zhoumin", how="test")
    # Deactivated without the usual save (a bulk update): the binding is still there.
    User.objects.filter(pk=worker.pk).update(is_active=False)
    c = Client(HTTP_USER_AGENT=WECOM_UA)
    to = authorise(c, "/cases/queue/")
    fake.wecom_codes["wc"] = "zhoumin"
    r = come_back(c, to, "wc")
    assert r.status_code == 200 and "用手机号和密码登录" in r.content.decode()
    assert not r.wsgi_request.user.is_authenticated
    assert c.get("/cases/queue/").status_code == 302  # still signed out


def test_an_unbound_member_signs_in_with_the_password_once_which_binds(
    fake: FakeWechat, people: dict[str, User]
) -> None:
    worker = people["worker_a"]
    c = Client(HTTP_USER_AGENT=WECOM_UA)
    to = authorise(c, "/cases/queue/")
    fake.wecom_codes["wc"] = "zhoumin"
    r = come_back(c, to, "wc")
    page = r.content.decode()
    assert r.status_code == 200 and "还没有绑定本平台账号" in page
    assert "/accounts/login/?next=%2Fcases%2Fqueue%2F" in page
    r = c.post("/accounts/login/", {"username": worker.phone, "password": PASSWORD})
    assert r.status_code == 302
    assert WecomIdentity.objects.get(userid="zhoumin").user == worker
    # Next time, in a new session, 企业微信 signs the worker in without a password.
    again = Client(HTTP_USER_AGENT=WECOM_UA)
    fake.wecom_codes["wc2"] = "zhoumin"
    assert come_back(again, authorise(again, "/cases/"), "wc2")["Location"] == "/cases/"
    assert again.get("/cases/queue/").status_code == 200


def test_a_residents_password_sign_in_binds_no_wecom(
    fake: FakeWechat, people: dict[str, User]
) -> None:
    resident = people["resident"]
    c = Client(HTTP_USER_AGENT=WECOM_UA)
    fake.wecom_codes["wc"] = "someone"
    come_back(c, authorise(c, "/cases/"), "wc")
    r = c.post("/accounts/login/", {"username": resident.phone, "password": PASSWORD})
    assert r.status_code == 302  # signed in all the same
    assert not WecomIdentity.objects.exists()


# --- department handlers on 企业微信 ------------------------------------------------------------


def test_bind_wecom_takes_department_handlers_and_refuses_residents(
    fake: FakeWechat, people: dict[str, User]
) -> None:
    call_command("bind_wecom", people["cgj"].phone, "wanghaitao")
    assert WecomIdentity.objects.get(user=people["cgj"]).userid == "wanghaitao"
    with pytest.raises(CommandError, match="职能部门承办人"):
        call_command("bind_wecom", people["resident"].phone, "wangxiulan")
    assert not WecomIdentity.objects.filter(user=people["resident"]).exists()


def test_a_whistled_department_handler_gets_the_card_and_signs_in_from_it(
    fake: FakeWechat,
    people: dict[str, User],
    report: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    handler, dispatcher = people["cgj"], people["dispatcher"]
    call_command("bind_wecom", handler.phone, "wanghaitao")
    case = report("楼顶加盖彩钢房，影响楼体安全")
    with django_capture_on_commit_callbacks(execute=True):
        for action, params in (("transfer", {"node": STREET}), ("sign", {}), ("whistle", {})):
            if action == "whistle":
                params = {"lead": "CGJ"}
            case_act(
                case_id=case.pk,
                actor=dispatcher,
                action=action,
                note="需部门联合处置",
                params=params,
            )

    cards = [m for m in fake.wecom_sent if m["touser"] == "wanghaitao"]
    assert len(cards) == 1
    card = cards[0]["textcard"]
    assert card["title"].startswith("吹哨报到") and case.title in card["title"]
    assert card["url"] == "https://wangge.example.gov.cn/cases/department/"
    assert Outbound.objects.get(user=handler, event="case.whistle").state == Outbound.State.SENT
    # 住建局 was not summoned.
    assert not Outbound.objects.filter(user=people["zjj"]).exists()

    # Tapped in 企业微信 while signed out: signed in, into 部门待办 with the case.
    c = Client(HTTP_USER_AGENT=WECOM_UA)
    to = authorise(c, urlparse(card["url"]).path)
    fake.wecom_codes["wc"] = "wanghaitao"
    assert come_back(c, to, "wc")["Location"] == "/cases/department/"
    queue = c.get("/cases/department/")
    assert queue.status_code == 200 and case.title in queue.content.decode()
