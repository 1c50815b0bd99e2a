"""Content security's cast: a resident who uses the mini-program (so WeChat judges what they
write), one who uses the web pages (the local check does), a neighbour, and WeChat's fake."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import MICRO_B1
from tests.moderation.support import use_mini_program
from tests.wechat import fake as wx
from tests.wechat.fake_security import PUSH_TOKEN, SecurityFakeWechat
from wangge.accounts.models import Role, User
from wangge.circles.models import SensitiveWord


@pytest.fixture
def sec(settings: Any) -> Iterator[SecurityFakeWechat]:
    with SecurityFakeWechat() as server:
        settings.WECHAT_API_BASE = server.base
        settings.WECHAT_MINI_APPID, settings.WECHAT_MINI_SECRET = wx.MINI_APPID, wx.MINI_SECRET
        settings.WECHAT_TIMEOUT_SECONDS = 1.0
        settings.WECHAT_PUSH_TOKEN = PUSH_TOKEN
        settings.SITE_URL = "https://wangge.example.gov.cn"
        yield server


@pytest.fixture
def folk(cast: dict[str, User], make_user: Any, tree: Any) -> dict[str, User]:
    # The list ships as a data migration; a transactional test elsewhere may have flushed it.
    for word, action in (("刷单", "block"), ("贷款", "hold")):
        SensitiveWord.objects.get_or_create(word=word, defaults={"action": action})
    return {
        **cast,
        "mini": use_mini_program(cast["resident"], "o-mini-resident"),
        "web": make_user(Role.RESIDENT, tree[MICRO_B1], name="李网页"),
        "neighbour": make_user(Role.RESIDENT, tree[MICRO_B1], name="邻居乙"),
    }
