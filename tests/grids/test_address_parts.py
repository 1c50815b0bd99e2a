"""The named parts of an address beyond road / 门牌号 / compound / building: lanes (弄, 支弄),
doors with annex and stem (附X号, 甲乙丙), 村民小组, natural villages, and the relative phrases
that name a landmark rather than the place. Each part is compared as itself: a lane number is
never a door number, 30号附2号 is not 30号."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from wangge.grids.addresses import AddressIndex, ParsedAddress, normalize_text, parse_address

BUILDINGS = [
    (1, "滨江市江宁区枫林路1088弄1号", []),
    (2, "滨江市江宁区枫林路1088弄3号", []),
    (3, "滨江市江宁区枫林路108弄3号", []),
    (4, "滨江市江宁区枫林路1088弄12号", []),
    (5, "滨江市江宁区枫林路1088弄12支弄3号", []),
    (6, "滨江市江宁区枫林路1088弄12支弄5号", []),
    (7, "滨江市江宁区桂园路30号", ["湖滨社区居委会"]),
    (8, "滨江市江宁区桂园路30号附2号", []),
    (9, "滨江市江宁区桂园路66号", []),
    (10, "滨江市江宁区桂园路66甲号", []),
    (11, "滨江市江宁区桂园路66乙号", []),
    (12, "江宁区石桥镇柳塘村4组12号", []),
    (13, "江宁区石桥镇柳塘村14组2号", []),
    (14, "江宁区石桥镇柳塘村杨家湾9号", ["柳塘村57号"]),
    (15, "江宁区石桥镇柳塘村杨家湾3号", []),
    (16, "江宁区石桥镇柳塘村1号", ["柳塘村村委会"]),
    (17, "江宁区石桥镇杨家湾村3组1号", []),
]
# The grid tree as import_grids gives it: the district, a 镇 (street level) and a 行政村
# (community level); the importer adds each building's micro-grid path.
_TOWN = "320115/320115100/"
_VILLAGE = _TOWN + "320115100201/"
PLACES = [
    ("江宁区", "district", "320115/"),
    ("湖滨街道", "street", "320115/320115001/"),
    ("湖滨社区", "community", "320115/320115001/001/"),
    ("石桥镇", "street", _TOWN),
    ("柳塘村", "community", _VILLAGE),
]
INDEX = AddressIndex(
    [
        (bid, address, aliases, (_VILLAGE if bid >= 12 else "320115/320115001/001/") + "01/")
        for bid, address, aliases in BUILDINGS
    ],
    places=PLACES,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("枫林路1088弄3号", ParsedAddress("枫林路1088弄", "3", None, None, None, None, "")),
        (
            "枫林路1088弄12支弄5号",
            ParsedAddress("枫林路1088弄12支弄", "5", None, None, None, None, ""),
        ),
        (
            "枫林路1088弄12支5号",
            ParsedAddress("枫林路1088弄12支弄", "5", None, None, None, None, ""),
        ),
        ("桂园路30号附2号", ParsedAddress("桂园路", "30附2", None, None, None, None, "")),
        ("桂园路30附2号", ParsedAddress("桂园路", "30附2", None, None, None, None, "")),
        ("桂园路12号之3", ParsedAddress("桂园路", "12附3", None, None, None, None, "")),
        ("桂园路66甲号", ParsedAddress("桂园路", "66甲", None, None, None, None, "")),
        ("桂园路66号甲", ParsedAddress("桂园路", "66甲", None, None, None, None, "")),
        ("桂园路甲66号", ParsedAddress("桂园路", "66甲", None, None, None, None, "")),
        ("柳塘村4组12号", ParsedAddress("4组", "12", "柳塘村", None, None, None, "")),
        ("柳塘村第四村民小组12号", ParsedAddress("4组", "12", "柳塘村", None, None, None, "")),
        ("柳塘村4队12号", ParsedAddress("4组", "12", "柳塘村", None, None, None, "")),
        ("柳塘村杨家湾9号", ParsedAddress("杨家湾", "9", "柳塘村", None, None, None, "")),
    ],
)
def test_parts_are_named(text: str, expected: ParsedAddress) -> None:
    assert parse_address(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("枫林路一零八八弄三号", "枫林路1088弄3号"),
        ("枫林路一〇八八弄十二支弄五号", "枫林路1088弄12支弄5号"),
        ("桂园路六十六甲号", "桂园路66甲号"),
        ("楓林路1088弄3號", "枫林路1088弄3号"),
        ("帽兒衚衕9號", "帽儿胡同9号"),
        ("柳塘村村部", "柳塘村村委会"),
    ],
)
def test_numerals_and_traditional_characters(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("滨江市江宁区枫林路1088弄3号", 2),
        ("枫林路1088弄3号", 2),
        ("枫林路108弄3号", 3),
        ("枫林路1088弄12号", 4),
        ("枫林路1088弄12支弄5号", 6),
        ("枫林路1088弄第12支弄5号", 6),
        ("枫林路1088弄12支弄5号楼", 6),
        ("枫林路1088弄3号201室", 2),
        ("楓林路1088弄3號", 2),
        ("枫林路一零八八弄三号", 2),
        ("桂园路30号", 7),
        ("桂园路30号附2号", 8),
        ("桂园路66甲号", 10),
        ("桂园路66号乙", 11),
        ("柳塘村4组12号", 12),
        ("柳塘村十四组二号", 13),
        ("柳塘村杨家湾9号", 14),
        ("柳塘村村委会", 16),
        ("柳塘村57号", 14),
        ("石桥镇杨家湾9号", 14),
        ("湖滨社区居委会", 7),  # a committee known to the tree, named alone: an alias
        ("湖滨街道湖滨社区居委会", 7),
    ],
)
def test_each_part_picks_its_house(query: str, expected: int) -> None:
    result = INDEX.resolve(query)
    assert result.building_id == expected, (query, result)


@pytest.mark.parametrize(
    "query",
    [
        "枫林路1088弄",  # a lane without the house
        "枫林路10088弄3号",  # a lane number containing a real one
        "枫林路1088弄12支弄",  # a branch lane without the house
        "枫林路1088弄2支弄3号",  # no such branch lane
        "1088弄3号",  # no road
        "桂园路3号附2号",  # the annex of a door that has none
        "桂园路66丙号",  # no such stem
        "柳塘村",  # a village without the house
        "4组12号",  # a group without its village
        "柳塘村41组2号",  # a group number containing a real one
        "柳塘村4组13号",  # a door the group does not have
        "柳塘村杨家湾10号",  # a door the natural village does not have
        "杨家湾9号",  # a natural village and a 行政村 of like names, nothing in front
    ],
)
def test_what_does_not_name_one_house_is_refused(query: str) -> None:
    result = INDEX.resolve(query)
    assert result.building_id is None, (query, result)


@pytest.mark.parametrize("phrase", ["对面", "旁边", "隔壁", "附近", "东侧"])
def test_relative_phrases_list_the_landmark_but_never_answer_it(phrase: str) -> None:
    result = INDEX.resolve(f"桂园路30号附2号{phrase}")
    assert result.building_id is None
    assert result.candidates[0].building_id == 8
    in_text = INDEX.resolve_in_text(f"来电反映桂园路30号附2号{phrase}")
    assert in_text.building_id is None


def test_at_the_place_is_not_relative() -> None:
    assert INDEX.resolve("桂园路30号附2号门口").building_id == 8


HUTONG = AddressIndex(
    [
        (1, "北京市东城区东四十条22号", []),
        (2, "北京市东城区东四十四条5号", []),
        (3, "北京市东城区东四六条63号", []),
        (4, "北京市东城区长巷头条10号", []),
        (5, "北京市东城区长巷三条3号", []),
        (6, "北京市东城区帽儿胡同9号", []),
    ]
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("东四十条22号", 1),
        ("东四10条22号", 1),
        ("东四十四条5号", 2),
        ("东四14条5号", 2),
        ("长巷头条10号", 4),
        ("长巷一条10号", 4),
        ("长巷3条3号", 5),
    ],
)
def test_a_numbered_hutong_is_its_name_and_its_number(query: str, expected: int) -> None:
    assert HUTONG.resolve(query).building_id == expected


@pytest.mark.parametrize("query", ["东四十一条22号", "长巷十条10号", "头条10号", "三条3号"])
def test_a_hutong_number_is_never_another(query: str) -> None:
    assert HUTONG.resolve(query).building_id is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市民反映帽儿胡同9号有人在胡同里烧烤，烟味扰民。", 6),
        ("东四十条22号院的水管冻裂了，麻烦来修一下", 1),
    ],
)
def test_the_words_after_an_address_in_a_sentence_are_not_part_of_it(
    text: str, expected: int
) -> None:
    assert HUTONG.resolve_in_text(text).building_id == expected


def test_a_sentence_about_what_is_opposite_names_no_building() -> None:
    assert HUTONG.resolve_in_text("帽儿胡同9号对面的菜场占道经营").building_id is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("No. 3, Lane 1088, Fenglin Rd", 2),
        ("No.3 Lane 1088 Fenglin Road, Jiangning District, Binjiang", 2),
        ("Room 201, No. 5, Lane 1088-12, Fenglin Road", None),
        ("30 Guiyuan Road", 7),
        ("Jia 66 Guiyuan Road", 10),
        ("No. 3, Lane 1088, Fenglin Rd, Xuhui District", None),  # a district we do not have
        ("No. 3, Lane 1088, Maple Road", None),  # a road we do not have
    ],
)
def test_english_word_order(query: str, expected: int | None) -> None:
    assert INDEX.resolve(query).building_id == expected


def test_pinyin_names_are_those_of_the_data() -> None:
    index = AddressIndex([(1, "滨江市江宁区枫林路1088弄3号", [])])
    assert index.resolve("No. 3, Lane 1088, Fenglin Rd").building_id == 1
    assert index.resolve("No. 3, Lane 1088, Fengling Rd").building_id is None


def test_a_token_without_words_does_not_build_the_pinyin_names() -> None:
    """The names' pinyin is built on the first English address; a code or a stray string of
    letters and digits is not one and must not pay for it."""
    index = AddressIndex([(1, "滨江市江宁区枫林路1088弄3号", [])])
    assert index.resolve("e2zoz7u7ld").building_id is None
    assert index._pinyin is None
    index.resolve("No. 3, Lane 1088, Fenglin Rd")
    assert index._pinyin is not None


def test_a_number_inside_a_name_is_never_a_typo_of_another() -> None:
    index = AddressIndex(
        [
            (1, "北京市东城区和平里七区12号楼", []),
            (2, "北京市东城区和平里九区12号楼", []),
        ]
    )
    assert index.resolve("和平里七区12号楼").building_id == 1
    assert index.resolve("和平里十七区12号楼").building_id is None


def test_a_short_unknown_name_as_close_to_two_known_names_is_a_guess() -> None:
    """新风 sounds like both 新丰 and 新峰; that only 新丰村 has a 128号 does not say which
    village was meant."""
    index = AddressIndex(
        [
            (1, "江宁区新丰村128号", []),
            (2, "江宁区新丰村3号", []),
            (3, "江宁区新峰村3组5号", []),
        ]
    )
    assert index.resolve("新丰村128号").building_id == 1
    result = index.resolve("新风村128号")
    assert result.building_id is None
    assert result.candidates[0].building_id == 1


@pytest.mark.parametrize("phrase", ["对面", "旁边", "隔壁"])
def test_relative_phrases_offer_the_landmarks_neighbours_nearest_first(
    db: Any, phrase: str
) -> None:
    """Through the product's path (with the buildings' positions): the landmark, then its
    neighbours, nearest first; never the landmark as the answer (at most the micro-grid all
    around it lies in)."""
    from wangge.grids import selectors
    from wangge.grids.addresses import MAX_CANDIDATES
    from wangge.grids.models import Building
    from wangge.grids.services import buildings_import, grids_import_file

    data = Path(__file__).resolve().parents[2] / "bench" / "data" / "lane_city"
    grids_import_file((data / "grids.geojson").read_text(encoding="utf-8"))
    buildings_import((data / "buildings.csv").read_text(encoding="utf-8"))
    landmark = Building.objects.get(code="CNL1088H3")
    scale = math.cos(math.radians(landmark.lat))
    by_distance = sorted(
        Building.objects.exclude(pk=landmark.pk),
        key=lambda b: ((b.lon - landmark.lon) * scale) ** 2 + (b.lat - landmark.lat) ** 2,
    )
    expected = [landmark.pk] + [b.pk for b in by_distance[: MAX_CANDIDATES - 1]]
    for text in (f"长宁路1088弄3号{phrase}", f"市民来电：长宁路1088弄3号{phrase}有人乱倒垃圾"):
        match = selectors.resolve_address(q=text)
        assert match.building is None, text
        assert match.place is None or match.place.micro_grid == landmark.micro_grid, text
        assert match.resolution.near == landmark.pk
        assert [c.building_id for c in match.resolution.candidates] == expected, text


ANNEXES = AddressIndex(
    [
        (1, "广州市荔湾区恩宁路12号", []),
        (2, "广州市荔湾区恩宁路12号之一", []),
        (3, "广州市荔湾区恩宁路112号", []),
        (4, "广州市荔湾区恩宁路12号之十二", []),
        (5, "广州市荔湾区蓬莱正街1号", []),
    ]
)


@pytest.mark.parametrize(
    ("query", "building"),
    [
        ("恩宁路12号", 1),  # the bare number is not its annexes' number
        ("恩宁路12号之一", 2),
        ("恩宁路十二号之一", 2),
        ("恩宁路12号之1", 2),
        ("恩宁路12号之十二", 4),
    ],
)
def test_a_door_annex_written_in_chinese_numerals_is_its_own_number(
    query: str, building: int
) -> None:
    assert ANNEXES.resolve(query).building_id == building


def test_a_street_one_position_word_away_is_another_street() -> None:
    # 蓬莱南街 is not a typo of 蓬莱正街 (正/南, like 东/西, 上/下, 横/直 tell streets apart).
    assert ANNEXES.resolve("蓬莱南街1号").building_id is None
    assert ANNEXES.resolve("蓬莱正街1号").building_id == 5


XIGUAN = AddressIndex(
    [
        (1, "广州市荔湾区恩宁路12号", []),
        (2, "广州市荔湾区恩宁路12号之一", []),
        (3, "广州市荔湾区第十甫路18号", []),
        (4, "广州市荔湾区十八甫北路8号", []),
        (5, "广州市荔湾区宝华路十五甫三巷2号", []),
        (6, "广州市荔湾区文昌南路88号大院自编3栋", []),
        (7, "广州市荔湾区逢源正中约8号", []),
        (8, "广州市荔湾区杨巷路22号之一", []),
        (9, "广州市荔湾区康王中路500号之二", []),
        (10, "广州市荔湾区多宝路200号", ["多宝街道办"]),
        (11, "广州市荔湾区宝华路88号之一", []),
    ]
)


@pytest.mark.parametrize(
    ("query", "building"),
    [
        ("第10甫路18号", 3),  # digits in a road's name: the name is written in numerals
        ("18甫北路8号", 4),
        ("十五甫三巷2号", 5),  # a lane off a road, numbered on the lane alone
        ("宝华路15甫3巷2号", 5),
        ("文昌南路88号自编3栋", 6),  # 自编: who numbered it; 大院 after 号 is the 号院
        ("文昌南路88号大院3栋", 6),
        ("逢源正中约8号", 7),  # 约: a lane of an old village in the city
        ("杨巷路22号之一", 8),  # 巷 inside a road's name does not end the road
        ("恩宁路12-1号", 2),  # 12-1号 for 12号之一
        ("宝华路 88 号 之 一", 11),
        ("宝华路88号之一首层商铺", 11),  # floors and shop fronts are in the building
        ("工单：康王中路500号之二化粪池满溢，请华林街道处理。", 9),
        ("多宝街道办事处", 10),
        ("多宝街道办", 10),
    ],
)
def test_a_xiguan_address_is_read_part_by_part(query: str, building: int) -> None:
    assert XIGUAN.resolve_in_text(query).building_id == building


@pytest.mark.parametrize("query", ["逢源正中约", "杨巷路22号之二", "多宝街道"])
def test_a_xiguan_text_that_names_no_one_house_is_refused(query: str) -> None:
    assert XIGUAN.resolve_in_text(query).building_id is None
