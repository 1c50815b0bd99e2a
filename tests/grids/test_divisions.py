"""A city, county or district the imported tree does not hold is another place, even where the
district's addresses never write its city: the national list of divisions says which names lie
above it (`wangge/grids/data/divisions.csv`, read by `addresses.divisions`).

The tree is the rural evaluation county (bench/data/rural_county: 安徽省合肥市肥东县) with only
the buildings whose addresses and aliases write neither 合肥 nor 安徽: a registry that starts at
the county, where 巢湖市 (a county-level city beside 肥东县 under 合肥市) used to be read as "any
city" and sent to a house of 肥东县 at full confidence.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from wangge.grids import selectors
from wangge.grids.addresses import divisions, normalize_text
from wangge.grids.addresses.places import Gazetteer
from wangge.grids.services import buildings_import, grids_import_file

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
RURAL = DATA / "rural_county"
HOUSE = "撮镇镇新丰村128号"  # one house of one village of one town
CODE = "FDXFH128"


def _county_buildings(district: str = "肥东县") -> str:
    """The county's buildings.csv without the rows that name its city or province, the county
    renamed as the tree's top node is."""
    text = RURAL.joinpath("buildings.csv").read_text("utf-8")
    text = text.replace("肥东县", district).replace("肥東縣", district)
    rows = list(csv.DictReader(io.StringIO(text)))
    kept = [r for r in rows if not any(w in r["address"] + r["aliases"] for w in ("合肥", "安徽"))]
    assert len(kept) < len(rows)  # the set does name 合肥市 somewhere: those rows are gone
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    return out.getvalue()


def _tree(district: str = "肥东县", city: tuple[str, str] | None = None) -> str:
    """The county's grid tree, its top node renamed and, with ``city``, under a city node."""
    document = json.loads(RURAL.joinpath("grids.geojson").read_text("utf-8"))
    features = document["features"]
    top = next(f for f in features if f["properties"]["parent_code"] is None)
    top["properties"]["name"] = district
    if city is not None:
        code, name = city
        top["properties"]["parent_code"] = code
        city_node = {
            "type": "Feature",
            "properties": {"code": code, "name": name, "level": "city", "parent_code": None},
            "geometry": top["geometry"],
        }
        features.insert(0, city_node)
    return json.dumps(document, ensure_ascii=False)


def _import(district: str = "肥东县", city: tuple[str, str] | None = None) -> None:
    grids_import_file(_tree(district, city))
    buildings_import(_county_buildings(district))


def _code(q: str) -> str | None:
    match = selectors.resolve_address(q=q)
    return match.building.code if match.building is not None else None


@pytest.fixture
def county(db: Any) -> None:
    _import()


def test_the_house_resolves_without_a_place_name(county: None) -> None:
    assert _code(HOUSE) == CODE
    assert _code("肥东县" + HOUSE) == CODE


@pytest.mark.parametrize(
    "front",
    [
        "安徽省合肥市肥东县",  # the whole chain
        "合肥市肥东县",
        "合肥市",  # the city alone, which the data never writes
        "安徽省合肥市",
        "安徽合肥",  # a province without 省 and a city without 市
        "合肥肥东县",  # a city without 市 in front of the county
        "安徽省肥东县",
    ],
)
def test_the_chain_above_the_county_is_accepted(county: None, front: str) -> None:
    assert _code(front + HOUSE) == CODE


@pytest.mark.parametrize(
    "front",
    [
        "巢湖市",  # a county-level city beside 肥东县 under 合肥市
        "合肥市巢湖市",
        "安徽巢湖",  # the same without 市, after a province (read as a city there already)
        "巢湖肥东县",  # …and in front of the county: 巢湖 is not above 肥东县
        "长丰县",  # another county of the same city
        "合肥市肥西县",
        "郑州市中原区",  # another province's district
        "河南省洛阳市涧西区",
        "河南省",  # another province
        "北京市",  # a 直辖市
        "芜湖市",  # another prefecture city of the same province
    ],
)
def test_places_the_tree_does_not_hold_are_refused(county: None, front: str) -> None:
    assert _code(front + HOUSE) is None


@pytest.mark.parametrize(
    "query",
    [
        "巢湖市烔炀镇新丰村128号",  # the brief's 巢湖市某镇某村: the village alone is ours
        "巢湖市烔炀镇新丰村3组15号",
        "市民来电称巢湖市烔炀镇新丰村128号门口下水道堵了",
        "安徽省巢湖市烔炀镇新丰村128号",
    ],
)
def test_the_tail_of_a_refused_chain_is_not_read_alone(county: None, query: str) -> None:
    assert _code(query) is None


def test_a_sentence_around_the_right_chain_still_resolves(county: None) -> None:
    assert _code("市民来电称合肥市肥东县" + HOUSE + "门口下水道堵了") == CODE


