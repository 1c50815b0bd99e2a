"""A fake WeChat and 企业微信 on 127.0.0.1, the settings pointing at it, and the case fixtures."""

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cases.conftest import catalogue, people, report  # noqa: F401 - fixtures used here
from tests.wechat import fake as wx


@pytest.fixture
def fake(settings: Any) -> Iterator[wx.FakeWechat]:
    with wx.FakeWechat() as server:
        settings.WECHAT_API_BASE = server.base
        settings.WECOM_API_BASE = server.base
        settings.WECHAT_MINI_APPID, settings.WECHAT_MINI_SECRET = wx.MINI_APPID, wx.MINI_SECRET
        settings.WECOM_CORPID, settings.WECOM_SECRET = wx.CORPID, wx.CORP_SECRET
        settings.WECOM_AGENTID = wx.AGENTID
        settings.WECHAT_TIMEOUT_SECONDS = 1.0
        settings.SITE_URL = "https://wangge.example.gov.cn"
        settings.WECHAT_SUBSCRIBE_TEMPLATES = json.dumps(
            {"accepted": "T-ACCEPTED", "resolved": "T-RESOLVED", "rate": "T-RATE"}
        )
        yield server
