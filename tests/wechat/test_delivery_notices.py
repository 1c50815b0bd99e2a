"""A grid notice reaches WeChat: the subtree's residents who subscribed to notices get it once as
a subscription message (a long-term template's grant is not spent); each grid worker of its
micro-grids gets one customer-group mass message to confirm in 企业微信 (sent with the 客户联系
token); each micro-grid's group robot posts it once. Handing it over again sends nothing."""

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tests.conftest import COMMUNITY, GRID_A, MICRO_A1, MICRO_A2, MICRO_B1
from tests.wechat.fake import CONTACT_SECRET, ROBOT_KEY, FakeWechat
from tests.wechat.jobs import drain
from wangge.accounts.models import Role, User
from wangge.grids.models import GridNode
from wangge.notices.models import Notice
from wangge.notices.services import _announce, notice_publish
from wangge.wechat import services
from wangge.wechat.models import (
    GroupRobot,
    Outbound,
    SubscribeTemplate,
    SubscriptionGrant,
    WechatApp,
    WechatIdentity,
)

SITE = "https://wangge.example.gov.cn"


@pytest.fixture
def district(
    fake: FakeWechat,
    settings: Any,
    cast: dict[str, User],
    tree: dict[str, GridNode],
    make_user: Callable[..., User],
) -> Iterator[dict[str, User]]:
    """Residents of A1, A2 and B1 on WeChat (some subscribed to notices), the two grid workers
    on 企业微信, a robot in A1's group."""
    HUEY.storage.flush_schedule()
    settings.WECHAT_SUBSCRIBE_TEMPLATES = json.dumps(
        {"accepted": "T-ACCEPTED", "notice": "T-NOTICE"}
    )
    settings.WECOM_CONTACT_SECRET = CONTACT_SECRET
    settings.WECOM_WEBHOOK_BASE = fake.base
    people = {
        "a1": cast["resident"],
        "a2": make_user(Role.RESIDENT, tree[MICRO_A2], name="李桂芳"),
        "b1": make_user(Role.RESIDENT, tree[MICRO_B1], name="陈建华"),
        "b1_unsubscribed": make_user(Role.RESIDENT, tree[MICRO_B1], name="刘洋"),
        **cast,
    }
    for name in ("a1", "a2", "b1", "b1_unsubscribed"):
        WechatIdentity.objects.create(
            app=WechatApp.MINI, openid=f"o-{name}", user=people[name], bound_at=timezone.now()
        )
    for name in ("a1", "a2", "b1"):
        services.subscriptions_record(user=people[name], answers={"T-NOTICE": "accept"})
    services.wecom_bind(user=cast["worker_a"], userid="zhoumin", how="test")
    services.wecom_bind(user=cast["worker_b"], userid="wulei", how="test")
    GroupRobot.objects.create(
        micro_grid=tree[MICRO_A1],
        name="A1 居民群",
        webhook_key=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={ROBOT_KEY}",
    )
    yield people
    HUEY.storage.flush_schedule()


def publish(capture: Any, actor: User, node: GridNode, title: str) -> Notice:
    with capture(execute=True):
        return notice_publish(actor=actor, node=node, title=title, body="11月30日8:00至18:00停水。")


def test_a_notice_reaches_each_resident_group_and_robot_once(
    fake: FakeWechat,
    district: dict[str, User],
    tree: dict[str, GridNode],
    django_capture_on_commit_callbacks: Any,
) -> None:
    notice = publish(
        django_capture_on_commit_callbacks,
        district["dispatcher"],
        tree[COMMUNITY],
        "碧沙岗社区11月30日全天停水，请提前储水做好准备",
    )
    link = f"/m/notices/{notice.pk}/"
    # Subscription messages: the three who subscribed, once each; not the one who did not.
    assert sorted(m["touser"] for m in fake.subscribe_sent) == ["o-a1", "o-a2", "o-b1"]
    for m in fake.subscribe_sent:
        assert m["template_id"] == "T-NOTICE"
        assert m["page"] == f"pages/webview/webview?path={quote(link, safe='')}"
        # The title cut to a thing's 20 characters.
        assert m["data"]["thing1"]["value"] == "碧沙岗社区11月30日全天停水，请提前…"
    # One mass-message task per grid worker, sent from them, with the notice's link.
    tasks = {t["sender"]: t for t in fake.group_tasks}
    assert sorted(tasks) == ["wulei", "zhoumin"]
    for task in tasks.values():
        assert task["chat_type"] == "group"
        assert "全天停水" in task["text"]["content"]
        assert task["attachments"][0]["link"]["url"] == f"{SITE}{link}"
    rows = Outbound.objects.filter(channel=Outbound.Channel.GROUP)
    assert {r.state for r in rows} == {Outbound.State.CREATED}
    assert all(r.msgid.startswith("msgGCAAA") for r in rows)
    assert {r.user_id for r in rows} == {district["worker_a"].pk, district["worker_b"].pk}
    # A1's robot posted it once, as a news card with the link.
    ((key, body),) = fake.robot_sent
    assert key == ROBOT_KEY
    article = body["news"]["articles"][0]
    assert article["url"] == f"{SITE}{link}" and "停水" in article["title"]
    # The one-time grants are spent.
    assert set(SubscriptionGrant.objects.values_list("available", flat=True)) == {0}

    # Handed over again (a retried publish, a second worker): nothing is sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        _announce(notice, district["dispatcher"])
    drain()
    assert len(fake.subscribe_sent) == 3
    assert len(fake.group_tasks) == 2 and len(fake.robot_sent) == 1


