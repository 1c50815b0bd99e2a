"""import_grids writes its nodes in bulk, and leaves the history versions and change-log entries
that one `save()` a node left before: the same rows, for new nodes, changed ones, unchanged
ones, moved subtrees and districts moved under a city, with the person who imported."""

from typing import Any

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from tests.conftest import (
    DISTRICT,
    GRID_A,
    GRID_B,
    MICRO_A1,
    MICRO_A2,
    OTHER_COMMUNITY,
    STREET,
    box,
    feature,
    tree_features,
)
from wangge.accounts.models import User
from wangge.grids.models import LEVEL_RANK, GridNode
from wangge.grids.services import grids_import
from wangge.grids.services import tree as tree_import

pytestmark = pytest.mark.django_db
CITY = "410100"


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def saved_one_by_one(data: dict[str, Any]) -> None:
    """The import's writes as they were before they went in bulk: one `save()` a node, whose
    signals wrote its history version and its change-log entry (the file is a good one)."""
    features, problems = tree_import._parse_features(data)
    assert not problems
    by_code = {f.code for f in features}
    wanted = {f.parent_code for f in features if f.parent_code} - by_code
    nodes = {n.code: n for n in GridNode.objects.filter(code__in=wanted)}
    existing = {n.code: n for n in GridNode.objects.filter(code__in=by_code)}
    made: set[str] = set()
    moved = False
    for f in sorted(features, key=lambda f: LEVEL_RANK[f.level]):
        parent = nodes.get(f.parent_code) if f.parent_code else None
        if f.parent_code and (parent is None or (moved and f.parent_code not in made)):
            parent = GridNode.objects.get(code=f.parent_code)
        path = f"{parent.path if parent else ''}{f.code}/"
        lon, lat = tree_import._centroid(f.geometry) if f.geometry else (None, None)
        node = existing.get(f.code)
        if node is None:
            node = GridNode(code=f.code)
        else:
            if moved:
                node.path = GridNode.objects.values_list("path", flat=True).get(pk=node.pk)
            if node.path != path:
                tree_import._move_subtree(node, path, f.level)
                moved = True
        before = tree_import._recorded(node) if node.pk else None
        old_boundary = node.boundary
        node.name, node.level, node.parent = f.name, f.level, parent
        node.path, node.depth = path, path.count("/") - 1
        node.boundary, node.centroid_lon, node.centroid_lat = f.geometry, lon, lat
        node.kind, node.is_sample = f.kind, f.is_sample
        if before == tree_import._recorded(node) and old_boundary == f.geometry:
            node.save_without_historical_record()  # type: ignore[attr-defined]
        else:
            if before is not None and old_boundary != f.geometry:
                node._change_reason = "导入网格：边界更新"  # type: ignore[attr-defined]
            node.save()
        nodes[f.code] = node
        made.add(f.code)


def imports() -> list[dict[str, Any]]:
    """A tree, the same file again, a rename and a new boundary, a 网格调整 that moves grid A
    to a new community and micro-grid A2 to grid B, and a city above the district (the whole
    subtree moves) with a micro-grid renamed in the same file."""
    renamed = tree_features()
    for f in renamed:
        if f["properties"]["code"] == GRID_A:
            f["properties"]["name"] = "碧沙岗第一网格"
        if f["properties"]["code"] == MICRO_A2:
            f["geometry"] = box(113.602, 34.750, 113.604, 34.753)
    moves = [
        feature(
            OTHER_COMMUNITY, "互助路社区", "community", STREET, box(113.6, 34.75, 113.608, 34.754)
        ),
        feature(
            GRID_A, "碧沙岗第1网格", "grid", OTHER_COMMUNITY, box(113.6, 34.75, 113.604, 34.754)
        ),
        feature(MICRO_A2, "A2 微网格", "micro", GRID_B, box(113.604, 34.750, 113.606, 34.752)),
        feature(f"{GRID_A}003", "A3 微网格", "micro", GRID_A, box(113.6, 34.75, 113.601, 34.751)),
    ]
    city = [
        feature(CITY, "郑州市", "city", None, box(113.0, 34.0, 114.0, 35.0)),
        feature(DISTRICT, "中原区", "district", CITY, box(113.55, 34.70, 113.68, 34.80)),
        feature(MICRO_A1, "A1 微网格（改）", "micro", GRID_A, box(113.6, 34.75, 113.602, 34.754)),
    ]
    return [collection(f) for f in (tree_features(), tree_features(), renamed, moves, city)]


