"""The unseen district (洛阳市涧西区) imported beside the 中原区 sample: the quality bar.

The query set in bench/data/unseen_district/ was written before the resolver learnt place names
from data, and is not tuned on; these tests hold the bar it set (issue 15).
"""

from pathlib import Path
from typing import Any

import pytest

from wangge.grids import address_eval, selectors
from wangge.grids.services import buildings_import, grids_import_file

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


@pytest.fixture
def two_districts(db: Any) -> None:
    for folder in ("zhongyuan_sample", "unseen_district"):
        grids_import_file((DATA / folder / "grids.geojson").read_text(encoding="utf-8"))
        buildings_import((DATA / folder / "buildings.csv").read_text(encoding="utf-8"))


def _code(q: str) -> str | None:
    match = selectors.resolve_address(q=q)
    return match.building.code if match.building is not None else None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("南昌路12号院7号楼", "JXNC12B7"),  # no district
        ("洛阳市郑州路45号院3号楼", "JXZZ45B3"),  # city + a road named after another city
        ("郑州路街道郑州路社区郑州路牡丹小区2号楼", "JXMDB2"),  # the whole chain
        ("涧西区原轴承厂家属院3号楼", "JXZC96B3"),  # alias stored without the district
        ("联盟路7号院2号楼", "JXLJYB2"),  # alias stored with it
        ("南常路12号院3号楼", "JXNC12B3"),  # homophone
        ("市民来电称长安路长安花园3号楼下有人占道经营，噪音扰民。", "JXCAHYB3"),
        ("中原区建设路百花里2号楼", "ZY122"),  # the other district still resolves
        ("郑州市中原区桐柏路123号院5号楼", "ZY135"),
    ],
)
def test_addresses_of_both_districts_resolve(two_districts: None, query: str, code: str) -> None:
    assert _code(query) == code


@pytest.mark.parametrize(
    "query",
    [
        "中原区南昌路12号院3号楼",  # the place is in 涧西区, the query says 中原区
        "郑州市中原区建设路96号院2号楼",  # same road name, other district
        "洛阳市涧西区建设路12号院12号楼",  # and the reverse
        "开封市郑州路牡丹小区2号楼",  # another city
        "华山小区2号楼",  # a compound name both districts have
        "洛阳市涧西区中州东路11号街坊5栋",  # 中州东路 is not a typo of 中州西路
        "市民来电称南昌路12号院下水道堵了",  # no building in the sentence
    ],
)
def test_other_places_and_vague_ones_are_refused(two_districts: None, query: str) -> None:
    assert _code(query) is None


def test_unseen_query_set_meets_the_quality_bar(two_districts: None) -> None:
    queries = address_eval.read_queries(
        (DATA / "unseen_district" / "queries.jsonl").read_text(encoding="utf-8")
    )
    assert len(queries) >= 200
    assert len({q.kind for q in queries}) >= 15
    assert sum(q.expected is None for q in queries) >= 50
    assert address_eval.unknown_codes(queries) == []
    table = address_eval.by_kind(address_eval.run(queries))
    overall = table[address_eval.OVERALL]
    assert overall.misroutes == 0, [k for k, m in table.items() if m.misroutes]
    assert overall.accuracy is not None and overall.accuracy >= 0.97
    assert overall.refusal_recall is not None and overall.refusal_recall >= 0.95
