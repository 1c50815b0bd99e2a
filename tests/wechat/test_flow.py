"""The whole flow against the fake WeChat: a resident signs in from the mini-program, binds a
phone, grants two templates, reports, and receives exactly the two granted messages as the case
is accepted and resolved; a grid worker bound to 企业微信 hears of the assignment and the red
card; an expired token is refreshed once; a retried job sends nothing twice; a resident who
refused gets the fallback; nothing secret reaches the log."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tests.cases.conftest import CALENDAR_2026, IN_A1, load_calendar
from tests.wechat.fake import CORP_SECRET, MINI_SECRET, FakeWechat
from tests.wechat.jobs import drain
from wangge.accounts.models import User
from wangge.cases import sla
from wangge.cases.models import Case
from wangge.cases.services import case_act
from wangge.notifications.channels import CASE_ASSIGNED, Push
from wangge.notifications.models import Notification
from wangge.notifications.sms import MemoryBackend
from wangge.wechat import services
from wangge.wechat.delivery import RetryLater, deliver_one
from wangge.wechat.models import AccessToken, Outbound, SubscriptionGrant, WechatIdentity

TZ = ZoneInfo("Asia/Shanghai")
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _empty_schedule() -> Any:
    HUEY.storage.flush_schedule()
    yield
    HUEY.storage.flush_schedule()


def post(c: Client, path: str, body: Any, token: str = "") -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return c.post(f"/api/v1{path}", body, content_type="application/json", **headers)


def sign_in_and_bind(fake: FakeWechat, openid: str = "o-resident-1") -> str:
    c = Client()
    fake.codes["code-1"] = (openid, "")
    r = post(c, "/auth/wechat/mini-login", {"code": "code-1"})
    assert r.status_code == 200, r.content
    first = r.json()
    assert first["bound"] is False and first["token"].startswith("wxb.")
    # The bind token opens nothing else.
    assert c.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {first['token']}").status_code == 401
    code = post(c, "/auth/sms-code", {"phone": PHONE}).json()["demo_code"]
    r = post(c, "/auth/wechat/bind", {"phone": PHONE, "sms_code": code}, first["token"])
    assert r.status_code == 200, r.content
    assert r.json()["bound"] is True
    # Later sign-ins need nothing more.
    fake.codes["code-2"] = (openid, "")
    again = post(c, "/auth/wechat/mini-login", {"code": "code-2"}).json()
    assert again["bound"] is True and again["token"].startswith("wg_")
    return str(again["token"])


def act(case: Case, who: User, action: str, **params: Any) -> Case:
    return case_act(case_id=case.pk, actor=who, action=action, note="", params=params)


@pytest.fixture
def worker_on_wecom(people: dict[str, User]) -> User:
    worker = people["worker_a"]
    services.wecom_bind(user=worker, userid="zhoumin", how="test")
    return worker


def test_resident_gets_exactly_the_two_granted_messages(
    fake: FakeWechat,
    people: dict[str, User],
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    token = sign_in_and_bind(fake)
    resident = User.objects.get(phone=PHONE)
    c = Client()
    answers = {"T-ACCEPTED": "accept", "T-RESOLVED": "accept", "T-RATE": "reject"}
    r = post(
        c, "/me/wechat/subscriptions", {**answers, "errMsg": "requestSubscribeMessage:ok"}, token
    )
    assert r.status_code == 200 and r.json() == {"recorded": 3}
    with django_capture_on_commit_callbacks(execute=True):
        r = post(
            c,
            "/cases",
            {
                "description": "小区门口有人摆摊占道，堵住出入口",
                "category": "CSGL-01",
                "location": {"lon": IN_A1[0], "lat": IN_A1[1], "crs": "wgs84"},
            },
            token,
        )
    assert r.status_code == 201, r.content
    case = Case.objects.get(pk=r.json()["id"])
    assert case.reporter == resident
    worker, dispatcher = people["worker_a"], people["dispatcher"]
    with django_capture_on_commit_callbacks(execute=True):
        case = act(case, worker, "sign")
        case = act(case, worker, "resolve", result="已劝离摊贩，恢复通行")
        case = act(case, dispatcher, "verify_pass")
    sent = fake.subscribe_sent
    assert [m["template_id"] for m in sent] == ["T-ACCEPTED", "T-RESOLVED"]
    assert all(m["touser"] == "o-resident-1" for m in sent)
    assert sent[0]["data"]["character_string1"]["value"] == case.number
    assert sent[1]["data"]["thing3"]["value"] == "已劝离摊贩，恢复通行"
    # The rating was refused: the inbox has it, WeChat does not.
    rate = Outbound.objects.get(user=resident, event="case.rate")
    assert rate.state == Outbound.State.FALLBACK
    assert Notification.objects.filter(recipient=resident, title__contains="回访").exists()
    assert SubscriptionGrant.objects.get(user=resident, template_id="T-ACCEPTED").available == 0
    # The stable token, fetched once, never the plain one a second system would invalidate.
    assert "/cgi-bin/token" not in fake.requests
    assert fake.requests.count("/cgi-bin/stable_token") == 1
    # No secret, openid, session key or token in any log line.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (MINI_SECRET, CORP_SECRET, "o-resident-1", "SESSION-KEY", token, "mini-token"):
        assert secret not in logged


def test_a_message_needs_a_grant_per_message(
    fake: FakeWechat, people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    token = sign_in_and_bind(fake)
    c = Client()
    post(c, "/me/wechat/subscriptions", {"T-ACCEPTED": "accept"}, token)
    body = {"description": "楼道里有人飞线充电", "category": "CSGL-01"}
    body["location"] = {"lon": IN_A1[0], "lat": IN_A1[1]}
    with django_capture_on_commit_callbacks(execute=True):
        assert post(c, "/cases", body, token).status_code == 201
        assert post(c, "/cases", {**body, "description": "又有人摆摊"}, token).status_code == 201
    # One accept, one message: the second report's waits for an answer that never comes, then
    # falls back to the inbox.
    assert [m["template_id"] for m in fake.subscribe_sent] == ["T-ACCEPTED"]
    waiting = Outbound.objects.get(event="case.accepted", state=Outbound.State.PENDING)
    assert "等待" in waiting.error
    drain()
    assert [m["template_id"] for m in fake.subscribe_sent] == ["T-ACCEPTED"]
    states = sorted(Outbound.objects.filter(event="case.accepted").values_list("state", flat=True))
    assert states == [Outbound.State.FALLBACK, Outbound.State.SENT]


def test_a_resident_who_chose_texts_gets_one_when_wechat_refuses(
    fake: FakeWechat,
    people: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = sign_in_and_bind(fake)
    c = Client()
    assert c.put(
        "/api/v1/me/wechat/fallback",
        {"fallback": "sms"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json() == {"fallback": "sms"}
    post(c, "/me/wechat/subscriptions", {"T-ACCEPTED": "accept"}, token)
    fake.subscribe_script.append(43101)  # the resident switched it off in WeChat meanwhile
    MemoryBackend.outbox.clear()
    body = {"description": "小区门口有人摆摊", "category": "CSGL-01"}
    body["location"] = {"lon": IN_A1[0], "lat": IN_A1[1]}
    with django_capture_on_commit_callbacks(execute=True):
        assert post(c, "/cases", body, token).status_code == 201
    row = Outbound.objects.get(event="case.accepted")
    assert row.state == Outbound.State.FALLBACK and "43101" in row.error
    assert fake.subscribe_sent == []
    assert any(phone == PHONE and "已受理" in body for phone, body in MemoryBackend.outbox)
    assert SubscriptionGrant.objects.get(template_id="T-ACCEPTED").available == 0


def test_grid_worker_hears_of_the_assignment_and_the_red_card_in_wecom(
    fake: FakeWechat,
    people: dict[str, User],
    worker_on_wecom: User,
    report: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    load_calendar(CALENDAR_2026)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    with (
        time_machine.travel(monday, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = report()
    assert case.assignee_id is None or case.assignee == worker_on_wecom
    assert case.due_at is not None
    with (
        time_machine.travel(case.due_at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sla.sweep()
    titles = [m["textcard"]["title"] for m in fake.wecom_sent if m["touser"] == "zhoumin"]
    assert titles[0].startswith("新派单")
    assert any("红牌" in t or "超期" in t for t in titles[1:]), titles
    card = fake.wecom_sent[0]["textcard"]
    assert card["url"] == f"https://wangge.example.gov.cn/cases/{case.pk}/"
    assert all(m["agentid"] == 1000002 for m in fake.wecom_sent)


def test_an_expired_token_is_refreshed_once(
    fake: FakeWechat,
    people: dict[str, User],
    worker_on_wecom: User,
    report: Callable[..., Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report()
    assert fake.token_fetches["wecom"] == 1
    fake.expire_tokens()
    with django_capture_on_commit_callbacks(execute=True):
        report("楼下又有人摆摊")
    with django_capture_on_commit_callbacks(execute=True):
        report("路口有人摆摊")
    assert len(fake.wecom_sent) == 3
    # Refreshed once after the expiry, then reused.
    assert fake.token_fetches["wecom"] == 2
    assert AccessToken.objects.get(app="wecom").refreshed == 2


def test_a_job_retried_after_a_timeout_sends_nothing_twice(
    fake: FakeWechat, people: dict[str, User], worker_on_wecom: User
) -> None:
    push = Push(worker_on_wecom.pk, CASE_ASSIGNED, "新派单：测试", "", "/cases/1/", "case:1")
    fake.wecom_script.append(403)  # first: 企业微信 refuses — nothing was sent
    assert deliver_one(push, "batch-a") == Outbound.State.FAILED
    assert deliver_one(push, "batch-a") == Outbound.State.FAILED  # settled: not tried again
    assert fake.wecom_sent == []
    # Taken by 企业微信, but its answer never comes back within the timeout.
    push_b = Push(worker_on_wecom.pk, CASE_ASSIGNED, "新派单：第二件", "", "/cases/2/", "case:2")
    fake.wecom_script.append(("sleep", 2.0))
    assert deliver_one(push_b, "batch-b") == Outbound.State.UNKNOWN
    assert deliver_one(push_b, "batch-b") == Outbound.State.UNKNOWN  # the job's retry
    assert len(fake.wecom_sent) == 0 or len(fake.wecom_sent) == 1
    row = Outbound.objects.get(key__startswith="batch-b")
    assert row.attempts == 1
    # A run killed after its claim: the retry does not send it again either.
    push_c = Push(worker_on_wecom.pk, CASE_ASSIGNED, "新派单：第三件", "", "/cases/3/", "case:3")
    Outbound.objects.create(
        key=f"batch-c:{CASE_ASSIGNED}:{worker_on_wecom.pk}",
        channel=Outbound.Channel.WECOM,
        user=worker_on_wecom,
        event=CASE_ASSIGNED,
        title=push_c.title,
        state=Outbound.State.SENDING,
        attempts=1,
    )
    sent_before = len(fake.wecom_sent)
    assert deliver_one(push_c, "batch-c") == Outbound.State.UNKNOWN
    assert len(fake.wecom_sent) == sent_before


def test_a_busy_wecom_is_tried_again_and_the_card_arrives_once(
    fake: FakeWechat, people: dict[str, User], worker_on_wecom: User
) -> None:
    push = Push(worker_on_wecom.pk, CASE_ASSIGNED, "新派单：繁忙", "", "/cases/9/", "case:9")
    fake.wecom_script.extend([-1, 45009])
    for _ in range(2):  # busy, then over its limits: nothing taken, the job tries again
        with pytest.raises(RetryLater):
            deliver_one(push, "batch-busy")
        assert fake.wecom_sent == []
    assert deliver_one(push, "batch-busy") == Outbound.State.SENT
    assert deliver_one(push, "batch-busy") == Outbound.State.SENT  # settled: not sent again
    assert len(fake.wecom_sent) == 1
    # On the job's last try a busy answer is recorded as failed: the inbox holds the message.
    later = Push(worker_on_wecom.pk, CASE_ASSIGNED, "新派单：仍繁忙", "", "/cases/8/", "case:8")
    fake.wecom_script.append(-1)
    assert deliver_one(later, "batch-last", last=True) == Outbound.State.FAILED
    assert len(fake.wecom_sent) == 1


def test_deactivating_an_account_lets_go_of_its_wechat(
    fake: FakeWechat, people: dict[str, User]
) -> None:
    token = sign_in_and_bind(fake, openid="o-leaving")
    user = User.objects.get(phone=PHONE)
    user.is_active = False
    user.save()
    assert not WechatIdentity.objects.filter(user=user).exists()
    c = Client()
    assert (
        c.get("/api/v1/me/wechat/templates", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 401
    )
    # The same WeChat signs in again: asked to bind; binding to the deactivated phone is refused.
    fake.codes["code-9"] = ("o-leaving", "")
    r = post(c, "/auth/wechat/mini-login", {"code": "code-9"}).json()
    assert r["bound"] is False
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        code = post(c, "/auth/sms-code", {"phone": PHONE}).json()["demo_code"]
        r2 = post(c, "/auth/wechat/bind", {"phone": PHONE, "sms_code": code}, r["token"])
    assert r2.status_code == 403 and "停用" in r2.json()["detail"]


def test_unbinding_signs_the_mini_program_out(fake: FakeWechat, people: dict[str, User]) -> None:
    token = sign_in_and_bind(fake)
    c = Client()
    r = c.delete("/api/v1/me/wechat", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and r.json() == {"unbound": 1}
    assert (
        c.get("/api/v1/me/wechat/templates", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 401
    )
    fake.codes["code-3"] = ("o-resident-1", "")
    assert post(c, "/auth/wechat/mini-login", {"code": "code-3"}).json()["bound"] is False


def test_bad_input_gets_a_chinese_detail(fake: FakeWechat, db: Any) -> None:
    c = Client()
    r = post(c, "/auth/wechat/mini-login", {"code": "never-issued"})
    assert r.status_code == 422 and "微信登录失败" in r.json()["detail"]
    r = post(c, "/auth/wechat/bind", {"phone": PHONE, "sms_code": "123456"}, "wxb.forged")
    assert r.status_code == 401
    fake.codes["code-4"] = ("o-x", "")
    bind_token = post(c, "/auth/wechat/mini-login", {"code": "code-4"}).json()["token"]
    r = post(c, "/auth/wechat/bind", {"phone": PHONE, "sms_code": "000000"}, bind_token)
    assert r.status_code == 422 and "验证码" in r.json()["detail"]


def test_sign_in_is_refused_plainly_when_the_district_has_no_mini_program(
    settings: Any, db: Any
) -> None:
    settings.WECHAT_MINI_APPID = ""
    r = post(Client(), "/auth/wechat/mini-login", {"code": "x"})
    assert r.status_code == 501 and "尚未开通" in r.json()["detail"]


def test_the_mini_program_sends_a_reports_photos_one_at_a_time(
    people: dict[str, User], settings: Any
) -> None:
    from io import BytesIO

    from PIL import Image

    from wangge.accounts.services import api_token_create

    settings.PHOTOS_CLEANED_BY_JOB = False
    resident = people["resident"]
    _row, token = api_token_create(user=resident, name=services.MINI_TOKEN_NAME)
    c = Client()
    body = {"description": "路灯不亮", "category": "CSGL-01"}
    body["location"] = {"lon": IN_A1[0], "lat": IN_A1[1], "crs": "gcj02"}
    case_id = post(c, "/cases", body, token).json()["id"]

    def jpeg() -> BytesIO:
        out = BytesIO()
        Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
        out.seek(0)
        out.name = "wx.jpg"
        return out

    url = f"/api/v1/cases/{case_id}/attachments"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = c.post(url, {"photo": jpeg(), "key": "p1"}, **auth)
    assert first.status_code == 201, first.content
    # The reply was lost and the phone sends it again: the same photo, not a second one.
    again = c.post(url, {"photo": jpeg(), "key": "p1"}, **auth)
    assert again.status_code == 200 and again.json()["url"] == first.json()["url"]
    assert c.post(url, {"photo": jpeg(), "key": "p2"}, **auth).status_code == 201
    assert Case.objects.get(pk=case_id).attachments.count() == 2
    # Nobody else adds photos to someone's report.
    _row, other = api_token_create(user=people["outsider"], name="x")
    r = c.post(url, {"photo": jpeg(), "key": "p3"}, HTTP_AUTHORIZATION=f"Bearer {other}")
    assert r.status_code == 404 and "无权" in r.json()["detail"]
    assert c.post(url, {"key": "p4"}, **auth).status_code == 422
