"""Where a map opens comes from the imported tree: the person's own area, else the nearest
ancestor with a centre, else the tree's top node — never a city written into the code."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from tests.conftest import COMMUNITY, DISTRICT, MICRO_A1, box, feature
from wangge.grids.models import GridNode
from wangge.grids.selectors import map_centre
from wangge.grids.services import grids_import

pytestmark = pytest.mark.django_db


def centre_of(node: GridNode) -> tuple[float, float]:
    assert node.centroid_lon is not None and node.centroid_lat is not None
    return (node.centroid_lon, node.centroid_lat)


def test_a_node_opens_on_itself_then_on_its_nearest_ancestor_then_on_the_tree(
    tree: dict[str, GridNode],
) -> None:
    assert map_centre(tree[MICRO_A1]) == centre_of(tree[MICRO_A1])
    # A grid imported without a boundary (only micro-grids must have one) has no centre of its
    # own: its community's.
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [feature(f"{COMMUNITY}009", "无边界网格", "grid", COMMUNITY, None)],
        }
    )
    bare = GridNode.objects.get(code=f"{COMMUNITY}009")
    assert bare.centroid_lon is None
    assert map_centre(bare) == centre_of(tree[COMMUNITY])
    # Nobody's area at all: the top of the imported tree.
    assert map_centre(None) == centre_of(tree[DISTRICT])


def test_another_city_opens_on_its_own_tree(db: Any) -> None:
    assert map_centre(None) is None  # nothing imported: no place to invent
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature("410302", "老城区", "district", None, box(112.45, 34.66, 112.51, 34.70))
            ],
        }
    )
    lon, lat = map_centre(None) or (0.0, 0.0)
    assert 112.45 < lon < 112.51 and 34.66 < lat < 34.70


def test_a_resident_without_a_grid_gets_the_districts_centre_on_the_report_map(
    tree: dict[str, GridNode], make_user: Any
) -> None:
    c = Client()
    c.force_login(make_user(name="新来的居民"))
    page = c.get("/m/report/").content.decode()
    config = re.search(r'<script id="m-map-config" type="application/json">(.*?)</script>', page)
    assert config is not None
    assert tuple(json.loads(config.group(1))["center"]) == centre_of(tree[DISTRICT])
