"""A village named alone is where its people live; a town is said without its word; an
address in English order may end with the city the tree does not hold.

The district: 武鸣区 with two towns, each with a village called 那莲村 of two micro-grids
(west and east). 太平镇's 那莲村 has all its houses in its west grid (the east is fields);
双桥镇's has them in its west grid too, and the town's government on 双桥街 stands in its east
grid; 驮湾村's houses stand in both its grids; 庆乐村 has two houses only.

    太平镇: 那莲村 W | E   驮湾村 W | E   庆乐村 W | E
    双桥镇: 那莲村 W | E
"""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import box, feature
from wangge.grids import indexes
from wangge.grids.services import buildings_import, grids_import

URL = "/api/v1/grids/resolve-address"
D = "450110"
TAIPING, SHUANGQIAO = f"{D}101", f"{D}102"
NALIAN_T, TUOWAN, QINGLE = f"{TAIPING}201", f"{TAIPING}202", f"{TAIPING}203"
NALIAN_S = f"{SHUANGQIAO}201"


def _village(code: str, name: str, town: str, w: float, s: float) -> list[dict[str, Any]]:
    grid = f"{code}001"
    return [
        feature(code, name, "community", town, box(w, s, w + 0.02, s + 0.01)),
        feature(grid, f"{name}第1网格", "grid", code, box(w, s, w + 0.02, s + 0.01)),
        feature(f"{grid}001", f"{name}1号微网格", "micro", grid, box(w, s, w + 0.01, s + 0.01)),
        feature(
            f"{grid}002", f"{name}2号微网格", "micro", grid, box(w + 0.01, s, w + 0.02, s + 0.01)
        ),
    ]


def _houses(address: str, numbers: range, lon: float, lat: float, code: str) -> str:
    return "".join(f"{address}{n}号,{lon + n * 0.0001:.4f},{lat:.4f},{code}{n},\n" for n in numbers)


@pytest.fixture
def api(db: Any, superuser_client: Client) -> Client:
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(D, "武鸣区", "district", None, box(108.20, 23.10, 108.30, 23.20)),
                feature(TAIPING, "太平镇", "street", D, box(108.20, 23.10, 108.26, 23.11)),
                feature(SHUANGQIAO, "双桥镇", "street", D, box(108.20, 23.12, 108.22, 23.13)),
                *_village(NALIAN_T, "那莲村", TAIPING, 108.20, 23.10),
                *_village(TUOWAN, "驮湾村", TAIPING, 108.22, 23.10),
                *_village(QINGLE, "庆乐村", TAIPING, 108.24, 23.10),
                *_village(NALIAN_S, "那莲村", SHUANGQIAO, 108.20, 23.12),
            ],
        }
    )
    buildings_import(
        "address,lon,lat,code,aliases\n"
        + _houses("武鸣区太平镇那莲村", range(1, 6), 108.203, 23.105, "TPNL")
        + _houses("武鸣区太平镇驮湾村", range(1, 4), 108.223, 23.105, "TW")
        + _houses("武鸣区太平镇驮湾村", range(11, 14), 108.232, 23.105, "TW")
        + _houses("武鸣区太平镇庆乐村", range(1, 3), 108.243, 23.105, "QL")
        + _houses("武鸣区双桥镇那莲村", range(1, 5), 108.203, 23.125, "SQNL")
        + "武鸣区双桥镇双桥街266号,108.2150,23.1250,SQJ266,双桥镇人民政府\n"
    )
    indexes.invalidate()
    return superuser_client


def ask(api: Client, q: str) -> dict[str, Any]:
    response = api.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def answer(api: Client, q: str) -> tuple[str, str | None]:
    body = ask(api, q)
    return body["kind"], (body["micro_grid"] or {}).get("code")


@pytest.mark.parametrize(
    ("q", "micro"),
    [
        ("太平镇那莲村有人烧秸秆，烟很大", f"{NALIAN_T}001001"),
        # The town's word left out, as people say it.
        ("太平那莲村路面塌陷", f"{NALIAN_T}001001"),
        # The town's government in the other grid is no house of the village.
        ("双桥镇那莲村有人焚烧垃圾", f"{NALIAN_S}001001"),
    ],
)
def test_a_village_named_alone_is_the_grid_of_its_houses(api: Client, q: str, micro: str) -> None:
    assert answer(api, q) == ("place", micro)


@pytest.mark.parametrize(
    "q",
    [
        "那莲村有人烧秸秆",  # two villages of that name, and no town to say which
        "驮湾村路灯不亮",  # houses in both its grids
        "庆乐村自来水停了",  # two houses are not a village's
    ],
)
def test_a_village_the_data_cannot_settle_is_a_choice(api: Client, q: str) -> None:
    body = ask(api, q)
    assert (body["kind"], body["micro_grid"]) == ("candidates", None)
    assert len(body["candidates"]) >= 2


def test_an_english_address_may_end_with_the_city_around_the_district(api: Client) -> None:
    body = ask(api, "No. 2, Nalian Village, Taiping Town, Wuming District, Nanning, Guangxi")
    assert (body["kind"], body["building"]["code"]) == ("building", "TPNL2")
    # A city the national list does not put around the district makes it not one of ours.
    assert ask(api, "No. 2, Nalian Village, Taiping Town, Wuming District, Liuzhou")["kind"] == (
        "refused"
    )


def test_a_group_the_named_village_lacks_is_refused(api: Client) -> None:
    buildings_import(
        "address,lon,lat,code,aliases\n"
        + _houses("武鸣区太平镇驮湾村6组", range(1, 4), 108.223, 23.104, "TW6")
    )
    indexes.invalidate()
    assert answer(api, "太平镇驮湾村六组有人烧垃圾") == ("place", f"{TUOWAN}001001")
    # 那莲村 has no 6组: the 6组 of 驮湾村 next door is not it.
    body = ask(api, "太平镇那莲村六组有人烧垃圾")
    assert body["micro_grid"] is None and body["building"] is None
    assert body["kind"] in ("refused", "candidates")
    codes = [c["code"] for c in body["candidates"]]
    assert not [c for c in codes if c.startswith((TUOWAN, "TW"))], codes


def test_a_hamlet_called_she_with_its_village_written_without_cun(api: Client) -> None:
    # 闽南's 社 is a 自然村 by name. 前厝社 is a hamlet of 驮湾村 (its east grid) and of 庆乐村:
    # alone it is either; with its village, even written without 村 (驮湾前厝社), it is one.
    buildings_import(
        "address,lon,lat,code,aliases\n"
        + _houses("武鸣区太平镇驮湾村前厝社", range(1, 4), 108.233, 23.106, "TWQC")
        + _houses("武鸣区太平镇庆乐村前厝社", range(1, 3), 108.243, 23.106, "QLQC")
    )
    indexes.invalidate()
    assert ask(api, "前厝社有人乱倒泔水")["kind"] == "candidates"
    for q in ("驮湾村前厝社有人乱倒泔水", "驮湾前厝社有人乱倒泔水"):
        body = ask(api, q)
        assert body["kind"] == "place", (q, body)
        assert body["micro_grid"]["code"] == f"{TUOWAN}001002"