def test_a_notice_to_one_grid_reaches_only_its_groups(
    fake: FakeWechat,
    district: dict[str, User],
    tree: dict[str, GridNode],
    django_capture_on_commit_callbacks: Any,
) -> None:
    publish(django_capture_on_commit_callbacks, district["worker_a"], tree[GRID_A], "楼道清理")
    assert sorted(m["touser"] for m in fake.subscribe_sent) == ["o-a1", "o-a2"]
    assert [t["sender"] for t in fake.group_tasks] == ["zhoumin"]
    assert len(fake.robot_sent) == 1


def test_a_long_term_grant_is_not_spent_and_a_busy_wecom_is_waited_out(
    fake: FakeWechat,
    district: dict[str, User],
    tree: dict[str, GridNode],
    django_capture_on_commit_callbacks: Any,
) -> None:
    SubscribeTemplate.objects.create(
        event=SubscribeTemplate.Event.NOTICE, template_id="T-NOTICE-LONG", long_term=True
    )
    services.subscriptions_record(user=district["a1"], answers={"T-NOTICE-LONG": "accept"})
    fake.group_script.append(45009)
    fake.robot_script.append(-1)
    publish(django_capture_on_commit_callbacks, district["worker_a"], tree[GRID_A], "义诊活动")
    publish(django_capture_on_commit_callbacks, district["worker_a"], tree[GRID_A], "消防演练")
    # A1's long-term grant carries both; A2 granted only the one-time template, now replaced.
    assert [m["data"]["thing1"]["value"] for m in fake.subscribe_sent] == ["义诊活动", "消防演练"]
    assert all(m["touser"] == "o-a1" for m in fake.subscribe_sent)
    grant = SubscriptionGrant.objects.get(user=district["a1"], template_id="T-NOTICE-LONG")
    assert grant.available == 1
    # 企业微信 was busy for the first notice's task and robot post: tried again, once each.
    assert [t["text"]["content"].split("\n")[0] for t in fake.group_tasks] == [
        "【网格通知】消防演练"
    ]
    drain()
    contents = sorted(t["text"]["content"].split("\n")[0] for t in fake.group_tasks)
    assert contents == ["【网格通知】义诊活动", "【网格通知】消防演练"]
    assert sorted(b["news"]["articles"][0]["title"] for _k, b in fake.robot_sent) == [
        "义诊活动",
        "消防演练",
    ]


def test_without_wechat_a_notice_is_published_as_before(
    settings: Any,
    cast: dict[str, User],
    tree: dict[str, GridNode],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.WECHAT_MINI_APPID = ""
    settings.WECOM_CONTACT_SECRET = ""
    notice = publish(
        django_capture_on_commit_callbacks, cast["dispatcher"], tree[COMMUNITY], "通知"
    )
    assert Notice.objects.filter(pk=notice.pk).exists()
    assert not Outbound.objects.exists() and HUEY.scheduled_count() == 0


def test_the_admin_shows_a_robot_key_only_in_part(
    district: dict[str, User], tree: dict[str, GridNode]
) -> None:
    User.objects.filter(pk=district["admin"].pk).update(is_superuser=True)
    c = Client()
    c.force_login(district["admin"])
    page = c.get("/admin/wechat/grouprobot/").content.decode()
    assert "A1 居民群" in page
    assert ROBOT_KEY not in page and f"{ROBOT_KEY[:4]}…{ROBOT_KEY[-4:]}" in page
    # Pasting the whole address or the key alone comes to the same robot.
    robot = GroupRobot(micro_grid=tree[MICRO_A1], name="x", webhook_key=f" {ROBOT_KEY} ")
    assert robot.key == GroupRobot.objects.get().key == ROBOT_KEY
