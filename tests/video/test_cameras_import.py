"""Cameras as data: a district's list onto the facility register, whole or not at all."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import MICRO_A1, MICRO_A2, MICRO_B1
from tests.video.conftest import CAMERAS_CSV
from wangge.grids.coords import wgs84_to_gcj02
from wangge.grids.services import ImportRejected
from wangge.ledgers.models import Facility, FacilityKind
from wangge.video.cameras import cameras_import
from wangge.video.models import Camera

pytestmark = pytest.mark.django_db


def test_each_camera_lands_on_the_register_in_its_micro_grid(people: dict) -> None:
    report = cameras_import(CAMERAS_CSV)
    assert (report.created, report.updated) == (3, 0)
    grids = dict(Camera.objects.values_list("code", "facility__micro_grid__code"))
    assert grids == {"SXT-001": MICRO_A1, "SXT-002": MICRO_A2, "SXT-003": MICRO_B1}
    north_gate = Camera.objects.get(code="SXT-001")
    assert north_gate.facility.kind == FacilityKind.CAMERA
    assert north_gate.facility.name == "百花里北门球机"
    assert (north_gate.camera_type, north_gate.unit_type) == ("dome", "compound")
    assert north_gate.gb_code == "41010200001320000001"
    assert north_gate.facility.grid_path.endswith(f"{MICRO_A1}/")


def test_the_same_file_again_updates_and_a_hand_entered_camera_is_taken_over(
    people: dict, tree: dict
) -> None:
    hand = Facility.objects.create(
        kind=FacilityKind.CAMERA,
        name="碧沙岗小学鹰眼",
        micro_grid=tree[MICRO_B1],
        grid_path=tree[MICRO_B1].path,
    )
    first = cameras_import(CAMERAS_CSV)
    assert (first.created, first.adopted) == (2, 1)
    assert Camera.objects.get(code="SXT-003").facility_id == hand.pk
    again = cameras_import(CAMERAS_CSV.replace("百花里北门球机", "百花里北门球机（新）"))
    assert (again.created, again.updated) == (0, 3)
    assert Facility.objects.filter(kind=FacilityKind.CAMERA).count() == 3
    assert Camera.objects.get(code="SXT-001").facility.name == "百花里北门球机（新）"


def test_a_bad_file_is_refused_whole_with_every_problem(people: dict) -> None:
    bad = (
        "编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址\n"
        "SXT-001,4101,北门,113.6008,34.7508,球机,楼院,http://gw/1.m3u8\n"
        "SXT-002,,路口,113.6030,34.7520,云台,道路,\n"
        "SXT-003,,远处,120.0,30.0,枪机,道路,\n"
        "SXT-004,,学校,113.6060,34.7520,鹰眼,学校,rtsp://gw/4\n"
        "SXT-004,,学校二,113.6061,34.7520,鹰眼,商场,\n"
    )
    with pytest.raises(ImportRejected) as refused:
        cameras_import(bad)
    problems = "\n".join(refused.value.problems)
    assert "第 2 行：国标编码“4101”须为 20 位数字" in problems
    assert "第 3 行：类型“云台”须为 球机、枪机 或 鹰眼" in problems
    assert "第 4 行：坐标（120.0, 30.0）不在任何网格内" in problems
    assert "第 5 行：视频地址“rtsp://gw/4”须为 http(s) 地址" in problems
    assert "第 6 行：所属单位“商场”须为" in problems
    assert len(refused.value.problems) == 5
    assert not Camera.objects.exists() and not Facility.objects.exists()


def test_duplicates_in_the_file_are_named(people: dict) -> None:
    doubled = CAMERAS_CSV + "SXT-001,,又一个,113.6009,34.7509,球机,楼院,\n"
    with pytest.raises(ImportRejected) as refused:
        cameras_import(doubled)
    assert refused.value.problems == ["第 5 行：编号“SXT-001”与第 2 行重复"]


def test_a_missing_column_is_said_before_anything_else(people: dict) -> None:
    with pytest.raises(ImportRejected) as refused:
        cameras_import("编号,名称,经度,纬度\nA,B,1,2\n")
    assert "表头缺少列：国标编码、类型、所属单位、视频地址" in refused.value.problems[0]


def test_geojson_points_with_gcj02_are_stored_in_wgs84(people: dict) -> None:
    lon, lat = wgs84_to_gcj02(113.6008, 34.7508)
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "编号": "GJ-1",
                    "国标编码": None,
                    "名称": "北门",
                    "类型": "枪机",
                    "所属单位": "楼院",
                    "视频地址": "https://gw.example/live/9.m3u8",
                    "坐标系": "gcj02",
                },
            }
        ],
    }
    cameras_import(json.dumps(collection, ensure_ascii=False))
    camera = Camera.objects.get(code="GJ-1")
    assert camera.lon == pytest.approx(113.6008, abs=1e-5)
    assert camera.lat == pytest.approx(34.7508, abs=1e-5)
    assert camera.facility.micro_grid.code == MICRO_A1


def test_the_command_lists_each_problem_and_writes_nothing(people: dict, tmp_path: Path) -> None:
    path = tmp_path / "cameras.csv"
    path.write_text(CAMERAS_CSV.replace("球机,楼院", "球机,公园"), encoding="utf-8")
    with pytest.raises(CommandError, match="导入被拒绝，共 1 个问题"):
        call_command("import_cameras", str(path))
    assert not Camera.objects.exists()
    path.write_text(CAMERAS_CSV, encoding="utf-8-sig")
    call_command("import_cameras", str(path))
    assert Camera.objects.count() == 3
