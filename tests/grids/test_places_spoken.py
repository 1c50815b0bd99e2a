"""Places as they are said in more towns: the corner of a T junction, 来 after a distance, a
lane off a road known by its houses (中山中路胭脂巷3号) or a 埕, a 社区's 居民小组, and a 组 the
named community does not have.

The district of test_places, with 陇海路 running west from 桐柏路 11 m south of 建设路 (a T
junction on the border between the southern grids, its open side to the east).
"""

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import box, feature
from tests.grids.test_places import MID_LAT, NE, NW, ROADS, SE, SW, _line, ask
from tests.grids.test_places import district as district
from wangge.grids import indexes
from wangge.grids.addresses import normalize_text
from wangge.grids.addresses.placetext import find_offset, normalize, read_distance
from wangge.grids.services import buildings_import, grids_import, roads_import_file

T_LAT = MID_LAT - 0.0001  # 11 m south of 建设路


@pytest.fixture
def api(district: None, superuser_client: Client) -> Client:
    roads = {
        **ROADS,
        "features": [*ROADS["features"], _line("陇海路", (113.600, T_LAT), (113.604, T_LAT))],
    }
    roads_import_file(json.dumps(roads, ensure_ascii=False))
    buildings_import(
        "address,lon,lat,code,aliases\n"
        "中原区桐柏路胭脂巷1号,113.6050,34.7530,YZ1,\n"
        "中原区桐柏路胭脂巷3号,113.6052,34.7531,YZ3,\n"
        "中原区蔡厝埕1号,113.6066,34.7510,CC1,\n"
        "中原区蔡厝埕3号,113.6068,34.7511,CC3,\n"
        "中原区百花社区3组1号,113.6012,34.7515,BH31,\n"
        "中原区百花社区3组2号,113.6014,34.7515,BH32,\n"
    )
    indexes.invalidate()
    return superuser_client


def answer(api: Client, q: str) -> tuple[str, str | None]:
    body = ask(api, q)
    return body["kind"], (body["micro_grid"] or {}).get("code")


def test_the_open_side_of_a_t_junction_is_the_corner_word_s_quarter(api: Client) -> None:
    # East of 桐柏路 there is no arm: 东南角 is south-east, not the whole east side, which
    # reaches over 建设路 into the north-eastern grid.
    assert answer(api, "陇海路与桐柏路交叉口东南角有人乱贴小广告") == ("place", SE)
    assert answer(api, "陇海路桐柏路口西南角") == ("place", SW)


def test_lai_after_a_number_is_about_it_either_way(api: Client) -> None:
    # 一百来米: a little under or over 100 m (80–120 m), not "more than" (100–150 m).
    distance = read_distance("一百来米")
    assert distance is not None
    assert (distance.low, distance.high) == (80.0, 120.0)
    # The hospital stands 130 m north of 建设路: "more than" would reach over it into the
    # south-western grid and leave a choice; "about" stays in the north-western one.
    assert answer(api, "市第一人民医院往南走了一百来米，污水外溢") == ("place", NW)


@pytest.mark.parametrize(
    ("q", "micro"),
    [
        ("胭脂巷有人半夜装修", NE),  # a lane known only as 桐柏路胭脂巷N号
        ("桐柏路胭脂巷路灯不亮", NE),
        ("蔡厝埕有人占用消防通道", SE),  # 埕: a 闽南 lane
        ("百花社区第三居民小组有人违建", SW),  # a 社区's 居民小组 is its 3组
    ],
)
def test_lanes_and_groups_as_more_towns_say_them(api: Client, q: str, micro: str) -> None:
    assert answer(api, q) == ("place", micro)


def test_shanghai_s_near_is_a_crossing_without_a_junction_word(api: Client) -> None:
    # 伊河路近百花路: on 伊河路 where 百花路 meets it; roads that never meet are refused.
    assert answer(api, "伊河路近百花路有个窨井盖没了") == ("place", NW)
    assert answer(api, "伊河路靠近百花路路灯不亮") == ("place", NW)
    assert answer(api, "伊河路近桐柏路有个窨井盖没了")[0] == "refused"


