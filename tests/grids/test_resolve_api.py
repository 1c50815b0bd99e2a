"""GET /api/v1/grids/resolve-address: the building, its micro-grid and path — or an honest no."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import MICRO_A1, MICRO_B1
from wangge.grids.services import buildings_import

URL = "/api/v1/grids/resolve-address"

BUILDINGS = (
    "address,lon,lat,code,aliases\n"
    "中原区伊河路百花里1号楼,113.6005,34.7505,BH1,原国棉三厂家属院1号楼\n"
    "中原区伊河路百花里2号楼,113.6008,34.7508,BH2,\n"
    "中原区伊河路百花里3号楼,113.6011,34.7511,BH3,\n"
    "中原区桐柏路123号院5号楼,113.6060,34.7520,TB5,\n"
)


@pytest.fixture
def api(cast: dict[str, Any]) -> Client:
    buildings_import(BUILDINGS)
    client = Client()
    client.force_login(cast["dispatcher"])
    return client


@pytest.mark.parametrize(
    ("q", "code", "micro"),
    [
        ("郑州市中原区伊河路百花里三号楼2单元501室", "BH3", MICRO_A1),
        ("伊河路 百花里 ３号楼", "BH3", MICRO_A1),
        ("国棉三厂家属院1号楼", "BH1", MICRO_A1),
        ("桐柏路123号院五栋", "TB5", MICRO_B1),
    ],
)
def test_variants_resolve_to_the_building_and_its_grid(
    api: Client, q: str, code: str, micro: str
) -> None:
    body = api.get(URL, {"q": q}).json()
    assert body["building"]["code"] == code
    assert body["micro_grid"]["code"] == micro
    assert [n["level"] for n in body["path"]][-1] == "micro"
    assert body["confidence"] >= body["threshold"]
    assert body["message"] == "已匹配到楼栋"


def test_unknown_building_number_is_refused_with_candidates(api: Client) -> None:
    body = api.get(URL, {"q": "伊河路百花里9号楼"}).json()
    assert body["building"] is None
    assert body["micro_grid"] is None
    assert body["path"] == []
    assert body["confidence"] < body["threshold"]
    assert len(body["candidates"]) <= 5
    scores = [c["score"] for c in body["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_nonsense_is_refused(api: Client) -> None:
    body = api.get(URL, {"q": "今天天气不错"}).json()
    assert body["building"] is None
    assert body["message"] in {
        "未找到匹配的地址",
        "无法确定是哪一栋楼，请从候选地址中选择或补充地址",
    }


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "路" * 201}], ids=["missing", "empty", "too-long"]
)
def test_bad_queries_are_422(api: Client, params: dict[str, str]) -> None:
    resp = api.get(URL, params)
    assert resp.status_code == 422
    assert resp.json()["detail"] == "请求参数不正确"


def test_new_buildings_are_found_after_import(api: Client) -> None:
    assert api.get(URL, {"q": "桐柏路123号院6号楼"}).json()["building"] is None
    buildings_import("address,lon,lat,code\n中原区桐柏路123号院6号楼,113.6061,34.7521,TB6\n")
    assert api.get(URL, {"q": "桐柏路123号院6号楼"}).json()["building"]["code"] == "TB6"