def trail() -> dict[str, Any]:
    """The nodes' history versions and change-log entries, each node's in the order written;
    ids (which differ between two runs) given as codes, creation times left out."""
    code_of = {str(pk): code for pk, code in GridNode.objects.values_list("pk", "code")}
    history: dict[str, list[tuple[Any, ...]]] = {}
    for v in GridNode.history.order_by("history_id"):
        history.setdefault(code_of[str(v.id)], []).append(
            (
                v.history_type,
                v.history_change_reason,
                v.history_user_id,
                v.name,
                v.level,
                code_of.get(str(v.parent_id)),
                v.path,
                v.depth,
                v.kind,
                v.is_sample,
                v.centroid_lon,
                v.centroid_lat,
            )
        )
    entries: dict[str, list[tuple[Any, ...]]] = {}
    kind = ContentType.objects.get_for_model(GridNode)
    for e in LogEntry.objects.filter(content_type=kind).order_by("pk"):
        changes = {
            field: [code_of.get(v, v) if field in ("id", "parent") else v for v in pair]
            for field, pair in e.changes.items()
            if field != "created_at"
        }
        entries.setdefault(code_of[e.object_pk], []).append(
            (
                e.action,
                e.object_repr,
                e.object_id is not None,
                changes,
                e.actor_id,
                e.actor_email,
                e.cid,
                e.remote_addr,
                e.additional_data,
                e.serialized_data,
            )
        )
    return {"history": history, "entries": entries}


class RolledBack(Exception):
    pass


def test_the_history_and_change_log_of_bulk_imports_are_those_of_one_save_a_node() -> None:
    importer = User.objects.create_user("13900001234", None, name="导入员")

    def run(write: Any) -> dict[str, Any]:
        with set_actor(importer):
            for data in imports():
                write(data)
        return trail()

    try:
        with transaction.atomic():
            bulk = run(grids_import)
            raise RolledBack
    except RolledBack:
        pass
    assert not GridNode.objects.exists()
    one_by_one = run(saved_one_by_one)
    assert bulk == one_by_one
    # What the comparison covers: each kind of row is there.
    a2 = one_by_one["history"][MICRO_A2]
    assert [(v[0], v[1]) for v in a2] == [
        ("+", None),
        ("~", "导入网格：边界更新"),
        ("~", "网格调整：随上级迁移"),  # grid A moved
        ("~", "导入网格：边界更新"),  # then A2 itself, to grid B
        ("~", "网格调整：随上级迁移"),  # the district under the city
    ]
    assert [e[0] for e in one_by_one["entries"][MICRO_A1]] == [0, 1]
    assert one_by_one["entries"][DISTRICT][-1][3] == {
        "parent": ["None", CITY],
        "path": [f"{DISTRICT}/", f"{CITY}/{DISTRICT}/"],
        "depth": ["0", "1"],
    }
    assert all(e[4] == importer.pk for node in one_by_one["entries"].values() for e in node)


def test_an_import_writes_a_level_in_a_few_statements_however_many_nodes() -> None:
    def statements(micros: int) -> int:
        step = 0.004 / micros
        features = tree_features()[:5] + [
            feature(
                f"{GRID_A}{i + 1:03d}",
                f"A{i + 1} 微网格",
                "micro",
                GRID_A,
                box(113.600 + i * step, 34.750, 113.600 + (i + 1) * step, 34.754),
            )
            for i in range(micros)
        ]
        count = 0
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                grids_import(collection(features))
                count = len(queries)
                raise RolledBack
        except RolledBack:
            pass
        return count

    assert statements(40) == statements(4)


def test_every_receiver_of_a_node_save_is_one_the_bulk_import_stands_in_for() -> None:
    # Bulk writes send no signals: a new receiver would be skipped by every import unless
    # grids.services and grids.trail write what it does.
    known = {
        ("pre_save", "auditlog.receivers", "log_update"),
        ("post_save", "simple_history.models", "HistoricalRecords.post_save"),
        ("post_save", "auditlog.receivers", "log_create"),
        ("post_save", "wangge.grids.signals", "_invalidate"),
    }
    found = {
        (name, getattr(r, "__module__", ""), getattr(r, "__qualname__", repr(r)))
        for name, signal in (("pre_save", pre_save), ("post_save", post_save))
        for r in signal._live_receivers(GridNode)[0]
    }
    assert found == known
