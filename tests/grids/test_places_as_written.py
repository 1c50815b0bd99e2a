"""Addresses and places as residents write them in more towns: 俺家楼下 with the home's door
said apart, a compound's name said in full among its numbered buildings, a road typed by its
sound (二期北路 for 二七北路), a 自然村 as its 村小组, a 闽南 社 in English order, and a road
after a 街道's name alone written in English.

The district of test_places (four micro-grids round 建设路 × 桐柏路), and a second, 思明区,
for the 街道 and the 自然村.
"""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import box, feature
from tests.grids.test_places import MID_LON, ask
from tests.grids.test_places import district as district
from wangge.grids import indexes
from wangge.grids.addresses import normalize_text
from wangge.grids.addresses.english import reordered_chinese
from wangge.grids.places_geo.names import canonical
from wangge.grids.services import buildings_import, grids_import


@pytest.fixture
def api(district: None, superuser_client: Client) -> Client:
    buildings_import(
        "address,lon,lat,code,aliases\n"
        # 9 m west of 桐柏路, the eastern border of the north-western micro-grid.
        f"中原区桐柏路6号,{MID_LON - 0.0001},34.7526,TB6,\n"
        # Some 150 m from every border of it.
        "中原区伊河路20号,113.6020,34.7531,YH20,\n"
        # A compound's gate under its own name and four numbered buildings behind it: five
        # doors, all that carry the name, tie on it.
        "中原区伊河路71号,113.6012,34.7535,YH71,省委大院|省委大院大门\n"
        "中原区伊河路71号省委大院1栋,113.6012,34.7537,SW1,省委大院1栋\n"
        "中原区伊河路71号省委大院2栋,113.6014,34.7537,SW2,省委大院2栋\n"
        "中原区伊河路71号省委大院3栋,113.6012,34.7539,SW3,省委大院3栋\n"
        "中原区伊河路71号省委大院4栋,113.6014,34.7539,SW4,省委大院4栋\n"
        "中原区二七北路272号,113.6030,34.7535,EQ272,\n"
    )
    indexes.invalidate()
    return superuser_client


def building_of(api: Client, q: str) -> str | None:
    body = ask(api, q)
    return (body["building"] or {}).get("code")


def test_below_home_is_the_door_only_when_round_it_is_its_own_micro_grid(api: Client) -> None:
    # Deep inside its micro-grid: the home's door.
    assert building_of(api, "俺家楼下下水道堵了，俺家是伊河路20号") == "YH20"
    # 9 m from the border: the pavement downstairs may be the other micro-grid's.
    body = ask(api, "俺家楼下有人半夜烧烤，桐柏路6号")
    assert body["kind"] in ("candidates", "refused")
    assert body["building"] is None
    assert body["micro_grid"] is None
    # The door itself, said without 楼下, is still the door.
    assert building_of(api, "桐柏路6号有人半夜烧烤") == "TB6"
    # A door's own 楼下 is read the same way.
    assert building_of(api, "伊河路20号楼下有人占道烧烤") == "YH20"
    assert ask(api, "桐柏路6号楼下有人占道烧烤")["building"] is None


def test_a_compound_named_in_full_among_all_its_doors_is_its_gate(api: Client) -> None:
    # Five doors carry the name, all listed: the one whose own name it is answers.
    assert building_of(api, "省委大院") == "YH71"
    assert building_of(api, "省委大院3栋") == "SW3"
    # A building the compound does not have is not its gate.
    assert building_of(api, "省委大院8栋") is None


def test_a_road_typed_by_its_sound_with_a_phase_word_in_it(api: Client) -> None:
    assert building_of(api, "二期北路272号") == "EQ272"
    # …while 二期 of a compound is its phase, a number.
    assert normalize_text("万科城二期3栋") == "万科城2期3栋"
    assert normalize_text("二期北路272号") == "二期北路272号"


def test_a_hamlet_s_village_group_is_the_hamlet() -> None:
    assert canonical("喻家村小组") == "喻家"
    assert canonical("港口村万家村小组路灯不亮") == "港口村万家路灯不亮"
    # The group's head is a person, not a place.
    assert "村小组长" in canonical("万家村小组长来了")


def test_a_minnan_she_in_english_order() -> None:
    assert (
        reordered_chinese("12号，西边社，曾厝垵村，滨海街道，思明区，厦门市")
        == "厦门市思明区滨海街道曾厝垵村西边社12号"
    )


