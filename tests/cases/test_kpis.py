"""KPIs against a fixture whose answers were worked out by hand (DOMAIN.md §3 formulas)."""

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import COMMUNITY, OTHER_COMMUNITY, STREET, add_other_community
from wangge.cases.models import Case
from wangge.cases.selectors import (
    DEFAULT_WEIGHTS,
    kpi_from,
    kpi_places,
    kpi_rank,
    kpis,
    period_counts,
)
from wangge.grids.models import GridNode

TZ = ZoneInfo("Asia/Shanghai")


def d(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, 0, tzinfo=TZ)


@pytest.fixture
def fixture_cases(cast: dict[str, Any]) -> None:
    add_other_community()
    nodes = {
        n.code: n for n in GridNode.objects.filter(code__in=[COMMUNITY, OTHER_COMMUNITY, STREET])
    }

    def make(where: str, **kw: Any) -> None:
        community = nodes[where]
        Case.objects.create(
            title="t",
            description="d",
            channel="resident",
            grid_path=community.path,
            community=community,
            street=nodes[STREET],
            **kw,
        )

    closed = {"status": "closed"}
    # 碧沙岗社区
    make(
        COMMUNITY,
        due_at=d(11, 10),
        resolved_at=d(11, 9),
        closed_on_time=True,
        followup_at=d(11, 12),
        followup_contacted=True,
        followup_solved=True,
        satisfaction="satisfied",
        **closed,
    )
    make(
        COMMUNITY,
        due_at=d(11, 15),
        resolved_at=d(11, 16),
        closed_on_time=False,
        followup_at=d(11, 20),
        followup_contacted=True,
        followup_solved=False,
        satisfaction="basic",
        **closed,
    )
    make(COMMUNITY, due_at=d(11, 20), status="signed")
    make(
        COMMUNITY,
        due_at=d(11, 25),
        resolved_at=d(11, 24),
        closed_on_time=True,
        rework_count=1,
        extension_count=1,
        self_handled=True,
        status="verified",
    )
    make(COMMUNITY, due_at=d(12, 5), status="dispatched")
    make(COMMUNITY, due_at=d(11, 10), status="voided")
    make(
        COMMUNITY,
        due_at=d(10, 20),
        resolved_at=d(10, 19),
        closed_on_time=True,
        followup_at=d(11, 2),
        followup_contacted=False,
        followup_solved=True,
        satisfaction="dissatisfied",
        **closed,
    )
    # 互助路社区
    make(
        OTHER_COMMUNITY,
        due_at=d(11, 5),
        resolved_at=d(11, 4),
        closed_on_time=True,
        followup_at=d(11, 6),
        followup_contacted=True,
        followup_solved=True,
        satisfaction="satisfied",
        **closed,
    )


def test_street_kpis_by_hand(cast: dict[str, Any], fixture_cases: None) -> None:
    street = GridNode.objects.get(code=STREET)
    total, rows = kpis(
        user=cast["dispatcher"],
        parent=street,
        start=d(11, 1).replace(hour=0),
        end=d(12, 1).replace(hour=0),
        now=d(11, 30),
    )
    assert [r.code for r in rows] == [OTHER_COMMUNITY, COMMUNITY]  # ranked by composite score
    other, bsg = rows
    assert (bsg.due, bsg.closed, bsg.closed_on_time) == (4, 3, 2)
    assert (bsg.completion_rate, bsg.on_time_rate) == (0.75, 0.5)
    assert (bsg.rework_rate, bsg.extension_rate) == (0.25, 0.25)
    assert (bsg.followups, bsg.contacted, bsg.solved, bsg.satisfied, bsg.basic) == (3, 2, 2, 1, 1)
    assert bsg.response_rate == 0.6667 and bsg.resolution_rate == 0.6667
    assert bsg.satisfaction_rate == 0.6333  # (1 + 0.9 × 1) ÷ 3
    # (0.1×0.6667 + 0.5×0.6667 + 0.4×0.6333) × 办结率 0.75: a quarter of the work due is not
    # done, so a quarter of the residents' verdict is not earned.
    assert bsg.composite == 0.49
    assert (bsg.open_cases, bsg.overdue_open, bsg.overdue_rate) == (2, 1, 0.5)
    assert bsg.self_handled_rate == 0.3333
    assert (other.completion_rate, other.on_time_rate, other.composite) == (1.0, 1.0, 1.0)
    assert (total.due, total.closed, total.closed_on_time) == (5, 4, 3)
    assert (total.completion_rate, total.on_time_rate) == (0.8, 0.6)
    assert (total.response_rate, total.resolution_rate, total.satisfaction_rate) == (
        0.75,
        0.75,
        0.725,
    )
    assert total.composite == 0.592  # (0.1×0.75 + 0.5×0.75 + 0.4×0.725) × 0.8


