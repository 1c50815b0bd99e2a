"""Text residents show others is checked before anyone else sees it: WeChat's msgSecCheck for a
mini-program user, the district's word list for a web user; an answer without a verdict keeps it
审核中 until a retry gets one; an operator decides what is held for review."""

from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import IN_A1
from tests.moderation.support import pass_held
from tests.wechat.fake_security import SecurityFakeWechat
from wangge.accounts.models import User
from wangge.cases.selectors import public_board
from wangge.cases.services import CaseInput, case_intake
from wangge.circles.models import Post
from wangge.circles.selectors import access_post, feed
from wangge.circles.services import comment_create, post_create
from wangge.core.errors import NotFound, PermissionDenied
from wangge.market.selectors import access_listing, listings_browse
from wangge.market.services import listing_post
from wangge.moderation.checking import sweep
from wangge.moderation.models import ContentCheck, Kind
from wangge.moderation.services import check_decide, name_submit


def page(user: User, url: str) -> str:
    c = Client()
    c.force_login(user)
    response = c.get(url)
    assert response.status_code == 200
    return response.content.decode()


def shown_to(user: User) -> list[int]:
    return [p.pk for p in feed(user, "residents")]


def later(minutes: int) -> Any:
    return timezone.now() + timedelta(minutes=minutes)


def test_a_mini_program_users_post_passes_through_wechat(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=folk["mini"], circle="residents", text="周六楼下义诊")
    assert shown_to(folk["neighbour"]) == [post.pk]
    [asked] = sec.text_checked
    assert asked == {
        "content": "周六楼下义诊", "version": 2, "scene": 4, "openid": "o-mini-resident"
    }  # fmt: skip


def test_risky_text_is_never_shown_to_another_resident(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    sec.text_script = ["risky"]
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=folk["mini"], circle="residents", text="一段违规的话")
    assert shown_to(folk["neighbour"]) == []
    with pytest.raises(NotFound):
        access_post(folk["neighbour"], post.pk)
    assert "一段违规的话" not in page(folk["neighbour"], "/circles/")
    # Its author sees it, hidden, and why (in Chinese).
    mine = page(folk["mini"], "/circles/?c=mine")
    assert "一段违规的话" in mine and "未通过审核" in mine and "时政" in mine
    # Nothing an operator or a later sweep does publishes it by itself.
    sweep(later(120))
    assert shown_to(folk["neighbour"]) == []


def test_a_network_error_keeps_it_pending_and_the_retry_publishes_it(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    sec.text_script = [("sleep", 2)]  # the answer never comes within the time limit
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=folk["mini"], circle="residents", text="谁捡到一串钥匙")
    assert Post.objects.get(pk=post.pk).visibility == "held"
    assert shown_to(folk["neighbour"]) == []
    assert "审核中" in page(folk["mini"], "/circles/?c=mine")
    assert sweep() == 0  # not due yet: backoff
    assert sweep(later(1)) == 1  # WeChat answers this time: pass
    assert shown_to(folk["neighbour"]) == [post.pk]


@pytest.mark.parametrize("answer", [-1, 45009, "malformed"])
def test_an_answer_without_a_verdict_never_publishes(
    answer: Any,
    sec: SecurityFakeWechat,
    folk: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    sec.text_script = [answer, answer]
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=folk["mini"], circle="residents", text="明早停水")
    sweep(later(1))
    assert shown_to(folk["neighbour"]) == []
    check = ContentCheck.objects.get(kind=Kind.POST, object_id=post.pk)
    assert check.status == "pending" and check.attempts == 2
    sweep(later(5))
    assert shown_to(folk["neighbour"]) == [post.pk]


def test_wechat_is_unreachable_the_content_waits(
    sec: SecurityFakeWechat,
    folk: dict[str, User],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.WECHAT_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=folk["mini"], circle="residents", text="电梯修好了")
    assert shown_to(folk["neighbour"]) == []
    settings.WECHAT_API_BASE = sec.base
    sweep(later(1))
    assert shown_to(folk["neighbour"]) == [post.pk]


