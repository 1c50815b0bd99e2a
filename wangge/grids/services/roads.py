"""Importing the road network: a GeoJSON FeatureCollection of lines that replaces the roads
there were, as the operator's GIS exports the whole network."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from wangge.grids.coords import CRS, to_wgs84
from wangge.grids.models import ROAD_KIND_WORDS, GridNode, Road, RoadKind
from wangge.grids.services.files import ImportRejected, collection_features, json_document

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
        if text.lower() in (kind.value, kind.label):
            return kind.value
    found = ROAD_KIND_WORDS.get(text.lower())
    return found.value if found is not None else None


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
    for i, feat, props in collection_features(data, problems):
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
    return roads_import(json_document(text))


def roads_bulk_create(roads: Iterable[Road]) -> int:
    """Rows made by the import above or by the demo generator, bounds filled in."""
    return len(Road.objects.bulk_create(list(roads), batch_size=1000))
