"""Places without a building — crossings, corners, offsets from a landmark, lanes and 组 named
alone, near a landmark — placed on the imported roads, buildings and grids, never guessed.

The district: four micro-grids around the crossing of 建设路 (east–west) and 桐柏路
(north–south), which are their borders; 百花路 runs north–south through the two western
grids and 伊河路 east–west inside the north-western one; 秦岭路 never meets 伊河路.

      NW (伊河路, 医院)        |  NE (百花里北巷)
    ---------------------- 建设路 ----------------------
      SW (幸福小区)            |  SE (棉纺巷, 秦岭路)
                            桐柏路
"""

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import box, feature
from tests.grids.test_database_engine import (  # noqa: F401 (fixtures)
    database_engine,
    engine_schema,
    on_postgresql,
)
from wangge.grids.addresses import parse_address
from wangge.grids.addresses.placetext import read_distance
from wangge.grids.services import buildings_import, grids_import, roads_import_file

URL = "/api/v1/grids/resolve-address"
D, S, C, G = "410102", "410102009", "410102009001", "410102009001001"
NW, NE, SW, SE = (f"{G}00{i}" for i in range(1, 5))
MID_LON, MID_LAT = 113.604, 34.752


def _line(name: str, *points: tuple[float, float], kind: str = "secondary") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, "kind": kind},
        "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
    }


ROADS = {
    "type": "FeatureCollection",
    "features": [
        _line("建设路", (113.596, MID_LAT), (113.612, MID_LAT), kind="arterial"),
        _line("桐柏路", (MID_LON, 34.746), (MID_LON, 34.758), kind="arterial"),
        _line("百花路", (113.602, 34.7502), (113.602, 34.7538)),
        _line("伊河路", (113.6003, 34.7530), (113.6037, 34.7530)),
        _line("秦岭路", (113.607, 34.7503), (113.607, 34.7512), kind="branch"),
        _line("棉纺巷", (113.6052, 34.7506), (113.6062, 34.7506), kind="branch"),
    ],
}

BUILDINGS = (
    "address,lon,lat,code,aliases\n"
    "中原区伊河路88号,113.6025,34.7533,YH88,市第一人民医院\n"
    "中原区幸福小区1号楼,113.6008,34.7508,XF1,\n"
    "中原区幸福小区2号楼,113.6011,34.7508,XF2,\n"
    "中原区幸福小区3号楼,113.6010,34.7511,XF3,\n"
    "中原区百花里北巷1号,113.6058,34.7528,BX1,\n"
    "中原区百花里北巷3号,113.6061,34.7529,BX3,\n"
    "中原区百花里北巷5号,113.6064,34.7530,BX5,\n"
    "中原区桐柏路2号,113.6043,34.7523,TB2,东方超市\n"
)


@pytest.fixture
def district(db: Any) -> None:
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(D, "中原区", "district", None, box(113.59, 34.74, 113.62, 34.76)),
                feature(S, "桐柏路街道", "street", D, box(113.600, 34.750, 113.608, 34.754)),
                feature(C, "百花社区", "community", S, box(113.600, 34.750, 113.608, 34.754)),
                feature(G, "百花第1网格", "grid", C, box(113.600, 34.750, 113.608, 34.754)),
                feature(NW, "西北微网格", "micro", G, box(113.600, MID_LAT, MID_LON, 34.754)),
                feature(NE, "东北微网格", "micro", G, box(MID_LON, MID_LAT, 113.608, 34.754)),
                feature(SW, "西南微网格", "micro", G, box(113.600, 34.750, MID_LON, MID_LAT)),
                feature(SE, "东南微网格", "micro", G, box(MID_LON, 34.750, 113.608, MID_LAT)),
            ],
        }
    )
    roads_import_file(json.dumps(ROADS, ensure_ascii=False))
    buildings_import(BUILDINGS)


@pytest.fixture
def api(district: None, superuser_client: Client) -> Client:
    return superuser_client


def ask(api: Client, q: str) -> dict[str, Any]:
    response = api.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


PLACES = [
    ("建设路与桐柏路交叉口东北角有井盖缺失，请处理", NE, "corner"),
    ("市民反映建设路桐柏路口西南角路灯不亮", SW, "corner"),
    ("桐柏路和建设路交汇处东南角", SE, "corner"),
    ("伊河路与百花路交叉口", NW, "crossing"),
    ("市第一人民医院向南约300米路东有垃圾堆放", SW, "offset"),
    ("伊河路百花路口往西走100多米", NW, "offset"),
    ("百花里北巷路灯坏了好几天", NE, "way"),
    ("棉纺巷有人乱倒垃圾", SE, "way"),
    ("市第一人民医院对面占道经营", NW, "near"),
    # 闽南's 边仔 (beside); the caller's words 来电人说 in front are no part of the landmark.
    ("来电人说市第一人民医院边仔有人乱停车", NW, "near"),
    ("幸福小区北门旁边", SW, "near"),
    # 超市 ends in 市 and is no city.
    ("东方超市向北100米", NE, "offset"),
    # 十字 alone is the crossing; words between the direction and the distance.
    ("伊河路与百花路十字有人占道", NW, "crossing"),
    # 十字路灯: the crossing's street lamp, not a road called 十字路.
    ("伊河路与百花路十字路灯不亮", NW, "crossing"),
    ("伊河路百花路口往西走了一百来米，有个井盖没了", NW, "offset"),
]


