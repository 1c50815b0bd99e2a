"""Importing the grid tree: nodes created or updated from a GeoJSON FeatureCollection, a level
at a time in bulk, with their history and change log, and a node that moves taking its subtree
and every row scoped to it along (网格调整)."""

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from wangge.grids import indexes, trail
from wangge.grids.coords import CRS, to_wgs84
from wangge.grids.models import (
    LEVEL_RANK,
    PARENT_LEVELS,
    ROOT_LEVELS,
    GridLevel,
    GridNode,
    code_validator,
)
from wangge.grids.paths import follow_ancestors, rewrite_scoped_paths, with_new_prefix
from wangge.grids.services.files import (
    LOOKUP_CHUNK,
    ImportRejected,
    ImportReport,
    collection_features,
    in_chunks,
    json_document,
)
from wangge.grids.spatial import geometry_problems, geometry_within


def _convert_geometry(geometry: Mapping[str, Any], crs: str) -> dict[str, Any]:
    if crs == CRS.WGS84:
        return dict(geometry)

    def ring(coords: Sequence[Sequence[float]]) -> list[list[float]]:
        return [list(to_wgs84(float(x), float(y), crs)) for x, y, *_rest in coords]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[ring(r) for r in poly] for poly in geometry["coordinates"]],
    }


def _centroid(geometry: Mapping[str, Any]) -> tuple[float, float]:
    geom = shape(geometry)
    # representative_point is inside even for a C-shaped grid, where the centroid may not be.
    point = geom.centroid if geom.contains(geom.centroid) else geom.representative_point()
    return round(point.x, 7), round(point.y, 7)


@dataclass
class _Feature:
    index: int
    code: str
    name: str
    level: str
    parent_code: str | None
    geometry: dict[str, Any] | None
    kind: str
    is_sample: bool


def _parse_features(data: Any) -> tuple[list[_Feature], list[str]]:
    problems: list[str] = []
    features: list[_Feature] = []
    seen: dict[str, int] = {}
    for i, feat, props in collection_features(data, problems):
        where = _("第 %(i)d 个要素") % {"i": i}
        code = str(props.get("code") or "").strip()
        if code:
            where = _("第 %(i)d 个要素（%(code)s）") % {"i": i, "code": code}
        errs: list[str] = []
        try:
            code_validator(code)
        except Exception:
            errs.append(_("编码缺失或含有非法字符"))
        name = str(props.get("name") or "").strip()
        if not name:
            errs.append(_("缺少名称"))
        level = str(props.get("level") or "").strip()
        if level not in GridLevel.values:
            errs.append(_("未知层级“%(level)s”") % {"level": level})
        parent_code = str(props.get("parent_code") or "").strip() or None
        crs = str(props.get("crs") or CRS.WGS84).strip().lower()
        if crs not in CRS._value2member_map_:
            errs.append(_("未知坐标系“%(crs)s”（可用 wgs84、gcj02、bd09）") % {"crs": crs})
        geometry = feat.get("geometry")
        converted: dict[str, Any] | None = None
        if geometry is None:
            if level in (GridLevel.MICRO, GridLevel.EXCLUSIVE):
                errs.append(_("微网格和专属网格必须有边界"))
        elif not isinstance(geometry, dict):
            errs.append(_("几何不是对象"))
        else:
            geo_problems = geometry_problems(geometry)
            if geo_problems:
                errs.extend(geo_problems)
            elif not errs:
                converted = _convert_geometry(geometry, crs)
                errs.extend(geometry_problems(converted))
        if code in seen:
            errs.append(_("编码与第 %(j)d 个要素重复") % {"j": seen[code]})
        elif code:
            seen[code] = i
        if errs:
            problems.extend(f"{where}：{e}" for e in errs)
            continue
        features.append(
            _Feature(
                index=i,
                code=code,
                name=name,
                level=level,
                parent_code=parent_code,
                geometry=converted,
                kind=str(props.get("kind") or "")[:20],
                is_sample=bool(props.get("sample", False)),
            )
        )
    return features, problems


