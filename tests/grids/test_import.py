"""import_grids: a good file creates the tree, a re-import updates, a bad file writes nothing."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import (
    COMMUNITY,
    DISTRICT,
    GRID_A,
    GRID_B,
    MICRO_A1,
    MICRO_A2,
    MICRO_B1,
    OTHER_COMMUNITY,
    STREET,
    box,
    feature,
    tree_features,
)
from wangge.cases.models import Case
from wangge.grids.coords import wgs84_to_gcj02
from wangge.grids.models import GridNode
from wangge.grids.services import ImportRejected, grids_import, grids_import_file
from wangge.notices.services import notice_publish

pytestmark = pytest.mark.django_db


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "grids.geojson"
    path.write_text(
        data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8"
    )
    return path


def test_good_file_builds_the_tree_with_paths_and_centroids(tmp_path: Path) -> None:
    call_command("import_grids", write(tmp_path, collection(tree_features())))
    micro = GridNode.objects.get(code=MICRO_A1)
    assert micro.path == f"{DISTRICT}/{STREET}/{COMMUNITY}/{GRID_A}/{MICRO_A1}/"
    assert micro.depth == 4
    assert micro.parent is not None and micro.parent.code == GRID_A
    assert micro.centroid_lon == pytest.approx(113.601)
    assert micro.centroid_lat == pytest.approx(34.752)
    assert GridNode.objects.count() == 9
    subtree = GridNode.objects.filter(path__startswith=GridNode.objects.get(code=GRID_A).path)
    assert sorted(subtree.values_list("code", flat=True)) == [GRID_A, MICRO_A1, f"{GRID_A}002"]


def test_reimport_updates_by_code_and_moves_subtrees() -> None:
    grids_import(collection(tree_features()))
    features = tree_features()
    # Rename grid A and move it under a new community: its micro-grids' paths must follow.
    features.append(
        feature(
            "410102001003", "互助路社区", "community", STREET, box(113.59, 34.74, 113.60, 34.75)
        )
    )
    for f in features:
        if f["properties"]["code"] == GRID_A:
            f["properties"]["name"] = "改名后的网格"
    report = grids_import(collection(features))
    assert (report.created, report.updated) == (1, 9)
    assert GridNode.objects.get(code=GRID_A).name == "改名后的网格"
    assert GridNode.objects.count() == 10


def test_reimport_moves_descendant_paths_when_parent_changes() -> None:
    grids_import(collection(tree_features()))
    other = feature(
        "410102001003", "互助路社区", "community", STREET, box(113.600, 34.750, 113.608, 34.754)
    )
    moved = feature(
        GRID_A, "碧沙岗第1网格", "grid", "410102001003", box(113.600, 34.750, 113.604, 34.754)
    )
    grids_import(collection([other, moved]))
    micro = GridNode.objects.get(code=MICRO_A1)
    assert micro.path == f"{DISTRICT}/{STREET}/410102001003/{GRID_A}/{MICRO_A1}/"


def test_gcj02_input_is_stored_as_wgs84() -> None:
    grids_import(collection(tree_features()[:3]))
    w, s, e, n = 113.600, 34.750, 113.602, 34.752
    ring = [list(wgs84_to_gcj02(x, y)) for x, y in [(w, s), (e, s), (e, n), (w, n), (w, s)]]
    f = feature(
        "410102001002001", "网格", "grid", COMMUNITY, {"type": "Polygon", "coordinates": [ring]}
    )
    f["properties"]["crs"] = "gcj02"
    grids_import(collection([f]))
    stored = GridNode.objects.get(code="410102001002001").boundary["coordinates"][0][0]
    assert stored == pytest.approx([w, s], abs=1e-6)


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [
            [113.600, 34.750],
            [113.602, 34.752],
            [113.602, 34.750],
            [113.600, 34.752],
            [113.600, 34.750],
        ]
    ],
}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda fs: fs[5]["properties"].update(level="building"), "未知层级“building”"),
        (lambda fs: fs[5]["properties"].update(parent_code="999999"), "上级“999999”不存在"),
        (lambda fs: fs[5].update(geometry=BOWTIE), "自相交"),
        (lambda fs: fs[5].update(geometry=box(113.607, 34.750, 113.609, 34.752)), "超出上级"),
        (lambda fs: fs[5]["properties"].update(parent_code=COMMUNITY), "层级不能包含"),
        (lambda fs: fs[6]["properties"].update(code=MICRO_A1), "编码与第 5 个要素重复"),
        (lambda fs: fs[5]["properties"].update(crs="utm"), "未知坐标系"),
        (
            lambda fs: fs[5].update(geometry={"type": "Point", "coordinates": [113.6, 34.75]}),
            "Polygon",
        ),
    ],
    ids=[
        "unknown-level",
        "missing-parent",
        "self-intersecting",
        "outside-parent",
        "wrong-parent-level",
        "duplicate-code",
        "unknown-crs",
        "not-a-polygon",
    ],
)
def test_bad_file_is_rejected_whole_naming_the_feature(mutate: Any, expected: str) -> None:
    features = tree_features()
    mutate(features)
    with pytest.raises(ImportRejected) as info:
        grids_import(collection(features))
    assert any(expected in p for p in info.value.problems), info.value.problems
    assert any(
        p.startswith("第 5 个要素") or p.startswith("第 6 个要素") for p in info.value.problems
    )
    assert GridNode.objects.count() == 0  # nothing written, not even the good features


def test_every_problem_is_listed_not_just_the_first() -> None:
    features = tree_features()
    features[5]["properties"]["level"] = "nope"
    features[7]["geometry"] = BOWTIE
    with pytest.raises(ImportRejected) as info:
        grids_import(collection(features))
    assert len(info.value.problems) >= 2
    assert any("第 5 个要素" in p for p in info.value.problems)
    assert any("第 7 个要素" in p for p in info.value.problems)


def test_bad_reimport_leaves_existing_tree_untouched() -> None:
    grids_import(collection(tree_features()))
    features = tree_features()
    features[3]["properties"]["name"] = "新名字"
    features[5]["properties"]["parent_code"] = "nowhere"
    with pytest.raises(ImportRejected):
        grids_import(collection(features))
    assert GridNode.objects.get(code=GRID_A).name == "碧沙岗第1网格"


def test_invalid_json_is_reported_with_its_position() -> None:
    with pytest.raises(ImportRejected) as info:
        grids_import_file('{"type": "FeatureCollection", "features": [}')
    assert "不是有效的 JSON：第 1 行" in info.value.problems[0]


def test_command_prints_every_problem_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    features = tree_features()
    features[5]["properties"]["parent_code"] = "999999"
    with pytest.raises(CommandError, match="导入被拒绝"):
        call_command("import_grids", write(tmp_path, collection(features)))
    assert "第 5 个要素（410102001002001001）：上级“999999”不存在" in capsys.readouterr().err
    assert not GridNode.objects.exists()


def test_not_a_feature_collection() -> None:
    with pytest.raises(ImportRejected) as info:
        grids_import({"type": "Feature"})
    assert info.value.problems == ["文件不是 GeoJSON FeatureCollection"]


def test_a_node_moved_below_a_node_that_moved_in_the_same_file_takes_its_rows_along(
    cast: dict[str, Any], tree: dict[str, GridNode]
) -> None:
    # One file: grid A goes to a new community, and its micro-grid A2 goes to grid B. A2's rows
    # must end up under grid B, not be left under grid A's new place.
    notice = notice_publish(
        actor=cast["dispatcher"], node=tree[MICRO_A2], title="A2 停电通知", body="周五停电"
    )
    grids_import(
        collection(
            [
                feature(
                    OTHER_COMMUNITY,
                    "互助路社区",
                    "community",
                    STREET,
                    box(113.600, 34.750, 113.608, 34.754),
                ),
                feature(
                    GRID_A,
                    "碧沙岗第1网格",
                    "grid",
                    OTHER_COMMUNITY,
                    box(113.600, 34.750, 113.604, 34.754),
                ),
                feature(
                    MICRO_A2, "A2 微网格", "micro", GRID_B, box(113.604, 34.750, 113.606, 34.752)
                ),
                # A new micro-grid under grid A, which is not in the file: it hangs under grid
                # A's new place.
                feature(
                    f"{GRID_A}003",
                    "A3 微网格",
                    "micro",
                    GRID_A,
                    box(113.600, 34.750, 113.601, 34.751),
                ),
            ]
        )
    )
    a2 = GridNode.objects.get(code=MICRO_A2)
    assert a2.path == f"{DISTRICT}/{STREET}/{COMMUNITY}/{GRID_B}/{MICRO_A2}/"
    notice.refresh_from_db()
    assert notice.grid_path == a2.path
    a3 = GridNode.objects.get(code=f"{GRID_A}003")
    assert a3.path == f"{DISTRICT}/{STREET}/{OTHER_COMMUNITY}/{GRID_A}/{GRID_A}003/"
    assert (
        GridNode.objects.get(code=MICRO_A1).path
        == f"{DISTRICT}/{STREET}/{OTHER_COMMUNITY}/{GRID_A}/{MICRO_A1}/"
    )


def test_moved_nodes_cases_take_the_street_and_community_they_now_lie_in(
    tree: dict[str, GridNode],
) -> None:
    # 网格调整: grid A goes to a community of another street. Its cases' path follows, and so
    # do their street and community: the KPI counts group by them, the street's list reads
    # them, and the list shows the community.
    other_street, other_community = "410102002", "410102002001"
    grids_import(
        collection(
            [
                feature(
                    other_street,
                    "绿东村街道",
                    "street",
                    DISTRICT,
                    box(113.59, 34.74, 113.65, 34.76),
                ),
                feature(
                    other_community,
                    "绿东村社区",
                    "community",
                    other_street,
                    box(113.62, 34.74, 113.63, 34.75),
                ),
            ]
        )
    )
    moved_street = GridNode.objects.get(code=other_street)

    def case_at(micro: str) -> Case:
        return Case.objects.create(
            title="井盖缺失",
            description="d",
            channel="resident",
            grid_path=tree[micro].path,
            micro_grid=tree[micro],
            community=tree[COMMUNITY],
            street=tree[STREET],
        )

    moved, stays = case_at(MICRO_A1), case_at(MICRO_B1)
    grids_import(
        collection(
            [
                feature(
                    GRID_A,
                    "碧沙岗第1网格",
                    "grid",
                    other_community,
                    box(113.62, 34.74, 113.63, 34.75),
                )
            ]
        )
    )
    moved.refresh_from_db()
    assert moved.grid_path == f"{DISTRICT}/{other_street}/{other_community}/{GRID_A}/{MICRO_A1}/"
    assert (moved.street_id, moved.community.code) == (moved_street.pk, other_community)
    stays.refresh_from_db()
    assert (stays.street_id, stays.community_id) == (tree[STREET].pk, tree[COMMUNITY].pk)

    # A community moved whole is still its cases' community; their street is the new one.
    grids_import(
        collection(
            [
                feature(
                    COMMUNITY,
                    "碧沙岗社区",
                    "community",
                    other_street,
                    box(113.600, 34.750, 113.608, 34.754),
                )
            ]
        )
    )
    stays.refresh_from_db()
    assert (stays.street_id, stays.community_id) == (moved_street.pk, tree[COMMUNITY].pk)
    assert stays.grid_path.startswith(f"{DISTRICT}/{other_street}/{COMMUNITY}/")