def test_web_users_text_goes_through_the_local_check(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        fine = post_create(author=folk["web"], circle="residents", text="楼道灯坏了")
        held = post_create(author=folk["web"], circle="residents", text="低息贷款找我")
    assert sec.text_checked == []  # WeChat takes only recent mini-program users' openids
    assert shown_to(folk["neighbour"]) == [fine.pk]
    assert held.is_held
    queue = page(folk["community"], "/moderation/")
    assert "低息贷款找我" in queue and "贷款" in queue
    pass_held(folk["community"], Kind.POST, held.pk)
    assert shown_to(folk["neighbour"]) == [held.pk, fine.pk]


def test_a_mini_program_user_gone_for_hours_is_checked_locally(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    sec.recent_openids = set()  # WeChat says 61010: not seen in the last two hours
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=folk["mini"], circle="residents", text="丢了一只猫")
    assert shown_to(folk["neighbour"]) == [post.pk]
    assert ContentCheck.objects.get(object_id=post.pk, kind=Kind.POST).via == "local"


def test_the_operator_decides_what_wechat_sends_for_review(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    sec.text_script = ["review"]
    with django_capture_on_commit_callbacks(execute=True):
        post_create(author=folk["mini"], circle="residents", text="拿不准的一句话")
    assert shown_to(folk["neighbour"]) == []
    [check] = ContentCheck.objects.filter(status="review")
    # Staff of another grid, and residents, neither see nor decide it.
    assert "拿不准的一句话" not in page(folk["worker_b"], "/moderation/")
    for other in (folk["worker_b"], folk["neighbour"]):
        with pytest.raises(PermissionDenied):
            check_decide(actor=other, check_id=check.pk, passed=True)
    c = Client()
    c.force_login(folk["community"])
    refused = c.post(f"/moderation/{check.pk}/", {"decision": "hide", "reason": ""}, follow=True)
    assert "请填写不通过的原因" in refused.content.decode()
    c.post(f"/moderation/{check.pk}/", {"decision": "hide", "reason": "涉及他人隐私"})
    assert shown_to(folk["neighbour"]) == []
    assert "涉及他人隐私" in page(folk["mini"], "/circles/?c=mine")
    entry = LogEntry.objects.get_for_object(ContentCheck.objects.get(pk=check.pk)).first()
    assert entry is not None and entry.actor_id == folk["community"].pk


def test_comments_wait_for_their_verdict(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=folk["web"], circle="residents", text="明天一起晨练")
    sec.text_script = ["risky"]
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(post=post, author=folk["mini"], text="一条违规评论")
        comment_create(post=post, author=folk["mini"], text="算我一个")
    assert sec.text_checked[0]["scene"] == 2
    seen = page(folk["neighbour"], f"/circles/{post.pk}/")
    assert "算我一个" in seen and "一条违规评论" not in seen


def test_a_report_made_public_reaches_the_board_only_once_it_passes(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    sec.text_script = ["risky", ("sleep", 2)]
    lon, lat = IN_A1
    with django_capture_on_commit_callbacks(execute=True):
        risky, _new = case_intake(
            data=CaseInput(description="某某是坏人，大家小心", public=True, lon=lon, lat=lat),
            actor=folk["mini"],
        )
        slow, _new = case_intake(
            data=CaseInput(description="小区东门路灯不亮", public=True, lon=lon, lat=lat),
            actor=folk["mini"],
        )
    assert list(public_board(None)) == []
    board = page(folk["neighbour"], "/m/board/")
    assert "某某是坏人" not in board and "路灯不亮" not in board
    sweep(later(1))
    assert [c.pk for c in public_board(None)] == [slow.pk]
    risky.refresh_from_db()
    assert risky.public_hold == "hidden" and "时政" in risky.public_hold_reason


def test_an_idle_item_is_shown_once_it_passes(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    sec.text_script = ["risky", "pass"]
    with django_capture_on_commit_callbacks(execute=True):
        bad = listing_post(owner=folk["mini"], kind="offer", title="违禁物品转让")
        good = listing_post(owner=folk["mini"], kind="offer", title="儿童自行车")
    rows, _near = listings_browse(folk["neighbour"])
    assert [r.pk for r in rows] == [good.pk]
    with pytest.raises(NotFound):
        access_listing(folk["neighbour"], bad.pk)
    assert "未通过审核" in page(folk["mini"], f"/market/{bad.pk}/")
    assert sec.text_checked[0]["scene"] == 3


def test_a_name_neighbours_would_see_waits_for_its_verdict(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    author = folk["mini"]
    User.objects.filter(pk=author.pk).update(name="违规名字", circle_name_display="full")
    author.refresh_from_db()
    sec.text_script = ["risky"]
    with django_capture_on_commit_callbacks(execute=True):
        name_submit(user=author, name=author.name)
        post_create(author=author, circle="residents", text="大家好")
    assert sec.text_checked[0] == {
        "content": "违规名字", "version": 2, "scene": 1, "openid": "o-mini-resident"
    }  # fmt: skip
    seen = page(folk["neighbour"], "/circles/")
    assert "大家好" in seen and "违规名字" not in seen
    with django_capture_on_commit_callbacks(execute=True):
        name_submit(user=author, name="王秀兰")
    User.objects.filter(pk=author.pk).update(name="王秀兰")
    assert "王秀兰" in page(folk["neighbour"], "/circles/")
