"""Addresses written in English order, smallest part first (门牌, then lane or road, district,
city), in Latin letters or in Chinese characters, resolved as their Chinese order.

The queries are written from the registry rows of the evaluation districts in bench/data, all
imported into one database (each other's rivals: 建设路 is a road of both 中原区 and 涧西区);
every query names its building as the row does, or is expected to be refused. A refusal is
better than a confident wrong building: English whose names the data does not have, and a
pinyin two of its names share, are refused.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from wangge.grids import indexes, selectors
from wangge.grids.addresses import AddressIndex
from wangge.grids.addresses.english import (
    PinyinNames,
    looks_english,
    reordered_chinese,
    rest_names,
    to_chinese,
)
from wangge.grids.services import buildings_import, grids_import_file

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
DISTRICTS = ("lane_city", "hutong_town", "rural_county", "unseen_district", "zhongyuan_sample")

# (query, the building's code, or None when it must be refused)
LATIN: list[tuple[str, str | None]] = [
    # lane_city: 上海市长宁区 lanes
    ("No. 3, Lane 1088, Changning Road, Changning District, Shanghai", "CNL1088H3"),
    ("No. 12, Lane 112, Changning Road, Changning District, Shanghai", "CNL112H12"),
    ("No.5 Lane 405 Zhenning Rd., Changning Dist., Shanghai 200050, China", "CNZN405H5"),
    ("No. 2, Lane 1032, Yuyuan Road, Changning District, Shanghai, P.R.C.", "CNY1032H2"),
    ("No. 4, Lane 284, JIANGSULU, Shanghai", "CNJ284H4"),
    ("No. 3, Lane 1120, Hua-shan Road", "CNH1120H3"),
    ("No. 6 Lane 211 Xinhua Rd, Changning, Shanghai 200052", "CNX211H6"),
    ("No. 3, Lane 1088, Chángníng Lù", "CNL1088H3"),
    ("30 Dingxi Road, Changning District, Shanghai", "CNDX30"),
    ("No. 3, Lane 600, Tianshan Road", "CNTS4H3"),
    ("No. 1, Branch Lane 2, Lane 1032, Yuyuan Road", "CNY1032Z2H1"),
    ("No. 1, Alley 2, Lane 1032, Yuyuan Road", "CNY1032Z2H1"),  # 支弄 as Shanghai signs it
    ("No. 3, Lane 1088, Nanjing Road, Shanghai", None),  # a road the data does not have
    ("No. 3, Lane 1088, Changning Road, Xuhui District", None),  # nor this district
    ("No. 13, Lane 1088, Changning Road", None),  # nor this house
    # hutong_town: 北京市东城区
    ("No. 24, Shijia Hutong, Dongcheng District, Beijing", "DCSJ24"),
    ("No. 5 Fuxiang Hutong, Jiaodaokou Subdistrict, Dongcheng District, Beijing", "DCFX5"),
    ("Building 3, No. 94, Dongsi Shitiao, Dongcheng District", "DCDS10T94B3"),
    ("Building 2, No. 14 Dongzhimen Nanxiaojie, Dongcheng, Beijing 100007", "DCDZM14B2"),
    ("No. 107, Dongsi North Street, Dongcheng District, Beijing", "DCDSBD107"),
    ("No. 11, Neiwubu Street, Dongcheng District", "DCNWB11"),
    ("Jia 15 Dongmianhua Hutong, Beijing", "DCDMHJ15"),
    ("No. 9, Shijia Hutong, Dongcheng District", None),  # no 9号 on 史家胡同
    ("No. 5, Wudaoying Hutong, Dongcheng District", None),  # a hutong the data does not have
    # rural_county: 安徽省合肥市肥东县
    ("No.15, Group 3, Heping Village, Dianbu Town, Feidong County", "FDHPG3H15"),
    ("No. 12, Team 4, Heping Cun, Dianbu Zhen, Feidong County, Anhui Province", "FDHPG4H12"),
    (
        "No. 8, Group 1, Hongqi Village, Zhongxing Township, Feidong County, Hefei City, "
        "Anhui Province, China 231600",
        "FDHQG1H8",
    ),
    ("No. 3, Chenwan, Hongqi Village, Zhongxing Xiang, Feidong County", "FDHQCWH3"),
    ("Building 4, Xingfu Residential Quarter, Dianbu Town, Feidong County", "FDXFXQB4"),
    ("No. 2, Longquan Road, Dianbu Town, Feidong County, Hefei, Anhui, China", "FDLQH2"),
    ("No. 9 Lizhuang, Heping Village, Mahu Township", "FDMHLZH9"),
    ("No. 15, Zu 3, Wangzhuang Village, Mahu Xiang, Feidong", "FDWZG3H15"),
    ("No. 15, Group 3, Heping Village, Mahu Township", None),  # 马湖乡和平村 has no 3组15号
    ("No. 5, Group 3, Xinfeng Village, Cuozhen Town", None),  # 新丰村 or 新峰村: not guessed
    ("No. 15, Group 3, Taiping Village, Dianbu Town", None),  # a village the data lacks
    # unseen_district: 洛阳市涧西区
    ("Building 3, No. 12 Nanchang Road, Jianxi District, Luoyang", "JXNC12B3"),
    (
        "Building 3, Courtyard 45, Zhengzhou Road, Jianxi District, Luoyang City, "
        "Henan Province 471000",
        "JXZZ45B3",
    ),
    ("Bldg 2, Mudan Residential Quarter, Zhengzhou Rd, Jianxi Dist., Luoyang", "JXMDB2"),
    ("Building 1, Jianye Guiyuan, Hubei Road, Jianxi District", "JXGYB1"),
    ("Unit 2, Building 3, Chang'an Garden, Chang'an Road, Jianxi District", "JXCAHYB3"),
    ("Room 201, Building 3, No. 96 Jianshe Road, Jianxi District, Luoyang", "JXZC96B3"),
    ("Room 201, Building 3, No. 96 Jianshe Lu, Jianxi District", "JXZC96B3"),
    ("Building 3, No. 96 JIANSHELU, Jianxi District", "JXZC96B3"),
    ("Building 3, No. 96 Jian-she Road, Jianxi District", "JXZC96B3"),
    ("Building 2, No. 8 Qīngdǎo Lù, Jiànxī Qū, Luòyáng Shì", "JXQD8B2"),
    ("Building 9, No. 12 Nanchang Road, Jianxi District", None),  # no 9号楼 there
    ("Building 3, No. 12 Nanjing Road, Jianxi District", None),  # a road the data lacks
    ("Building 2, Mudan Residential Quarter, Kaifeng City", None),  # another city
    # zhongyuan_sample: 郑州市中原区
    ("Building 12, No. 12 Jianshe Road, Zhongyuan District, Zhengzhou", "ZY211"),
    ("Building 3, No. 187, Jianshe West Road, Zhongyuan Dist.", "ZY142"),
    ("Building 3, No. 123, Tongbai Rd., Zhongyuan Dist., Zhengzhou 450000", "ZY133"),
    ("Building 3, No. 96 Jianshe Road, Zhongyuan District", None),  # 96号院 is 涧西区's
]

CHINESE: list[tuple[str, str | None]] = [
    ("12号，112弄，长宁路，长宁区，上海市", "CNL112H12"),
    ("3号, 1088弄, 长宁路, 长宁区, 上海", "CNL1088H3"),
    ("5号 405弄 镇宁路 长宁区", "CNZN405H5"),
    ("13号，1088弄，长宁路，长宁区", None),
    ("24号，史家胡同，东城区，北京市", "DCSJ24"),
    ("2号楼 东直门南小街14号院 东城区 北京市", "DCDZM14B2"),
    ("15号 3组 和平村 店埠镇 肥东县", "FDHPG3H15"),
    ("8号，1组，红旗村，众兴乡，肥东县，合肥市，安徽省", "FDHQG1H8"),
    ("4栋，幸福小区，店埠镇，肥东县", "FDXFXQB4"),
    # A 自然村 between the house and its 行政村.
    ("2号，张郢，新丰村，撮镇镇，肥东县", "FDXFZYH2"),
    ("15号 3组 和平村 马湖乡", None),
    ("3号楼，12号院，南昌路，涧西区，洛阳市", "JXNC12B3"),
    ("2号楼，牡丹小区，郑州路，涧西区", "JXMDB2"),
    ("2单元3号楼，长安花园，长安路，涧西区", "JXCAHYB3"),
    ("3号楼，建设路96号院，涧西区，洛阳市", "JXZC96B3"),
    ("3号楼，建设路96号院，中原区", None),
    # Chinese order with a comma in it is read as it is written.
    ("南昌路12号院，3号楼", "JXNC12B3"),
    ("涧西区，南昌路12号院3号楼", "JXNC12B3"),
    ("洛阳市涧西区，长安路长安花园，3号楼", "JXCAHYB3"),
    ("中原区建设路12号院，12号楼", "ZY211"),
]


def _import_districts() -> None:
    for folder in DISTRICTS:
        grids_import_file((DATA / folder / "grids.geojson").read_text(encoding="utf-8"))
        buildings_import((DATA / folder / "buildings.csv").read_text(encoding="utf-8"))


def _code(query: str) -> str | None:
    match = selectors.resolve_address(q=query)
    return match.building.code if match.building is not None else None


def _wrong(cases: list[tuple[str, str | None]]) -> list[tuple[str, str | None, str | None]]:
    """The cases answered otherwise than expected: (query, expected, answer)."""
    answers = [(query, expected, _code(query)) for query, expected in cases]
    return [case for case in answers if case[1] != case[2]]


@pytest.fixture
def districts(db: Any) -> None:
    _import_districts()
    indexes.invalidate()


def test_latin_addresses_in_english_order_resolve(districts: None) -> None:
    assert _wrong(LATIN) == []


def test_chinese_addresses_in_english_order_resolve(districts: None) -> None:
    assert _wrong(CHINESE) == []


# -- the database engine, on PostgreSQL ------------------------------------------------


@pytest.fixture
def on_the_database_engine(
    engine_schema: None, db: Any, settings: Any
) -> Iterator[None]:  # pragma: no cover - PostgreSQL only
    from wangge.grids import dbengine

    dbengine.require_installed()
    settings.GRID_ENGINE = "database"
    indexes.invalidate()
    indexes._forms_stored_for.clear()
    yield
    indexes.invalidate()
    indexes._forms_stored_for.clear()


if connection.vendor == "postgresql":
    from tests.grids.test_database_engine import engine_schema  # noqa: F401  (a fixture)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database engine runs on PostgreSQL only"
)
def test_both_engines_answer_english_order_alike(
    on_the_database_engine: None, settings: Any
) -> None:
    _import_districts()
    answers = {}
    for engine in ("memory", "database"):
        settings.GRID_ENGINE = engine
        indexes.invalidate()
        answers[engine] = [_code(query) for query, _ in LATIN + CHINESE]
    assert answers["database"] == answers["memory"]
    assert answers["memory"] == [code for _, code in LATIN + CHINESE]


# -- the rewriting alone ---------------------------------------------------------------


def test_a_chinese_address_in_english_order_is_reversed() -> None:
    assert reordered_chinese("12号，345弄，长宁路，长宁区，上海市") == "上海市长宁区长宁路345弄12号"
    assert reordered_chinese("3单元2号楼，幸福小区，建设路88号") == "建设路88号幸福小区2号楼3单元"
    assert reordered_chinese("15号 3组 和平村 店埠镇 肥东县") == "肥东县店埠镇和平村3组15号"
    # A lane named 弄 (not numbered) is a part as a 巷 is.
    assert reordered_chinese("8号，柳条弄，上海市嘉定区") == "上海市嘉定区柳条弄8号"


def test_chongqing_s_main_streets_compounds_annexes_and_she() -> None:
    names = PinyinNames(["杨家坪正街", "兴华城", "西郊路", "西郊花园"])
    assert to_chinese("No. 12, Yangjiaping Main Street", names) == "杨家坪正街12号"
    assert to_chinese("Building 2, Xinghua City", names) == "兴华城2号楼"
    assert (
        to_chinese("Building 3, Xijiao Garden, No. 91 Xijiao Road", names)
        == "西郊路91号西郊花园3号楼"
    )
    assert reordered_chinese("12号附3号，杨家坪正街，九龙坡区") == "九龙坡区杨家坪正街12号附3号"
    assert reordered_chinese("15号，3社，龙井村，华岩镇") == "华岩镇龙井村3社15号"
    # The names English may write: the road, and a compound after the door.
    assert rest_names("西郊路91号西郊花园3栋") == ["西郊路", "西郊花园"]
    assert rest_names("龙井村3组15号") == ["龙井村"]


def test_harbin_is_haerbin_and_a_village_reads_as_its_characters() -> None:
    names = PinyinNames(["哈尔滨市", "道里区", "中央大街", "民乐村", "新发镇"])
    assert (
        to_chinese("No. 89, Zhongyang Street, Daoli District, Harbin", names)
        == "哈尔滨市道里区中央大街89号"
    )
    # 民乐 as a word is mínyuè (folk music); the village is Minle.
    assert to_chinese("No. 12, Group 3, Minle Village, Xinfa Town", names) == "新发镇民乐村3组12号"


def test_an_exonym_at_the_start_of_a_road_s_name() -> None:
    # 青岛's 香港中路 is "Hong Kong Middle Road" on its signs, not Xianggang.
    names = PinyinNames(["青岛市", "市南区", "香港中路", "香港西路"])
    for road in ("Hong Kong Middle Road", "Hongkong Middle Road", "Xianggang Middle Road"):
        assert to_chinese(f"No. 151, {road}, Shinan District", names) == "市南区香港中路151号"


def test_shanghai_s_english_parts_and_a_district_named_alone() -> None:
    names = PinyinNames(["嘉定区", "嘉定镇", "沪宜公路", "博乐路", "塔城路", "广州路"])
    assert to_chinese("No. 2901, Huyi Highway, Jiading District", names) == "嘉定区沪宜公路2901号"
    # "Jiading" alone reads as 嘉定区 and as the 嘉定镇 (街道) inside it: the larger unit.
    assert to_chinese("No. 302 Bole Road, Jiading, Shanghai", names) == "上海嘉定区博乐路302号"
    assert to_chinese("No. 5, Alley 3, Lane 268, Tacheng Road", names) == "塔城路268弄3支弄5号"
    # Without a lane a numbered alley is a street's 巷 (广州's 3巷), not a 支弄.
    assert to_chinese("No. 5, Alley 3, Guangzhou Road", names) == "广州路3巷5号"
    assert to_chinese("No. 5, Alley 3, Branch Lane 2, Lane 268, Tacheng Road", names) is None
    # A door's annex, said first, hangs on the door after it.
    assert to_chinese("Annex 3, No. 72 Bole Road", names) == "博乐路72号附3号"


def test_a_street_s_lanes_sides_groups_and_subdistricts_as_the_data_writes_them() -> None:
    names = PinyinNames(
        ["高第街", "高第街三巷", "长宁路", "文德路", "松园村", "滦镇大街", "滦镇街道", "东寨村"]
    )
    # A numbered lane is a 巷 where the data numbers the street's lanes so, else a 弄.
    assert to_chinese("No. 5, Lane 3, Gaodi Street", names) == "高第街3巷5号"
    assert to_chinese("No. 5, Lane 3, Changning Road", names) == "长宁路3弄5号"
    assert to_chinese("No. 3, Lane 1088, Changning Road", names) == "长宁路1088弄3号"
    # A door numbered from one side of the road.
    assert to_chinese("No. 6 West, Wende Road", names) == "文德路西6号"
    assert to_chinese("No. 6, West Wende Road", names) is None  # 文德西路 is not in the data
    # A group with its numeral in pinyin.
    assert to_chinese("No. 5, Yishe, Songyuan Village", names) == "松园村1组5号"
    assert to_chinese("No. 5, San Zu, Songyuan Village", names) == "松园村3组5号"
    # After a village a street is the 街道 it is in; before, the road of that name.
    assert (
        to_chinese("No. 6, Group 1, Dongzhai Village, Luanzhen Street", names)
        == "滦镇街道东寨村1组6号"
    )
    assert to_chinese("No. 6, Luanzhen Street", names) == "滦镇大街6号"


def test_a_compound_s_lettered_area_and_an_ethnic_township() -> None:
    names = PinyinNames(["花果园", "小碧乡", "小碧村"])
    assert to_chinese("Building 3, Block B, Huaguoyuan", names) == "花果园B区3号楼"
    assert (
        to_chinese("No. 8, Group 3, Xiaobi Village, Xiaobi Buyei and Miao Ethnic Township", names)
        == "小碧乡小碧村3组8号"
    )


def test_landmarks_offices_and_pinyin_buildings_and_rooms() -> None:
    names = PinyinNames(["滕王阁", "东湖区", "扬农管理处", "三联村", "豫章花园"])
    assert to_chinese("Tengwang Pavilion, Donghu District", names) == "东湖区滕王阁"
    assert (
        to_chinese("No. 13, Group 3, Sanlian Village, Yangnong Management Office", names)
        == "扬农管理处三联村3组13号"
    )
    assert (
        to_chinese("Donghu Qu Yuzhang Huayuan 2 Dong 1 Danyuan 302 Shi", names)
        == "东湖区豫章花园2号楼1单元302室"
    )


def test_a_township_of_peoples_is_said_without_them() -> None:
    from wangge.grids.addresses.text import town_forms

    assert town_forms("小碧布依族苗族乡") == ["小碧布依族苗族乡", "小碧乡"]
    assert town_forms("云关乡") == ["云关乡"]


def test_a_road_s_suffix_written_with_a_character_of_its_sound() -> None:
    from wangge.grids.addresses.text import normalize_text

    assert normalize_text("长安区航天大到332号") == "长安区航天大道332号"
    assert normalize_text("沈本大接8号") == "沈本大街8号"
    # Only before a door number: elsewhere the characters are words of the sentence.
    assert normalize_text("声音大到3号楼都听得见") == "声音大到3号楼都听得见"
    assert normalize_text("雨大到看不见路") == "雨大到看不见路"


@pytest.mark.parametrize(
    "query",
    [
        "建设路88号，幸福小区3号楼",  # Chinese order, a comma between its parts
        "上海市长宁区，长宁路1088弄3号",
        "长宁路1088弄3号",  # one part
        "长宁路1088弄3号 对面",
        "幸福小区，3号楼",  # the compound first: Chinese order
        "3号楼，4号楼",  # two buildings, not a chain
        "市民反映，建设路88号3号楼漏水",  # a sentence
    ],
)
def test_chinese_order_is_left_as_written(query: str) -> None:
    assert reordered_chinese(query) is None


def test_an_english_address_is_not_a_chinese_one() -> None:
    assert looks_english("No. 12, Lane 345, Changning Road")
    assert not looks_english("12号，345弄，长宁路")


def test_a_memory_index_reads_both_orders_alike() -> None:
    index = AddressIndex(
        [
            (1, "上海市长宁区长宁路1088弄3号", []),
            (2, "上海市长宁区长宁路1088弄4号", []),
            (3, "肥东县店埠镇和平村3组15号", []),
        ]
    )
    assert index.resolve("3号，1088弄，长宁路，长宁区，上海市").building_id == 1
    assert index.resolve("No. 4, Lane 1088, Changning Road, Shanghai").building_id == 2
    assert index.resolve("15号 3组 和平村 店埠镇 肥东县").building_id == 3
    assert index.resolve("No. 15, Group 3, Heping Village, Dianbu Town").building_id == 3
    assert index.resolve("No. 16, Group 3, Heping Village, Dianbu Town").building_id is None
