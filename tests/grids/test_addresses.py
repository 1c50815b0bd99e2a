"""Address resolution for 精准派单: real-world variants against a small fixed index.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.grids.addresses import (
    CONFIDENCE_THRESHOLD,
    MAX_CANDIDATES,
    AddressIndex,
    ParsedAddress,
    Resolution,
    canonical_compound,
    normalize_text,
    parse_address,
)

pytestmark = pytest.mark.no_database

# Thirty-three buildings chosen for their traps:
# * 百花里 exists on 伊河路 (1–6号楼) and on 建设路 (1–3号楼): a shared compound name;
# * 百花园 (1–3号楼) sits next to 百花里 on 伊河路: two similar names on one road;
# * 科技大厦 is a single unnumbered building with an alias; 伊河路21号 has no compound at all;
# * 桐柏路123号院3号楼 is also known by its old name 原纺织厂家属院3号楼;
# * 汝河路108号院 numbers its buildings with letters;
# * 建业壹号城邦 has a number inside its name, 铁路家属院 a road word.
ALIASES: dict[int, list[str]] = {
    # Every building of 伊河路百花里 also carries the compound's colloquial name.
    **{100 + n: ["百花里小区"] for n in range(1, 7)},
    133: ["原纺织厂家属院3号楼", "纺织厂家属院3栋"],
    171: ["老科委大楼"],
}
ADDRESSES: dict[int, str] = {
    **{100 + n: f"中原区伊河路百花里{n}号楼" for n in range(1, 7)},
    **{110 + n: f"中原区伊河路百花园{n}号楼" for n in range(1, 4)},
    **{120 + n: f"中原区建设路百花里{n}号楼" for n in range(1, 4)},
    **{130 + n: f"中原区桐柏路123号院{n}号楼" for n in range(1, 6)},
    141: "中原区建设西路187号院12号楼",
    142: "中原区建设西路187号院3号楼",
    151: "中原区棉纺路绿都城7号楼",
    152: "中原区棉纺路绿都城8号楼",
    161: "中原区秦岭路华山小区1栋",
    162: "中原区秦岭路华山小区2栋",
    171: "中原区中原路100号科技大厦",
    181: "中原区中原西路锦绣花园1号楼",
    182: "中原区中原西路锦绣花园2号楼",
    191: "中原区汝河路108号院A座",
    192: "中原区汝河路108号院B座",
    201: "中原区伊河路21号",
    211: "中原区建设路12号院12号楼",
    221: "中原区桐柏路建业壹号城邦1号楼",
    222: "中原区桐柏路建业壹号城邦2号楼",
    231: "中原区汝河路铁路家属院1号楼",
}
BUILDINGS = [(bid, address, ALIASES.get(bid, [])) for bid, address in ADDRESSES.items()]

INDEX = AddressIndex(BUILDINGS)

RESOLVED: list[tuple[str, int]] = [
    # prefixes
    ("中原区伊河路百花里3号楼", 103),
    ("伊河路百花里3号楼", 103),
    ("河南省郑州市中原区伊河路百花里3号楼", 103),
    ("河南郑州中原区伊河路百花里三号楼", 103),
    ("郑州市中原区林山寨街道伊河路百花里3栋", 103),
    ("中原区林山寨街道办事处伊河路百花里3号楼", 103),
    ("伊河路社区百花里3号楼", 103),
    ("我家在伊河路百花里3号楼", 103),
    # building / unit / room spellings
    ("伊河路百花里3幢", 103),
    ("伊河路百花里3#楼", 103),
    ("伊河路百花里3号", 103),
    ("伊河路百花里第3栋", 103),
    ("伊河路百花里3号楼2单元501", 103),
    ("伊河路百花里3-2-501", 103),
    ("伊河路百花里3号楼201室", 103),
    ("伊河路百花里三号楼二单元五零一", 103),
    ("伊河路百花里3号楼—2单元—501", 103),
    ("伊河路百花里3号楼5层", 103),
    # width, spacing, punctuation, strays
    ("伊河路百花里３号楼", 103),
    ("伊河路 百花里 3 号楼", 103),
    ("伊河路，百花里，3号楼。", 103),
    ("（中原区）伊河路百花里3号楼", 103),
    ("伊河路百花里3号楼门口", 103),
    ("伊河路百花里小区3号楼", 103),
    # typos and traditional characters
    ("依河路百花里3号楼", 103),
    ("伊河路白花里3号楼", 103),
    ("伊河路百花裡3號樓", 103),
    ("伊河百花里3号楼", 103),
    ("伊河路百花苑2号楼", 112),  # 苑 sounds like 园, not like 里
    ("白花园2号楼", 112),
    ("琴岭路华山小区2栋", 162),
    # no road: unique once the building number is known
    ("中原区伊河路百花里六号楼", 106),
    ("百花里5号楼2单元501", 105),
    ("百花里小区6号楼", 106),
    ("伊河路百花园2号楼", 112),
    ("中原区建设路百花里2号楼", 122),
    ("中原区建设路街道建设路百花里1号楼", 121),
    # 号院 addresses
    ("中原区桐柏路123号院5号楼", 135),
    ("桐柏路123号5号楼", 135),
    ("桐柏路一二三号院五号楼", 135),
    ("桐柏路123号院5-1-101", 135),
    ("桐柏路123号院五栋三单元", 135),
    ("桐柏柏路123号院5号楼", 135),
    ("桐柏路社区桐柏路123号院4号楼", 134),
    ("郑州市中原区建设西路一百八十七号院十二号楼", 141),
    ("建设西路187号院12栋1单元", 141),
    ("建设路十二号院十二号楼", 211),
    ("建设路12号院12号楼3单元", 211),
    # aliases
    ("原纺织厂家属院3号楼", 133),
    ("桐柏路原纺织厂家属院3号楼", 133),
    ("纺织厂家属院3栋", 133),
    ("纺织厂家属院三号楼", 133),
    # other compounds
    ("棉纺路绿都城7号楼", 151),
    ("绿都城7号楼", 151),
    ("中原区棉纺路绿都城七号楼门口", 151),
    ("棉纺路绿都成7号楼", 151),
    ("秦岭路华山小区2栋", 162),
    ("秦岭路华山2号楼", 162),
    ("华山社区2栋", 162),
    ("秦岭路华山小区二栋301", 162),
    ("中原西路锦绣花园1号楼", 181),
    ("锦绣花园两号楼", 182),
    # single buildings
    ("中原路科技大厦", 171),
    ("科技大厦", 171),
    ("中原路100号", 171),
    ("科技大厦15楼1502室", 171),
    ("老科委大楼", 171),
    ("伊河路二十一号", 201),
    # letters
    ("汝河路108号院A座", 191),
    ("汝河路一百零八号院B座1201", 192),
    ("汝河路108号院b座", 192),
    # a number inside the name
    ("建业一号城邦2号楼", 222),
    ("桐柏路建业壹号城邦一栋2单元", 221),
    # a road word inside the name
    ("汝河路铁路家属院1号楼", 231),
    ("铁路家属院1号楼", 231),
    ("铁路家属院", 231),
]

REFUSED: list[str] = [
    "",
    "   ",
    "中原区",
    "郑州市",
    "3号楼",
    "asdfghjkl",
    "你好请问一下",
    "伊河路百花里99号楼",  # 百花里 has 1–6
    "伊河路百花里7号楼",
    "建设西路187号院99号楼",
    "汝河路108号院C座",
    "中原路科技大厦3号楼",  # an unnumbered block has no 3号楼
    "建设路百花里5号楼",  # only 伊河路's 百花里 has a 5号楼: do not jump roads
    "伊河路百花园5号楼",  # 百花园 is a real name: not a typo of 百花里
    "文化路绿都城7号楼",  # a road that is not in the index
    "金水区文化路1号",
    "桐柏路124号院5号楼",  # wrong 门牌号
    "桐柏路5号楼",  # too vague: any compound on 桐柏路
    "伊河路百花里",  # a compound with several buildings
    "绿都城",
    "华山小区",
    "百花里3号楼",  # 百花里 on two roads
    "伊河路百花3号楼",  # equally close to 百花里 and 百花园
    "伊河路百花田2号楼",  # one edit from both 百花里 and 百花园
    "建业壹号城邦",
    "铁路家属院2号楼",
]

TABLE = [(query, expected) for query, expected in RESOLVED] + [(q, None) for q in REFUSED]


def _assert_well_formed(result: Resolution) -> None:
    assert len(result.candidates) <= MAX_CANDIDATES
    order = [(-c.score, c.building_id) for c in result.candidates]
    assert order == sorted(order)
    assert all(0.0 <= c.score <= 1.0 for c in result.candidates)
    assert 0.0 <= result.confidence <= 1.0


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 60
    assert len(REFUSED) >= 12


@pytest.mark.parametrize(("query", "expected"), TABLE)
def test_resolve(query: str, expected: int | None) -> None:
    result = INDEX.resolve(query)
    assert result.building_id == expected, (query, result)
    _assert_well_formed(result)
    if expected is None:
        assert result.address is None
        assert result.confidence < CONFIDENCE_THRESHOLD
    else:
        assert result.confidence >= CONFIDENCE_THRESHOLD
        assert result.candidates[0].building_id == expected
        assert result.address == ADDRESSES[expected]


def test_exact_forms_are_fully_confident() -> None:
    assert INDEX.resolve("郑州市中原区伊河路百花里三号楼二单元501室").confidence == 1.0


@pytest.mark.parametrize(
    ("query", "expected_among"),
    [
        ("伊河路百花里", {101, 102, 103, 104, 105}),
        ("百花里3号楼", {103, 123}),
        ("伊河路百花3号楼", {103, 113}),
        ("伊河路百花里99号楼", {101, 102, 103}),
        ("绿都城", {151, 152}),
    ],
)
def test_refusals_still_list_candidates(query: str, expected_among: set[int]) -> None:
    result = INDEX.resolve(query)
    assert result.building_id is None
    assert expected_among <= {c.building_id for c in result.candidates}


def test_wrong_building_number_never_resolves_even_with_candidates() -> None:
    result = INDEX.resolve("伊河路百花里8号楼")
    assert result.building_id is None
    assert result.candidates
    assert all(c.score < CONFIDENCE_THRESHOLD for c in result.candidates)


def test_deterministic_and_sized() -> None:
    assert len(INDEX) == len(ADDRESSES) == 33
    first = INDEX.resolve("伊河路百花3号楼")
    assert INDEX.resolve("伊河路百花3号楼") == first
    rebuilt = AddressIndex(reversed(BUILDINGS))
    assert rebuilt.resolve("伊河路百花3号楼").candidates == first.candidates


def test_a_built_index_holds_no_build_time_copies() -> None:
    """Memory at a district's size (docs/benchmarks.md, "Memory of a warm worker"): the ids
    of a place are tuples shared between the places that list the same buildings, every
    building of a micro-grid points at one path string, and the readings of stored addresses
    kept while learning are dropped. Answers are unchanged (the tests above)."""
    paths = {i: "410102/410102001/410102001002/" + ("A1" if i % 2 else "B1") for i in ADDRESSES}
    # A string object of its own per building, as rows read from the database are.
    index = AddressIndex(
        (i, a, ALIASES.get(i, []), "".join(list(paths[i]))) for i, a in sorted(ADDRESSES.items())
    )
    assert index.resolve("伊河路百花里3号楼") == INDEX.resolve("伊河路百花里3号楼")
    places = index._places
    assert all(isinstance(ids, tuple) for p in places for ids in p.buildings.values())
    assert all(isinstance(p.all_ids, tuple) for p in places)
    one_building = [p for p in places if len(p.buildings) == 1]
    assert one_building
    assert all(p.all_ids is next(iter(p.buildings.values())) for p in one_building)
    assert len({id(path) for path in index._paths.values()}) == 2
    assert index._gazetteer._chain_cache == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三号楼", "3号楼"),
        ("十栋", "10栋"),
        ("十二栋", "12栋"),
        ("二十一号", "21号"),
        ("一百零八号", "108号"),
        ("一百一十号院", "110号院"),
        ("两号楼", "2号楼"),
        ("一〇八号", "108号"),
        ("五零一室", "501室"),
        ("三号楼二单元五零一", "3号楼2单元501"),
        ("３号楼", "3号楼"),
        ("ＡＢ座", "AB座"),
        ("百花里三号楼", "百花里3号楼"),  # 百 in a name stays
        ("十里铺三号", "十里铺3号"),
        ("五一路七号", "五一路7号"),
        ("三 二 五零一", "3-2-501"),
        ("3－2－501", "3-2-501"),
        ("百花里（东门）3号楼", "百花里3号楼"),
        ("百花里(3号楼)", "百花里3号楼"),
        # Place names stay: which of them are places is the index's business (places.py).
        ("河南省郑州市中原区伊河路", "河南省郑州市中原区伊河路"),
        ("伊河路 百花里，3号楼。附近", "伊河路百花里3号楼"),
        ("百花里3号楼门口对面", "百花里3号楼"),
        ("百花里3#", "百花里3号"),
        ("叁号楼", "3号楼"),
        ("建业壹号城邦三号楼", "建业1号城邦3号楼"),
        ("二七区大学路", "二七区大学路"),  # a district name, not 27区
        ("一百一号", "110号"),  # colloquial elision
        ("伊河路百花裡3號樓", "伊河路百花里3号楼"),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("text", "road"),
    [
        ("河南省郑州市中原区伊河路", "伊河路"),
        ("郑州中原区桐柏路街道桐柏路", "桐柏路"),
        ("中原区中原西路街道中原西路", "中原西路"),
        ("中原路", "中原路"),
        ("郑州路", "郑州路"),  # a road named after a city keeps its name
        ("河南路3号", "河南路"),
        ("中原区", None),
    ],
)
def test_place_names_in_front_are_not_the_road(text: str, road: str | None) -> None:
    assert parse_address(text).road == road


def _chinese(number: int) -> str:
    """Reference rendering of 1..9999 in standard Chinese numerals (一千零五十, 十二)."""
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    pending_zero = False
    for digit, unit in zip(f"{number:04d}", ("千", "百", "十", ""), strict=True):
        if digit == "0":
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(digits[int(digit)] + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_in_number_position_become_digits(number: int) -> None:
    assert normalize_text(f"{_chinese(number)}号楼") == f"{number}号楼"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "中原区伊河路百花里3号楼",
            ParsedAddress("伊河路", None, "百花里", "3", None, None, ""),
        ),
        (
            "中原区桐柏路123号院5号楼2单元501",
            ParsedAddress("桐柏路", "123", None, "5", "2", "501", ""),
        ),
        (
            "秦岭路华山小区2栋3楼302室",
            ParsedAddress("秦岭路", None, "华山小区", "2", None, "302", ""),
        ),
        ("百花里3-2-501", ParsedAddress(None, None, "百花里", "3", "2", "501", "")),
        ("百花里3-501", ParsedAddress(None, None, "百花里", "3", None, "501", "")),
        ("百花里3号楼201室", ParsedAddress(None, None, "百花里", "3", None, "201", "")),
        ("汝河路108号院A座", ParsedAddress("汝河路", "108", None, "A", None, None, "")),
        ("万科城1期3号楼", ParsedAddress(None, None, "万科城1期", "3", None, None, "")),
        ("建设西路187号院12号楼", ParsedAddress("建设西路", "187", None, "12", None, None, "")),
        ("中原大道8号", ParsedAddress("中原大道", "8", None, None, None, None, "")),
        (
            "伊河路与桐柏路交叉口百花里3号楼",
            ParsedAddress("伊河路", None, "百花里", "3", None, None, ""),
        ),
        ("百花里2单元501", ParsedAddress(None, None, "百花里", None, "2", "501", "")),
        ("建业壹号城邦3号楼", ParsedAddress(None, None, "建业1号城邦", "3", None, None, "")),
        ("科技大厦15楼1502室", ParsedAddress(None, None, "科技大厦", "15", None, "1502", "")),
        (
            "伊河路百花里3号楼东单元",
            ParsedAddress("伊河路", None, "百花里", "3", None, None, "东单元"),
        ),
        ("", ParsedAddress(None, None, None, None, None, None, "")),
    ],
)
def test_parse_address(text: str, expected: ParsedAddress) -> None:
    assert parse_address(text) == expected


def test_key_ignores_unit_room_and_spelling() -> None:
    keys = {
        parse_address(text).key()
        for text in (
            "中原区伊河路百花里3号楼",
            "伊河路百花里小区三栋2单元501",
            "伊河路百花里3-1-101",
            "河南省郑州市伊河路百花里3幢",
        )
    }
    assert keys == {"伊河路||百花里|3"}
    assert parse_address("桐柏路123号院5号楼").key() == "桐柏路|123||5"


def test_canonical_compound() -> None:
    assert canonical_compound("华山小区") == "华山"
    assert canonical_compound("华山社区") == "华山"
    assert canonical_compound("小区") == "小区"
    assert canonical_compound(None) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_resolve_never_raises(text: str) -> None:
    result = INDEX.resolve(text)
    _assert_well_formed(result)
    assert (result.building_id is None) == (result.address is None)


_ADDRESS_ALPHABET = st.sampled_from(
    list("伊河路百花里园建设桐柏号院楼栋幢单元室层小区社区")
    + list("一二三四五六七八九十百零两0123456789-# 　（）")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ADDRESS_ALPHABET, max_size=30))
def test_resolve_never_raises_on_address_like_text(text: str) -> None:
    result = INDEX.resolve(text)
    _assert_well_formed(result)
    if result.building_id is not None:
        assert result.confidence >= CONFIDENCE_THRESHOLD


@pytest.mark.parametrize("text", ["伊河路21号楼", "伊河路21号楼上漏水", "伊河路21号楼道灯坏了"])
def test_a_door_written_as_a_building_is_the_door(text: str) -> None:
    # No place on 伊河路 numbers a building 21 inside: 21号楼 can only be the building at 21号.
    assert INDEX.resolve(text).building_id == 201


@pytest.mark.parametrize("text", ["伊河路3号楼", "伊河路22号楼"])
def test_a_building_number_a_compound_on_the_road_has_is_not_a_door(text: str) -> None:
    # 百花里 and 百花园 on 伊河路 both have a 3号楼; there is no door 22.
    assert INDEX.resolve(text).building_id is None
