"""Every write to the grid tree and the buildings: imports, in one transaction each."""

import copy
import csv
import io
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any, TypeVar

import shapely
from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from wangge.core.errors import ValidationFailed
from wangge.grids import indexes, trail
from wangge.grids.addresses import parts_used
from wangge.grids.coords import CRS, METRES_PER_DEGREE, to_wgs84
from wangge.grids.models import (
    LEVEL_RANK,
    PARENT_LEVELS,
    ROOT_LEVELS,
    Building,
    GridLevel,
    GridNode,
    Road,
    RoadKind,
    code_validator,
)
from wangge.grids.paths import follow_ancestors, rewrite_scoped_paths, with_new_prefix
from wangge.grids.spatial import geometry_problems, geometry_within

# How far a building's point may lie outside the micro-grid it is assigned to: a survey point on
# the wrong side of a shared wall is common, a building in another courtyard is a data error.
BUILDING_TOLERANCE_M = 30.0


class ImportRejected(ValidationFailed):
    """A file with problems: nothing was written. `problems` lists each one by place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(_("导入被拒绝，共 %(n)d 个问题，未写入任何数据") % {"n": len(problems)})
        self.problems = problems


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    # Buildings import: how many addresses use each part (grids.addresses.parts_used).
    parts: dict[str, int] = field(default_factory=dict)


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


def _collection_features(
    data: Any, problems: list[str]
) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """Each feature of a GeoJSON FeatureCollection with its properties, (index, feature,
    properties); what is not a collection, is empty or has a feature without properties is
    said in `problems`."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(_("文件不是 GeoJSON FeatureCollection"))
        return
    raw = data.get("features")
    if not isinstance(raw, list) or not raw:
        problems.append(_("FeatureCollection 中没有要素"))
        return
    for i, feat in enumerate(raw):
        if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict):
            where = _("第 %(i)d 个要素") % {"i": i}
            problems.append(_("%(where)s：缺少 properties") % {"where": where})
            continue
        yield i, feat, feat["properties"]


def _parse_features(data: Any) -> tuple[list[_Feature], list[str]]:
    problems: list[str] = []
    features: list[_Feature] = []
    seen: dict[str, int] = {}
    for i, feat, props in _collection_features(data, problems):
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
        n.code: n for n in _in_chunks(GridNode.objects.all(), "code", wanted_parents)
    }
    existing = {n.code: n for n in _in_chunks(GridNode.objects.all(), "code", by_code)}

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
    rows = _in_chunks(GridNode.objects.only("code", "path", "depth"), "code", parents | own)
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
    for i in range(0, len(untouched), _LOOKUP_CHUNK):
        GridNode.objects.filter(pk__in=untouched[i : i + _LOOKUP_CHUNK]).update(updated_at=now)
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


def _json_document(text: str) -> Any:
    """A GeoJSON file's content, or the refusal that says where it stops being JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [
                _("不是有效的 JSON：第 %(line)d 行第 %(col)d 列：%(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ]
        ) from exc
    return data


def grids_import_file(text: str) -> ImportReport:
    return grids_import(_json_document(text))


# --- buildings ---------------------------------------------------------------------------------

BUILDING_COLUMNS = ("address", "lon", "lat")

# The columns of a 标准地址库 / 四标四实 export (the address in its parts), by the names such
# exports give them. A file with these and no `address` column is read by composing each row's
# address from its parts; beside an `address` column, the composed form becomes an alias.
# Parts under the building (单元, 层, 户/室) are not a building's and are not read.
ADDRESS_PART_COLUMNS: dict[str, tuple[str, ...]] = {
    "province": ("省", "省份", "province"),
    "city": ("市", "地市", "city"),
    "county": ("区县", "县区", "区", "县", "county", "district"),
    "town": ("街道", "乡镇", "街道乡镇", "乡镇街道", "town", "subdistrict"),
    "community": ("社区", "居委会", "社区居委会", "行政村", "村", "社区村", "community", "village"),
    "group": ("村民小组", "组", "group"),
    "hamlet": ("自然村", "hamlet"),
    "road": ("街路巷", "街巷", "道路", "路名", "街路巷名称", "road", "street"),
    "door": ("门牌", "门牌号", "门楼牌号", "门牌号码", "door", "house_number"),
    "estate": ("小区", "小区名称", "院落", "estate"),
    "building": ("楼栋", "楼栋号", "楼号", "幢", "栋", "building"),
}
# What a bare number in a part means (`12` in 门牌 is 12号, `66甲` 66甲号), as exports often
# leave it off.
_PART_SUFFIX = {"group": "组", "door": "号", "building": "号楼"}


def _part_columns(header: list[str]) -> dict[str, str]:
    """The file's column for each address part it has, by the names above."""
    found: dict[str, str] = {}
    plain = {
        h.replace("（", "").replace("）", "").replace("(", "").replace(")", ""): h for h in header
    }
    for part, names in ADDRESS_PART_COLUMNS.items():
        for name in names:
            if name in plain:
                found[part] = plain[name]
                break
    return found


