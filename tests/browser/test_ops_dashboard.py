"""The dashboard and the large screen in Chromium, with screenshots in test-artifacts/."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import shot, sign_in
from tests.cases.test_kpis import fixture_cases  # noqa: F401  (the KPI fixture)
from tests.conftest import PASSWORD, STREET
from tests.ops.conftest import fresh_cache, media, week_cases  # noqa: F401  (ops fixtures)
from wangge.cases.models import Case, Category
from wangge.grids.models import GridNode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def busy_day(cast: dict[str, Any], week_cases: Any, catalogue: Any) -> None:  # noqa: F811
    """Today's cases on top of the KPI fixture, so every panel has something to draw."""
    now = timezone.now()
    bsg = GridNode.objects.get(code="410102001002")
    street = GridNode.objects.get(code=STREET)
    cats = list(Category.objects.filter(parent__isnull=False)) + list(
        Category.objects.filter(code="GN-01")
    )
    for i in range(9):
        Case.objects.create(
            title=f"今日事件{i}",
            description="d",
            channel="hotline" if i % 3 == 0 else "resident",
            grid_path=bsg.path,
            community=bsg,
            street=street,
            category=cats[i % len(cats)],
            status="closed" if i < 3 else "signed",
            due_at=now + timedelta(days=2 if i % 2 else -1),
            dispatched_at=now,
            closed_at=now if i < 3 else None,
            resolved_at=now if i < 3 else None,
        )


def test_dashboard_and_large_screen(
    live_server: Any,
    cast: dict[str, Any],
    new_page: Any,
    busy_day: None,
) -> None:
    page = new_page()
    sign_in(page, live_server.url, cast["dispatcher"].phone, PASSWORD)
    page.get_by_role("link", name="城运中心").click()
    page.wait_for_url(f"{live_server.url}/ops/unit/{STREET}/")
    page.wait_for_selector("#ops-map[data-polygons='2']")
    page.wait_for_selector("#chart-trend svg")
    assert page.locator("#chart-categories svg").count() == 1
    assert page.locator("path.ops-unit").count() == 2
    # Received today: these nine and the KPI fixture's seven live cases (created by the test).
    assert page.locator(".ops-count[data-key='new'] .n").inner_text() == "16"
    page.wait_for_timeout(1500)
    shot(page, "ops-dashboard")

    screen = new_page()
    screen.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(screen, live_server.url, cast["dispatcher"].phone, PASSWORD)
    screen.goto(f"{live_server.url}/ops/screen/")
    screen.wait_for_selector("#ops-map[data-polygons='2']")
    screen.wait_for_selector("#chart-trend svg")
    # Laid out for one 1920×1080 screen: nothing scrolls.
    size = screen.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size == [1920, 1080]
    screen.wait_for_timeout(1500)  # let the charts' entry animation finish before the shot
    shot(screen, "ops-screen")
