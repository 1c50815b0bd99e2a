"""乐享闲置 in a browser: offered, reserved, the hold runs out, it passes to the next in line."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import shot, sign_in
from tests.conftest import MICRO_A1, PASSWORD
from wangge.accounts.models import Role
from wangge.market.services import reservations_expire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_offer_reserve_expire_pass_on(
    live_server: Any, cast: dict[str, Any], tree: Any, make_user: Any, new_page: Any
) -> None:
    first = make_user(Role.RESIDENT, tree[MICRO_A1], name="张阿姨")
    second = make_user(Role.RESIDENT, tree[MICRO_A1], name="刘大爷")
    owner = new_page(phone=True)
    sign_in(owner, live_server.url, cast["resident"].phone, PASSWORD)
    owner.goto(f"{live_server.url}/market/new/")
    owner.get_by_label("标题").fill("儿童自行车")
    owner.get_by_label("描述").fill("九成新，孩子长大了")
    owner.get_by_role("button", name="发布").click()
    owner.wait_for_selector("#listing")
    listing_url = owner.url

    pages = {}
    for who, label in ((first, "我想要"), (second, "排队预约")):
        page = new_page(phone=True)
        sign_in(page, live_server.url, who.phone, PASSWORD)
        page.goto(listing_url)
        page.get_by_role("button", name=label).click()
        page.wait_for_selector("#my-state")
        pages[who.pk] = page
    assert "已为您保留到" in pages[first.pk].locator("#my-state").inner_text()
    assert "第 1 位" in pages[second.pk].locator("#my-state").inner_text()
    shot(pages[second.pk], "market-queued")

    # 49 hours later the worker's sweep passes the hold on.
    assert reservations_expire(now=timezone.now() + timedelta(hours=49)) == 1
    pages[second.pk].reload()
    assert "已为您保留到" in pages[second.pk].locator("#my-state").inner_text()
    pages[first.pk].goto(f"{live_server.url}/m/messages/")
    assert "预约已过期" in pages[first.pk].locator("#inbox").inner_text()
    owner.reload()
    assert "刘大爷 已预约" in owner.locator("#actions").inner_text()
    shot(owner, "market-passed-on")
