"""import_roads: the district's road network from GeoJSON lines, refused whole with every
problem by feature; served by box to the maps (the API and the report form's own base)."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from wangge.grids.coords import wgs84_to_gcj02
from wangge.grids.models import GridNode, Road
from wangge.grids.services import ImportRejected, roads_import

pytestmark = pytest.mark.django_db


def road(name: Any, coords: Any, kind: Any = None, **props: Any) -> dict[str, Any]:
    geometry = {"type": "LineString", "coordinates": coords}
    if coords and isinstance(coords[0], list) and coords[0] and isinstance(coords[0][0], list):
        geometry = {"type": "MultiLineString", "coordinates": coords}
    properties = {"name": name, **props}
    if kind is not None:
        properties["kind"] = kind
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


YIHE = road("伊河路", [[113.595, 34.752], [113.612, 34.7521]], "主干路")
TONGBAI = road(
    "桐柏路", [[[113.603, 34.745], [113.603, 34.750]], [[113.603, 34.751], [113.6031, 34.758]]]
)


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_command_imports_lines_with_their_box_and_class(
    tree: dict[str, GridNode], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_roads", write(tmp_path, collection(YIHE, TONGBAI)))
    assert "导入完成：2 条道路（替换原有 0 条）" in capsys.readouterr().out
    yihe = Road.objects.get(name="伊河路")
    assert (yihe.kind, yihe.west, yihe.south, yihe.east, yihe.north) == (
        "arterial",
        113.595,
        34.752,
        113.612,
        34.7521,
    )
    tongbai = Road.objects.get(name="桐柏路")
    assert tongbai.kind == "secondary"  # no class given
    assert tongbai.geometry["type"] == "MultiLineString"
    # A new file is the new network: the old roads go.
    call_command("import_roads", write(tmp_path, collection(TONGBAI)))
    assert list(Road.objects.values_list("name", flat=True)) == ["桐柏路"]
    assert "替换原有 2 条" in capsys.readouterr().out


def test_gcj02_lines_are_stored_in_wgs84(tree: dict[str, GridNode]) -> None:
    lon, lat = wgs84_to_gcj02(113.60, 34.75)
    lon2, lat2 = wgs84_to_gcj02(113.61, 34.75)
    roads_import(collection(road("中原路", [[lon, lat], [lon2, lat2]], crs="gcj02")))
    line = Road.objects.get().geometry["coordinates"]
    assert line[0] == pytest.approx([113.60, 34.75], abs=1e-6)
    assert line[1] == pytest.approx([113.61, 34.75], abs=1e-6)


def test_a_bad_file_is_refused_whole_with_every_problem_by_feature(
    tree: dict[str, GridNode], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roads_import(collection(YIHE))
    bad = collection(
        TONGBAI,  # good, but the file is refused whole
        road("", [[113.60, 34.75], [113.61, 34.75]]),
        road("建设路", [[113.60, 34.75]]),
        road("棉纺路", [[113.60, 34.75], ["x", 34.75]]),
        road("秦岭路", [[113.60, 34.75], [113.61, 34.75]], kind="高速"),
        {
            "type": "Feature",
            "properties": {"name": "华山路"},
            "geometry": {"type": "Point", "coordinates": [113.6, 34.75]},
        },
        road("汝河路", [[34.75, 113.60], [34.76, 113.61]]),  # lat and lon swapped
        road("工人路", [[113.60, 34.75], [113.61, 34.75]], crs="bd10"),
        {"type": "Feature", "geometry": None},
    )
    with pytest.raises(CommandError, match="导入被拒绝，共 8 个问题"):
        call_command("import_roads", write(tmp_path, bad))
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "第 1 个要素：缺少名称",
        "第 2 个要素（建设路）：线：至少需要 2 个坐标",
        "第 3 个要素（棉纺路）：线：第 2 个坐标不是 [经度, 纬度] 数值对",
        "第 4 个要素（秦岭路）：未知道路等级“高速”"
        "（可用 expressway/快速路、arterial/主干路、secondary/次干路、branch/支路、"
        "railway/铁路、river/河道、bridge/桥梁）",
        "第 5 个要素（华山路）：几何类型须为 LineString 或 MultiLineString，当前为“Point”",
        "第 6 个要素（汝河路）：线：第 1 个坐标超出经纬度范围",
        "第 7 个要素（工人路）：未知坐标系“bd10”（可用 wgs84、gcj02、bd09）",
        "第 8 个要素：缺少 properties",
    ]
    assert list(Road.objects.values_list("name", flat=True)) == ["伊河路"]  # untouched


def test_a_road_far_from_every_grid_is_a_file_in_the_wrong_place(
    tree: dict[str, GridNode],
) -> None:
    with pytest.raises(ImportRejected) as info:
        roads_import(collection(road("长安街", [[116.39, 39.90], [116.41, 39.90]])))
    assert info.value.problems == [
        "第 0 个要素（长安街）：道路完全在网格范围之外（经纬度写反了，或坐标系不对？）"
    ]


def test_api_serves_the_roads_of_a_box_cut_to_it(cast: dict[str, Any]) -> None:
    roads_import(collection(YIHE, TONGBAI, road("棉纺路", [[113.62, 34.70], [113.63, 34.70]])))
    c = Client()
    c.force_login(cast["resident"])
    answer = c.get("/api/v1/grids/roads?bbox=113.600,34.749,113.606,34.755")
    assert answer.status_code == 200
    features = {f["properties"]["name"]: f for f in answer.json()["features"]}
    assert set(features) == {"伊河路", "桐柏路"}
    yihe = features["伊河路"]
    assert yihe["properties"]["road"] == "arterial"
    # Cut to the box: the road runs 113.595–113.612, the answer 113.600–113.606.
    xs = [x for x, _y in yihe["geometry"]["coordinates"]]
    assert min(xs) == pytest.approx(113.600) and max(xs) == pytest.approx(113.606)
    assert c.get("/api/v1/grids/roads?bbox=113.6,34.7,113.5,34.8").status_code == 422
    assert c.get("/api/v1/grids/roads?bbox=1..2,34.7,113.5,34.8").status_code == 422
    too_wide = c.get("/api/v1/grids/roads?bbox=100,30,110,40")
    assert too_wide.status_code == 422 and "每边不超过" in too_wide.json()["detail"]
    assert Client().get("/api/v1/grids/roads?bbox=113.6,34.7,113.61,34.71").status_code == 401


def test_report_base_of_a_view_has_its_roads_grids_and_buildings(cast: dict[str, Any]) -> None:
    roads_import(collection(YIHE))
    c = Client()
    c.force_login(cast["resident"])
    fc = c.get("/m/report/base.json?bbox=113.5995,34.7495,113.6045,34.7545").json()
    kinds = {(f["properties"]["kind"], f["properties"]["name"]) for f in fc["features"]}
    assert ("road", "伊河路") in kinds
    assert ("grid", "A1 微网格") in kinds and ("grid", "B1 微网格") not in kinds
    assert c.get("/m/report/base.json?bbox=1,2").status_code == 200  # not a box: the home base
