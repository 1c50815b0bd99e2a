"""GET /api/v1/grids/locate: inside, on a shared border, outside, exclusive grids, each CRS."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import DISTRICT, EXCLUSIVE, GRID_A, MICRO_A1, MICRO_A2, MICRO_B1
from wangge.grids.coords import wgs84_to_bd09, wgs84_to_gcj02

URL = "/api/v1/grids/locate"


@pytest.fixture
def api(cast: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(cast["resident"])
    return client


def test_point_inside_a_micro_grid_gives_its_whole_path(api: Client) -> None:
    body = api.get(URL, {"lon": 113.6005, "lat": 34.7505}).json()
    assert body["micro_grid"] == {"code": MICRO_A1, "name": "A1 微网格", "level": "micro"}
    assert body["exclusive_grid"] is None
    assert [n["level"] for n in body["path"]] == [
        "district",
        "street",
        "community",
        "grid",
        "micro",
    ]
    assert body["path"][0]["code"] == DISTRICT
    assert body["path"][3]["code"] == GRID_A


def test_point_on_a_shared_border_goes_to_the_smaller_code(api: Client) -> None:
    # lon 113.602 is the border of A1 and A2; 113.604 the border of grid A and grid B.
    assert api.get(URL, {"lon": 113.602, "lat": 34.7505}).json()["micro_grid"]["code"] == MICRO_A1
    assert api.get(URL, {"lon": 113.604, "lat": 34.7505}).json()["micro_grid"]["code"] == MICRO_A2
    # The same answer every time, and on a shared corner too.
    corner = [
        api.get(URL, {"lon": 113.602, "lat": 34.754}).json()["micro_grid"]["code"] for _ in range(3)
    ]
    assert corner == [MICRO_A1] * 3


def test_point_inside_an_exclusive_grid_names_both(api: Client) -> None:
    body = api.get(URL, {"lon": 113.6020, "lat": 34.7520}).json()
    assert body["exclusive_grid"]["code"] == EXCLUSIVE
    assert body["micro_grid"]["code"] in (MICRO_A1, MICRO_A2)


def test_point_outside_every_grid_is_404_with_detail(api: Client) -> None:
    resp = api.get(URL, {"lon": 116.4, "lat": 39.9})
    assert resp.status_code == 404
    assert resp.json() == {"detail": "该位置不在任何网格内"}


@pytest.mark.parametrize("convert", [wgs84_to_gcj02, wgs84_to_bd09], ids=["gcj02", "bd09"])
def test_other_coordinate_systems_are_converted(api: Client, convert: Any) -> None:
    crs = "gcj02" if convert is wgs84_to_gcj02 else "bd09"
    lon, lat = convert(113.606, 34.752)
    body = api.get(URL, {"lon": lon, "lat": lat, "crs": crs}).json()
    assert body["micro_grid"]["code"] == MICRO_B1
    assert body["lon"] == pytest.approx(113.606, abs=1e-6)
    # Without saying the CRS, the same numbers fall ~500 m away, outside our small tree.
    assert api.get(URL, {"lon": lon, "lat": lat}).json().get("micro_grid", {}) != {"code": MICRO_B1}


@pytest.mark.parametrize(
    "params",
    [
        {"lon": "abc", "lat": "34.75"},
        {"lon": "113.6"},
        {"lon": "nan", "lat": "34.75"},
        {"lon": "200", "lat": "34.75"},
        {"lon": "113.6", "lat": "34.75", "crs": "utm"},
    ],
    ids=["not-a-number", "missing", "nan", "out-of-range", "unknown-crs"],
)
def test_bad_numbers_are_422_with_detail(api: Client, params: dict[str, str]) -> None:
    resp = api.get(URL, params)
    assert resp.status_code == 422
    assert resp.json()["detail"] == "请求参数不正确"


def test_anonymous_callers_are_refused(cast: dict[str, Any]) -> None:
    resp = Client().get(URL, {"lon": 113.6005, "lat": 34.7505})
    assert resp.status_code == 401
    assert resp.json() == {"detail": "未登录或令牌无效"}


def test_index_follows_a_reimport(api: Client, tree: Any) -> None:
    from tests.conftest import box, feature
    from wangge.grids.services import grids_import

    assert api.get(URL, {"lon": 113.607, "lat": 34.753}).json()["micro_grid"]["code"] == MICRO_B1
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    MICRO_B1,
                    "B1 微网格",
                    "micro",
                    "410102001002002",
                    box(113.604, 34.750, 113.606, 34.754),
                ),
            ],
        }
    )
    assert api.get(URL, {"lon": 113.607, "lat": 34.753}).status_code == 404