@transaction.atomic
def grids_import(data: Any) -> ImportReport:
    """Create or update grid nodes from a GeoJSON FeatureCollection, all or nothing.

    Idempotent by `code`. Every problem is collected before anything is written, so a person
    fixing a file sees the whole list at once.
    """
    features, problems = _parse_features(data)
    by_code = {f.code: f for f in features}
    wanted_parents = {f.parent_code for f in features if f.parent_code} - set(by_code)
    existing_parents = {
        n.code: n for n in in_chunks(GridNode.objects.all(), "code", wanted_parents)
    }
    existing = {n.code: n for n in in_chunks(GridNode.objects.all(), "code", by_code)}

    def level_of(code: str) -> str | None:
        if code in by_code:
            return by_code[code].level
        node = existing_parents.get(code)
        return node.level if node else None

    def geometry_of(code: str) -> dict[str, Any] | None:
        if code in by_code:
            return by_code[code].geometry
        node = existing_parents.get(code)
        return node.boundary if node else None

    for f in features:
        where = _("第 %(i)d 个要素（%(code)s）") % {"i": f.index, "code": f.code}
        allowed = PARENT_LEVELS[f.level]
        if not f.parent_code:
            if f.level not in ROOT_LEVELS:
                problems.append(_("%(where)s：缺少上级编码 parent_code") % {"where": where})
            continue
        if not allowed:
            problems.append(_("%(where)s：市级网格不能有上级") % {"where": where})
            continue
        parent_level = level_of(f.parent_code)
        if parent_level is None:
            problems.append(
                _("%(where)s：上级“%(p)s”不存在") % {"where": where, "p": f.parent_code}
            )
            continue
        if parent_level not in allowed:
            problems.append(
                _("%(where)s：上级“%(p)s”的层级不能包含%(level)s")
                % {"where": where, "p": f.parent_code, "level": GridLevel(f.level).label}
            )
            continue
        old = existing.get(f.code)
        if old is not None and old.level != f.level and old.children.exists():
            problems.append(_("%(where)s：已有下级网格，不能更改层级") % {"where": where})
        parent_geometry = geometry_of(f.parent_code)
        if (
            f.level != GridLevel.EXCLUSIVE
            and f.geometry is not None
            and parent_geometry is not None
            and not geometry_within(f.geometry, parent_geometry)
        ):
            problems.append(
                _("%(where)s：边界超出上级“%(p)s”的范围") % {"where": where, "p": f.parent_code}
            )
    if problems:
        raise ImportRejected(problems)

    report = _write_nodes(features, existing, existing_parents)
    indexes.invalidate()
    return report


# What the history holds of a node, to tell whether an import changed it (the boundary, which
# it does not hold, is compared on its own).
_RECORDED = ("name", "level", "parent_id", "path", "depth", "kind", "is_sample", "centroid_lon")
# Every column an import writes to a node it had before, besides `updated_at`.
_WRITTEN = (*_RECORDED, "boundary", "centroid_lat")
_UPDATED = [f.removesuffix("_id") for f in _WRITTEN] + ["updated_at"]
# Changed nodes an UPDATE (one CASE a column over the batch): a district's level is thousands.
_NODE_BATCH = 500


def _recorded(node: GridNode) -> tuple[object, ...]:
    return tuple(getattr(node, f) for f in _RECORDED)


def _written(node: GridNode) -> tuple[object, ...]:
    return tuple(getattr(node, f) for f in _WRITTEN)


@dataclass
class _NodeWrite:
    node: GridNode  # as this import leaves it
    before: GridNode | None  # the row as the database held it before; None for a new node
    recorded: bool  # whether the history gets a version of it


def _write_nodes(
    features: list[_Feature],
    existing: dict[str, GridNode],
    existing_parents: dict[str, GridNode],
) -> ImportReport:
    """Write the checked features a level at a time from the top: each level's nodes in bulk
    once their parents have ids, with their history versions and change-log entries (trail)."""
    report = ImportReport()
    nodes: dict[str, GridNode] = dict(existing_parents)
    made: set[str] = set()  # codes written by this run: their objects hold their new paths
    moved = False
    now = timezone.now()
    ranked = sorted(features, key=lambda f: LEVEL_RANK[f.level])
    for _rank, level in groupby(ranked, key=lambda f: LEVEL_RANK[f.level]):
        level_features = list(level)
        # A node's descendants are all on lower levels, so a move touches only the levels
        # still to come; at most one read of paths a level.
        depths = _read_moved_paths(level_features, nodes, existing, made) if moved else {}
        writes: list[_NodeWrite] = []
        for f in level_features:
            parent = nodes.get(f.parent_code) if f.parent_code else None
            if f.parent_code and parent is None:
                parent = GridNode.objects.get(code=f.parent_code)
            path = f"{parent.path if parent else ''}{f.code}/"
            lon, lat = _centroid(f.geometry) if f.geometry else (None, None)
            node = existing.get(f.code)
            before: GridNode | None = None
            if node is None:
                node = GridNode(code=f.code)
                report.created += 1
            else:
                report.updated += 1
                before = copy.copy(node)
                before.depth = depths.get(f.code, node.depth)
                if node.path != path:
                    _move_subtree(node, path, f.level)
                    moved = True
            recorded = _recorded(node) if before is not None else None
            old_boundary = node.boundary
            node.name, node.level, node.parent = f.name, f.level, parent
            node.path, node.depth = path, path.count("/") - 1
            node.boundary, node.centroid_lon, node.centroid_lat = f.geometry, lon, lat
            node.kind, node.is_sample, node.updated_at = f.kind, f.is_sample, now
            # A file imported again writes every node; the history gets a row only for a node
            # that changed (the boundary, not copied into it, is named in the reason).
            same = recorded == _recorded(node) and old_boundary == f.geometry
            if before is not None and not same and old_boundary != f.geometry:
                node._change_reason = _("导入网格：边界更新")  # type: ignore[attr-defined]
            writes.append(_NodeWrite(node, before, recorded=before is None or not same))
            nodes[f.code] = node
            made.add(f.code)
        _write_level(writes, now)
    return report


