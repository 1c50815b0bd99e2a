"""Places as more districts say them, and the readings that keep a near miss from becoming a
confident wrong answer: the road a 路南 is the side of, a 行政村 the data does not have, a name
said in full, a province misspelt, a lane's mouths, a 小区 too spread to be one place.

The district of test_places (four micro-grids around 建设路 × 桐柏路, their borders).
"""

import pytest
from django.test import Client

from tests.grids.test_places import NW, SE, ask
from tests.grids.test_places import district as district
from wangge.grids import indexes
from wangge.grids.addresses.placetext import read_distance
from wangge.grids.services import buildings_import, roads_import_file


@pytest.fixture
def api(district: None, superuser_client: Client) -> Client:
    return superuser_client


def answer(api: Client, q: str) -> tuple[str, str | None]:
    body = ask(api, q)
    return body["kind"], (body["micro_grid"] or {}).get("code")


def more(rows: str) -> None:
    buildings_import("address,lon,lat,code,aliases\n" + rows)
    indexes.invalidate()


def test_a_side_of_the_road_is_of_the_road_across_which_it_points(api: Client) -> None:
    # 50 m west of the hospital ends on 百花路 (north–south); 路南 is the south side of 伊河路,
    # the road the offset runs along, not a point moved south along 百花路.
    body = ask(api, "市第一人民医院往西50米路南有个坑")
    assert (body["kind"], body["micro_grid"]["code"]) == ("place", NW)
    assert body["point"][1] < 34.7530  # south of 伊河路's line


def test_a_village_the_data_does_not_have_is_not_its_hamlet(api: Client) -> None:
    more(
        "中原区新丰村李家窝棚3号,113.6012,34.7535,LJ3,\n"
        "中原区新丰村李家窝棚8号,113.6016,34.7536,LJ8,\n"
    )
    assert answer(api, "新丰村李家窝棚路面塌陷") == ("place", NW)
    # No 行政村 李家窝棚村: reading it as 新丰村's hamlet would be a guess.
    body = ask(api, "李家窝棚村路面塌陷")
    assert body["kind"] == "refused" and "村" in body["message"]


def test_a_name_said_in_full_picks_its_door_out_of_a_tie(api: Client) -> None:
    # Once the place names in front are read off, both aliases are 政府: the text says the
    # district's in full.
    more(
        "中原区伊河路12号,113.6012,34.7532,QZF,中原区政府|中原区人民政府\n"
        "中原区百花街道建设路5号,113.6062,34.7515,JZF,百花街道政府\n"
    )
    body = ask(api, "中原区政府")
    assert body["kind"] == "building" and body["building"]["code"] == "QZF"


def test_a_number_or_a_gate_after_a_name_is_not_that_name(api: Client) -> None:
    more(
        "中原区建设路60号,113.6009,34.7505,XFG,幸福小区\n"
        "中原区伊河路40号,113.6010,34.7532,LC40,绿城站\n"
    )
    # 幸福小区9号楼 does not exist: never the 小区's gate.
    body = ask(api, "幸福小区9号楼")
    assert body["building"] is None and body["micro_grid"] is None
    # 3-2-501 after a 小区 is 楼-单元-室, not a floor: the 1号楼, not its gate.
    body = ask(api, "幸福小区1-2-501")
    assert body["kind"] == "building" and body["building"]["code"] == "XF1"
    # A direction put into a station's name is another station.
    assert ask(api, "绿城站")["building"]["code"] == "LC40"
    assert ask(api, "绿城南站")["building"] is None


def test_a_province_misspelt_by_one_character_is_ours_a_real_other_one_is_not(
    api: Client,
) -> None:
    more("河南省郑州市中原区伊河路99号,113.6015,34.7531,YH99,\n")
    assert ask(api, "河南省郑州市中原区伊河路99号")["building"]["code"] == "YH99"
    # 河男 is no province: a slip of 河南.
    assert ask(api, "河男省郑州市中原区伊河路99号")["building"]["code"] == "YH99"
    # 湖南 is one: another province's 中原区 is not ours.
    assert ask(api, "湖南省郑州市中原区伊河路99号")["building"] is None
    # 中源区 is no district: a slip of 中原区; 二七区 is one, and not ours.
    assert ask(api, "中源区伊河路99号")["building"]["code"] == "YH99"
    assert ask(api, "二七区伊河路99号")["building"] is None