SM = "350203"


@pytest.fixture
def siming(db: Any, superuser_client: Client) -> Client:
    street, village = f"{SM}010", f"{SM}006"
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(SM, "思明区", "district", None, box(118.05, 24.43, 118.12, 24.46)),
                feature(street, "鼓浪屿街道", "street", SM, box(118.05, 24.44, 118.07, 24.46)),
                feature(f"{street}001", "龙头社区", "community", street, None),
                feature(f"{street}001001", "龙头第1网格", "grid", f"{street}001", None),
                feature(
                    f"{street}001001001",
                    "龙头1号微网格",
                    "micro",
                    f"{street}001001",
                    box(118.05, 24.44, 118.07, 24.46),
                ),
                feature(village, "滨海街道", "street", SM, box(118.09, 24.43, 118.12, 24.45)),
                feature(f"{village}205", "苏屯村", "community", village, None),
                feature(f"{village}205001", "苏屯村网格", "grid", f"{village}205", None),
                feature(
                    f"{village}205001001",
                    "苏屯村1号微网格",
                    "micro",
                    f"{village}205001",
                    box(118.09, 24.44, 118.10, 24.45),
                ),
                feature(
                    f"{village}205001002",
                    "苏屯村2号微网格",
                    "micro",
                    f"{village}205001",
                    box(118.10, 24.44, 118.12, 24.45),
                ),
                feature(f"{village}201", "港口村", "community", village, None),
                feature(f"{village}201001", "港口村第1网格", "grid", f"{village}201", None),
                feature(
                    f"{village}201001001",
                    "港口村万家",
                    "micro",
                    f"{village}201001",
                    box(118.09, 24.43, 118.10, 24.44),
                ),
                feature(
                    f"{village}201001002",
                    "港口村喻家",
                    "micro",
                    f"{village}201001",
                    box(118.10, 24.43, 118.12, 24.44),
                ),
            ],
        }
    )
    buildings_import(
        "address,lon,lat,code,aliases\n"
        "思明区鼓浪屿龙头路35号,118.0600,24.4500,LT35,\n"
        "思明区鼓浪屿龙头路37号,118.0602,24.4500,LT37,\n"
        "思明区滨海街道港口村万家村3号,118.0950,24.4350,WJ3,\n"
        "思明区滨海街道港口村万家村8号,118.0955,24.4352,WJ8,\n"
        "思明区滨海街道港口村喻家村小组2号,118.1050,24.4350,YJ2,\n"
        "思明区滨海街道港口村喻家村小组10号,118.1055,24.4352,YJ10,\n"
        # 苏屯村's houses all stand in its second micro-grid.
        "思明区滨海街道苏屯村3号,118.1100,24.4450,ST3,\n"
        "思明区滨海街道苏屯村18号,118.1104,24.4452,ST18,\n"
    )
    indexes.invalidate()
    return superuser_client


def test_a_road_after_a_street_s_name_alone_in_english(siming: Client) -> None:
    assert building_of(siming, "No. 35, Longtou Road, Gulangyu, Siming District, Xiamen") == "LT35"
    assert building_of(siming, "No. 37, Longtou Road, Gulangyu, Siming") == "LT37"


def test_a_hamlet_named_with_its_village_and_村(siming: Client) -> None:
    wanjia = f"{SM}006201001001"
    for q in ("港口村万家村路灯不亮", "港口村万家村小组路灯不亮"):
        body = ask(siming, q)
        assert (body["kind"], body["micro_grid"]["code"]) == ("place", wanjia), q
    # Its houses are still found by their door.
    assert building_of(siming, "港口村喻家村小组10号") == "YJ10"
    assert building_of(siming, "港口村万家村8号") == "WJ8"


def test_round_a_village_said_loosely_is_all_of_it(siming: Client) -> None:
    # 那一片儿 is the whole village and round it, though its houses stand in one of its two
    # micro-grids: a person chooses.
    body = ask(siming, "苏屯村那一片儿晚上有人偷电缆")
    assert body["kind"] == "candidates" and body["micro_grid"] is None
    assert {c["code"] for c in body["candidates"]} == {
        f"{SM}006205001001",
        f"{SM}006205001002",
    }
