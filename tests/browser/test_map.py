"""A grid worker and a dispatcher sign in, open the map and see their polygons."""

from typing import Any

import pytest

from tests.browser.conftest import shot, watch
from tests.conftest import COMMUNITY, GRID_A, MICRO_A1, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, phone: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def test_dispatcher_drills_down_from_street_to_micro_grid(
    live_server: Any, cast: dict[str, Any], page: Any
) -> None:
    problems = watch(page)
    sign_in(page, live_server.url, cast["dispatcher"].phone)
    assert page.get_by_text("您好，钱卫东").is_visible()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="网格地图").click()
    page.wait_for_selector("#map[data-code='410102001']")
    assert page.locator("path.grid-polygon").count() == 1  # the one community of the street
    shot(page, "map-street")

    page.locator("path.grid-polygon").first.click()
    page.wait_for_selector(f"#map[data-code='{COMMUNITY}']")
    assert page.locator("path.grid-polygon.level-grid").count() == 2
    assert page.locator("path.grid-polygon.level-exclusive").count() == 1
    assert page.locator("#node-name").inner_text() == "碧沙岗社区"
    # Surveyed (non-sample) boundaries carry no sample-data label.
    assert not page.locator("#node-sample").is_visible()
    assert not page.locator("#sample-note").is_visible()
    assert page.locator("#breadcrumbs").inner_text().replace("\n", "") == "林山寨街道›碧沙岗社区"
    page.get_by_role("link", name="碧沙岗第1网格").click()
    page.wait_for_selector(f"#map[data-code='{GRID_A}']")
    assert page.locator("#node-code").inner_text() == GRID_A
    assert "周敏" in page.locator("#node-staff").inner_text()
    assert page.url.endswith(f"/grids/map/{GRID_A}/")
    page.go_back()
    page.wait_for_selector(f"#map[data-code='{COMMUNITY}']")
    shot(page, "map-community")
    assert problems == [], problems  # nothing behind the map is missing


def test_grid_worker_on_a_phone_sees_only_their_grid(
    live_server: Any, cast: dict[str, Any], phone_page: Any
) -> None:
    page = phone_page
    problems = watch(page)
    sign_in(page, live_server.url, cast["worker_a"].phone)
    page.goto(f"{live_server.url}/grids/map/")
    page.wait_for_selector(f"#map[data-code='{GRID_A}']")
    assert page.locator("path.grid-polygon.level-micro").count() == 2
    assert page.locator("#node-children li").count() == 2
    # No horizontal scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert problems == [], problems
    shot(page, "map-worker-phone")
    page.locator("#node-children a").first.click()
    page.wait_for_selector(f"#map[data-code='{MICRO_A1}']")
    assert page.locator("#node-name").inner_text() == "A1 微网格"