def _composed_address(row: dict[str, str], columns: dict[str, str]) -> str:
    """One row's address written from its parts, in the order addresses are written: the
    区划 first, then a road and its door number, or (in a village) the 村, 组, 自然村 and door."""
    part = {}
    for name, column in columns.items():
        value = (row.get(column) or "").strip()
        if name in _PART_SUFFIX and value and (value[-1].isdigit() or value[-1] in "甲乙丙丁"):
            value += _PART_SUFFIX[name]
        part[name] = value
    order = ["province", "city", "county", "town"]
    if part.get("road"):
        order += ["road", "door", "estate", "building"]
    else:
        order += ["community", "group", "hamlet", "estate", "door", "building"]
    text = ""
    for name in order:
        value = part.get(name, "")
        if value and not text.endswith(value):  # an export that repeats 市 in 区县 etc.
            text += value
    return text


@dataclass
class _BuildingRow:
    line: int
    code: str | None
    address: str
    aliases: list[str]
    lon: float
    lat: float
    micro_grid: GridNode | None


def _metres_outside(boundary: BaseGeometry, lon: float, lat: float) -> float:
    # Distance in degrees scaled at this latitude: accurate enough for a 30 m tolerance.
    dist_deg = boundary.distance(shapely.Point(lon, lat))
    return float(dist_deg) * METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1)


M = TypeVar("M", bound=Model)

# PostgreSQL takes at most 65,535 bound parameters a statement: a district's file holds more
# codes than that, so look-ups by a file's values go in chunks.
_LOOKUP_CHUNK = 10_000


def _in_chunks(qs: QuerySet[M], field: str, values: Iterable[str | None]) -> Iterator[M]:
    """The rows of `qs` whose `field` is one of `values`, asked a chunk at a time."""
    wanted = sorted({v for v in values if v is not None})
    for i in range(0, len(wanted), _LOOKUP_CHUNK):
        yield from qs.filter(**{f"{field}__in": wanted[i : i + _LOOKUP_CHUNK]})


