"""The 10-minute 党群服务圈 on a known layout: a 网格家园 in A1, buildings at known distances from
it (one just inside 800 m, one just outside), another community's 党群服务中心 reaching across
the line, and what each role sees."""

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import COMMUNITY, GRID_A, GRID_B
from wangge.accounts.models import User
from wangge.grids.coords import distance_m
from wangge.grids.models import Building, GridNode, Road
from wangge.notices.models import ServicePlace
from wangge.ops import circle
from wangge.residents.models import Household, ResidenceKind

pytestmark = pytest.mark.django_db

HOME = (113.6010, 34.7505)  # the 网格家园, in A1
# Due east of it along the same latitude: 0.0087° ≈ 796 m, 0.0088° ≈ 805 m at 34.75°N.
INSIDE = (113.6010 + 0.0087, 34.7505)
OUTSIDE = (113.6010 + 0.0088, 34.7505)


def _building(code: str, at: tuple[float, float], micro: str, households: int) -> Building:
    b = Building.objects.create(
        code=code,
        address=f"测试路{code}号楼",
        lon=at[0],
        lat=at[1],
        micro_grid=GridNode.objects.get(code=micro),
    )
    for i in range(households):
        Household.objects.create(
            building=b, room=f"{i + 1}01", kind=ResidenceKind.HUJI, grid_path=b.micro_grid.path
        )
    return b


@pytest.fixture
def layout(cast: dict[str, User], tree: dict[str, GridNode]) -> dict[str, Any]:
    assert 790 < distance_m(*HOME, *INSIDE) < 800 < distance_m(*HOME, *OUTSIDE) < 810
    ServicePlace.objects.create(
        kind=ServicePlace.Kind.GRID_HOME,
        name="碧沙岗网格家园",
        address="伊河路",
        lon=HOME[0],
        lat=HOME[1],
        node=tree[COMMUNITY],
    )
    # A 爱心驿站 beside the far building does not make a 党群服务 circle; a closed centre neither.
    ServicePlace.objects.create(
        kind=ServicePlace.Kind.CARE_STATION,
        name="爱心驿站",
        address="桐柏路",
        lon=OUTSIDE[0],
        lat=OUTSIDE[1],
        node=tree[COMMUNITY],
    )
    ServicePlace.objects.create(
        kind=ServicePlace.Kind.PARTY_CENTER,
        name="停用的中心",
        address="桐柏路",
        lon=OUTSIDE[0],
        lat=OUTSIDE[1],
        node=tree[COMMUNITY],
        is_active=False,
    )
    micro_a1 = f"{GRID_A}001"
    micro_b1 = f"{GRID_B}001"
    return {
        "near": _building("C1", HOME, micro_a1, 3),
        "inside": _building("C2", INSIDE, micro_b1, 2),
        "outside": _building("C3", OUTSIDE, micro_b1, 4),
    }


def test_households_within_800_metres_are_reached(
    layout: dict[str, Any], cast: dict[str, User], tree: dict[str, GridNode]
) -> None:
    report = circle.circle(cast["community"], tree[COMMUNITY])
    assert (report.unit.households, report.unit.covered, report.unit.gaps) == (9, 5, 4)
    assert report.own_places == 1  # the 网格家园: not the 爱心驿站, not the closed centre
    rows = {r.code: (r.households, r.covered, r.gaps) for r in report.children}
    assert rows == {GRID_A: (3, 3, 0), GRID_B: (6, 2, 4)}
    [gap] = report.gaps
    assert gap.address == "测试路C3号楼" and gap.households == 4
    assert gap.nearest == "碧沙岗网格家园" and 800 < gap.nearest_m < 810


def test_a_centre_across_the_line_reaches_the_building(
    layout: dict[str, Any], cast: dict[str, User], tree: dict[str, GridNode], settings: Any
) -> None:
    # The circle's size is a setting: at 500 m the middle building falls out too.
    settings.SERVICE_CIRCLE_M = 500
    report = circle.circle(cast["community"], tree[COMMUNITY])
    assert [g.address for g in report.gaps] == ["测试路C3号楼", "测试路C2号楼"]
    ServicePlace.objects.create(
        kind=ServicePlace.Kind.PARTY_CENTER,
        name="邻街党群服务中心",
        address="外街",
        lon=OUTSIDE[0] + 0.001,
        lat=OUTSIDE[1],
        node=tree[COMMUNITY],
    )
    assert circle.circle(cast["community"], tree[COMMUNITY]).unit.gaps == 0


