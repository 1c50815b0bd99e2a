"""Two districts in one instance, with or without the city above them.

The conftest cast lives in 410102 (中原区). A second district, 410103, lies west of it with the
same shape of tree; `city` puts both under 410100, as importing a city file does.
"""

from collections.abc import Callable
from typing import Any

import pytest

from tests.cases.conftest import catalogue, people  # noqa: F401 (fixtures for the tests here)
from tests.conftest import DISTRICT, box, feature
from wangge.accounts.models import Role, User
from wangge.grids import indexes
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import

OTHER = "410103"
OTHER_STREET, OTHER_COMMUNITY = f"{OTHER}001", f"{OTHER}001001"
OTHER_GRID, OTHER_MICRO = f"{OTHER_COMMUNITY}001", f"{OTHER_COMMUNITY}001001"
CITY = "410100"
# A point inside OTHER_MICRO, and one inside the first district's micro-grid B1.
OTHER_POINT = (113.503, 34.752)
FIRST_POINT = (113.607, 34.753)


def other_district_features(parent: str | None = None) -> list[dict[str, Any]]:
    return [
        feature(OTHER, "二七区", "district", parent, box(113.45, 34.70, 113.55, 34.80)),
        feature(OTHER_STREET, "淮河路街道", "street", OTHER, box(113.49, 34.74, 113.52, 34.76)),
        feature(
            OTHER_COMMUNITY,
            "陇海社区",
            "community",
            OTHER_STREET,
            box(113.50, 34.75, 113.508, 34.754),
        ),
        feature(
            OTHER_GRID, "陇海第1网格", "grid", OTHER_COMMUNITY, box(113.50, 34.75, 113.508, 34.754)
        ),
        feature(
            OTHER_MICRO, "陇海C1 微网格", "micro", OTHER_GRID, box(113.50, 34.75, 113.508, 34.754)
        ),
    ]


@pytest.fixture
def two_districts(tree: dict[str, GridNode]) -> dict[str, GridNode]:
    grids_import({"type": "FeatureCollection", "features": other_district_features()})
    indexes.invalidate()
    return {n.code: n for n in GridNode.objects.all()}


@pytest.fixture
def city(two_districts: dict[str, GridNode]) -> dict[str, GridNode]:
    """The city imported above both districts: a city feature, and each district again with
    the city as its parent (the import moves each district's subtree under it)."""
    district = two_districts[DISTRICT]
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(CITY, "郑州市", "city", None, box(113.40, 34.60, 113.80, 34.90)),
                feature(DISTRICT, district.name, "district", CITY, district.boundary),
                feature(OTHER, "二七区", "district", CITY, two_districts[OTHER].boundary),
            ],
        }
    )
    indexes.invalidate()
    return {n.code: n for n in GridNode.objects.all()}


@pytest.fixture
def other_people(
    two_districts: dict[str, GridNode], make_user: Callable[..., User]
) -> dict[str, User]:
    return {
        "resident": make_user(Role.RESIDENT, two_districts[OTHER_MICRO], name="马桂芝"),
        "worker": make_user(Role.GRID_WORKER, two_districts[OTHER_GRID], name="冯志强"),
        "dispatcher": make_user(Role.STREET_DISPATCHER, two_districts[OTHER_STREET], name="卢海涛"),
        "admin": make_user(Role.ADMIN, two_districts[OTHER], name="韩立新", is_staff=True),
    }
