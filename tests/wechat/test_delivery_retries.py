"""Every promised subscription message reaches the resident once, or falls back: WeChat busy
(-1) and over its quota (45009) are waited out with back-off and the grant is not spent by a
send WeChat did not deliver; a message that cannot be delivered for good (retries exhausted,
47003, a deleted template) falls back as a refusal does; the keyword values fit their types;
the "已受理" message waits for the resident's grant, which the mini-program sends just after
the report."""

import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tests.cases.conftest import IN_A1
from tests.wechat.fake import FakeWechat
from tests.wechat.jobs import drain, run_due
from wangge.accounts.models import Role, User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case
from wangge.cases.services import case_act
from wangge.notifications.channels import CASE_RESOLVED, Push
from wangge.notifications.sms import MemoryBackend
from wangge.wechat import services
from wangge.wechat.delivery import GRANT_POLL_SECONDS, RETRIES
from wangge.wechat.models import (
    Outbound,
    SubscribeTemplate,
    SubscriptionGrant,
    WechatApp,
    WechatIdentity,
)
from wangge.wechat.receivers import deliver_later


@pytest.fixture(autouse=True)
def _empty_schedule() -> Iterator[None]:
    HUEY.storage.flush_schedule()
    MemoryBackend.outbox.clear()
    yield
    HUEY.storage.flush_schedule()


def on_wechat(
    user: User, *, grants: int = 1, sms: bool = False, template: str = "T-RESOLVED"
) -> None:
    """A resident bound in the mini-program who accepted `template` `grants` times."""
    fallback = WechatIdentity.Fallback.SMS if sms else WechatIdentity.Fallback.INBOX
    WechatIdentity.objects.create(
        app=WechatApp.MINI,
        openid=f"o-{user.pk}",
        user=user,
        bound_at=timezone.now(),
        fallback=fallback,
    )
    if grants:
        SubscriptionGrant.objects.create(
            user=user, template_id=template, available=grants, last_answer="accept"
        )


def available(user: User, template: str = "T-RESOLVED") -> int:
    return SubscriptionGrant.objects.get(user=user, template_id=template).available


def resolved_pushes(case: Case, residents: list[User]) -> list[Push]:
    return [
        Push(r.pk, CASE_RESOLVED, "您反映的问题已办结", "", "/m/cases/", f"case:{case.pk}")
        for r in residents
    ]


@pytest.fixture
def residents(make_user: Callable[..., User], tree: dict[str, Any]) -> list[User]:
    from tests.conftest import MICRO_A1

    return [make_user(Role.RESIDENT, tree[MICRO_A1], name=f"居民{i}") for i in range(30)]


