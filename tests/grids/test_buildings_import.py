"""import_buildings: UTF-8 CSV with or without BOM; bad rows by line number; --skip-bad."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import MICRO_A1, MICRO_A2, MICRO_B1
from wangge.grids.coords import wgs84_to_bd09
from wangge.grids.models import Building, GridNode
from wangge.grids.services import ImportRejected, buildings_import


def csv_file(tmp_path: Path, text: str, bom: bool = False) -> Path:
    path = tmp_path / "buildings.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


GOOD = (
    "address,lon,lat,code,aliases,micro_grid_code\n"
    f"中原区伊河路百花里1号楼,113.6010,34.7510,B001,百花里小区1号楼|伊河路12号院1号楼,{MICRO_A1}\n"
    "中原区伊河路百花里2号楼,113.6030,34.7510,,,\n"
)


@pytest.mark.parametrize("bom", [False, True], ids=["plain", "bom"])
def test_good_csv_places_buildings(tmp_path: Path, tree: Any, bom: bool) -> None:
    call_command("import_buildings", csv_file(tmp_path, GOOD, bom=bom))
    first = Building.objects.get(code="B001")
    assert first.micro_grid.code == MICRO_A1
    assert first.aliases == ["百花里小区1号楼", "伊河路12号院1号楼"]
    # No micro_grid_code: placed by its point, and given a code under that micro-grid.
    second = Building.objects.get(address="中原区伊河路百花里2号楼")
    assert second.micro_grid.code == MICRO_A2
    assert second.code == f"{MICRO_A2}001"


def test_reimport_updates_instead_of_duplicating(tree: Any) -> None:
    buildings_import(GOOD)
    buildings_import(GOOD.replace("113.6010", "113.6011"))
    assert Building.objects.count() == 2
    assert Building.objects.get(code="B001").lon == pytest.approx(113.6011)


def test_bd09_point_is_converted(tree: Any) -> None:
    lon, lat = wgs84_to_bd09(113.606, 34.752)
    buildings_import(f"address,lon,lat,crs\n中原区桐柏路1号楼,{lon},{lat},bd09\n")
    b = Building.objects.get()
    assert (b.lon, b.lat) == (pytest.approx(113.606, abs=1e-6), pytest.approx(34.752, abs=1e-6))
    assert b.micro_grid.code == MICRO_B1


BAD = (
    "address,lon,lat,micro_grid_code\n"
    "中原区伊河路百花里1号楼,113.6010,34.7510,\n"  # line 2: good
    ",113.6010,34.7510,\n"  # line 3: no address
    "中原区伊河路百花里3号楼,东经113,34.7510,\n"  # line 4: not a number
    "中原区伊河路百花里4号楼,120.0,30.0,\n"  # line 5: outside every micro-grid
    "中原区伊河路百花里5号楼,113.6010,34.7510,999\n"  # line 6: unknown micro-grid
    f"中原区伊河路百花里6号楼,113.6070,34.7530,{MICRO_A1}\n"  # line 7: far outside its micro-grid
)


def test_bad_rows_reject_the_file_by_line_number(tree: Any) -> None:
    with pytest.raises(ImportRejected) as info:
        buildings_import(BAD)
    problems = info.value.problems
    assert [p.split("：")[0] for p in problems] == [
        "第 3 行",
        "第 4 行",
        "第 5 行",
        "第 6 行",
        "第 7 行",
    ]
    assert "地址为空" in problems[0]
    assert "经纬度不是有效数字" in problems[1]
    assert "不在任何微网格内" in problems[2]
    assert "微网格“999”不存在" in problems[3]
    assert f"坐标不在微网格“{MICRO_A1}”内" in problems[4]
    assert not Building.objects.exists()


def test_skip_bad_writes_good_rows_and_lists_the_rest(
    tmp_path: Path, tree: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_buildings", csv_file(tmp_path, BAD), "--skip-bad")
    assert list(Building.objects.values_list("address", flat=True)) == ["中原区伊河路百花里1号楼"]
    err = capsys.readouterr().err
    assert "已跳过 第 3 行：地址为空" in err
    assert err.count("已跳过") == 5


def test_missing_columns(tmp_path: Path, tree: Any) -> None:
    with pytest.raises(CommandError):
        call_command("import_buildings", csv_file(tmp_path, "addr,x,y\n甲,1,2\n"))
    with pytest.raises(ImportRejected) as info:
        buildings_import("addr,x,y\n甲,1,2\n")
    assert info.value.problems == ["缺少列：address、lon、lat"]


def test_not_utf8_is_refused(tmp_path: Path, tree: Any) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("address,lon,lat\n中原区伊河路1号楼,113.601,34.751\n".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_buildings", path)


def test_buildings_stay_in_their_micro_grid(tree: Any) -> None:
    buildings_import(GOOD)
    assert GridNode.objects.get(code=MICRO_A1).buildings.count() == 1


DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def test_a_standard_address_export_in_columns_is_read_part_by_part(db: Any) -> None:
    """A 四标四实 export: no address column, the address in its parts (numbers without their
    号 / 组 / 号楼), rural and urban rows; each building's address is written from its parts and
    resolves, and the parts under the building (单元, 户) are not read."""
    from wangge.grids import selectors
    from wangge.grids.services import grids_import_file

    grids_import_file((DATA / "rural_county" / "grids.geojson").read_text(encoding="utf-8"))
    report = buildings_import(
        "区县,乡镇（街道）,行政村,村民小组,自然村,街路巷,门牌号,楼栋,单元,户,code,lon,lat\n"
        "肥东县,店埠镇,和平村,4,,,12,,1,101,HP4Z12,117.4021,31.8561\n"
        "肥东县,店埠镇,和平村,,张家宅,,9,,,,HPZJZ9,117.4031,31.8561\n"
        "肥东县,店埠镇,,,,店埠大街,66甲,2,3,302,DBDJ66J,117.4041,31.8561\n"
    )
    assert report.created == 3
    addresses = dict(Building.objects.values_list("code", "address"))
    assert addresses == {
        "HP4Z12": "肥东县店埠镇和平村4组12号",
        "HPZJZ9": "肥东县店埠镇和平村张家宅9号",
        "DBDJ66J": "肥东县店埠镇店埠大街66甲号2号楼",
    }
    for code, typed in (
        ("HP4Z12", "和平村4组12号"),
        ("HPZJZ9", "店埠镇张家宅9号"),
        ("DBDJ66J", "店埠大街66甲号2号楼"),
    ):
        found = selectors.resolve_address(q=typed).building
        assert found is not None and found.code == code, typed


def test_the_parts_beside_an_address_column_become_an_alias(tree: Any) -> None:
    buildings_import(
        "address,街路巷,门牌,lon,lat,code\n中原区桐柏路1号楼,桐柏路,1,113.6010,34.7510,TB1\n"
    )
    building = Building.objects.get(code="TB1")
    assert building.address == "中原区桐柏路1号楼"
    assert building.aliases == ["桐柏路1号"]


def test_parts_that_name_no_place_do_not_stand_for_an_address(db: Any) -> None:
    with pytest.raises(ImportRejected) as refused:
        buildings_import("单元,户,lon,lat\n1,101,113.6,34.75\n")
    assert refused.value.problems == ["缺少列：address"]


def test_the_import_says_which_parts_the_districts_addresses_use(db: Any) -> None:
    from io import StringIO

    lanes = DATA / "lane_city"
    call_command("import_grids", str(lanes / "grids.geojson"), stdout=StringIO())
    out = StringIO()
    call_command("import_buildings", str(lanes / "buildings.csv"), stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("本次导入的地址用到的部分"))
    report = buildings_import((lanes / "buildings.csv").read_text(encoding="utf-8"))
    assert report.parts["弄"] > 0 and report.parts["支弄"] > 0 and report.parts["annex"] > 0
    assert f"弄 {report.parts['弄']}" in line and f"支弄 {report.parts['支弄']}" in line
    assert "胡同" not in line and "村民小组" not in line  # a lane city writes neither
