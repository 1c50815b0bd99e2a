"""The dashboard: its figures equal the KPI selector's and the hand count; scope; read-only."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.test_kpis import d
from tests.conftest import COMMUNITY, DISTRICT, OTHER_COMMUNITY, STREET
from wangge.cases.models import Case, Category
from wangge.cases.selectors import kpis
from wangge.core import calendar
from wangge.grids.models import GridNode
from wangge.ops import render, selectors


@pytest.fixture
def street(cast: dict[str, Any], week_cases: Any) -> GridNode:
    return GridNode.objects.get(code=STREET)


def test_cards_are_the_kpi_selectors_month_against_the_last(
    cast: dict[str, Any], street: GridNode
) -> None:
    data = selectors.kpi_cards(user=cast["dispatcher"], node=street, now=d(11, 30))
    total, _rows = kpis(
        user=cast["dispatcher"],
        parent=street,
        start=d(11, 1).replace(hour=0),
        end=d(12, 1).replace(hour=0),
        now=d(11, 30),
    )
    cards = {c["field"]: c for c in data["cards"]}
    assert data["total"] == total
    assert {f: c["value"] for f, c in cards.items()} == {
        "completion_rate": 0.8,  # tests/cases/test_kpis.py's hand count
        "on_time_rate": 0.6,
        "response_rate": 0.75,
        "resolution_rate": 0.75,
        "satisfaction_rate": 0.725,
        "composite": 0.592,  # (0.1 × 0.75 + 0.5 × 0.75 + 0.4 × 0.725) × 办结率 0.8
    }
    # October: due 10-20 (on time) and the 12345 order due 10-26 (open); no follow-ups.
    assert cards["completion_rate"]["previous"] == 0.5
    assert cards["completion_rate"]["delta"] == 0.3
    assert cards["on_time_rate"]["delta"] == 0.1
    assert cards["response_rate"]["previous"] is None and cards["response_rate"]["delta"] is None


def test_live_counts_and_unit_load(cast: dict[str, Any], street: GridNode, week_cases: Any) -> None:
    now = d(11, 10) + timedelta(hours=1)
    Case.objects.filter(pk=week_cases["hotline"].pk).update(dispatched_at=d(11, 10))
    live = selectors.live_counts(user=cast["dispatcher"], node=street, now=now)
    # Received today: the 12345 order (12:00); dispatched at 12:00; overdue now: it, due 10-26.
    assert live == {"new": 1, "dispatched": 1, "signed": 0, "overdue": 1, "closed": 0}
    units = selectors.unit_load(user=cast["dispatcher"], node=street, now=now)
    assert units == [
        {"code": COMMUNITY, "name": "碧沙岗社区", "open": 3, "overdue": 1},
        {"code": OTHER_COMMUNITY, "name": "互助路社区", "open": 0, "overdue": 0},
    ]
    # A grid worker's scope holds none of these community-level cases.
    assert selectors.live_counts(user=cast["worker_a"], node=street, now=now)["overdue"] == 0


def test_trend_and_top_categories(
    cast: dict[str, Any], street: GridNode, week_cases: Any, catalogue: Any
) -> None:
    hot = week_cases["hotline"]
    Case.objects.exclude(pk=hot.pk).update(created_at=d(11, 3))
    vendor, heating = Category.objects.get(code="CSGL-01"), Category.objects.get(code="GN-01")
    first_two = list(Case.objects.exclude(pk=hot.pk).exclude(status="voided")[:2])
    Case.objects.filter(pk__in=[c.pk for c in first_two]).update(category=vendor)
    Case.objects.filter(pk=hot.pk).update(category=heating)
    trend = selectors.weekly_trend(user=cast["dispatcher"], node=street, now=d(11, 30))
    assert trend["weeks"][0] == "10-12" and trend["weeks"][-1] == "11-30"
    assert trend["received"] == [0, 0, 0, 7, 1, 0, 0, 0]
    # Resolved 10-19, 11-04, 11-09 (a Monday: the next week), 11-16 and 11-24.
    assert trend["resolved"] == [0, 1, 0, 1, 1, 1, 1, 0]
    top = selectors.top_categories(user=cast["dispatcher"], node=street, now=d(11, 30))
    assert top == [{"name": "占道经营", "value": 2}, {"name": "暖气不热", "value": 1}]


def test_page_shows_the_kpi_selectors_figures(cast: dict[str, Any], street: GridNode) -> None:
    c = Client()
    c.force_login(cast["dispatcher"])
    resp = c.get("/ops/")
    assert resp.status_code == 302 and resp["Location"] == f"/ops/unit/{STREET}/"
    page = c.get(f"/ops/unit/{STREET}/").content.decode()
    start, end = calendar.month_bounds(timezone.localdate())
    total, _rows = kpis(
        user=cast["dispatcher"],
        parent=street,
        start=calendar.midnight(start),
        end=calendar.midnight(end),
    )
    for field in ("completion_rate", "on_time_rate", "satisfaction_rate"):
        card = page.split(f'data-field="{field}"')[1].split("</div>\n  </div>")[0]
        assert f'<div class="v">{render.pct(getattr(total, field))}</div>' in card
    card = page.split('data-field="composite"')[1]
    assert f'<div class="v">{render.score(total.composite)}</div>' in card
    assert 'hx-trigger="every 60s"' in page and 'id="ops-charts"' in page
    assert "碧沙岗社区" in page
    screen = c.get(f"/ops/screen/{STREET}/")
    assert screen.status_code == 200 and "ops-screen" in screen.content.decode()
    live = c.get(f"/ops/unit/{STREET}/live/?screen=1").content.decode()
    assert live.startswith('<section class="ops-live"') and "?screen=1" in live


def test_scope(cast: dict[str, Any], street: GridNode) -> None:
    worker = Client()
    worker.force_login(cast["worker_a"])
    assert worker.get("/ops/").status_code == 403  # holds no street
    for url in (f"/ops/unit/{STREET}/", f"/ops/screen/{STREET}/", f"/ops/unit/{STREET}/live/"):
        resp = worker.get(url)
        assert resp.status_code == 404 and "碧沙岗社区" not in resp.content.decode()
    dispatcher = Client()
    dispatcher.force_login(cast["dispatcher"])
    assert dispatcher.get(f"/ops/unit/{DISTRICT}/").status_code == 404  # above their street
    assert dispatcher.get(f"/ops/unit/{COMMUNITY}/").status_code == 404  # not a street
    admin = Client()
    admin.force_login(cast["admin"])
    assert admin.get("/ops/screen/")["Location"] == f"/ops/screen/{DISTRICT}/"
    page = admin.get(f"/ops/unit/{DISTRICT}/").content.decode()
    assert "林山寨街道" in page  # the district's units are its streets


def test_dashboard_never_writes(
    cast: dict[str, Any], street: GridNode, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = Client()
    c.force_login(cast["dispatcher"])
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(f"/ops/unit/{STREET}/").status_code == 200
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []
