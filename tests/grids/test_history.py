"""The grid tree's history: one row per node that changed (not per import), without the
boundary polygons, and a row for every descendant a 网格调整 moved by bulk UPDATE."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import DISTRICT, GRID_A, MICRO_A1, MICRO_A2, STREET, box, feature, tree_features
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import

pytestmark = pytest.mark.django_db
OTHER = "410102001003"


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def versions(code: str) -> list[Any]:
    node = GridNode.objects.get(code=code)
    return list(node.history.order_by("history_id"))  # type: ignore[attr-defined]


def test_an_import_records_what_changed_only_and_never_the_boundary() -> None:
    grids_import(collection(tree_features()))
    assert GridNode.history.count() == 9  # type: ignore[attr-defined]
    assert all(v.history_type == "+" for v in GridNode.history.all())  # type: ignore[attr-defined]
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(),
            GridNode.history.model._meta.db_table,  # type: ignore[attr-defined]
        )
    ]
    assert "boundary" not in columns and "path" in columns

    grids_import(collection(tree_features()))  # the same file again: nothing changed
    assert GridNode.history.count() == 9  # type: ignore[attr-defined]

    features = tree_features()
    for f in features:
        if f["properties"]["code"] == GRID_A:
            f["properties"]["name"] = "碧沙岗第一网格"
        if f["properties"]["code"] == MICRO_A2:
            f["geometry"] = box(113.602, 34.750, 113.604, 34.753)
    grids_import(collection(features))
    assert GridNode.history.count() == 11  # type: ignore[attr-defined]
    renamed = versions(GRID_A)[-1]
    assert (renamed.history_type, renamed.name) == ("~", "碧沙岗第一网格")
    reshaped = versions(MICRO_A2)[-1]
    assert reshaped.history_change_reason == "导入网格：边界更新"


def test_a_moved_subtree_is_in_the_history_with_its_new_paths() -> None:
    grids_import(collection(tree_features()))
    other = feature(OTHER, "互助路社区", "community", STREET, box(113.600, 34.750, 113.608, 34.754))
    moved = feature(GRID_A, "碧沙岗第1网格", "grid", OTHER, box(113.600, 34.750, 113.604, 34.754))
    grids_import(collection([other, moved]))
    new_prefix = f"{DISTRICT}/{STREET}/{OTHER}/{GRID_A}/"
    assert versions(GRID_A)[-1].path == new_prefix
    for code in (MICRO_A1, MICRO_A2):
        last = versions(code)[-1]
        assert last.path == f"{new_prefix}{code}/"
        assert last.history_change_reason == "网格调整：随上级迁移"
        assert last.history_type == "~"


def test_a_rename_in_the_admin_names_who(
    tree: dict[str, GridNode], superuser_client: Client
) -> None:
    node = tree[GRID_A]
    resp = superuser_client.post(
        f"/admin/grids/gridnode/{node.pk}/change/", {"name": "碧沙岗第一网格", "kind": ""}
    )
    assert resp.status_code == 302
    last = versions(GRID_A)[-1]
    assert last.name == "碧沙岗第一网格" and last.history_user.phone == "13900009999"
