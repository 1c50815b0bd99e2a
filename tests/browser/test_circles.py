"""A post with a sensitive word waits for review; the community worker publishes it."""

from typing import Any

import pytest

from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_held_post_is_reviewed_then_seen(
    live_server: Any, cast: dict[str, Any], new_page: Any
) -> None:
    from wangge.circles.models import SensitiveWord

    # Shipped as a data migration, but flushed by transactional tests: make sure it is here.
    SensitiveWord.objects.get_or_create(word="贷款", defaults={"action": "hold"})
    resident = new_page(phone=True)
    sign_in(resident, live_server.url, cast["resident"].phone, PASSWORD)
    resident.goto(f"{live_server.url}/circles/")
    resident.get_by_label("说点什么").fill("有没有邻居知道哪里有低息贷款")
    resident.get_by_role("button", name="发布").click()
    resident.wait_for_selector("text=内容审核中，通过后邻居们才能看到")
    assert "审核中" in resident.locator("#posts").inner_text()
    shot(resident, "circle-held")

    staff = new_page()
    sign_in(staff, live_server.url, cast["community"].phone, PASSWORD)
    staff.goto(f"{live_server.url}/circles/moderation/")
    assert "命中：贷款" in staff.locator("#queue").inner_text()
    staff.get_by_role("button", name="通过").click()
    staff.wait_for_selector("text=没有待审核的动态")

    resident.reload()
    assert "审核中" not in resident.locator("#posts").inner_text()
    assert "低息贷款" in resident.locator("#posts").inner_text()