def test_kpis_respect_scope_and_empty_periods(cast: dict[str, Any], fixture_cases: None) -> None:
    street = GridNode.objects.get(code=STREET)
    total, rows = kpis(
        user=cast["worker_a"], parent=street, start=d(11, 1), end=d(12, 1), now=d(11, 30)
    )
    assert total.due == 0  # a grid worker's scope holds none of these community-level rows
    total, rows = kpis(
        user=cast["dispatcher"], parent=street, start=d(1, 1), end=d(2, 1), now=d(11, 30)
    )
    assert total.completion_rate is None and total.composite is None
    assert all(r.due == 0 for r in rows)
    assert kpi_places(rows) == [None] * len(rows)  # nothing to rank: no 第一名


def test_half_the_work_done_cannot_top_the_table() -> None:
    """A unit that closed half its cases, each followed up and rated 满意, scores 50 and sits
    below a unit that closed all of its cases with a lesser verdict."""
    counts = dict.fromkeys(period_counts(d(1, 1), d(2, 1)), 0)
    half = {**counts, "due": 2, "closed": 1, "closed_on_time": 1, "followups": 1}
    half.update(contacted=1, solved=1, satisfied=1, open_cases=1, overdue_open=1)
    whole = {**counts, "due": 2, "closed": 2, "closed_on_time": 2, "followups": 2}
    whole.update(contacted=2, solved=2, satisfied=1, basic=1, open_cases=0, overdue_open=0)
    a = kpi_from("A", "半数办结", half, DEFAULT_WEIGHTS)
    b = kpi_from("B", "全部办结", whole, DEFAULT_WEIGHTS)
    assert (a.completion_rate, a.satisfaction_rate) == (0.5, 1.0)
    assert a.composite == 0.5
    assert b.composite == 0.98  # 0.1 + 0.5 + 0.4 × 0.95
    rows = sorted([a, b], key=kpi_rank)
    assert [r.code for r in rows] == ["B", "A"] and kpi_places(rows) == [1, 2]
    # Nothing due and nothing followed up: no score, no place, listed last.
    idle = kpi_from("C", "无事件", {**counts, "open_cases": 0, "overdue_open": 0}, DEFAULT_WEIGHTS)
    assert idle.composite is None
    rows = sorted([idle, a, b], key=kpi_rank)
    assert [r.code for r in rows] == ["B", "A", "C"] and kpi_places(rows) == [1, 2, None]


def test_kpi_page_shows_the_same_numbers(cast: dict[str, Any], fixture_cases: None) -> None:
    from django.test import Client

    c = Client()
    c.force_login(cast["dispatcher"])
    page = c.get(f"/cases/kpi/{STREET}/?start=2026-11-01&end=2026-12-01").content.decode()
    row = page.split(f'data-code="{COMMUNITY}"')[1].split("</tr>")[0]
    cells = [cell.split(">", 1)[1].split("<")[0] for cell in row.split("<td")[1:]]
    assert cells[:9] == ["2", "碧沙岗社区", "4", "75%", "50%", "67%", "67%", "63%", "49"]


def test_kpi_page_ranks_no_one_when_the_scores_are_all_the_same(
    cast: dict[str, Any], fixture_cases: None
) -> None:
    """Cases due in the period, none closed or followed up: every unit scores 0.00."""
    from django.test import Client

    c = Client()
    c.force_login(cast["dispatcher"])
    Case.objects.update(resolved_at=None, followup_at=None, status="signed")
    page = c.get(f"/cases/kpi/{STREET}/?start=2026-11-01&end=2026-12-01").content.decode()
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    places = re.findall(r'<tr data-code="[^"]+"><td>([^<]*)<', body)
    assert places and set(places) == {"—"}, places
    assert "本期各单位综合成绩相同（均为 0.00），成绩没有拉开差距，不排名次。" in page


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_kpis_read_from_the_report_replica(
    cast: dict[str, Any], fixture_cases: None, settings: Any
) -> None:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    settings.REPORT_REPLICA_ENABLED = True
    street = GridNode.objects.get(code=STREET)
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        total, _rows = kpis(
            user=cast["dispatcher"],
            parent=street,
            start=d(11, 1).replace(hour=0),
            end=d(12, 1).replace(hour=0),
            now=d(11, 30),
        )
    assert total.due == 5  # the same answer, read through the mirror
    assert any("cases_case" in q["sql"] for q in replica.captured_queries)
    assert not any("cases_case" in q["sql"] for q in primary.captured_queries)


def test_kpi_page_says_a_period_it_cannot_read(cast: dict[str, Any]) -> None:
    from django.test import Client

    c = Client()
    c.force_login(cast["dispatcher"])
    page = c.get(f"/cases/kpi/{STREET}/?period=decade").content.decode()
    assert "期间只能是周、月或年，已按月显示" in page
    page = c.get(f"/cases/kpi/{STREET}/?start=2026-11-31&end=2026-12-01").content.decode()
    assert "所选日期无效" in page
    page = c.get(f"/cases/kpi/{STREET}/?period=week").content.decode()
    assert "期间只能是" not in page and "所选日期无效" not in page