def test_each_role_sees_its_own_part(layout: dict[str, Any], cast: dict[str, User]) -> None:
    worker_a = Client()
    worker_a.force_login(cast["worker_a"])
    page = worker_a.get("/ops/circle/").content.decode()
    assert "十分钟党群服务圈" in page and "所有住户都在十分钟服务圈内" in page
    assert worker_a.get(f"/ops/circle/{GRID_B}/").status_code == 404
    staff = Client()
    staff.force_login(cast["community"])
    page = staff.get("/ops/circle/").content.decode()
    assert "测试路C3号楼" in page and "碧沙岗网格家园" in page
    assert 'id="circle-data"' in page
    resident = Client()
    resident.force_login(cast["resident"])
    assert resident.get("/ops/circle/").status_code == 403


def _road(name: str, *points: tuple[float, float]) -> Road:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return Road.objects.create(
        name=name,
        geometry={"type": "LineString", "coordinates": [list(p) for p in points]},
        west=min(lons),
        south=min(lats),
        east=max(lons),
        north=max(lats),
    )


# 300 m north of the 网格家园's latitude: 0.0027° ≈ 300 m.
NORTH = 34.7505 + 0.0027


def test_where_roads_are_imported_the_walk_goes_along_them(
    layout: dict[str, Any], cast: dict[str, User], tree: dict[str, GridNode]
) -> None:
    # The only way east goes 300 m north, across and back: the building 796 m away in a
    # straight line is some 1,400 m away on foot, outside the circle.
    _road("绕行路", HOME, (HOME[0], NORTH), (INSIDE[0], NORTH), INSIDE)
    report = circle.circle(cast["community"], tree[COMMUNITY])
    assert report.by_road
    gaps = {g.address: g for g in report.gaps}
    assert set(gaps) == {"测试路C2号楼", "测试路C3号楼"}
    walked = gaps["测试路C2号楼"]
    assert walked.by_road and walked.nearest == "碧沙岗网格家园"
    assert 1380 < walked.nearest_m < 1410
    # The building beside the place is reached: nobody walks out to the road and back.
    assert (report.unit.households, report.unit.covered) == (9, 3)
    # The page says the walk is along the roads, and its map draws no straight-line rings.
    staff = Client()
    staff.force_login(cast["community"])
    page = staff.get("/ops/circle/").content.decode()
    assert "沿道路步行" in page and "步行距离" in page and "直线距离" not in page
    data = json.loads(page.split('id="circle-data" type="application/json">')[1].split("</")[0])
    assert data["by_road"] is True
    assert {g["away"] for g in data["gaps"]} == {f"步行 {g.nearest_m} 米" for g in report.gaps}
    # A straight street to it brings it back inside; the one 805 m away stays out.
    _road("直街", HOME, INSIDE)
    report = circle.circle(cast["community"], tree[COMMUNITY])
    assert [g.address for g in report.gaps] == ["测试路C3号楼"]
    assert report.gaps[0].by_road and 800 < report.gaps[0].nearest_m < 830


def test_roads_that_do_not_join_leave_the_straight_line(
    layout: dict[str, Any], cast: dict[str, User], tree: dict[str, GridNode], settings: Any
) -> None:
    # Two short lanes that meet nowhere: the walk is not known, the straight line stands.
    _road("家园巷", (HOME[0], HOME[1] - 0.0005), (HOME[0], HOME[1] + 0.0005))
    _road("东巷", (OUTSIDE[0], OUTSIDE[1] - 0.0005), (OUTSIDE[0], OUTSIDE[1] + 0.0005))
    report = circle.circle(cast["community"], tree[COMMUNITY])
    [gap] = report.gaps
    assert gap.address == "测试路C3号楼" and not gap.by_road and 800 < gap.nearest_m < 810
    # Straight lines by setting, roads or not.
    _road("绕行路", HOME, (HOME[0], NORTH), (INSIDE[0], NORTH), INSIDE)
    assert len(circle.circle(cast["community"], tree[COMMUNITY]).gaps) == 2
    settings.SERVICE_CIRCLE_WALK = "straight"
    report = circle.circle(cast["community"], tree[COMMUNITY])
    assert not report.by_road and [g.address for g in report.gaps] == ["测试路C3号楼"]