def test_the_reading_itself_refuses() -> None:
    # The same rule below the resolver, on a gazetteer taught by hand: the tree's county and an
    # address that names nothing above it.
    names = Gazetteer()
    names.add_node("肥东县", "district", "340122/")
    names.add_node("撮镇镇", "street", "340122/340122101/")
    names.learn(normalize_text("肥东县撮镇镇新丰村128号"), "340122/")
    names.learnt()
    for refused in ("巢湖市", "长丰县", "河南省", "郑州市中原区"):
        assert names.split(normalize_text(refused + HOUSE)).impossible, refused
    for accepted in ("合肥市", "安徽省合肥市肥东县", "安徽合肥", "合肥肥东县"):
        assert not names.split(normalize_text(accepted + HOUSE)).impossible, accepted
    # A bare 巢湖 with nothing around it that makes it a place may be a road, a village or a
    # shop's name: it is not read as a place, as before.
    assert names.split(normalize_text("巢湖" + HOUSE)).names == []


@pytest.fixture
def drum_tower(db: Any) -> None:
    # 鼓楼区 is a district of 南京, 福州, 徐州 and 开封: the tree's says none of them.
    _import("鼓楼区")


@pytest.mark.parametrize("front", ["南京市鼓楼区", "福州市鼓楼区", "江苏省徐州市", "河南开封"])
def test_a_name_shared_across_the_country_admits_each_of_its_places(
    drum_tower: None, front: str
) -> None:
    assert _code(front + HOUSE) == CODE


@pytest.mark.parametrize("front", ["合肥市鼓楼区", "北京市", "安徽省", "南京市玄武区"])
def test_a_name_shared_across_the_country_refuses_the_others(drum_tower: None, front: str) -> None:
    assert _code(front + HOUSE) is None


@pytest.fixture
def drum_tower_of_nanjing(db: Any) -> None:
    # The tree holds the city above it: that says which 鼓楼区.
    _import("鼓楼区", city=("320100", "南京市"))


@pytest.mark.parametrize("front", ["南京市鼓楼区", "南京市", "江苏省南京市鼓楼区", "江苏南京"])
def test_a_city_node_of_the_tree_is_accepted(drum_tower_of_nanjing: None, front: str) -> None:
    assert _code(front + HOUSE) == CODE


@pytest.mark.parametrize("front", ["福州市鼓楼区", "福州市", "徐州市", "苏州市", "合肥市"])
def test_a_city_node_of_the_tree_refuses_the_other_readings(
    drum_tower_of_nanjing: None, front: str
) -> None:
    assert _code(front + HOUSE) is None


@pytest.fixture
def whole_city(db: Any) -> None:
    _import(city=("340100", "合肥市"))


@pytest.mark.parametrize(
    "front", ["", "合肥市", "合肥市肥东县", "安徽省合肥市肥东县", "合肥肥东县"]
)
def test_a_tree_holding_the_city_accepts_its_chain(whole_city: None, front: str) -> None:
    assert _code(front + HOUSE) == CODE


@pytest.mark.parametrize("front", ["巢湖市", "长丰县", "郑州市中原区", "芜湖市"])
def test_a_tree_holding_the_city_refuses_the_rest(whole_city: None, front: str) -> None:
    assert _code(front + HOUSE) is None


@pytest.fixture
def unlisted(db: Any) -> None:
    # A district whose name the national list does not know (a development zone's own name, a
    # test tree): nothing says which cities lie above it.
    _import("青岚县")


@pytest.mark.parametrize("front", ["", "青岚县", "巢湖市", "合肥市青岚县"])
def test_a_district_the_list_does_not_know_admits_any_city_as_before(
    unlisted: None, front: str
) -> None:
    assert _code(front + HOUSE) == CODE


def test_a_district_the_list_does_not_know_still_refuses_other_districts(unlisted: None) -> None:
    assert _code("长丰县" + HOUSE) is None  # the data knows district names: as before


@pytest.fixture
def beside_zhongyuan(db: Any) -> None:
    # The default data (中原区, whose addresses write 郑州市) beside the county.
    grids_import_file((DATA / "zhongyuan_sample" / "grids.geojson").read_text("utf-8"))
    buildings_import((DATA / "zhongyuan_sample" / "buildings.csv").read_text("utf-8"))
    _import()


def test_the_default_district_beside_the_county(beside_zhongyuan: None) -> None:
    assert _code("郑州市中原区桐柏路123号院5号楼") == "ZY135"
    assert _code("中原区桐柏路123号院5号楼") == "ZY135"
    assert _code("合肥市肥东县" + HOUSE) == CODE
    assert _code(HOUSE) == CODE
    for refused in ("郑州市" + HOUSE, "巢湖市" + HOUSE, "合肥市桐柏路123号院5号楼"):
        assert _code(refused) is None, refused


def test_the_national_list() -> None:
    known = divisions.national()
    assert 3_100 <= len(known.names) <= 3_400
    assert known.chain(known.codes["巢湖市"][0]) == {"巢湖市", "合肥市", "安徽省"}
    assert known.chain("340122") == {"肥东县", "合肥市", "安徽省"}
    assert len(known.codes["鼓楼区"]) == 4
    assert known.province("广西") == "广西壮族自治区"
    assert known.province("北京") == "北京市"
    assert known.chain(known.codes["仙桃市"][0]) == {"仙桃市", "湖北省"}  # 省直辖
    # Every parent is a row; no name carries the CSV's separators.
    assert all(parent in known.names for parent in known.parents.values())
    assert not any("," in name or '"' in name for name in known.names.values())


