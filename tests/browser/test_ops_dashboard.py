"""The dashboard and the large screen in Chromium, with screenshots in test-artifacts/."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import shot, sign_in, watch
from tests.cases.test_kpis import fixture_cases  # noqa: F401  (the KPI fixture)
from tests.conftest import PASSWORD, STREET
from tests.ops.conftest import fresh_cache, media, week_cases  # noqa: F401  (ops fixtures)
from wangge.cases.models import Assistance, Case, Category, Department
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
            # Six near the park gate, three at the other end of the community: two hot spots.
            lon=113.6012 + (0.005 if i >= 6 else 0.0003 * (i % 2)),
            lat=34.7515 + (0.0015 if i >= 6 else 0.0),
        )
    # Departments summoned by the whistle to one of them: 城管 reported back, 住建 has not.
    urban = Department.objects.create(code="CG", name="区城管局")
    housing = Department.objects.create(code="ZJ", name="区住建局")
    whistled = Case.objects.get(title="今日事件5")
    Assistance.objects.create(
        case=whistled,
        department=urban,
        role="lead",
        state="reported",
        signed_at=now,
        reported_at=now + timedelta(minutes=1),
    )
    Assistance.objects.create(case=whistled, department=housing, role="assist")


def test_dashboard_and_large_screen(
    live_server: Any,
    cast: dict[str, Any],
    new_page: Any,
    busy_day: None,
) -> None:
    page = new_page()
    problems = watch(page)
    sign_in(page, live_server.url, cast["dispatcher"].phone, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="城运中心").click()
    page.wait_for_url(f"{live_server.url}/ops/unit/{STREET}/")
    page.wait_for_selector("#ops-map[data-polygons='2']")
    page.wait_for_selector("#chart-trend svg")
    assert page.locator("#chart-categories svg").count() == 1
    assert page.locator("path.ops-unit").count() == 2
    # Received today: these nine and the KPI fixture's seven live cases (created by the test).
    assert page.locator(".ops-count[data-key='new'] .n").inner_text() == "16"
    # The heat layer: today's located cases in two cells (six and three), drawn on a canvas.
    page.wait_for_selector("#ops-map[data-heat='2']")
    heat = page.evaluate(
        """() => {
          const c = document.querySelector('canvas.ops-heat-layer');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let hot = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) hot++;
          return hot;
        }"""
    )
    assert heat > 500  # painted pixels, not an empty canvas
    dept = page.locator(".ops-dept tr[data-code='ZJ'] td")
    assert dept.all_inner_texts() == ["区住建局", "1", "0", "0", "—", "0"]
    assert page.locator(".ops-dept tr[data-code='CG'] td").nth(3).inner_text() == "1"
    # 事: the open cases of the street; 地: the test tree has no households registered.
    assert page.locator(".ops-element[data-key='event'] .n").inner_text() == "9"
    assert page.locator(".ops-element[data-key='wishes-raised'] .n").inner_text() == "0"
    assert page.locator(".ops-element[data-key='hours'] .n").inner_text() == "0"
    page.locator(".ops-departments").scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    shot(page, "ops-dashboard")

    screen = new_page()
    screen.set_viewport_size({"width": 1920, "height": 1080})
    problems += watch(screen)
    sign_in(screen, live_server.url, cast["dispatcher"].phone, PASSWORD)
    screen.goto(f"{live_server.url}/ops/screen/")
    screen.wait_for_selector("#ops-map[data-polygons='2']")
    screen.wait_for_selector("#chart-trend svg")
    # Laid out for one 1920×1080 screen: nothing scrolls.
    size = screen.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size == [1920, 1080]
    screen.wait_for_selector("#ops-map[data-heat='2']")
    # The new panels are on the screen too, inside it.
    for selector in (".ops-elements", ".ops-activity", ".ops-volunteering", ".ops-departments"):
        box = screen.locator(selector).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 1080, selector
    assert screen.locator(".ops-dept tr[data-code='CG'] td").first.inner_text() == "区城管局"
    screen.wait_for_timeout(1500)  # let the charts' entry animation finish before the shot
    shot(screen, "ops-screen")
    assert problems == [], problems  # nothing behind the maps and charts is missing
