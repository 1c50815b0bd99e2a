"""Places said by the railways, rivers and bridges of the road file (星桥北堍, 过了言桥往北,
往北过了铁道, 顺着紫金山路往北过了复兴河再走五十米), and the slips of a first day in two more
cities: a province's 省 typed 生, a door with 河对面 after it, a lane drawn on a border.

The district of test_places, with 金水河 running east–west through the two northern grids
(23 m north of 伊河路 … 40 m south of their edge), 金水桥 carrying 百花路 over it, and 陇海铁路
running east–west through the two southern grids, 111 m south of 建设路.
"""

import json

import pytest
from django.test import Client

from tests.grids.test_places import MID_LON, NE, NW, ROADS, SE, SW, _line, ask
from tests.grids.test_places import district as district
from wangge.core.errors import ValidationFailed
from wangge.grids import indexes
from wangge.grids.models import Road, RoadKind
from wangge.grids.services import buildings_import, roads_import_file
from wangge.grids.walking import WalkingNetwork

RIVER_LAT = 34.7536
RAIL_LAT = 34.7510


def _water_roads(*more: dict) -> dict:
    return {
        **ROADS,
        "features": [
            *ROADS["features"],
            _line("金水河", (113.600, RIVER_LAT), (113.608, RIVER_LAT), kind="河"),
            _line(
                "金水桥", (113.602, RIVER_LAT - 0.0001), (113.602, RIVER_LAT + 0.0001), kind="桥"
            ),
            _line("陇海铁路", (113.600, RAIL_LAT), (113.608, RAIL_LAT), kind="railway"),
            # A lane drawn along 桐柏路's line, the border of the two southern grids.
            _line("界巷", (MID_LON, 34.7502), (MID_LON, 34.7516), kind="branch"),
            # A lane off 桐柏路 into the north-eastern grid.
            _line("东巷", (113.6041, 34.7526), (113.6065, 34.7526), kind="branch"),
            *more,
        ],
    }


@pytest.fixture
def water(district: None, superuser_client: Client) -> Client:
    roads = _water_roads()
    roads_import_file(json.dumps(roads, ensure_ascii=False))
    buildings_import("address,lon,lat,code,aliases\n中原区汝河道5号,113.6015,34.7515,RH5,\n")
    indexes.invalidate()
    return superuser_client


def answer(api: Client, q: str) -> tuple[str, str | None]:
    body = ask(api, q)
    return body["kind"], (body["micro_grid"] or {}).get("code")


def test_rivers_railways_and_bridges_are_imported_drawn_and_never_walked(water: Client) -> None:
    kinds = dict(Road.objects.values_list("name", "kind"))
    assert (kinds["金水河"], kinds["金水桥"], kinds["陇海铁路"]) == (
        RoadKind.RIVER,
        RoadKind.BRIDGE,
        RoadKind.RAILWAY,
    )
    # The map draws them with their kind.
    drawn = water.get("/api/v1/grids/roads", {"bbox": "113.59,34.74,113.62,34.76"})
    assert drawn.status_code == 200, drawn.content
    roads = {f["properties"]["name"]: f["properties"]["road"] for f in drawn.json()["features"]}
    assert (roads["金水河"], roads["金水桥"], roads["陇海铁路"]) == ("river", "bridge", "railway")
    # Nobody walks along a river: where only 金水河 runs there is no walking network.
    assert (
        WalkingNetwork.around(113.6055, RIVER_LAT - 0.00005, 113.6075, RIVER_LAT + 0.00005) is None
    )
    assert WalkingNetwork.around(113.6015, RIVER_LAT - 0.00005, 113.6025, RIVER_LAT + 0.00005)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("金水桥北堍有人钓鱼", ("place", NW)),
        ("金水桥上有人摆摊", ("place", NW)),
        ("金水桥下有人游泳", ("place", NW)),
        # From the far (southern) end, or from its middle: 30–70 m south, still north-west.
        ("过了金水桥往南50米有个井盖坏了", ("place", NW)),
        # Beyond the far end without a distance: up to 150 m on, past the grids' edge.
        ("过了金水桥往北有人烧纸", ("candidates", None)),
        # Which side is beyond depends on where one came from: not said.
        ("过了金水桥有人摆摊", ("refused", None)),
    ],
)
def test_a_bridge_is_a_landmark_with_two_feet(water: Client, q: str, expected: tuple) -> None:
    assert answer(water, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # From where the first railway south of the shop is met, 30–70 m on.
        ("东方超市往南过了铁道50米有人倒垃圾", ("place", SE)),
        # From where the road crosses it.
        ("顺着百花路往南过了陇海铁路再走五十米，路灯不亮", ("place", SW)),
        ("百花路过了金水河桥往南50米有人占道", ("place", NW)),
        # No railway north of the shop: never the shop itself.
        ("东方超市往北过了铁道有人摆摊", ("refused", None)),
        # 桐柏路 meets 金水河 on the grids' border, and the band past it straddles it.
        ("顺着桐柏路往北过了金水河再走五十米", ("candidates", None)),
    ],
)
def test_past_a_railway_or_a_river(water: Client, q: str, expected: tuple) -> None:
    assert answer(water, q) == expected


