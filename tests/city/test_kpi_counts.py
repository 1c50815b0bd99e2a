"""The KPI pages over whole months read the monthly counters per street (cases.kpi_counts):
the same figures as counting the cases, for a city above two districts and each district, on a
varied set of cases — every status, voided and merged ones, deadlines and follow-ups on the
edges of local and UTC months, cases at a district's and at the city's desk, cases placed by
hand — and after each kind of change an incremental refresh must see."""

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.city.conftest import CITY, FIRST_POINT, OTHER, OTHER_MICRO, OTHER_STREET
from tests.conftest import DISTRICT, MICRO_A1, MICRO_B1, STREET
from wangge.accounts.models import Role, User
from wangge.cases import kpi_counts
from wangge.cases.actions import Action
from wangge.cases.models import Case, CaseEvent, KpiMonth, KpiMonthsRefresh, KpiOpen, Status
from wangge.cases.selectors import Kpi, kpis
from wangge.cases.services import CaseInput, case_act, case_intake
from wangge.grids.models import GridLevel, GridNode

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def month(year: int, m: int) -> datetime:
    return local(year, m, 1)


# Deadlines and follow-ups on the edges: the local month's first instant and the one before
# it, the UTC month's edge (08:00 local on the 1st), a local evening that is the next day in no
# zone, and an ordinary day; and none at all.
EDGES = [
    local(2026, 11, 1),
    local(2026, 11, 1) - timedelta(microseconds=1),
    local(2026, 12, 1),
    local(2026, 12, 1) - timedelta(seconds=1),
    datetime(2026, 11, 1, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 11, 1, tzinfo=ZoneInfo("UTC")) - timedelta(seconds=1),
    local(2026, 10, 31, 23, 59),
    local(2027, 1, 1),
    local(2026, 9, 15, 12),
    local(2026, 11, 19, 18),
    local(2026, 11, 25, 9),
    None,
]
PERIODS = [
    (month(2026, 11), month(2026, 12)),
    (month(2026, 10), month(2027, 2)),
    (month(2026, 1), month(2027, 1)),
    (month(2026, 8), month(2026, 9)),
]


@pytest.fixture
def nodes(city: dict[str, GridNode]) -> dict[str, GridNode]:
    return {n.code: n for n in GridNode.objects.all()}


@pytest.fixture
def city_admin(nodes: dict[str, GridNode], make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, nodes[CITY], name="郑市管", is_staff=True)


def _places(nodes: dict[str, GridNode]) -> list[dict[str, Any]]:
    """Where cases lie: in micro-grids of both districts, placed by hand in a street (no
    micro-grid), at each district's desk and at the city's."""

    def located(code: str) -> dict[str, Any]:
        micro = nodes[code]
        community = next(
            n
            for n in nodes.values()
            if micro.path.startswith(n.path) and n.level == GridLevel.COMMUNITY
        )
        street = next(
            n
            for n in nodes.values()
            if micro.path.startswith(n.path) and n.level == GridLevel.STREET
        )
        return {
            "grid_path": micro.path,
            "micro_grid": micro,
            "community": community,
            "street": street,
        }

    return [
        located(MICRO_A1),
        located(MICRO_B1),
        located(OTHER_MICRO),
        {"grid_path": nodes[STREET].path, "street": nodes[STREET]},
        {"grid_path": nodes[OTHER_STREET].path, "street": nodes[OTHER_STREET]},
        {"grid_path": nodes[DISTRICT].path},
        {"grid_path": nodes[OTHER].path},
        {"grid_path": nodes[CITY].path},
    ]