def _read_building_rows(text: str) -> tuple[list[_BuildingRow], list[str], int]:
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    parts = _part_columns(header)
    # The parts stand for an address column only where they name a place to stand: a road or a
    # village, with a door number or a building.
    by_parts = bool({"road", "community", "hamlet"} & set(parts)) and bool(
        {"door", "building"} & set(parts)
    )
    missing = [c for c in BUILDING_COLUMNS if c not in header and not (c == "address" and by_parts)]
    if missing:
        raise ImportRejected([_("缺少列：%(cols)s") % {"cols": "、".join(missing)}])
    reader.fieldnames = header
    micro_codes: set[str] = set()
    raw_rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        clean = {k: (v or "").strip() for k, v in row.items() if k}
        raw_rows.append((reader.line_num, clean))
        if clean.get("micro_grid_code"):
            micro_codes.add(clean["micro_grid_code"])
    micros = {n.code: n for n in _in_chunks(GridNode.objects.all(), "code", micro_codes)}
    # A micro-grid's shape, made once: a file has ten or more rows of each, and making the
    # polygon from its GeoJSON cost more than measuring the distance.
    shapes: dict[int, BaseGeometry] = {}

    def boundary_of(micro: GridNode) -> BaseGeometry:
        if micro.pk not in shapes:
            shapes[micro.pk] = shape(micro.boundary or {})
        return shapes[micro.pk]

    # Rows that give no micro-grid of their own are located together after the loop, in one
    # call: the in-memory index is built only if some row needs it (at a city's 100,000
    # micro-grids it takes 40 s and 600 MB, which a file whose every row names its micro-grid
    # never needs), and the database engine answers them in batches, not a query per row.
    to_locate: list[tuple[int, float, float]] = []  # (line, lon, lat)

    rows: list[_BuildingRow] = []
    # (line, text): a row's problems are found in two passes (reading, then locating), and the
    # list is said in file order.
    found_problems: list[tuple[int, str]] = []
    seen_codes: dict[str, int] = {}
    for line, r in raw_rows:
        errs: list[str] = []
        address = r.get("address", "")
        composed = _composed_address(r, parts) if by_parts else ""
        if not address:
            address = composed
        if not address:
            errs.append(_("地址为空"))
        elif len(address) > 200:
            errs.append(_("地址超过 200 字"))
        crs = (r.get("crs") or CRS.WGS84).lower()
        lon = lat = math.nan
        try:
            lon, lat = float(r.get("lon", "")), float(r.get("lat", ""))
            if not (math.isfinite(lon) and math.isfinite(lat)) or not (
                -180 <= lon <= 180 and -90 <= lat <= 90
            ):
                raise ValueError
        except ValueError:
            errs.append(_("经纬度不是有效数字"))
        if crs not in CRS._value2member_map_:
            errs.append(_("未知坐标系“%(crs)s”") % {"crs": crs})
        elif not errs:
            lon, lat = to_wgs84(lon, lat, crs)
        code = r.get("code") or None
        if code:
            try:
                code_validator(code)
            except Exception:
                errs.append(_("编码含有非法字符"))
            if code in seen_codes:
                errs.append(_("编码与第 %(j)d 行重复") % {"j": seen_codes[code]})
            seen_codes.setdefault(code, line)
        micro: GridNode | None = None
        micro_code = r.get("micro_grid_code")
        if micro_code:
            micro = micros.get(micro_code)
            if micro is None or micro.level != GridLevel.MICRO:
                errs.append(_("微网格“%(code)s”不存在") % {"code": micro_code})
            elif not errs and _metres_outside(boundary_of(micro), lon, lat) > BUILDING_TOLERANCE_M:
                errs.append(_("坐标不在微网格“%(code)s”内") % {"code": micro_code})
        elif not errs:
            to_locate.append((line, lon, lat))
        if errs:
            found_problems.extend((line, e) for e in errs)
            continue
        aliases = [a.strip() for a in r.get("aliases", "").split("|") if a.strip()]
        if composed and composed != address and composed not in aliases:
            aliases.append(composed)  # the registry's own form, beside the address people use
        rows.append(
            _BuildingRow(
                line=line,
                code=code,
                address=address,
                aliases=aliases,
                lon=round(lon, 7),
                lat=round(lat, 7),
                micro_grid=micro,
            )
        )
    if to_locate:
        hits = indexes.grid_index().locate_many(
            [lon for _line, lon, _lat in to_locate], [lat for _line, _lon, lat in to_locate]
        )
        found = {
            line: hit.micro_id for (line, _lon, _lat), hit in zip(to_locate, hits, strict=True)
        }
        micro_by_id = {
            n.pk: n for n in GridNode.objects.filter(pk__in={m for m in found.values() if m})
        }
        outside = {line for line, micro_id in found.items() if micro_id is None}
        for placed in rows:
            micro_id = found.get(placed.line)
            if placed.micro_grid is None and micro_id is not None:
                placed.micro_grid = micro_by_id[micro_id]
        rows = [r for r in rows if r.line not in outside]
        no_micro = _("坐标不在任何微网格内，请填写 micro_grid_code")
        found_problems.extend((line, no_micro) for line in outside)
    problems = [
        _("第 %(line)d 行：%(err)s") % {"line": line, "err": e}
        for line, e in sorted(found_problems, key=lambda p: p[0])
    ]
    return rows, problems, len(raw_rows)


