"""Photos go to WeChat's mediaCheckAsync with a signed link it fetches them from; the verdict
comes back as a signed push to the platform, over HTTP. A forged push is refused; a web user's
photo waits for an operator."""

import hashlib
import io
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.moderation.support import pass_held
from tests.wechat.fake_security import PUSH_TOKEN, SecurityFakeWechat
from wangge.accounts.models import User
from wangge.circles.models import Post
from wangge.circles.selectors import feed
from wangge.circles.services import post_create
from wangge.core.images import CleanImage, clean_images
from wangge.moderation.checking import sweep
from wangge.moderation.models import Kind


def photo() -> list[CleanImage]:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 160, 90)).save(out, format="JPEG")
    return clean_images([SimpleUploadedFile("p.jpg", out.getvalue())])


def shown_to(user: User) -> list[int]:
    return [p.pk for p in feed(user, "residents")]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def wechat(sec: SecurityFakeWechat, live_server: Any, settings: Any) -> SecurityFakeWechat:
    """WeChat's fake fetching photos from, and pushing verdicts to, the platform over HTTP."""
    settings.SITE_URL = live_server.url
    sec.push_url = f"{live_server.url}/moderation/wechat/push/"
    return sec


@pytest.mark.django_db(transaction=True)
def test_a_photo_is_shown_once_wechat_pushes_its_pass(
    wechat: SecurityFakeWechat, folk: dict[str, User]
) -> None:
    post = post_create(author=folk["mini"], circle="residents", text="新修的凉亭", photos=photo())
    [sent] = wechat.media_submitted
    assert sent["media_type"] == 2 and sent["version"] == 2 and sent["scene"] == 4
    assert sent["openid"] == "o-mini-resident"
    assert sent["media_url"].startswith(wechat.push_url.split("/moderation/")[0])
    status, body = wechat.fetch_media(sent["trace_id"])
    assert status == 200 and body[:2] == b"\xff\xd8"  # the photo itself, a JPEG
    # The text has passed; the photo has not yet: nobody else sees the post.
    assert Post.objects.get(pk=post.pk).visibility == "held"
    assert shown_to(folk["neighbour"]) == []
    assert wechat.push(sent["trace_id"], "pass") == (200, "success")
    assert shown_to(folk["neighbour"]) == [post.pk]
    # The link served its purpose: it opens nothing now.
    assert wechat.fetch_media(sent["trace_id"])[0] == 404


@pytest.mark.django_db(transaction=True)
def test_a_forged_push_is_refused_and_a_risky_photo_stays_hidden(
    wechat: SecurityFakeWechat, folk: dict[str, User]
) -> None:
    post = post_create(author=folk["mini"], circle="residents", text="看看这个", photos=photo())
    [sent] = wechat.media_submitted
    status, text = wechat.push(sent["trace_id"], "pass", token="not-the-token")
    assert status == 403 and "签名无效" in text
    assert wechat.push(sent["trace_id"], "pass", query={})[0] == 403
    assert shown_to(folk["neighbour"]) == []
    assert wechat.push(sent["trace_id"], "risky") == (200, "success")
    # A replay of a pass after the verdict changes nothing.
    wechat.push(sent["trace_id"], "pass")
    assert shown_to(folk["neighbour"]) == []
    post.refresh_from_db()
    assert post.visibility == "hidden" and "照片" in post.moderation_note


@pytest.mark.django_db(transaction=True)
def test_a_push_without_a_verdict_sends_the_photo_again(
    wechat: SecurityFakeWechat, folk: dict[str, User]
) -> None:
    post = post_create(author=folk["mini"], circle="residents", text="旧物改造", photos=photo())
    [first] = wechat.media_submitted
    assert wechat.push(first["trace_id"], "pass", errcode=-1) == (200, "success")
    assert shown_to(folk["neighbour"]) == []
    sweep(timezone.now() + timedelta(minutes=5))
    [_, again] = wechat.media_submitted
    wechat.push(again["trace_id"], "pass")
    assert shown_to(folk["neighbour"]) == [post.pk]


@pytest.mark.django_db(transaction=True)
def test_wechat_checks_the_push_url_and_encrypted_mode_is_refused_clearly(
    wechat: SecurityFakeWechat, folk: dict[str, User]
) -> None:
    timestamp, nonce = "1700000000", "n1"
    joined = "".join(sorted([PUSH_TOKEN, timestamp, nonce]))
    signature = hashlib.sha1(joined.encode()).hexdigest()  # noqa: S324 - WeChat's scheme
    query = {"signature": signature, "timestamp": timestamp, "nonce": nonce}
    check_url = f"{wechat.push_url}?{urlencode({**query, 'echostr': 'e-42'})}"
    with urllib.request.urlopen(check_url) as r:  # noqa: S310 - the local test server
        assert r.read() == b"e-42"
    status, text = wechat.push("t", query=query, body={"Encrypt": "AAAA", "ToUserName": "gh_x"})
    assert status == 400 and "明文模式" in text


def test_a_web_users_photo_waits_for_an_operator(
    sec: SecurityFakeWechat, folk: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(author=folk["web"], circle="residents", text="楼下的花", photos=photo())
    assert sec.media_submitted == [] and shown_to(folk["neighbour"]) == []
    pass_held(folk["community"], Kind.POST, post.pk)
    assert shown_to(folk["neighbour"]) == [post.pk]