def _varied_cases(nodes: dict[str, GridNode], n: int = 240, seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    places = _places(nodes)
    made: list[Case] = []
    for i in range(n):
        status = rng.choice([s for s in Status.values if s != Status.MERGED])
        if made and rng.random() < 0.06:
            status = Status.MERGED
        resolved = rng.choice(EDGES) if rng.random() < 0.6 else None
        followup = rng.choice(EDGES) if rng.random() < 0.5 else None
        made.append(
            Case.objects.create(
                title=f"事件{i}",
                description="d",
                channel="resident",
                status=status,
                parent=made[0] if status == Status.MERGED else None,
                due_at=rng.choice(EDGES),
                resolved_at=resolved,
                closed_on_time=rng.choice([True, False, None]),
                rework_count=rng.choice([0, 0, 1, 2]),
                extension_count=rng.choice([0, 0, 1]),
                self_handled=rng.random() < 0.3,
                followup_at=followup,
                followup_contacted=rng.choice([True, False, None]),
                followup_solved=rng.choice([True, False, None]),
                satisfaction=rng.choice(["satisfied", "basic", "dissatisfied", ""]),
                **rng.choice(places),
            )
        )
    return made


@pytest.fixture
def varied(nodes: dict[str, GridNode], time_machine: Any) -> list[Case]:
    time_machine.move_to(NOW, tick=False)
    return _varied_cases(nodes)


@pytest.fixture
def counter_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The parent paths `kpis` read from the counters, in order."""
    reads: list[str] = []
    real = kpi_counts.month_sums

    def spy(path: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(kpi_counts, "month_sums", spy)
    return reads


def _all_tables(user: User, parents: list[GridNode]) -> list[tuple[Kpi, list[Kpi]]]:
    return [kpis(user=user, parent=p, start=s, end=e, now=NOW) for p in parents for s, e in PERIODS]


def test_counters_give_the_live_figures(
    nodes: dict[str, GridNode], city_admin: User, varied: list[Case], counter_reads: list[str]
) -> None:
    parents = [nodes[CITY], nodes[DISTRICT], nodes[OTHER]]
    live = _all_tables(city_admin, parents)
    assert counter_reads == []  # never refreshed: counted live
    assert kpi_counts.refresh()["full"] is True
    counted = _all_tables(city_admin, parents)
    assert len(counter_reads) == len(live)
    assert counted == live
    # The set is varied enough to mean something: the city's November has due and followed-up
    # cases, closed and overdue ones, and both districts have rows.
    city_nov, districts = live[0]
    assert city_nov.due > 10 and city_nov.followups > 10 and city_nov.overdue_open > 0
    assert city_nov.closed > 0 and city_nov.basic > 0 and city_nov.self_handled > 0
    assert all(d.due for d in districts) and len(districts) == 2
    # The district's and city's desks count in the total, not in any street or district row.
    district_nov, streets = live[len(PERIODS)]
    assert district_nov.due > sum(s.due for s in streets)
    assert city_nov.due > sum(d.due for d in districts)


def test_month_edges_fall_in_local_months(nodes: dict[str, GridNode], time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)
    street = nodes[STREET]
    for due in (local(2026, 11, 1), local(2026, 11, 1) - timedelta(microseconds=1)):
        Case.objects.create(
            title="t",
            description="d",
            channel="resident",
            status="closed",
            due_at=due,
            grid_path=nodes[MICRO_A1].path,
            micro_grid=nodes[MICRO_A1],
            street=street,
        )
    kpi_counts.refresh()
    by_month = {m.month.month: m.due for m in KpiMonth.objects.filter(street=street, loose=False)}
    assert by_month == {10: 1, 11: 1}


def test_counters_are_not_read_for_part_of_a_month_or_part_of_the_subtree(
    nodes: dict[str, GridNode],
    city_admin: User,
    varied: list[Case],
    cast: dict[str, User],
    make_user: Callable[..., User],
    counter_reads: list[str],
) -> None:
    kpi_counts.refresh()
    city = nodes[CITY]
    # A week is not whole months: counted live.
    kpis(user=city_admin, parent=city, start=local(2026, 11, 2), end=local(2026, 11, 9), now=NOW)
    # A street's table is by community, which the counters do not keep.
    kpis(user=city_admin, parent=nodes[STREET], start=month(2026, 11), end=month(2026, 12))
    # The district's administrator does not see the whole city; a street dispatcher summoned
    # as nothing else sees only the street (and what they reported).
    district_admin = cast["admin"]
    nov: dict[str, Any] = {"start": month(2026, 11), "end": month(2026, 12), "now": NOW}
    kpis(user=district_admin, parent=city, **nov)
    assert counter_reads == []
    # Their own district they hold whole: read from the counters, and the same as live.
    from_counters = kpis(user=district_admin, parent=nodes[DISTRICT], **nov)
    assert counter_reads == [nodes[DISTRICT].path]
    KpiMonthsRefresh.objects.update(refreshed_at=None)
    assert kpis(user=district_admin, parent=nodes[DISTRICT], **nov) == from_counters
    assert counter_reads == [nodes[DISTRICT].path]


def test_stale_counters_are_not_read(
    nodes: dict[str, GridNode],
    city_admin: User,
    varied: list[Case],
    time_machine: Any,
    counter_reads: list[str],
) -> None:
    kpi_counts.refresh()
    nov: dict[str, Any] = {"start": month(2026, 11), "end": month(2026, 12)}
    first = kpis(user=city_admin, parent=nodes[CITY], **nov, now=NOW)
    assert len(counter_reads) == 1
    time_machine.move_to(NOW + kpi_counts.MAX_AGE + timedelta(seconds=1), tick=False)
    again = kpis(user=city_admin, parent=nodes[CITY], **nov, now=NOW)
    assert len(counter_reads) == 1  # the worker stopped: counted live
    assert again == first


def _same_as_live(user: User, parents: list[GridNode], reads: list[str]) -> None:
    reads.clear()
    counted = _all_tables(user, parents)
    assert len(reads) == len(counted)
    refreshed = KpiMonthsRefresh.objects.get().refreshed_at
    KpiMonthsRefresh.objects.update(refreshed_at=None)  # stale: kpis counts the cases
    live = _all_tables(user, parents)
    assert len(reads) == len(counted)
    assert counted == live
    KpiMonthsRefresh.objects.update(refreshed_at=refreshed)


def test_incremental_refresh_follows_each_kind_of_change(
    nodes: dict[str, GridNode],
    city_admin: User,
    varied: list[Case],
    time_machine: Any,
    counter_reads: list[str],
) -> None:
    parents = [nodes[CITY], nodes[DISTRICT], nodes[OTHER]]
    kpi_counts.refresh()
    clock = NOW

    def tick() -> None:
        nonlocal clock
        clock += timedelta(minutes=1)
        time_machine.move_to(clock, tick=False)

    # The next run still sees the cases just written (kpi_counts.OVERLAP); the changes below
    # come after it.
    tick()
    assert kpi_counts.refresh()["streets"] == sorted([nodes[STREET].pk, nodes[OTHER_STREET].pk])

    # A case of a micro-grid resolved, extended into next month and followed up: its street
    # alone is recounted.
    tick()
    case = next(c for c in varied if c.micro_grid_id == nodes[MICRO_A1].pk and c.due_at)
    case.status, case.resolved_at = Status.CLOSED, clock
    case.due_at = local(2026, 12, 1)
    case.extension_count = 1
    case.followup_at, case.followup_contacted, case.satisfaction = clock, True, "satisfied"
    case.save()
    tick()
    result = kpi_counts.refresh()
    assert result["full"] is False and result["streets"] == [nodes[STREET].pk]
    assert result["loose"] is False
    _same_as_live(city_admin, parents, counter_reads)

    # A case at the district's desk placed in the other district's street by hand, and one
    # placed in a street moved to the other street: the cases without a micro-grid are
    # recounted.
    time_machine.move_to(clock + kpi_counts.OVERLAP * 3, tick=False)
    clock += kpi_counts.OVERLAP * 3
    desk = next(c for c in varied if c.grid_path == nodes[DISTRICT].path and c.due_at)
    desk.grid_path, desk.street = nodes[OTHER_STREET].path, nodes[OTHER_STREET]
    desk.save()
    placed = next(c for c in varied if c.grid_path == nodes[STREET].path and c.due_at)
    placed.grid_path, placed.street = nodes[OTHER_STREET].path, nodes[OTHER_STREET]
    placed.save()
    tick()
    result = kpi_counts.refresh()
    assert result["full"] is False and result["loose"] is True and result["streets"] == []
    _same_as_live(city_admin, parents, counter_reads)

    # A case of a micro-grid sent to the other district (转办): its old street is not known
    # any more, so everything is counted again.
    time_machine.move_to(clock + kpi_counts.OVERLAP * 3, tick=False)
    clock += kpi_counts.OVERLAP * 3
    moved = next(
        c for c in varied if c.micro_grid_id == nodes[MICRO_B1].pk and c.due_at and c.pk != case.pk
    )
    moved.micro_grid = moved.community = moved.street = None
    moved.grid_path = nodes[OTHER].path
    moved.save()
    CaseEvent.objects.create(
        case=moved, action=Action.TRANSFER, data={"district": "二七区", "node": OTHER}
    )
    tick()
    assert kpi_counts.refresh()["full"] is True
    _same_as_live(city_admin, parents, counter_reads)

    # Nothing changed since: nothing recounted, and still fresh.
    clock += kpi_counts.OVERLAP * 3
    time_machine.move_to(clock, tick=False)
    assert kpi_counts.refresh() == {
        "full": False,
        "streets": [],
        "overdue": [],
        "loose": False,
        "rows": 0,
    }
    assert kpi_counts.fresh_as_of("default") == clock


def test_the_page_reads_the_counters(
    nodes: dict[str, GridNode], city_admin: User, varied: list[Case], counter_reads: list[str]
) -> None:
    from django.test import Client

    kpi_counts.refresh()
    client = Client()
    client.force_login(city_admin)
    resp = client.get(f"/cases/kpi/{CITY}/?start=2026-11-01&end=2026-12-01")
    assert resp.status_code == 200
    assert counter_reads == [nodes[CITY].path]


def test_an_open_case_passing_its_deadline_is_counted_again(
    nodes: dict[str, GridNode], city_admin: User, varied: list[Case], time_machine: Any
) -> None:
    """No one touches it, yet it is overdue now: the refresh recounts its street, and the
    counters' overdue cases are the live ones."""
    street = nodes[OTHER_STREET]
    case = Case.objects.create(
        title="将超期",
        description="d",
        channel="resident",
        status=Status.SIGNED,
        due_at=NOW + timedelta(minutes=2),
        grid_path=nodes[OTHER_MICRO].path,
        micro_grid=nodes[OTHER_MICRO],
        street=street,
    )
    kpi_counts.refresh()
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)
    kpi_counts.refresh()  # the cases just written, seen once more (OVERLAP)
    later = NOW + timedelta(minutes=3)
    time_machine.move_to(later, tick=False)
    result = kpi_counts.refresh()
    assert result["streets"] == [] and result["overdue"] == [street.pk]
    nov: dict[str, Any] = {"start": month(2026, 11), "end": month(2026, 12), "now": later}
    counted = kpis(user=city_admin, parent=nodes[OTHER], **nov)
    KpiMonthsRefresh.objects.update(refreshed_at=None)
    live = kpis(user=city_admin, parent=nodes[OTHER], **nov)
    assert counted == live
    assert case.due_at is not None and case.due_at < later