@pytest.fixture
def lanes(api: Client) -> Client:
    # 胭脂巷 runs west from 桐柏路, the border, into the north-western grid; 书院巷 lies inside
    # it.
    roads_import_file(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "胭脂巷", "kind": "branch"}, "geometry": {"type": "LineString", '
        '"coordinates": [[113.6040, 34.7525], [113.6028, 34.7525]]}}, {"type": "Feature", '
        '"properties": {"name": "书院巷", "kind": "branch"}, "geometry": {"type": '
        '"LineString", "coordinates": [[113.6010, 34.7526], [113.6030, 34.7526]]}}]}'
    )
    more("中原区黄巷1弄1号,113.6058,34.7508,HX1,\n中原区黄巷1弄3号,113.6060,34.7509,HX3,\n")
    return api


def test_a_lane_that_opens_onto_a_border_road_is_the_lane(lanes: Client) -> None:
    assert answer(lanes, "胭脂巷路灯坏了") == ("place", NW)
    # Its mouth, which end unsaid: one of them is on the border.
    assert answer(lanes, "胭脂巷口有人乱停车")[0] != "place"
    # A lane's 弄 numbered in words is the 弄 its houses are numbered by.
    assert answer(lanes, "黄巷一弄有人占用消防通道") == ("place", SE)


def test_a_door_in_words_on_a_lane_is_not_the_lane(api: Client) -> None:
    body = ask(api, "百花里北巷九号")
    assert body["kind"] in ("candidates", "refused") and body["micro_grid"] is None


def test_a_turn_is_a_crossing_and_some_tens_of_metres_are_read(api: Client) -> None:
    assert answer(api, "伊河路百花路拐弯有个大坑") == ("place", NW)
    distance = read_distance("几十米")
    assert distance is not None and distance.low <= 10.0 and distance.high >= 90.0


def test_around_a_compound_too_spread_to_be_one_place_is_not_its_gate(api: Client) -> None:
    # Its two gates stand 270 m apart, across 桐柏路.
    more(
        "中原区建设路100号,113.6025,34.7512,DYA,大院小区\n"
        "中原区桐柏路200号,113.6055,34.7512,DYB,大院小区东门\n"
    )
    assert ask(api, "大院小区")["building"]["code"] == "DYA"
    body = ask(api, "大院小区周边施工扰民")
    assert body["building"] is None and body["kind"] != "place"


def test_the_city_and_district_without_their_shi_and_qu(api: Client) -> None:
    # The data's addresses never name their city: the national list says 中原区 is 郑州's.
    for q in ("郑州中原伊河路88号", "郑州伊河路88号", "中原伊河路88号"):
        body = ask(api, q)
        assert body["kind"] == "building" and body["building"]["code"] == "YH88", q
    # 洛阳's 伊河路 is not ours; 郑州路 is a road (of 青岛), not the city.
    assert ask(api, "洛阳伊河路88号")["building"] is None
    assert ask(api, "郑州路88号")["building"] is None


def test_pinyin_in_chinese_order_with_a_group(api: Client) -> None:
    more("中原区新丰村3组5号,113.6014,34.7536,XF35,\n中原区新丰村3组9号,113.6016,34.7537,XF39,\n")
    body = ask(api, "Zhongyuan Qu Xinfeng Cun 3 Zu 5 Hao")
    assert body["kind"] == "building" and body["building"]["code"] == "XF35"
    assert answer(api, "新丰村3组有人烧秸秆") == ("place", NW)


def test_another_family_s_hamlet_is_not_a_typo(api: Client) -> None:
    more(
        "中原区新丰村张家院子8号,113.6012,34.7535,ZJ8,\n"
        "中原区新丰村张家院子9号,113.6014,34.7536,ZJ9,\n"
    )
    assert ask(api, "新丰村张家院子8号")["building"]["code"] == "ZJ8"
    # 王家院子 is the 王 family's, not a misspelt 张家院子.
    assert ask(api, "新丰村王家院子8号")["building"] is None


def test_a_short_way_with_no_number_and_around_there(api: Client) -> None:
    distance = read_distance("不远")
    assert distance is not None and distance.low <= 10.0 and distance.high >= 150.0
    # 150 m east of the hospital crosses 桐柏路, the border: a short way is not placed.
    assert answer(api, "市第一人民医院往东不远有人烧烤")[0] != "place"
    # 那点 / 那儿 (around there) reach as far as 跟前: past the district's edge here.
    for q in ("市第一人民医院那点有人倒垃圾", "市第一人民医院那儿天天堵车"):
        body = ask(api, q)
        assert body["kind"] != "place" and body["building"] is None, q


def test_where_a_road_turns_or_ends_is_at_its_ends(lanes: Client) -> None:
    # 胭脂巷's east end is on 桐柏路, the border: its end and its turn are not placed.
    for q in ("胭脂巷走到底有人烧蜂窝煤", "胭脂巷倒拐的地方有人乱倒垃圾"):
        assert answer(lanes, q)[0] != "place", q
    # 书院巷 ends 60 m and more from every border: both its ends are the north-western grid's.
    assert answer(lanes, "书院巷走到底有人堆杂物") == ("place", NW)
    assert answer(lanes, "书院巷口有人乱停车") == ("place", NW)