def test_a_river_named_alone_is_no_place_and_no_building(water: Client) -> None:
    kind, micro = answer(water, "金水河边上有人钓鱼")
    assert kind != "building" and micro is None


def test_across_the_river_from_a_door_is_not_the_door(water: Client) -> None:
    body = ask(water, "桐柏路2号河对面有人钓鱼")
    assert body["kind"] != "building" and body["building"] is None


def test_a_lane_drawn_on_a_border_is_in_both_grids(water: Client) -> None:
    body = ask(water, "界巷路灯不亮好几天了")
    assert body["kind"] == "candidates"
    grids = {c["code"] for c in body["candidates"] if c["kind"] == "micro_grid"}
    assert grids == {SW, SE}


def test_the_corner_unsaid_and_the_back_of_a_landmark(water: Client) -> None:
    # 把角儿: a corner of the crossing, which unsaid — around it, as far as a loose word goes.
    assert answer(water, "伊河路和百花路把角儿有人占道修车") == ("place", NW)
    assert answer(water, "建设路和桐柏路把角儿有人占道修车")[0] == "candidates"
    # 后身儿 is behind it, as loosely as 后面: 100 m round the hospital reach the northern
    # grids' edge, so a choice, never the hospital itself.
    behind = ask(water, "市第一人民医院后身儿有人半夜施工")
    assert behind["kind"] == "candidates" and behind["building"] is None
    assert NW in {c["code"] for c in behind["candidates"] if c["kind"] == "micro_grid"}


def test_a_road_called_road_in_english_may_be_a_dao(water: Client) -> None:
    assert ask(water, "No. 5, Ruhe Road, Zhongyuan District")["building"]["code"] == "RH5"
    assert ask(water, "5号，汝河道，中原区")["building"]["code"] == "RH5"


def test_a_province_s_suffix_typed_as_its_sound_is_read(water: Client) -> None:
    assert ask(water, "河南生郑州市中原区桐柏路2号")["building"]["code"] == "TB2"
    # 河南市 does not exist: a slip too, read as ours; a real other province is refused.
    assert ask(water, "河南是郑州中原区桐柏路2号")["building"]["code"] == "TB2"
    assert ask(water, "山东生济南市中原区桐柏路2号")["building"] is None


def test_another_city_in_front_of_our_district_without_its_qu_is_refused(
    water: Client,
) -> None:
    assert ask(water, "郑州中原桐柏路2号")["building"]["code"] == "TB2"
    assert ask(water, "开封中原桐柏路2号")["building"] is None


def test_a_kind_no_one_knows_is_refused_whole(water: Client) -> None:
    line = _line("某某", (113.6, 34.75), (113.61, 34.75), kind="canalboat")
    bad = {"type": "FeatureCollection", "features": [line]}
    with pytest.raises(ValidationFailed) as refused:
        roads_import_file(json.dumps(bad, ensure_ascii=False))
    assert any("未知道路等级“canalboat”" in p for p in refused.value.problems)
    assert Road.objects.filter(name="金水河").exists()  # nothing lost


def test_a_road_s_last_character_typed_as_its_sound_is_put_right(water: Client) -> None:
    assert ask(water, "汝河到5号门口有垃圾")["building"]["code"] == "RH5"
    assert ask(water, "桐柏陆2号门口有垃圾")["building"]["code"] == "TB2"
    # Only before a door number, and only into a road of ours: 到 stays 到 elsewhere.
    assert ask(water, "走到桐柏路2号门口有垃圾")["building"]["code"] == "TB2"
    assert ask(water, "秦岭到9号")["building"] is None