@pytest.mark.parametrize(("q", "micro", "how"), PLACES)
def test_a_place_is_answered_with_its_micro_grid_and_point(
    api: Client, q: str, micro: str, how: str
) -> None:
    body = ask(api, q)
    assert body["kind"] == "place", body
    assert body["building"] is None
    assert body["micro_grid"]["code"] == micro
    assert body["path"][-1]["code"] == micro
    lon, lat = body["point"]
    assert 113.600 <= lon <= 113.608 and 34.750 <= lat <= 34.754
    assert body["confidence"] >= body["threshold"]
    assert body["place"]["how"] == how


@pytest.mark.parametrize(
    ("q", "kind"),
    [
        # On the crossing of the four grids' borders: any of them.
        ("建设路与桐柏路交叉口", "candidates"),
        # 100–150 m east of the hospital crosses 桐柏路, the border.
        ("市第一人民医院往东走100多米", "candidates"),
        # Beside a shop on the border.
        ("东方超市旁边", "candidates"),
        # Roads that never meet, a landmark the data does not have, no direction.
        ("伊河路与秦岭路交叉口", "refused"),
        ("人民公园向北200米", "refused"),
        ("中山路与解放路交叉口", "refused"),
    ],
)
def test_a_place_the_data_cannot_settle_is_never_guessed(api: Client, q: str, kind: str) -> None:
    body = ask(api, q)
    assert body["kind"] == kind, body
    assert body["building"] is None and body["micro_grid"] is None
    assert all(node["level"] != "micro" for node in body["path"])
    if kind == "candidates":
        codes = {c["code"] for c in body["candidates"] if c["kind"] == "micro_grid"}
        assert len(codes) >= 2 and codes <= {NW, NE, SW, SE}


def test_a_building_is_still_a_building(api: Client) -> None:
    body = ask(api, "伊河路88号")
    assert body["kind"] == "building"
    assert body["building"]["code"] == "YH88"
    assert body["micro_grid"]["code"] == NW
    assert body["point"] == [113.6025, 34.7533]
    assert body["place"] is None


def test_a_lanes_door_that_does_not_exist_is_not_placed_as_the_lane(api: Client) -> None:
    body = ask(api, "百花里北巷9号")
    assert body["kind"] in ("candidates", "refused")
    assert body["micro_grid"] is None


@on_postgresql
@pytest.mark.usefixtures("database_engine")
def test_the_database_engine_places_every_one_alike(api: Client) -> None:
    """GRID_ENGINE=database: the points are located by PostGIS and the landmarks found by the
    trigram candidates; the places are the same."""
    for q, micro, how in PLACES:
        body = ask(api, q)
        assert (body["kind"], body["micro_grid"]["code"], body["place"]["how"]) == (
            "place",
            micro,
            how,
        ), q
    assert ask(api, "建设路与桐柏路交叉口")["kind"] == "candidates"
    assert ask(api, "伊河路与秦岭路交叉口")["kind"] == "refused"


def test_a_group_the_building_lacks_is_never_that_building(api: Client) -> None:
    buildings_import("address,lon,lat,code\n中原区东升村1号,113.6062,34.7506,DS1\n")
    assert ask(api, "东升村1号")["building"]["code"] == "DS1"
    assert ask(api, "东升村2组")["kind"] in ("candidates", "refused")


def test_an_ordinal_the_building_lacks_is_another_place(api: Client) -> None:
    assert ask(api, "市第一人民医院")["building"]["code"] == "YH88"
    assert ask(api, "市第三人民医院")["building"] is None
    assert ask(api, "市第三人民医院向南约300米路东有垃圾堆放")["kind"] == "refused"


def test_a_lane_named_alone_holds_its_branch_lanes(api: Client) -> None:
    buildings_import(
        "address,lon,lat,code\n"
        "中原区华山路88弄3号,113.6060,34.7510,HS88H3\n"
        "中原区华山路88弄2支弄5号,113.6010,34.7510,HS88Z2H5\n"
    )
    # Its houses in SE, a branch's in SW: the lane is not one micro-grid's.
    body = ask(api, "华山路88弄路灯坏了好几天")
    assert body["kind"] == "candidates"
    assert {c["code"] for c in body["candidates"] if c["kind"] == "micro_grid"} == {SE, SW}
    assert ask(api, "华山路88弄2支弄路灯坏了")["micro_grid"]["code"] == SW