def test_across_the_road_after_an_offset_is_the_side_the_landmark_is_not_on(
    api: Client,
) -> None:
    offset = find_offset(normalize("市第一人民医院往东30米马路对面"))
    assert offset is not None and offset.across and offset.side is None
    # The hospital stands north of 伊河路: across it is the strip south of the road.
    body = ask(api, "市第一人民医院往东30米马路对面护栏坏了")
    assert body["kind"] == "place" and body["micro_grid"]["code"] == NW
    assert body["point"][1] < 34.7530 < 34.7533  # south of 伊河路, the hospital north of it
    # 东方超市's road is 桐柏路, but 50 m east the nearest road is 建设路: whose "other side"
    # is not said, so nothing is placed.
    assert answer(api, "东方超市往东50米马路对面")[0] == "refused"


@pytest.fixture
def hills(api: Client) -> Client:
    """重庆's way of naming: houses of a village by 社, a street of steps named 坡."""
    buildings_import(
        "address,lon,lat,code,aliases\n"
        "中原区百花村3社1号,113.6012,34.7535,SH1,\n"
        "中原区百花村3社5号,113.6016,34.7536,SH5,\n"
        "中原区百花村3社9号,113.6014,34.7538,SH9,\n"
        "中原区黄泥坡1号,113.6066,34.7535,HN1,\n"
        "中原区黄泥坡5号,113.6068,34.7536,HN5,\n"
        # In the middle of the north-western grid: 110 m or more from each of its borders.
        "中原区百花路20号,113.6018,34.7530,BHL20,区图书馆\n"
    )
    indexes.invalidate()
    return api


@pytest.mark.parametrize(
    ("q", "micro"),
    [
        ("百花村三社有人烧秸秆", NW),  # 社: a 村民小组 in 四川 and 重庆
        ("百花村第三村民小组有人烧秸秆", NW),  # the houses written by 社 are its 3组
        ("黄泥坡路面结冰，老人出行困难", NE),  # a street of steps, known by its houses
        ("伊河路百花路转盘有人发小广告", NW),  # a roundabout is where the roads meet
        ("幸福小区楼下有人烧烤", SW),  # 楼下 is near, every building of the 小区 around
    ],
)
def test_places_as_chongqing_says_them(hills: Client, q: str, micro: str) -> None:
    assert answer(hills, q) == ("place", micro)


def test_downstairs_of_a_numbered_building_is_that_building(hills: Client) -> None:
    for q in ("幸福小区1号楼下有人烧烤", "幸福小区1号楼楼下有人烧烤"):
        body = ask(hills, q)
        assert body["kind"] == "building" and body["building"]["code"] == "XF1", q


def test_a_she_is_a_group_in_addresses_too(hills: Client) -> None:
    body = ask(hills, "中原区百花村三组5号")
    assert body["kind"] == "building" and body["building"]["code"] == "SH5"
    # 社区 is never a 社: a community's name stays whole.
    assert normalize_text("桃花溪3社区") != normalize_text("桃花溪3组区")
    assert normalize_text("龙井村五社15号") == normalize_text("龙井村5组15号")


@pytest.fixture
def north(api: Client) -> Client:
    """哈尔滨's way of naming: 胡同 off a road known by their houses, 窝棚 hamlets."""
    buildings_import(
        "address,lon,lat,code,aliases\n"
        "中原区铁路胡同4号,113.6066,34.7535,TL4,\n"
        "中原区铁路胡同7号,113.6068,34.7536,TL7,\n"
        "中原区新丰村李家窝棚3号,113.6012,34.7535,LJ3,\n"
        "中原区新丰村李家窝棚8号,113.6016,34.7536,LJ8,\n"
        "中原区新丰村李家窝棚12号,113.6014,34.7538,LJ12,\n"
    )
    indexes.invalidate()
    return api


