"""The pre-aggregated counters: the dashboard read from them equals the live selectors'."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.cases.test_kpis import d
from tests.conftest import COMMUNITY, DISTRICT, STREET
from wangge.cases.models import Case, Category
from wangge.grids.models import GridNode
from wangge.ops import aggregates, selectors
from wangge.ops.models import UnitFigures


@pytest.fixture(autouse=True)
def _written_before_the_counted_day(time_machine: Any) -> None:
    """The fixtures write cases at the clock's own time, and the day counted here is
    2026-11-26: on that real day they would be counted as received today. The clock stands a
    week earlier while they are written (autouse: before the fixtures that write them)."""
    time_machine.move_to(d(11, 19), tick=True)


@pytest.fixture
def street(cast: dict[str, Any], week_cases: Any, catalogue: Any) -> GridNode:
    """The KPI fixture and the week's cases, with categories, today's work and places."""
    now = NOW
    hot = week_cases["hotline"]
    vendor, heating = Category.objects.get(code="CSGL-01"), Category.objects.get(code="GN-01")
    firsts = list(Case.objects.exclude(pk=hot.pk).exclude(status="voided").order_by("pk")[:2])
    Case.objects.filter(pk__in=[c.pk for c in firsts]).update(category=vendor)
    Case.objects.filter(pk=hot.pk).update(
        category=heating, dispatched_at=d(11, 26), lon=113.6121, lat=34.7475
    )
    # Three new cases near one another today and one a day earlier, on the map.
    for i, (lon, lat, day) in enumerate(
        [
            (113.6121, 34.7476, 26),
            (113.6122, 34.7474, 26),
            (113.6191, 34.7401, 26),
            (113.6, 34.7, 25),
        ]
    ):
        c = Case.objects.create(
            title=f"新事件{i}",
            description="d",
            channel="resident",
            grid_path=hot.grid_path,
            community=hot.community,
            street=hot.street,
            status="signed" if i else "closed",
            due_at=d(11, 27),
            lon=lon,
            lat=lat,
            signed_at=d(11, day),
            closed_at=d(11, day) if not i else None,
        )
        Case.objects.filter(pk=c.pk).update(created_at=d(11, day) - timedelta(hours=1))
    assert now > d(11, 26)
    return GridNode.objects.get(code=STREET)


NOW = d(11, 26) + timedelta(hours=3)


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("live", "kpi", "trend", "categories", "units", "heat", "open_needs")
    return {k: data[k] for k in keys}


@pytest.mark.parametrize("code", [STREET, DISTRICT])
def test_counters_equal_the_live_selectors(
    cast: dict[str, Any], street: GridNode, code: str
) -> None:
    node = GridNode.objects.get(code=code)
    user = cast["dispatcher"] if code == STREET else cast["admin"]
    result = aggregates.refresh(NOW)
    assert result["full"] is True
    assert aggregates.fresh_as_of(NOW + timedelta(minutes=1)) == NOW
    from_counters = selectors.figures_core(node, NOW)
    live = selectors._live_core(user, node, NOW)
    assert _comparable(from_counters) == _comparable(live)
    # And the hand count: today three received (one closed), the 12345 order dispatched today.
    assert from_counters["live"] == {
        "new": 3,
        "dispatched": 1,
        "signed": 3,
        "closed": 1,
        "overdue": 2,
    }
    # 办结率: tests/cases/test_kpis.py's 4 of 5 due in November, plus the four new cases due
    # 11-27 and not yet resolved: 4 of 9.
    assert from_counters["kpi"]["cards"][0]["value"] == 0.4444
    # Two of the week's new cases share a 200 m cell; the other two have their own.
    assert [p[2] for p in from_counters["heat"]] == [2, 1, 1]


def test_the_figures_are_added_up_once_a_refresh(cast: dict[str, Any], street: GridNode) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    aggregates.refresh(NOW)
    first = selectors.figures_core(street, NOW)
    with CaptureQueriesContext(connection) as again:
        assert selectors.figures_core(street, NOW) == first
    assert not any("ops_unitfigures" in q["sql"] for q in again.captured_queries)
    # The next refresh's figures are added up afresh.
    case = Case.objects.get(title="新事件1")
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=NOW)
    later = NOW + timedelta(minutes=1)
    aggregates.refresh(later, full=True)
    assert selectors.figures_core(street, later)["live"]["closed"] == first["live"]["closed"] + 1


def test_the_worker_adds_up_the_districts_figures_after_its_refresh(
    cast: dict[str, Any], street: GridNode, time_machine: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(NOW)
    aggregates.refresh(NOW)
    selectors.warm_figures()
    district = GridNode.objects.get(code=DISTRICT)
    with CaptureQueriesContext(connection) as opened:
        figures = selectors.figures_core(district, NOW)
    assert not any("ops_unitfigures" in q["sql"] for q in opened.captured_queries)
    assert figures["live"]["new"] == 3


def test_incremental_run_recounts_only_the_changed_street(
    cast: dict[str, Any], street: GridNode, time_machine: Any
) -> None:
    aggregates.refresh(NOW)
    later = NOW + timedelta(minutes=1)
    time_machine.move_to(later - timedelta(seconds=5))
    case = Case.objects.get(title="新事件1")
    case.status = "closed"
    case.closed_at = later - timedelta(seconds=5)
    case.save()
    result = aggregates.refresh(later)
    assert result == {"full": False, "streets": [street.path], "units": 2}  # its communities
    counted = selectors.figures_core(street, later)
    assert counted["live"]["closed"] == 2
    assert _comparable(counted) == _comparable(
        selectors._live_core(cast["dispatcher"], street, later)
    )
    # The next run looks 30 s back (aggregates.OVERLAP) and recounts it once more; the one
    # after finds nothing changed and recounts nothing.
    assert aggregates.refresh(later + timedelta(seconds=30))["streets"] == [street.path]
    assert aggregates.refresh(later + timedelta(minutes=2))["streets"] == []
    # An open case passing its deadline is a change even though no one touched it.
    Case.objects.filter(title="新事件2").update(
        due_at=later + timedelta(seconds=150), updated_at=NOW
    )
    result = aggregates.refresh(later + timedelta(minutes=3))
    assert result["streets"] == [street.path]


def test_a_new_day_recounts_everything(cast: dict[str, Any], street: GridNode) -> None:
    aggregates.refresh(NOW)
    assert aggregates.refresh(NOW + timedelta(days=1))["full"] is True
    assert UnitFigures.objects.filter(community__code=COMMUNITY).count() == 1


def test_dashboard_reads_the_counters_while_they_are_fresh(
    cast: dict[str, Any], street: GridNode, time_machine: Any
) -> None:
    time_machine.move_to(NOW)
    aggregates.refresh(NOW)
    c = Client()
    c.force_login(cast["dispatcher"])
    page = c.get(f"/ops/unit/{STREET}/").content.decode()
    assert "数据更新于" in page and 'id="ops-heat"' in page
    # A case received after the count shows at the next refresh, not before.
    Case.objects.create(
        title="刚刚受理",
        description="d",
        channel="resident",
        grid_path=street.path,
        street=street,
        status="pending",
    )
    assert selectors.dashboard(user=cast["dispatcher"], node=street)["live"]["new"] == 3
    time_machine.move_to(NOW + aggregates.MAX_AGE + timedelta(seconds=1))
    data = selectors.dashboard(user=cast["dispatcher"], node=street)
    assert data["as_of"] is None and data["live"]["new"] == 4  # stale counters: counted live


def test_a_heat_layer_of_many_cells_keeps_the_densest(monkeypatch: Any) -> None:
    """A city's week fills more cells than a map can show: the densest are kept, most cases
    first, and a district's few cells are all kept."""
    from wangge.ops import aggregates as agg

    monkeypatch.setattr(agg, "HEAT_MAX_POINTS", 3)
    cells = {"56800,17380": 1, "56801,17380": 5, "56802,17381": 2, "56803,17382": 9, "1,1": 1}
    points = agg.heat_points(cells)
    assert [p[2] for p in points] == [9, 5, 2]
    assert points[0] == [round(17382.5 * agg.HEAT_STEP, 6), round(56803.5 * agg.HEAT_STEP, 6), 9]
    few = {"56800,17380": 1, "56801,17380": 4}
    assert [p[2] for p in agg.heat_points(few)] == [4, 1]
