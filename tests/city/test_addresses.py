"""The district written in front of an address picks between two districts' same address,
whether the districts stand alone or under a city, with either engine.

Under a city every path starts with the city's code: the district an address lies in is the
district node above it, not the path's first code (which once made every district of a city one
"district", so 二七区嵩山路257号 and 中原区嵩山路257号 tied and were both refused)."""

from typing import Any

import pytest
from django.db import connection

from tests.city.conftest import FIRST_POINT, OTHER_POINT
from tests.grids.test_database_engine import engine_schema  # noqa: F401 (a fixture)
from wangge.grids import indexes, selectors
from wangge.grids.models import Building, GridNode
from wangge.grids.services import buildings_import

pytestmark = pytest.mark.django_db

ENGINES = [
    "memory",
    pytest.param(
        "database",
        marks=pytest.mark.skipif(
            connection.vendor != "postgresql", reason="the database engine runs on PostgreSQL"
        ),
    ),
]


@pytest.fixture(params=["two_districts", "city"])
def districts(request: Any) -> dict[str, GridNode]:
    return dict(request.getfixturevalue(request.param))


@pytest.mark.parametrize("engine", ENGINES)
def test_the_district_in_front_picks_between_two_districts_same_address(
    engine_schema: None,  # noqa: F811 (the fixture imported above; before the test's data)
    districts: dict[str, GridNode],
    engine: str,
    settings: Any,
) -> None:
    buildings_import(
        "address,lon,lat,code\n"
        f"郑州市中原区嵩山路257号1号楼,{FIRST_POINT[0]},{FIRST_POINT[1]},ZY257\n"
        f"郑州市二七区嵩山路257号1号楼,{OTHER_POINT[0]},{OTHER_POINT[1]},EQ257\n"
    )
    settings.GRID_ENGINE = engine
    indexes.invalidate()
    try:
        ours = Building.objects.get(code="ZY257")
        theirs = Building.objects.get(code="EQ257")
        assert selectors.resolve_address(q="二七区嵩山路257号1号楼").building == theirs
        assert selectors.resolve_address(q="郑州市中原区嵩山路257号1号楼").building == ours
        # Named by neither: both are offered, neither is chosen.
        both = selectors.resolve_address(q="嵩山路257号1号楼")
        assert both.building is None
        assert {c.building_id for c in both.resolution.candidates} >= {ours.pk, theirs.pk}
    finally:
        indexes.invalidate()