def test_places_as_harbin_says_them(north: Client) -> None:
    assert answer(north, "铁路胡同有人半夜施工") == ("place", NE)
    # 胡同 alone is no lane's name: a 胡同 the data does not have is refused.
    assert answer(north, "兴隆胡同有人半夜施工")[0] == "refused"
    assert answer(north, "新丰村李家窝棚路面塌陷") == ("place", NW)
    # 道西 after an offset is 路西 (the hospital is north of 伊河路; 30 m west of 百花路's
    # line at 50 m west is the strip west of it, still in the north-western grid).
    offset = find_offset(normalize("市第一人民医院往西50米道西"))
    assert offset is not None and offset.side == 270.0


def test_a_city_before_a_district_that_begins_with_dao(db: Any, superuser_client: Client) -> None:
    # A tree that starts at 道里区, whose 道 also ends road names (郑州道): 哈尔滨市 followed
    # by 道里区 is the city, not a road 哈尔滨市道; read so, only the short form 哈尔滨 was
    # left, and its 市 started a district 市道里区 that is not ours (refused).
    code = "230102"
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(code, "道里区", "district", None, box(126.5, 45.7, 126.7, 45.8)),
                feature(f"{code}001", "兆麟街道", "street", code, box(126.5, 45.7, 126.7, 45.8)),
                feature(f"{code}001001", "安静社区", "community", f"{code}001",
                        box(126.5, 45.7, 126.7, 45.8)),
                feature(f"{code}001001001", "安静第1网格", "grid", f"{code}001001",
                        box(126.5, 45.7, 126.7, 45.8)),
                feature(f"{code}001001001001", "安静1号微网格", "micro", f"{code}001001001",
                        box(126.5, 45.7, 126.7, 45.8)),
            ],
        }
    )  # fmt: skip
    buildings_import(
        "address,lon,lat,code,aliases\n"
        "道里区尚志大街285号,126.6,45.75,SZ285,\n"
        "道里区尚志大街31号,126.61,45.75,SZ31,哈尔滨市第三中学|哈三中\n"
    )
    indexes.invalidate()
    for q in ("哈尔滨市道里区尚志大街285号", "黑龙江省哈尔滨市道里区尚志大街285号"):
        body = ask(superuser_client, q)
        assert body["kind"] == "building" and body["building"]["code"] == "SZ285", q


def test_behind_a_landmark_is_near_it_and_never_the_landmark_itself(hills: Client) -> None:
    # 昆明's 背后: the building behind which something happens is not where it happens; the
    # place is answered where all around the landmark is one micro-grid.
    for q in ("区图书馆背后有人乱倒垃圾", "区图书馆后头有人乱倒垃圾"):
        assert answer(hills, q) == ("place", NW), q
    body = ask(hills, "幸福小区1号楼后面有个坑")
    assert body["kind"] == "building" and body["building"]["code"] == "XF1"


def test_a_park_s_gates_are_its_doors(api: Client) -> None:
    # Two doors carry the park's name, each with its gate: the gate asked picks the door, the
    # name alone the door named just that, a gate no door has is refused.
    buildings_import(
        "address,lon,lat,code,aliases\n"
        "中原区伊河路31号,113.6015,34.7532,PKS,人民公园|人民公园南门\n"
        "中原区伊河路60号,113.6032,34.7535,PKN,人民公园北门\n"
    )
    indexes.invalidate()
    for q, code in (
        ("人民公园南门", "PKS"),
        ("人民公园北门", "PKN"),
        ("人民公园", "PKS"),
    ):
        body = ask(api, q)
        assert body["kind"] == "building" and body["building"]["code"] == code, q
    assert ask(api, "人民公园东门")["kind"] != "building"


