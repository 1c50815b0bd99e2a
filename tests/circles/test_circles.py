"""圈子: who sees and posts what, sensitive words, moderation that keeps the original."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import MICRO_A1, MICRO_B1, box, feature
from wangge.accounts.models import Role
from wangge.circles.models import Post
from wangge.circles.selectors import access_post, feed
from wangge.circles.services import (
    comment_create,
    like_toggle,
    post_create,
    post_moderate,
    report_abuse,
)
from wangge.core.errors import NotFound, PermissionDenied, ValidationFailed
from wangge.grids.services import grids_import


@pytest.fixture
def folk(cast: dict[str, Any], make_user: Any, tree: dict[str, Any]) -> dict[str, Any]:
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    "410102001003",
                    "互助路社区",
                    "community",
                    "410102001",
                    box(113.59, 34.74, 113.60, 34.75),
                ),
                feature(
                    "410102001003001",
                    "互助路第1网格",
                    "grid",
                    "410102001003",
                    box(113.59, 34.74, 113.60, 34.75),
                ),
                feature(
                    "410102001003001001",
                    "C1",
                    "micro",
                    "410102001003001",
                    box(113.59, 34.74, 113.60, 34.75),
                ),
            ],
        }
    )
    from wangge.circles.models import SensitiveWord
    from wangge.grids.models import GridNode

    # The list ships as a data migration; a transactional test elsewhere may have flushed it.
    for word, action in (("刷单", "block"), ("贷款", "hold")):
        SensitiveWord.objects.get_or_create(word=word, defaults={"action": action})
    return {
        "alice": cast["resident"],  # lives in A1
        "neighbour": make_user(Role.RESIDENT, tree[MICRO_B1], name="邻居乙"),  # same community
        "far": make_user(
            Role.RESIDENT, GridNode.objects.get(code="410102001003001001"), name="别的社区"
        ),
        "member": make_user(Role.PARTY_MEMBER, tree[MICRO_A1], name="党员丙"),
        "worker": cast["worker_a"],
        "community": cast["community"],
        "outsider": cast["outsider"],
    }


def test_residents_circle_reaches_the_community_only(folk: dict[str, Any]) -> None:
    post = post_create(author=folk["alice"], circle="residents", text="谁家的猫在楼道里？")
    assert [p.pk for p in feed(folk["neighbour"], "residents")] == [post.pk]
    assert list(feed(folk["far"], "residents")) == []
    with pytest.raises(NotFound):
        access_post(folk["far"], post.pk)
    with pytest.raises(PermissionDenied, match="绑定住址后"):
        post_create(author=folk["outsider"], circle="residents", text="你好")


def test_branch_circle_is_for_party_members(folk: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied, match="支部圈仅限党员"):
        post_create(author=folk["alice"], circle="branch", text="学习心得")
    post = post_create(author=folk["member"], circle="branch", text="本周学习心得")
    assert list(feed(folk["alice"], "branch")) == []
    assert [p.pk for p in feed(folk["member"], "branch")] == [post.pk]


def test_blocked_words_refuse_and_held_words_wait_for_review(folk: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed, match="禁止发布的词：刷单"):
        post_create(author=folk["alice"], circle="residents", text="招人刷单日结")
    assert not Post.objects.exists()
    held = post_create(author=folk["alice"], circle="residents", text="低息贷款了解一下")
    assert held.visibility == "held" and held.held_words == ["贷款"]
    assert [p.pk for p in feed(folk["alice"], "residents")] == [held.pk]  # the author sees it
    assert list(feed(folk["neighbour"], "residents")) == []
    with pytest.raises(PermissionDenied):
        post_moderate(
            actor=folk["worker"], post_id=held.pk, visibility="published"
        )  # A1? no: community path
    post_moderate(actor=folk["community"], post_id=held.pk, visibility="published")
    assert [p.pk for p in feed(folk["neighbour"], "residents")] == [held.pk]


def test_hide_and_restore_keep_the_original(folk: dict[str, Any]) -> None:
    post = post_create(author=folk["alice"], circle="residents", text="物业太差劲了")
    report_abuse(post=post, reporter=folk["neighbour"], reason="人身攻击")
    with pytest.raises(ValidationFailed, match="隐藏原因"):
        post_moderate(actor=folk["community"], post_id=post.pk, visibility="hidden")
    post_moderate(actor=folk["community"], post_id=post.pk, visibility="hidden", note="言辞不当")
    assert list(feed(folk["neighbour"], "residents")) == []
    post_moderate(actor=folk["community"], post_id=post.pk, visibility="published")
    post.refresh_from_db()
    assert post.text == "物业太差劲了" and post.visibility == "published"


def test_comments_and_likes(folk: dict[str, Any]) -> None:
    post = post_create(author=folk["alice"], circle="residents", text="周末一起打扫楼道")
    comment_create(post=post, author=folk["neighbour"], text="算我一个")
    assert folk["alice"].notifications.filter(title__contains="评论了您的动态").count() == 1
    assert like_toggle(post=post, user=folk["neighbour"]) is True
    assert like_toggle(post=post, user=folk["neighbour"]) is False
    assert like_toggle(post=post, user=folk["neighbour"]) is True
    assert post.likes.count() == 1


def test_pages(folk: dict[str, Any]) -> None:
    c = Client()
    c.force_login(folk["alice"])
    resp = c.post("/circles/?c=residents", {"circle": "residents", "text": "招人刷单"})
    assert "禁止发布的词" in resp.content.decode() and "招人刷单" in resp.content.decode()
    # Said under the text it is about, which points at it.
    assert 'aria-describedby="post-text-error"' in resp.content.decode()
    c.post("/circles/?c=residents", {"circle": "residents", "text": "明早八点楼下义剪"})
    post = Post.objects.get()
    other = Client()
    other.force_login(folk["neighbour"])
    assert "明早八点楼下义剪" in other.get("/circles/?c=residents").content.decode()
    other.post(f"/circles/{post.pk}/", {"action": "comment", "text": "太好了"})
    assert "太好了" in c.get(f"/circles/{post.pk}/").content.decode()
    assert Client().get("/circles/").status_code == 302
    resident_mod = Client()
    resident_mod.force_login(folk["alice"])
    assert resident_mod.get("/circles/moderation/").status_code == 403


def test_moderation_queue_holds_only_held_and_reported_posts(folk: dict[str, Any]) -> None:
    from wangge.circles.selectors import moderation_queue

    post_create(author=folk["alice"], circle="residents", text="普通的一条")
    held = post_create(author=folk["alice"], circle="residents", text="贷款广告")
    reported = post_create(author=folk["alice"], circle="residents", text="被举报的一条")
    report_abuse(post=reported, reporter=folk["neighbour"], reason="广告")
    assert sorted(p.pk for p in moderation_queue(folk["community"])) == sorted(
        [held.pk, reported.pk]
    )


def test_an_unknown_circle_is_said_above_the_residents_feed(folk: dict[str, Any]) -> None:
    post_create(author=folk["alice"], circle="residents", text="谁家的猫在楼道里？")
    c = Client()
    c.force_login(folk["neighbour"])
    assert "谁家的猫在楼道里" in c.get("/circles/?c=residents").content.decode()
    resp = c.get("/circles/?c=gossip")
    assert resp.status_code == 422
    text = resp.content.decode()
    assert "没有“gossip”这个圈子，已显示居民圈" in text and "谁家的猫在楼道里" in text
