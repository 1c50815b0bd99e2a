"""The resident app at phone widths: no sideways scrolling, notices readable."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import close_contexts, shot, sign_in
from tests.conftest import COMMUNITY, PASSWORD
from wangge.notices.services import notice_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 390])
def test_home_fits_a_phone_and_opens_a_notice(
    live_server: Any, cast: dict[str, Any], tree: Any, browser: Any, width: int
) -> None:
    notice_publish(
        actor=cast["dispatcher"],
        node=tree[COMMUNITY],
        title="本周六社区义诊",
        body="上午九点，社区服务中心",
    )
    ctx = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 800}, is_mobile=True
    )
    page = ctx.new_page()
    try:
        sign_in(page, live_server.url, cast["resident"].phone, PASSWORD)
        page.goto(f"{live_server.url}/m/")
        assert page.locator("#modules li").count() == 8
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot(page, f"mobile-home-{width}")
        page.get_by_role("link", name="本周六社区义诊").click()
        expect(page.get_by_text("上午九点，社区服务中心")).to_be_visible()
        page.get_by_role("link", name="我的").click()
        # The click only starts the navigation: measure the 我的 page once it is
        # there, not the document being torn down.
        expect(page.locator('a[aria-current="page"]', has_text="我的")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        close_contexts([ctx])