@pytest.mark.parametrize(
    "q",
    [
        "伊河路同百花路交界成日有货车乱停",  # 交界: where they meet
        "伊河路百花路转角有人霸位卖嘢",
        "区图书馆侧边有个树头倒咗",  # 粤: beside
        "区图书馆隔离有间铺播音乐好大声",  # 粤: next door
        "区图书馆左近有人劏鸡",  # 粤: nearby
        "区图书馆对出有人派传单",  # 粤: just out in front
        "区图书馆后尾有人烧垃圾",  # 粤: behind
        "百花村第三经济社有人私拉电线",  # 广州's 经济社 is the village's 3社, its 3组
    ],
)
def test_places_as_guangzhou_says_them(hills: Client, q: str) -> None:
    assert answer(hills, q) == ("place", NW)


@pytest.mark.parametrize(
    "word", ["侧边", "隔离", "左近", "对出", "后尾", "跟前", "边上", "对门", "背后", "前边", "厝边"]
)
def test_a_loose_near_word_reaches_twice_as_far_as_beside(hills: Client, word: str) -> None:
    # The hospital stands 78 m from the district's northern edge: 旁边 (50 m round it) lies in
    # the north-western grid; a looser word, read as far as 100 m, may mean past the edge, so
    # it is not placed, and never answered as the hospital itself.
    assert answer(hills, "市第一人民医院旁边有人占道") == ("place", NW)
    body = ask(hills, f"市第一人民医院{word}有人占道")
    assert body["kind"] != "place" and body["building"] is None, word
    assert answer(hills, f"区图书馆{word}有人占道") == ("place", NW), word


def test_a_cross_street_is_a_lane_and_an_ordinal_is_in_the_name(hills: Client) -> None:
    buildings_import(
        "address,lon,lat,code,aliases\n"
        "中原区棉纺横街1号,113.6052,34.7512,HJ1,\n"
        "中原区棉纺横街6号,113.6056,34.7513,HJ6,\n"
        "中原区伊河二路5号,113.6012,34.7528,YH2L5,\n"
    )
    indexes.invalidate()
    # 横街 / 直街: a lane off a street, placed by its houses as a 巷 is.
    assert answer(hills, "棉纺横街有人占用消防通道") == ("place", SE)
    body = ask(hills, "No. 5 Yihe 2nd Road, Zhongyuan District")
    assert body["kind"] == "building" and body["building"]["code"] == "YH2L5"
    # A floor stays a floor.
    body = ask(hills, "No. 5 Yihe 2nd Road, 3rd Floor")
    assert body["kind"] == "building" and body["building"]["code"] == "YH2L5"


def test_places_as_changsha_says_them(hills: Client) -> None:
    # 走个 (走个两三百米), 百把米 (about a hundred metres), 对门 (the door across), 咯里 (here).
    assert read_distance("百把米") is not None and read_distance("百把米").low == 80.0  # type: ignore[union-attr]
    assert answer(hills, "市第一人民医院往西走个五十来米有个坑") == ("place", NW)
    assert answer(hills, "区图书馆对门那家店噪音扰民") == ("place", NW)
    assert answer(hills, "区图书馆咯里有人卖活禽") == ("place", NW)
    # After a door's number, 对门 stays that door's (礼士胡同43号对门).
    body = ask(hills, "幸福小区1号楼对门在施工")
    assert body["kind"] == "building" and body["building"]["code"] == "XF1"


def test_pinyin_in_chinese_order_ends_the_door_with_hao(hills: Client) -> None:
    body = ask(hills, "Zhongyuan Qu Yihe Lu 88 Hao")
    assert body["kind"] == "building" and body["building"]["code"] == "YH88"


def test_places_as_nanjing_says_them(hills: Client) -> None:
    # 红绿灯 and 转弯 after two roads are where they cross; 对过 is across from a landmark.
    assert answer(hills, "伊河路百花路红绿灯有人发传单") == ("place", NW)
    assert answer(hills, "伊河路百花路转弯有个大坑") == ("place", NW)
    assert answer(hills, "区图书馆对过有家饭店油烟扰民") == ("place", NW)
    # 那块 says where only roughly (150 m): both lie about 110 m from a border, so the place
    # is not answered, though 附近 (50 m) is.
    assert answer(hills, "伊河路百花路路口附近垃圾堆了好几天") == ("place", NW)
    assert answer(hills, "伊河路百花路路口那块垃圾堆了好几天")[0] != "place"
    assert answer(hills, "市第一人民医院那块晚上广场舞声音太大")[0] != "place"