def test_the_end_of_a_way_is_the_end_said(water: Client) -> None:
    # The lane's mouth is on 桐柏路, the border: near it is either side. Its far end, away
    # from the road one turns in from, is in the north-eastern grid.
    assert answer(water, "东巷口有人摆摊")[0] == "candidates"
    assert answer(water, "从桐柏路拐进东巷走到底，有人乱堆杂物") == ("place", NE)
    assert answer(water, "东巷往东走到头有人乱堆杂物") == ("place", NE)
    # 东巷 does not open on 建设路: the words do not fit the map, whatever its far end.
    assert answer(water, "从建设路拐进东巷走到底，有人乱堆杂物") == ("refused", None)
    # 百花路's northern end is 20 m short of the grids' edge: past it is nobody's.
    assert answer(water, "百花路往北走到头有人倒垃圾")[0] != "place"


def test_across_the_river_is_its_far_bank(water: Client) -> None:
    # The hospital stands 33 m south of 金水河; its far bank, 50 m either way and 60 m on,
    # reaches past the grids' northern edge: a choice, never the hospital. 幸福小区 is 250 m
    # from any river: the words do not fit it.
    near = ask(water, "市第一人民医院河对面有人钓鱼")
    assert near["kind"] == "candidates" and near["building"] is None
    far = ask(water, "幸福小区河对面有人钓鱼")
    assert far["kind"] == "refused" and far["building"] is None


def test_a_road_or_compound_named_after_a_bridge_is_not_the_bridge(water: Client) -> None:
    buildings_import(
        "address,lon,lat,code,aliases\n中原区金水桥路8号,113.6066,34.7515,JQ8,\n"
        "中原区金水桥小区1号楼,113.6012,34.7512,JQX1,\n"
    )
    indexes.invalidate()
    assert ask(water, "金水桥路8号门口有垃圾")["building"]["code"] == "JQ8"
    assert ask(water, "金水桥小区1号楼楼道灯坏了")["building"]["code"] == "JQX1"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # The way said before the bridge is the way past it: from its southern end.
        ("沿百花路往南过了金水桥再走50米有个坑", ("place", NW)),
        ("沿百花路往南过了金水桥有人摆摊", ("place", NW)),
        # 过了桥 with no name: the one bridge of the road said.
        ("顺着百花路往南过了桥，路边有人倒垃圾", ("place", NW)),
        # 桐柏路 carries no bridge: never the road's own stretch.
        ("顺着桐柏路往北过了桥有人摆摊", ("refused", None)),
    ],
)
def test_past_a_bridge_the_way_one_came(water: Client, q: str, expected: tuple) -> None:
    assert answer(water, q) == expected


def test_a_road_file_may_draw_a_bridge_as_the_road_it_carries(water: Client) -> None:
    # OpenStreetMap's way: a stretch of 秦岭路 (south-east grid) drawn as a road named for
    # its bridge, with the road's own kind.
    bridge = _line("秦岭桥", (113.607, 34.7505), (113.607, 34.7507), kind="branch")
    # 桐柏路's bridge starts where it meets 建设路: 建设路 runs over no bridge.
    crossing = _line("桐柏桥", (MID_LON, 34.7520), (MID_LON, 34.7523), kind="arterial")
    roads_import_file(json.dumps(_water_roads(bridge, crossing), ensure_ascii=False))
    indexes.invalidate()
    assert answer(water, "顺着秦岭路往北过了桥再走50米有人占道") == ("place", SE)
    assert answer(water, "沿秦岭路往北过了秦岭桥再走50米有人占道") == ("place", SE)
    # Without a distance, as far as 150 m on: across 建设路 into the north-eastern grid.
    assert answer(water, "沿秦岭路往北过了秦岭桥有人摆摊") == ("candidates", None)
    assert answer(water, "顺着建设路往东过了桥有人摆摊") == ("refused", None)
    # A door numbered on it is still that building's.
    buildings_import("address,lon,lat,code,aliases\n中原区秦岭桥1号,113.6072,34.7506,QLQ1,\n")
    indexes.invalidate()
    body = ask(water, "秦岭桥1号楼道漏水")
    assert (body["kind"], body["building"]["code"]) == ("building", "QLQ1")