def test_a_road_named_after_a_province_is_a_road(api: Client) -> None:
    roads_import_file(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    *ROADS["features"],
                    _line("北京路", (113.599, 34.7535), (113.609, 34.7535)),
                ],
            },
            ensure_ascii=False,
        )
    )
    body = ask(api, "北京路与桐柏路交叉口东北角有井盖缺失")
    assert (body["kind"], body["micro_grid"]["code"]) == ("place", NE)


def test_a_hamlet_after_its_group_is_read_with_the_house() -> None:
    parsed = parse_address("朋兴乡红星村三组杨家塆8号")
    assert (parsed.road, parsed.road_number) == ("3组杨家塆", "8")
    assert parse_address("红星村3组8号").road == "3组"


def test_a_landmark_and_an_offset_is_never_answered_as_the_landmark(api: Client) -> None:
    # Words between the direction and the distance once hid the offset: the hospital itself
    # was answered, 200 m from the place meant.
    body = ask(api, "市第一人民医院往南走了两百来米，有个井盖没了")
    assert body["building"] is None
    assert (body["kind"], body["micro_grid"]["code"]) == ("place", SW)


def test_an_offsets_errors_add_in_quadrature_not_end_to_end(api: Client) -> None:
    # 老邮局 stands 186 m south of 建设路, the border of the grids north of it. 约150米 is 120–180
    # m; the door is known to 10 m: 118–182 m, short of the border. Added end to end (110–190
    # m) the two errors reached over it, and the place was offered as candidates.
    buildings_import(BUILDINGS + "中原区秦岭路9号,113.6015,34.750324,QL9,老邮局\n")
    body = ask(api, "老邮局往北约150米有人占道")
    assert body["kind"] == "place", body
    assert body["micro_grid"]["code"] == SW
    # 两三百米 is an estimate as 约 makes one (160–360 m): it reaches over 建设路.
    assert ask(api, "老邮局往北走个两三百米")["kind"] == "candidates"
    distance = read_distance("两三百米")
    assert distance is not None and (distance.low, distance.high) == (160.0, 360.0)


def test_the_part_of_a_lane_lying_one_way(api: Client) -> None:
    # 碧沙巷 runs north–south across 建设路 (34.752), the border between the eastern grids:
    # its northern half (34.7525–34.7536) lies in NE, its southern half on both sides.
    lane = _line("碧沙巷", (113.606, 34.7514), (113.606, 34.7536), kind="branch")
    roads_import_file(json.dumps({**ROADS, "features": [*ROADS["features"], lane]}))
    assert ask(api, "碧沙巷有人乱堆杂物")["kind"] == "candidates"
    north = ask(api, "碧沙巷靠北边儿有人乱堆杂物")
    assert north["kind"] == "place", north
    assert north["micro_grid"]["code"] == NE
    assert north["point"][1] > MID_LAT  # the pin in the part said, not the lane's middle
    assert ask(api, "碧沙巷靠南头路灯不亮")["kind"] == "candidates"
    # 北边 without 靠 is as often north of the lane: not read as its part.
    assert ask(api, "碧沙巷北边有人乱堆杂物")["kind"] != "place"


def test_a_landmark_named_after_another_place_is_that_places_branch(api: Client) -> None:
    # 利群 is a chain: 台东利群 is the 利群 of 台东 (in another district), not ours.
    buildings_import(BUILDINGS + "中原区秦岭路9号,113.6015,34.7506,QL9,利群\n")
    ours = ask(api, "利群门口有人摆摊")
    assert ours["kind"] == "building" and ours["building"]["code"] == "QL9", ours
    assert ask(api, "那个利群门口有人摆摊")["kind"] == "building"
    other = ask(api, "台东利群门口有人摆摊")
    assert other["kind"] in ("refused", "candidates") and other["building"] is None


def test_this_spot_after_a_crossing_reaches_round_it(api: Client) -> None:
    # 这嘎达 (胶东, 东北: "this spot") says where only roughly, as 那块: the crossing of 伊河路
    # and 百花路 lies in NW, but as far round it as 那块 reaches runs into NE and SW.
    assert ask(api, "伊河路与百花路路口天天有人摆摊")["micro_grid"]["code"] == NW
    around = ask(api, "伊河路与百花路路口这嘎达天天有人摆摊")
    assert around["kind"] == "candidates", around
    assert NW in {c["code"] for c in around["candidates"]}


def test_a_corner_outside_the_bend_of_two_roads_meeting_at_their_ends(api: Client) -> None:
    # 公园南路 runs east and 公园西路 north from the point where they meet: 西北角 lies outside
    # the bend, a corner as real as 东北角 inside it.
    bend = (113.6046, 34.7505)
    south = _line("公园南路", bend, (113.6075, 34.7505))
    west = _line("公园西路", bend, (113.6046, 34.7515))
    roads_import_file(json.dumps({**ROADS, "features": [*ROADS["features"], south, west]}))
    for corner in ("西北角", "东北角", "西南角"):
        body = ask(api, f"公园南路与公园西路交叉口{corner}树倒了")
        assert body["kind"] == "place" and body["place"]["how"] == "corner", (corner, body)
        assert body["micro_grid"]["code"] == SE