def test_an_offset_not_read_is_never_the_landmark_it_starts_from(api: Client) -> None:
    # A direction and a distance the reader cannot follow: somewhere away from the hospital,
    # so never the hospital.
    body = ask(api, "市第一人民医院往西拐个弯再走二三百米有人烧烤")
    assert body["building"] is None and body["kind"] != "place"
    assert ask(api, "市第一人民医院")["building"]["code"] == "YH88"


def test_on_along_with_no_direction_is_never_the_landmark(api: Client) -> None:
    # 往前走, 往下走, 往上走: which way is not said (downhill, up the stairs, along the road).
    for q in ("市第一人民医院往前走100米有人烧烤", "市第一人民医院往下走一百多米有条狗咬人"):
        body = ask(api, q)
        assert body["building"] is None and body["kind"] != "place", q


def test_past_the_lights_of_a_crossing_and_on(api: Client) -> None:
    # From where 百花路 crosses 伊河路, east along it: inside the north-western grid.
    q = "沿伊河路往东走，过了百花路的红绿灯往前走五十米有个大坑"
    assert answer(api, q) == ("place", NW)
    # West, two hundred metres past it: off the district's grids.
    assert answer(api, "沿伊河路往西走，过了百花路路口再走两百米有人摆摊")[0] != "place"


def test_diagonally_across_and_that_patch_reach_further_than_across(api: Client) -> None:
    # The restaurant stands 75 m west of 桐柏路, the border.
    more("中原区伊河路30号,113.6032,34.7533,YH30,红星饭店\n")
    assert answer(api, "红星饭店对面有人占道") == ("place", NW)
    for q in ("红星饭店斜对面有人占道", "红星饭店那一块经常停电"):
        body = ask(api, q)
        assert body["building"] is None and body["kind"] != "place", q


def test_inside_a_lane_takes_in_its_mouths_and_a_turn_is_where_it_bends(lanes: Client) -> None:
    # 胭脂巷 named alone is the lane; inside it (里头) reaches its mouth on the border.
    assert answer(lanes, "胭脂巷路灯坏了") == ("place", NW)
    assert answer(lanes, "胭脂巷里头电线乱拉")[0] != "place"
    # 拐子巷 turns south 140 m in from 桐柏路: where it turns is the north-western grid's,
    # though one of its ends is on the border.
    roads_import_file(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "拐子巷", "kind": "branch"}, "geometry": {"type": "LineString", '
        '"coordinates": [[113.6040, 34.75305], [113.6025, 34.75305], [113.6025, 34.7526]]}}]}'
    )
    indexes.invalidate()
    assert answer(lanes, "拐子巷转拐那点有个井盖翘起来了") == ("place", NW)


def test_a_province_learnt_from_a_bank_and_a_road_after_a_city_s_name(api: Client) -> None:
    more(
        "中原区伊河路99号,113.6015,34.7531,YH99,河南银行伊河路支行\n"
        "中原区开封南路5号,113.6012,34.7531,KF5,\n"
    )
    # 河南银行 names the province: 河南省 in front of an address is still read whole.
    assert ask(api, "河南省中原区伊河路99号")["building"]["code"] == "YH99"
    # 开封南路 is a road, not the city 开封 and a 南路.
    assert ask(api, "开封南路5号")["building"]["code"] == "KF5"


def test_past_a_bridge_is_never_the_bridge_and_downstairs_reaches_as_far_as_beside(
    lanes: Client,
) -> None:
    # 胭脂巷 is short and all in the north-western grid; the far side of it is not it.
    body = ask(lanes, "过了胭脂巷那边有人私搭棚子")
    assert body["kind"] != "place" and body["building"] is None
    more("中原区伊河路30号,113.6032,34.7533,YH30,红星饭店\n")
    # 那搭 is a near word as loose as 跟前: never the building itself, and 100 m round it
    # reaches over a border.
    body = ask(lanes, "红星饭店那搭有人焚烧垃圾")
    assert body["building"] is None and body["kind"] != "place"
    # 楼底下 is 楼下: at the door, where all round it is its own micro-grid.
    body = ask(lanes, "红星饭店楼底下有人乞讨")
    assert body["kind"] == "building" and body["building"]["code"] == "YH30"


def test_a_city_at_the_front_of_a_landmark_s_name_is_part_of_the_name(api: Client) -> None:
    more(
        "郑州市中原区伊河路77号,113.6013,34.7531,YH77,\n"
        "中原区伊河路20号,113.6015,34.7532,ZDX,郑州大学\n"
    )
    assert ask(api, "郑州大学")["building"]["code"] == "ZDX"
    # 郑州大学 is not the city 郑州 and a 大学: another university is not it.
    assert ask(api, "洛阳师范大学")["building"] is None
    assert ask(api, "西北师范大学")["building"] is None