def _read_moved_paths(
    features: list[_Feature],
    nodes: dict[str, GridNode],
    existing: dict[str, GridNode],
    made: set[str],
) -> dict[str, int]:
    """Once a node has moved, the nodes loaded before the writes may sit under it with their
    old paths: the level's parents not written by this run, and its nodes, take their paths as
    they now stand. The nodes' depths in the database, for the change log's comparison (the
    history compares with the depth loaded, as it always has)."""
    parents = {f.parent_code for f in features if f.parent_code and f.parent_code not in made}
    own = {f.code for f in features if f.code in existing}
    depths: dict[str, int] = {}
    rows = in_chunks(GridNode.objects.only("code", "path", "depth"), "code", parents | own)
    for row in rows:
        if row.code in parents:
            nodes[row.code].path, nodes[row.code].depth = row.path, row.depth
        if row.code in own:
            existing[row.code].path = row.path
            depths[row.code] = row.depth
    return depths


def _write_level(writes: list[_NodeWrite], now: datetime) -> None:
    """One level's nodes: the new ones inserted, the changed ones updated, the rest touched,
    then the history and the change log, as one save() each would have left them."""
    created: list[GridNode] = []
    changed: list[GridNode] = []
    untouched: list[int] = []  # nodes the file gives as they are: only `updated_at` is written
    for w in writes:
        if w.before is None:
            created.append(w.node)
        elif _written(w.node) != _written(w.before):
            changed.append(w.node)
        else:
            untouched.append(w.node.pk)
    trail.insert_rows(created)
    GridNode.objects.bulk_update(changed, _UPDATED, batch_size=_NODE_BATCH)
    for i in range(0, len(untouched), LOOKUP_CHUNK):
        GridNode.objects.filter(pk__in=untouched[i : i + LOOKUP_CHUNK]).update(updated_at=now)
    trail.history_bulk(GridNode, created, update=False)
    trail.history_bulk(GridNode, [w.node for w in writes if w.before and w.recorded], update=True)
    trail.change_log_bulk([(w.before, w.node) for w in writes])


def _move_subtree(node: GridNode, new_path: str, level: str) -> None:
    """The node's descendants, and every row scoped to the node or below it, take the new
    path prefix, and the street and community it lies in (the caller saves the node itself,
    of `level`; its new parent is written)."""
    old_path = node.path
    below = GridNode.objects.filter(path__startswith=old_path).exclude(pk=node.pk)
    moved = list(below.values_list("pk", flat=True))
    below.update(
        path=with_new_prefix("path", old_path, new_path),
        depth=F("depth") + (new_path.count("/") - old_path.count("/")),
        updated_at=timezone.now(),
    )
    # The UPDATE sends no signals: the descendants' new paths go into the history here, one row
    # each. The rows of other tables rewritten below (persons, tags, cases …) get none — their
    # own data did not change, and the node's row says when and where the subtree went.
    GridNode.history.bulk_history_create(
        list(GridNode.objects.filter(pk__in=moved).defer("boundary")),
        update=True,
        default_change_reason=_("网格调整：随上级迁移"),
    )
    rewrite_scoped_paths(old_path, new_path)
    follow_ancestors(level, new_path)


def grids_import_file(text: str) -> ImportReport:
    return grids_import(json_document(text))
