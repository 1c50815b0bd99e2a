"""附近: service places nearest first, from the phone's position or the resident's home."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import COMMUNITY
from wangge.core.errors import ValidationFailed
from wangge.grids.coords import distance_m
from wangge.notices.models import ServicePlace
from wangge.notices.services import service_place_add


def place(
    tree: dict[str, Any], name: str, lon: float, lat: float, kind: str = "grid_home", **kw: Any
) -> ServicePlace:
    return ServicePlace.objects.create(
        kind=kind, name=name, address="伊河路", lon=lon, lat=lat, node=tree[COMMUNITY], **kw
    )


def test_distance_is_right_for_zhengzhou() -> None:
    # 0.01° of longitude at latitude 34.75 is about 914 m.
    assert 905 < distance_m(113.60, 34.75, 113.61, 34.75) < 925


def test_nearest_first_from_the_phone(cast: dict[str, Any], tree: dict[str, Any]) -> None:
    place(tree, "远的网格家园", 113.640, 34.750, services=["water", "charge"], hours="8:00-20:00")
    place(tree, "近的爱心驿站", 113.601, 34.751, kind="care_station")
    place(tree, "停用的点", 113.6005, 34.7505, is_active=False)
    c = Client()
    c.force_login(cast["resident"])
    page = c.get("/m/nearby/", {"lon": 113.6005, "lat": 34.7505}).content.decode()
    assert page.index("近的爱心驿站") < page.index("远的网格家园")
    assert "停用的点" not in page
    assert "可饮水、可充电" in page and "米" in page and "公里" in page
    only = c.get(
        "/m/nearby/", {"kind": "care_station", "lon": 113.6005, "lat": 34.7505}
    ).content.decode()
    assert "近的爱心驿站" in only and "远的网格家园" not in only


def test_home_grid_is_the_default_position_and_bad_input_is_ignored(
    cast: dict[str, Any], tree: dict[str, Any]
) -> None:
    place(tree, "社区党群服务中心", 113.6012, 34.7511, kind="party_center")
    c = Client()
    c.force_login(cast["resident"])
    page = c.get("/m/nearby/", {"lon": "abc", "lat": "999", "kind": "nonsense"}).content.decode()
    assert "社区党群服务中心" in page and "米" in page  # measured from the home micro-grid
    # Someone with no home yet still sees public service places, just without distances.
    other = Client()
    other.force_login(cast["outsider"])
    page = other.get("/m/nearby/").content.decode()
    assert "社区党群服务中心" in page and "米" not in page


def test_residents_find_the_nearest_place_offering_what_they_need(
    cast: dict[str, Any], tree: dict[str, Any]
) -> None:
    place(tree, "近的爱心驿站", 113.601, 34.751, kind="care_station", services=["water"])
    place(tree, "远的网格家园", 113.640, 34.750, services=["meals", "wash", "water"])
    place(tree, "更远的网格家园", 113.650, 34.750, services=["meals"])
    c = Client()
    c.force_login(cast["resident"])
    near = {"lon": 113.6005, "lat": 34.7505}
    meals = c.get("/m/nearby/", {"offer": "meals", **near}).content.decode()
    assert "近的爱心驿站" not in meals
    assert meals.index("远的网格家园") < meals.index("更远的网格家园")
    # The 八可 in the reports' words, in their order, whatever order they were ticked in.
    assert "可饮水、可餐食、可盥洗" in meals
    assert 'href="?offer=meals"' in meals and "可餐食" in meals
    # An offer and a kind together; an offer nobody makes says so.
    both = c.get("/m/nearby/", {"offer": "water", "kind": "care_station", **near}).content
    assert "近的爱心驿站" in both.decode() and "远的网格家园" not in both.decode()
    none = c.get("/m/nearby/", {"offer": "internet", **near}).content.decode()
    assert "附近没有提供这项服务的服务点" in none
    # Something not among the 八可 is ignored, not an error.
    assert c.get("/m/nearby/", {"offer": "可就餐"}).status_code == 200


def test_only_the_eight_offers_are_stored(tree: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        service_place_add(
            node=tree[COMMUNITY],
            kind="grid_home",
            name="网格家园",
            address="伊河路",
            lon=113.601,
            lat=34.751,
            services=["meals", "可就餐"],
        )
    assert "可就餐" in refused.value.message
    ok = service_place_add(
        node=tree[COMMUNITY],
        kind="grid_home",
        name="网格家园",
        address="伊河路",
        lon=113.601,
        lat=34.751,
        services=["wash", "meals", "wash"],
    )
    assert ok.services == ["wash", "meals"] and ok.offers == ["可餐食", "可盥洗"]