def test_a_village_whose_name_holds_a_road_word(api: Client) -> None:
    more(
        "中原区白道坪村三社1号,113.6012,34.7535,BDP1,\n"
        "中原区白道坪村三社5号,113.6014,34.7536,BDP5,\n"
    )
    # 白道坪村 is a village, not a road 白道 and a 坪村.
    assert ask(api, "白道坪村3社5号")["building"]["code"] == "BDP5"
    assert answer(api, "白道坪村三社有人在路边晒粮") == ("place", NW)


def test_a_compound_named_alone_is_its_gate_not_its_numbered_buildings(api: Client) -> None:
    more(
        "中原区伊河路71号,113.6012,34.7532,SWG,省委大院|省委大院大门\n"
        "中原区伊河路71号省委大院1栋,113.6013,34.7534,SW1,省委大院1栋\n"
        "中原区伊河路71号省委大院2栋,113.6016,34.7534,SW2,省委大院2栋\n"
    )
    assert ask(api, "省委大院")["building"]["code"] == "SWG"
    assert ask(api, "省委大院2栋")["building"]["code"] == "SW2"


def test_beside_said_first_turned_past_and_a_bit_that_way(api: Client) -> None:
    more("中原区伊河路30号,113.6032,34.7533,YH30,红星饭店\n")
    # 挨着 before the landmark is a near word: never the restaurant itself.
    body = ask(api, "挨着红星饭店有个报刊亭占道")
    assert body["building"] is None and body["kind"] != "place"
    # Past the crossing with no way said is somewhere beyond it, not the crossing.
    assert answer(api, "伊河路与百花路交叉口拐过去有人焚烧垃圾")[0] != "place"
    assert answer(api, "伊河路与百花路交叉口有人焚烧垃圾") == ("place", NW)
    # 往东点儿: a short way east, as 往东一点儿.
    distance = read_distance("点儿")
    assert distance is not None and distance.low <= 10.0


def test_a_city_named_alone_is_no_landmark_named_after_it(api: Client) -> None:
    more("中原区伊河路52号,113.6015,34.7532,ZZZ,郑州站|郑州火车站\n")
    assert ask(api, "郑州站")["building"]["code"] == "ZZZ"
    # 郑州 is the city, not a slip of 郑州站; at the end of an address in English order it is
    # the city without its 市 (a name ending in 庄 is no village there either).
    assert ask(api, "郑州")["building"] is None
    more("中原区伊河路15号,113.6013,34.7531,YH15,\n")
    body = ask(api, "15号，伊河路，中原区，郑州")
    assert body["building"]["code"] == "YH15"
    body = ask(api, "15号，伊河路，中原区，石家庄")
    assert body["building"] is None


def test_a_compound_s_numbered_buildings_and_a_hamlet_across_a_border(api: Client) -> None:
    # 铁路宿舍's buildings stand on both sides of 桐柏路: around it is no one grid, although its
    # gate is well inside one.
    more(
        "中原区建设路120号,113.6030,34.7528,TLG,铁路宿舍|铁路宿舍大门\n"
        "中原区建设路120号院1号楼,113.6035,34.7528,TL1,铁路宿舍1号楼\n"
        "中原区建设路120号院2号楼,113.6045,34.7528,TL2,铁路宿舍2号楼\n"
        "中原区新丰村赵家屯3号,113.6035,34.7535,ZJT3,\n"
        "中原区新丰村赵家屯11号,113.6045,34.7535,ZJT11,\n"
        "中原区新丰村第一生产队6号,113.6012,34.7535,SC6,\n"
    )
    assert ask(api, "铁路宿舍附近施工扰民")["kind"] != "place"
    assert ask(api, "新丰村赵家屯有人私搭乱建")["kind"] != "place"
    # 第一生产队 is the 1队 (1组) its houses are numbered by.
    assert ask(api, "新丰村第一生产队6号")["building"]["code"] == "SC6"


def test_a_name_many_doors_carry_is_never_one_of_them(api: Client) -> None:
    # Six compounds called 于胡小区 along one road, each with its 1–4号楼: 于胡小区3号楼 is
    # every one's 3号楼, however few of them the candidates list has room for.
    more(
        "".join(
            f"中原区伊河路{300 + 10 * j + k}号{k}号楼,113.60{10 + j},34.753{k},Y{j}{k},"
            f"于胡小区{k}号楼\n"
            for j in range(6)
            for k in range(1, 5)
        )
    )
    body = ask(api, "于胡小区3号楼")
    assert body["building"] is None and body["candidates"]
