"""A small 派单目录, two departments, and people on the test tree's units."""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXCLUSIVE, GRID_A, STREET
from wangge.accounts.models import Role, User
from wangge.cases.models import Case, Category, Department, WorkingHours
from wangge.cases.services import CaseInput, case_intake
from wangge.core.images import CleanImage
from wangge.grids.models import GridNode
from wangge.grids.services import buildings_import, roads_import

DATA = Path(__file__).parent / "data"
# The yearly files an administrator imports (wangge load_calendar --file): 2026 as the State
# Council published it; 2027 laid out as its notice would be (see the file's note).
CALENDAR_2026 = DATA / "calendar-2026.csv"
CALENDAR_2027 = DATA / "calendar-2027.json"


def load_calendar(*files: Path) -> None:
    from wangge.cases import holidays, sla

    for f in files:
        holidays.calendar_file_load(content=f.read_bytes(), filename=f.name)
    sla.invalidate_calendar()


# A crossing's corner the roads below place in micro-grid B1 (grids.selectors.resolve_address
# reads it as a place without a building), and the crossing itself, on the A2/B1 border.
CORNER = "建设路与桐柏路交叉口东北角"
CROSSING = "建设路与桐柏路交叉口"


def crossing_roads() -> None:
    """建设路 north–south on the border of A2 and B1; 桐柏路 east–west through both (as in
    tests/cases/test_routing.py)."""
    lines = {
        "建设路": [[113.604, 34.749], [113.604, 34.755]],
        "桐柏路": [[113.599, 34.7525], [113.609, 34.7525]],
    }
    roads_import(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": name},
                    "geometry": {"type": "LineString", "coordinates": line},
                }
                for name, line in lines.items()
            ],
        }
    )


# Points inside the test tree's micro-grids (see tests/conftest.py).
IN_A1 = (113.6005, 34.7505)
IN_B1 = (113.6070, 34.7530)
IN_EXCLUSIVE = (113.6020, 34.7520)


@pytest.fixture
def catalogue(db: Any) -> dict[str, Category]:
    WorkingHours.objects.create()
    cgj = Department.objects.create(code="CGJ", name="城管局")
    Department.objects.create(code="ZJJ", name="住建局")
    Department.objects.create(code="XF", name="消防救援大队")
    parent = Category.objects.create(code="CSGL", name="城市管理")
    cats = {
        "street_vendor": Category.objects.create(
            code="CSGL-01",
            name="占道经营",
            parent=parent,
            tier="general",
            department=cgj,
            keywords=["摆摊", "占道"],
        ),
        "heating": Category.objects.create(
            code="GN-01",
            name="暖气不热",
            tier="general",
            resolve_amount=24,
            resolve_unit="calendar_hours",
            keywords=["暖气"],
        ),
        "illegal_building": Category.objects.create(
            code="WJ-01",
            name="违章建筑",
            tier="complex",
            resolve_amount=15,
            resolve_unit="working_days",
            keywords=["违建"],
        ),
        "flying_wire": Category.objects.create(
            code="XF-01",
            name="飞线充电",
            tier="difficult",
            resolve_amount=7,
            resolve_unit="working_days",
            keywords=["飞线"],
        ),
    }
    return cats


@pytest.fixture
def people(
    cast: dict[str, User], make_user: Callable[..., User], tree: dict[str, GridNode], catalogue: Any
) -> dict[str, User]:
    people = dict(cast)
    people["exclusive_leader"] = make_user(
        Role.EXCLUSIVE_GRID_LEADER, tree[EXCLUSIVE], name="冯晓燕"
    )
    people["grid_leader_a"] = make_user(Role.GRID_LEADER, tree[GRID_A], name="李志强")
    for key, name, code in (("cgj", "王海涛", "CGJ"), ("zjj", "刘建", "ZJJ")):
        user = make_user(Role.DEPARTMENT_HANDLER, tree[STREET], name=name)
        Department.objects.get(code=code).members.add(user)
        people[key] = user
    buildings_import(
        "address,lon,lat,code\n"
        "中原区伊河路百花里3号楼,113.6008,34.7508,BH3\n"
        "中原区桐柏路123号院5号楼,113.6060,34.7520,TB5\n"
    )
    return people


@pytest.fixture
def report(people: dict[str, User]) -> Callable[..., Case]:
    """A resident's report at a point in micro-grid A1 (or wherever asked)."""

    def make(
        description: str = "小区门口有人摆摊占道，堵住出入口",
        *,
        at: tuple[float, float] | None = IN_A1,
        category: str = "CSGL-01",
        actor: User | None = None,
        photos: Sequence[CleanImage] = (),
        **kw: Any,
    ) -> Case:
        lon, lat = at if at else (None, None)
        case, _created = case_intake(
            data=CaseInput(description=description, category_code=category, lon=lon, lat=lat, **kw),
            actor=actor or people["resident"],
            photos=photos,
        )
        return case

    return make