def test_a_town_we_do_not_have_in_front_of_our_village_is_refused(hills: Client) -> None:
    # 百花村三社 is ours; 小返乡 is not a 乡 of this district, so its 百花村 is not ours either.
    assert answer(hills, "百花村三社有人烧秸秆") == ("place", NW)
    assert answer(hills, "小返乡百花村三社有人烧秸秆")[0] != "place"


def test_that_spot_is_as_rough_as_that_patch(hills: Client) -> None:
    # 晋语's 那疙瘩: read as far as 那块, so nothing is placed where 150 m crosses a border.
    assert answer(hills, "市第一人民医院那疙瘩天天堵车")[0] != "place"
    assert ask(hills, "市第一人民医院那疙瘩天天堵车")["kind"] != "building"


def test_places_as_hefei_says_them(api: Client) -> None:
    buildings_import(
        "address,lon,lat,code,aliases\n"
        # 河大 (河南大学) deep in the north-western grid; 大门口 must not swallow its 大.
        "中原区伊河路20号,113.6020,34.7531,HD20,河南大学|河大\n"
        # A bridge on 伊河路 known as a landmark of its own.
        "中原区伊河路金水桥,113.6010,34.7530,JSQ,\n"
        # A village's 组 houses, in the south-eastern grid.
        "中原区桐柏路街道岗坡村3组1号,113.6060,34.7512,GP31,\n"
        "中原区桐柏路街道岗坡村3组2号,113.6062,34.7513,GP32,\n"
        # A 小区 some 254 m across, every building 60 m or more inside the north-western grid.
        "中原区银杏苑1号楼,113.6007,34.7526,YX1,\n"
        "中原区银杏苑2号楼,113.6033,34.7534,YX2,\n"
    )
    indexes.invalidate()
    # 去个 (go some): 往南去个三百来米 as 向南约300米.
    assert answer(api, "市第一人民医院往南去个三百来米路东有垃圾") == ("place", SW)
    # Turned at a crossing, then a way and a distance: from the crossing.
    assert answer(api, "伊河路百花路口拐过去往西走100多米有人杀鸡") == ("place", NW)
    assert answer(api, "伊河路百花路口拐过去有人杀鸡")[0] != "place"
    # At a door round which all is its micro-grid, 门口 is that building.
    body = ask(api, "河大门口子天天有人摆摊")
    assert (body["kind"], body["building"]["code"]) == ("building", "HD20")
    # Past the bridge on its road, then on: from the bridge.
    assert answer(api, "伊河路过了金水桥再往东100米有人电鱼") == ("place", NW)
    # A 组 with its village said without 村.
    assert answer(api, "岗坡3组路面塌了") == ("place", SE)
    assert answer(api, "岗坡三组路面塌了") == ("place", SE)
    # Near a 小区 wider than 250 m: answered, as every building's 50 m lies in one grid.
    assert answer(api, "银杏苑附近夜里广场舞声音太大") == ("place", NW)
    # 楼底下 is 楼下: at the door, where 50 m round it is its own micro-grid (100 m is not).
    body = ask(api, "市第一人民医院楼底下有人乞讨")
    assert (body["kind"], body["micro_grid"]["code"]) == ("building", NW)
    # Another village whose name holds 岗坡: 岗坡3组 is said of either, so of neither.
    buildings_import("address,lon,lat,code,aliases\n中原区小岗坡村3组1号,113.6010,34.7531,XG31,\n")
    indexes.invalidate()
    assert answer(api, "岗坡3组路面塌了")[0] != "place"
    assert answer(api, "岗坡村3组路面塌了") == ("place", SE)