def test_a_transfer_to_another_district_recounts_everything(
    nodes: dict[str, GridNode], city_admin: User, cast: dict[str, User], time_machine: Any
) -> None:
    """Through the real 转办: the case leaves its micro-grid and street, and the street that
    counted it is not recorded; the next refresh is a full pass and agrees with the cases."""
    time_machine.move_to(NOW, tick=False)
    case, _created = case_intake(
        data=CaseInput(description="陇海路下水道堵了", lon=FIRST_POINT[0], lat=FIRST_POINT[1]),
        actor=cast["resident"],
    )
    case.refresh_from_db()
    assert case.micro_grid_id is not None and case.street_id == nodes[STREET].pk
    kpi_counts.refresh()
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)
    kpi_counts.refresh()
    time_machine.move_to(NOW + timedelta(minutes=2), tick=False)
    case_act(
        case_id=case.pk,
        actor=cast["dispatcher"],
        action="transfer",
        note="属二七区陇海路",
        params={"node": OTHER},
    )
    time_machine.move_to(NOW + timedelta(minutes=3), tick=False)
    assert kpi_counts.refresh()["full"] is True
    assert not KpiOpen.objects.filter(street=nodes[STREET]).exists()
    later = NOW + timedelta(minutes=3)
    nov: dict[str, Any] = {"start": month(2026, 11), "end": month(2026, 12), "now": later}
    counted = [kpis(user=city_admin, parent=nodes[c], **nov) for c in (CITY, DISTRICT, OTHER)]
    KpiMonthsRefresh.objects.update(refreshed_at=None)
    live = [kpis(user=city_admin, parent=nodes[c], **nov) for c in (CITY, DISTRICT, OTHER)]
    assert counted == live
    assert counted[2][0].open_cases == 1 and counted[1][0].open_cases == 0