@transaction.atomic
def buildings_import(text: str, *, skip_bad: bool = False) -> ImportReport:
    """Create or update buildings from CSV text; all or nothing unless `skip_bad`."""
    rows, problems, total = _read_building_rows(text)
    if total == 0:
        raise ImportRejected([_("文件中没有数据行")])
    if problems and not skip_bad:
        raise ImportRejected(problems)
    report = ImportReport(skipped=problems)
    now = timezone.now()
    by_code = {
        b.code: b
        for b in _in_chunks(Building.objects.all(), "code", [r.code for r in rows if r.code])
    }
    # Rows without a code are matched to an existing building by address within the micro-grid,
    # so re-importing the same file does not duplicate them.
    by_address = {
        (b.micro_grid_id, b.address): b
        for b in _in_chunks(
            Building.objects.all(), "address", [r.address for r in rows if not r.code]
        )
    }
    next_seq: dict[int, int] = {}
    to_create: list[Building] = []
    to_update: list[Building] = []
    for r in rows:
        assert r.micro_grid is not None
        building = by_code.get(r.code) if r.code else by_address.get((r.micro_grid.pk, r.address))
        if building is None:
            code = r.code or _next_building_code(r.micro_grid, next_seq)
            to_create.append(
                Building(
                    code=code,
                    address=r.address,
                    aliases=r.aliases,
                    lon=r.lon,
                    lat=r.lat,
                    micro_grid=r.micro_grid,
                )
            )
        else:
            building.address, building.aliases = r.address, r.aliases
            building.lon, building.lat, building.micro_grid = r.lon, r.lat, r.micro_grid
            building.updated_at = now
            to_update.append(building)
    Building.objects.bulk_create(to_create, batch_size=1000)
    Building.objects.bulk_update(
        to_update, ["address", "aliases", "lon", "lat", "micro_grid", "updated_at"], batch_size=1000
    )
    report.created, report.updated = len(to_create), len(to_update)
    report.parts = dict(parts_used(r.address for r in rows))
    indexes.invalidate()
    return report


def _next_building_code(micro: GridNode, next_seq: dict[int, int]) -> str:
    """Micro-grid code + 3-digit sequence, continuing after the highest one in use."""
    if micro.pk not in next_seq:
        taken = Building.objects.filter(code__startswith=micro.code).values_list("code", flat=True)
        numbers = [int(c[len(micro.code) :]) for c in taken if c[len(micro.code) :].isdigit()]
        next_seq[micro.pk] = max(numbers, default=0)
    next_seq[micro.pk] += 1
    return f"{micro.code}{next_seq[micro.pk]:03d}"


def buildings_bulk_create(buildings: Iterable[Building]) -> int:
    """For the demo generator: rows it made itself and placed by construction."""
    created = Building.objects.bulk_create(list(buildings), batch_size=2000)
    indexes.invalidate()
    return len(created)


# --- roads ---------------------------------------------------------------------------------------

# A road may run on past the district's edge; one that lies wholly further out than this is a
# file in the wrong place (swapped columns, another city, a projected system), not a road of ours.
ROAD_EXTENT_MARGIN_DEG = 0.02


@dataclass
class _RoadFeature:
    name: str
    kind: str
    geometry: dict[str, Any]
    bounds: tuple[float, float, float, float]
    is_sample: bool


def _road_kind(value: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return RoadKind.SECONDARY
    for kind in RoadKind:
        if text in (kind.value, kind.label):
            return kind.value
    return None


def _line_problems(line: Any, label: str) -> list[str]:
    if not isinstance(line, (list, tuple)):
        return [_("%(line)s：必须是坐标数组") % {"line": label}]
    for i, p in enumerate(line):
        ok = (
            isinstance(p, (list, tuple))
            and len(p) >= 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p[:2])
        )
        if not ok:
            return [
                _("%(line)s：第 %(i)d 个坐标不是 [经度, 纬度] 数值对") % {"line": label, "i": i + 1}
            ]
        if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
            return [_("%(line)s：第 %(i)d 个坐标超出经纬度范围") % {"line": label, "i": i + 1}]
    if len(line) < 2:
        return [_("%(line)s：至少需要 2 个坐标") % {"line": label}]
    return []


def _road_geometry(geometry: Any, crs: str) -> tuple[dict[str, Any] | None, list[str]]:
    if not isinstance(geometry, dict):
        return None, [_("缺少几何")]
    gtype = geometry.get("type")
    coords = geometry.get("coordinates")
    if gtype == "LineString":
        lines, labels = [coords], [_("线")]
    elif gtype == "MultiLineString" and isinstance(coords, list) and coords:
        lines = coords
        labels = [_("第 %(i)d 条线") % {"i": i + 1} for i in range(len(coords))]
    elif gtype == "MultiLineString":
        return None, [_("MultiLineString 中没有线")]
    else:
        return None, [_("几何类型须为 LineString 或 MultiLineString，当前为“%(t)s”") % {"t": gtype}]
    problems = [
        p for line, label in zip(lines, labels, strict=True) for p in _line_problems(line, label)
    ]
    if problems:
        return None, problems
    wgs = [
        [[round(v, 7) for v in to_wgs84(float(p[0]), float(p[1]), crs)] for p in line or ()]
        for line in lines
    ]
    if gtype == "LineString":
        return {"type": "LineString", "coordinates": wgs[0]}, []
    return {"type": "MultiLineString", "coordinates": wgs}, []