def test_a_burst_of_busy_and_quota_answers_loses_no_message(
    fake: FakeWechat,
    report: Callable[..., Case],
    residents: list[User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = report()
    for r in residents:
        on_wechat(r)
    # Two whole rounds of refusals, mixed, then WeChat recovers.
    fake.subscribe_script.extend([45009, -1, 45009] * 20)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_later(resolved_pushes(case, residents))
    assert fake.subscribe_sent == []
    assert Outbound.objects.filter(state=Outbound.State.PENDING).count() == 30
    # Nothing WeChat refused spent a grant.
    assert all(available(r) == 1 for r in residents)
    # Not retried before the first back-off has passed.
    assert run_due() == 0
    drain()
    received = Counter(m["touser"] for m in fake.subscribe_sent)
    assert received == Counter({f"o-{r.pk}": 1 for r in residents})
    assert set(Outbound.objects.values_list("state", flat=True)) == {Outbound.State.SENT}
    assert all(available(r) == 0 for r in residents)
    assert set(Outbound.objects.values_list("attempts", flat=True)) == {3}


def test_when_the_tries_run_out_the_message_falls_back(
    fake: FakeWechat,
    report: Callable[..., Case],
    residents: list[User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = report()
    texts, inbox_only = residents[:2], residents[2:4]
    for r in texts:
        on_wechat(r, sms=True)
    for r in inbox_only:
        on_wechat(r)
    fake.subscribe_script.extend([-1] * 4 * (RETRIES + 1))
    with django_capture_on_commit_callbacks(execute=True):
        deliver_later(resolved_pushes(case, texts + inbox_only))
    with django_capture_on_commit_callbacks(execute=True):  # the texts queue on commit
        drain()
    assert fake.subscribe_sent == []
    rows = Outbound.objects.all()
    assert {r.state for r in rows} == {Outbound.State.FAILED}
    assert all("多次重试" in r.error and r.attempts == RETRIES + 1 for r in rows)
    # Each who chose texts gets exactly one; the inbox has it for everyone already.
    assert sorted(phone for phone, _body in MemoryBackend.outbox) == sorted(r.phone for r in texts)
    # WeChat delivered nothing: the grants are the residents' still.
    assert all(available(r) == 1 for r in texts + inbox_only)


def test_a_refusal_for_good_falls_back_at_once(
    fake: FakeWechat,
    report: Callable[..., Case],
    residents: list[User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = report()
    bad_data, template_gone = residents[:2]
    on_wechat(bad_data, sms=True)
    on_wechat(template_gone, sms=True)
    fake.subscribe_script.extend([47003, 40037])
    with django_capture_on_commit_callbacks(execute=True):
        deliver_later(resolved_pushes(case, [bad_data, template_gone]))
    assert HUEY.scheduled_count() == 0  # nothing to try again
    errors = dict(Outbound.objects.values_list("user_id", "error"))
    assert "47003" in errors[bad_data.pk] and "已发短信" in errors[bad_data.pk]
    assert "40037" in errors[template_gone.pk]
    assert sorted(p for p, _b in MemoryBackend.outbox) == sorted(
        [bad_data.phone, template_gone.phone]
    )
    assert available(bad_data) == 1


def test_keyword_values_fit_their_types(
    fake: FakeWechat,
    people: dict[str, User],
    report: Callable[..., Case],
    residents: list[User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A template with a phrase: WeChat (and its stand-in) answers 47003 to `已办结，等待核查`;
    the value sent is the short word, and a long title is cut to a thing's 20 characters."""
    SubscribeTemplate.objects.create(
        event=SubscribeTemplate.Event.RESOLVED,
        template_id="T-RESOLVED",
        fields={
            "character_string1": "number",
            "thing2": "title",
            "phrase3": "status",
            "thing4": "result",
            "time5": "time",
        },
    )
    case = report("小区东门外人行道上连续三天有人摆摊卖菜，占道严重，老人推车过不去")
    resident = residents[0]
    on_wechat(resident)
    case.reporter = resident
    case.save(update_fields=["reporter"])
    worker = people["worker_a"]
    with django_capture_on_commit_callbacks(execute=True):
        case = case_act(case_id=case.pk, actor=worker, action="sign", note="", params={})
        case = case_act(
            case_id=case.pk,
            actor=worker,
            action="resolve",
            note="",
            params={"result": "已劝离摊贩\n恢复通行😀"},
        )
    (message,) = fake.subscribe_sent
    data = {k: v["value"] for k, v in message["data"].items()}
    assert data["phrase3"] == "已办结"
    assert len(data["thing2"]) == 20 and data["thing2"].endswith("…")
    assert data["thing4"] == "已劝离摊贩 恢复通行"
    local = timezone.localtime()
    assert data["time5"].startswith(f"{local.year}年{local.month}月{local.day}日 ")
    assert data["character_string1"] == case.number


def test_a_value_that_cannot_fit_falls_back_without_asking_wechat(
    fake: FakeWechat,
    report: Callable[..., Case],
    residents: list[User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # A template whose phrase is mapped to the title: no five Chinese characters can say it.
    SubscribeTemplate.objects.create(
        event=SubscribeTemplate.Event.RESOLVED,
        template_id="T-RESOLVED",
        fields={"phrase1": "title", "time2": "time"},
    )
    case = report("Street vendor at the gate")
    resident = residents[0]
    on_wechat(resident, sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_later(resolved_pushes(case, [resident]))
    assert fake.subscribe_sent == []
    assert "/cgi-bin/message/subscribe/send" not in fake.requests
    row = Outbound.objects.get()
    assert row.state == Outbound.State.FAILED and "phrase1" in row.error
    assert [p for p, _b in MemoryBackend.outbox] == [resident.phone]
    assert available(resident) == 1


def report_from_the_mini_program(c: Client, token: str) -> int:
    body = {"description": "楼道里有人飞线充电", "category": "CSGL-01"}
    body["location"] = {"lon": IN_A1[0], "lat": IN_A1[1]}
    r = c.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 201, r.content
    return int(r.json()["id"])


def answer(c: Client, token: str, answers: dict[str, str]) -> None:
    r = c.post(
        "/api/v1/me/wechat/subscriptions",
        json.dumps(answers),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 200, r.content


@pytest.fixture
def mini_resident(people: dict[str, User]) -> tuple[User, str]:
    resident = people["resident"]
    on_wechat(resident, grants=0, sms=True)
    _row, token = api_token_create(user=resident, name=services.MINI_TOKEN_NAME)
    return resident, token


def test_the_accepted_message_waits_for_the_grant_that_follows_the_report(
    fake: FakeWechat,
    mini_resident: tuple[User, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    resident, token = mini_resident
    c = Client()
    with django_capture_on_commit_callbacks(execute=True):
        report_from_the_mini_program(c, token)
    # Queued before the answer came back: it waits, nothing sent, nothing texted.
    assert fake.subscribe_sent == [] and MemoryBackend.outbox == []
    row = Outbound.objects.get(event="case.accepted")
    assert row.state == Outbound.State.PENDING
    # The mini-program sends the resident's answer a few seconds later.
    answer(c, token, {"T-ACCEPTED": "accept", "T-RESOLVED": "accept"})
    later = timezone.now() + timedelta(seconds=GRANT_POLL_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert run_due() == 1
    assert [m["template_id"] for m in fake.subscribe_sent] == ["T-ACCEPTED"]
    assert Outbound.objects.get(pk=row.pk).state == Outbound.State.SENT
    assert available(resident, "T-ACCEPTED") == 0 and available(resident, "T-RESOLVED") == 1
    assert MemoryBackend.outbox == [] and HUEY.scheduled_count() == 0


def test_without_an_answer_the_accepted_message_falls_back_after_the_wait(
    fake: FakeWechat,
    settings: Any,
    mini_resident: tuple[User, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    resident, token = mini_resident
    with django_capture_on_commit_callbacks(execute=True):
        report_from_the_mini_program(Client(), token)
    start = timezone.now()
    # Still waiting just before the deadline.
    with time_machine.travel(
        start + timedelta(seconds=settings.WECHAT_GRANT_WAIT_SECONDS - 20), tick=False
    ):
        run_due()
    assert MemoryBackend.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        drain()
    row = Outbound.objects.get(event="case.accepted")
    assert row.state == Outbound.State.FALLBACK
    assert fake.subscribe_sent == []
    assert [p for p, _b in MemoryBackend.outbox] == [resident.phone]


def test_a_refusal_ends_the_wait_at_once(
    fake: FakeWechat,
    mini_resident: tuple[User, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    resident, token = mini_resident
    c = Client()
    with django_capture_on_commit_callbacks(execute=True):
        report_from_the_mini_program(c, token)
    answer(c, token, {"T-ACCEPTED": "reject"})
    later = timezone.now() + timedelta(seconds=GRANT_POLL_SECONDS + 1)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_due() == 1
    assert Outbound.objects.get(event="case.accepted").state == Outbound.State.FALLBACK
    assert [p for p, _b in MemoryBackend.outbox] == [resident.phone]
    assert HUEY.scheduled_count() == 0