def test_the_former_divisions() -> None:
    # 平江区, 沧浪区 and 金阊区 were merged into 姑苏区 (320508) in 2012; 崇文区 into 东城区
    # (110101) in 2010; 吴县 is split between 吴中区 and 相城区; 郊区 was a district of many
    # cities; 巢湖市 is a name in use (a county-level city) whatever it was before.
    assert divisions.former_name_of("平江区", ["320508"])
    assert divisions.former_name_of("沧浪区", ["320508"])
    assert divisions.former_name_of("崇文区", ["110101"])
    assert not divisions.former_name_of("平江区", ["110101"])
    assert not divisions.former_name_of("吴县", ["320506"])
    assert not divisions.former_name_of("吴县", ["320506", "320507"])  # not one district
    assert not divisions.former_name_of("郊区", ["320505"])
    assert not divisions.former_name_of("巢湖市", ["340181"])
    assert not divisions.former_name_of("姑苏区", ["320508"])  # in use: not a former name
    # Every code a former name lies in now is a code of the national list in use.
    known = divisions.national()
    now_codes = {code for units in divisions.former().values() for now in units for code in now}
    assert now_codes <= set(known.names)


def test_a_former_name_of_the_district_is_read_as_it() -> None:
    names = Gazetteer()
    names.add_node("姑苏区", "district", "320508/")
    names.learn(normalize_text("姑苏区临顿路12号"), "320508/")
    names.learnt()
    for former in ("平江区", "苏州市平江区", "江苏省苏州市沧浪区", "金阊区"):
        split = names.split(normalize_text(former + "临顿路12号"))
        assert not split.impossible and split.former, former
    split = names.split(normalize_text("苏州市姑苏区临顿路12号"))
    assert not split.impossible and not split.former
    for refused in ("吴中区", "相城区", "崇文区", "宣武区", "南京市平江区"):
        assert names.split(normalize_text(refused + "临顿路12号")).impossible, refused


@pytest.mark.parametrize("front", ["下关区", "南京市下关区"])
def test_a_former_name_counts_only_where_the_district_is_one_place(
    drum_tower: None, front: str
) -> None:
    # 下关区 lies in 南京's 鼓楼区 now; a tree whose 鼓楼区 may be any of four is not that one.
    match = selectors.resolve_address(q=front + HOUSE)
    assert match.building is None and match.resolution.candidates == []


@pytest.mark.parametrize("front", ["下关区", "南京市下关区", "江苏省南京市下关区"])
def test_a_former_name_of_the_district_lists_the_building_to_confirm(
    drum_tower_of_nanjing: None, front: str
) -> None:
    # Never answered on a name no longer in use: the building first among the candidates.
    match = selectors.resolve_address(q=front + HOUSE)
    assert match.building is None
    assert match.resolution.candidates[0].address.endswith(HOUSE)


def test_a_misspelt_city_without_its_shi_in_front_of_the_district() -> None:
    names = Gazetteer()
    names.add_node("桥西区", "district", "130104/")
    names.learn(normalize_text("河北省石家庄市桥西区自强路5号"), "130104/")
    names.learnt()
    for accepted in ("石加庄桥西区", "河北省石加庄桥西区", "石家庄桥西区"):
        assert not names.split(normalize_text(accepted + "自强路5号")).impossible, accepted
    # 张家口 has a 桥西区 too: another city, not a slip.
    for refused in ("张家口桥西区", "邯郸桥西区"):
        assert names.split(normalize_text(refused + "自强路5号")).impossible, refused


def test_a_place_of_the_list_with_a_gate_or_a_shop_front_in_its_name() -> None:
    # 门 is a gate and 门市 a shop front, but 厦门市 is a city: the national list says so.
    names = Gazetteer()
    names.add_node("思明区", "district", "350203/")
    names.learn(normalize_text("思明区中山路105号"), "350203/")
    names.learnt()
    split = names.split(normalize_text("福建省厦门市思明区中山路105号"))
    assert ("city", "厦门市") in split.names and not split.impossible
    for refused in ("江门市", "荆门市思明区", "北京市门头沟区"):
        assert names.split(normalize_text(refused + "中山路105号")).impossible, refused


def test_a_city_without_its_shi_before_a_district_that_starts_with_one() -> None:
    # 青岛市南区 is 青岛(市) + 市南区, as people write it; not 青岛市 + a 南区.
    names = Gazetteer()
    names.add_node("市南区", "district", "370202/")
    names.learn(normalize_text("市南区江苏路31号"), "370202/")
    names.learnt()
    for text in ("青岛市南区江苏路31号", "山东青岛市南区江苏路31号", "青岛市市南区江苏路31号"):
        split = names.split(normalize_text(text))
        assert ("district", "市南区") in split.names and split.rest == "江苏路31号", text