def _district_extent() -> tuple[float, float, float, float] | None:
    """The bounding box of the grid tree's top boundaries, or None before any is imported."""
    shapes = [
        shape(b)
        for b in GridNode.objects.filter(parent__isnull=True, boundary__isnull=False).values_list(
            "boundary", flat=True
        )
        if isinstance(b, dict)
    ]
    if not shapes:
        return None
    w, s, e, n = shapely.total_bounds(shapes)
    m = ROAD_EXTENT_MARGIN_DEG
    return float(w) - m, float(s) - m, float(e) + m, float(n) + m


def _parse_roads(data: Any) -> tuple[list[_RoadFeature], list[str]]:
    extent = _district_extent()
    roads: list[_RoadFeature] = []
    problems: list[str] = []
    for i, feat, props in _collection_features(data, problems):
        where = _("第 %(i)d 个要素") % {"i": i}
        name = str(props.get("name") or "").strip()
        if name:
            where = _("第 %(i)d 个要素（%(name)s）") % {"i": i, "name": name}
        errs: list[str] = []
        if not name:
            errs.append(_("缺少名称"))
        elif len(name) > 100:
            errs.append(_("名称超过 100 字"))
        kind = _road_kind(props.get("kind"))
        if kind is None:
            errs.append(
                _("未知道路等级“%(kind)s”（可用 %(known)s）")
                % {
                    "kind": props.get("kind"),
                    "known": "、".join(f"{k.value}/{k.label}" for k in RoadKind),
                }
            )
        crs = str(props.get("crs") or CRS.WGS84).strip().lower()
        if crs not in CRS._value2member_map_:
            errs.append(_("未知坐标系“%(crs)s”（可用 wgs84、gcj02、bd09）") % {"crs": crs})
            crs = CRS.WGS84
        geometry, geo_errs = _road_geometry(feat.get("geometry"), crs)
        errs.extend(geo_errs)
        bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        if geometry is not None:
            w, s, e, n = shapely.bounds(shape(geometry))
            bounds = (float(w), float(s), float(e), float(n))
            if extent is not None and (
                bounds[0] > extent[2]
                or bounds[2] < extent[0]
                or bounds[1] > extent[3]
                or bounds[3] < extent[1]
            ):
                errs.append(_("道路完全在网格范围之外（经纬度写反了，或坐标系不对？）"))
        if errs:
            problems.extend(f"{where}：{e}" for e in errs)
            continue
        assert geometry is not None and kind is not None
        roads.append(
            _RoadFeature(
                name=name,
                kind=kind,
                geometry=geometry,
                bounds=bounds,
                is_sample=bool(props.get("sample", False)),
            )
        )
    return roads, problems


@dataclass
class RoadsImportReport:
    created: int = 0
    replaced: int = 0


@transaction.atomic
def roads_import(data: Any) -> RoadsImportReport:
    """Replace the road network with the roads of a GeoJSON FeatureCollection, all or nothing.

    A road file is the whole network as the operator's GIS exports it, so a new file replaces
    the old one (the demo's sample roads included) rather than being matched feature by feature:
    roads have no codes, and one name is many segments.
    """
    roads, problems = _parse_roads(data)
    if problems:
        raise ImportRejected(problems)
    replaced, _deleted = Road.objects.all().delete()
    created = roads_bulk_create(
        Road(
            name=r.name,
            kind=r.kind,
            geometry=r.geometry,
            west=r.bounds[0],
            south=r.bounds[1],
            east=r.bounds[2],
            north=r.bounds[3],
            is_sample=r.is_sample,
        )
        for r in roads
    )
    return RoadsImportReport(created=created, replaced=replaced)


def roads_import_file(text: str) -> RoadsImportReport:
    return roads_import(_json_document(text))


def roads_bulk_create(roads: Iterable[Road]) -> int:
    """Rows made by the import above or by the demo generator, bounds filled in."""
    return len(Road.objects.bulk_create(list(roads), batch_size=1000))
