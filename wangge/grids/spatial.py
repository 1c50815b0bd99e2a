"""Point → grid lookup at city scale, plus geometry checks for grid boundaries.

Every 事件 (incident), 走访 (visit) and resident address is tagged with the micro-grid (微网格)
it falls in and, independently, with the exclusive grid (专属网格: malls, parks, schools,
hospitals) that overlaps the residential grids there. Reports arrive one at a time from
request handlers, so single-point latency matters more than batch throughput; that is what
the bucket table below is for. Bulk imports use :meth:`GridIndex.locate_many`.

All coordinates are WGS-84 longitude/latitude in degrees (see :mod:`wangge.grids.coords`
for converting vendor-map input first).

Tie-breaking rule (both layers): a point that lies in several grids of the same level —
typically a point exactly on a shared border or a shared vertex, but also overlapping
exclusive grids — is assigned to the grid with the smallest ``code`` (plain string
comparison; ``id`` breaks ties between equal codes). Boundaries count as inside
("intersects"/"covers" semantics), so border points always get a grid instead of falling
into a crack between neighbours, and the choice never depends on insertion order, on the
lookup path (single vs. batch) or on the process, which keeps reassignment reports stable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, final

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import shape as _shape

__all__ = [
    "EXCLUSIVE",
    "MICRO",
    "GridIndex",
    "GridShape",
    "Hit",
    "geometry_problems",
    "geometry_within",
]

MICRO: Final = "micro"
EXCLUSIVE: Final = "exclusive"

_POLYGONAL: Final = ("Polygon", "MultiPolygon")

# Cell boxes are grown by this much (degrees, ~0.1 mm) when classifying them, so a point that
# floating-point rounding drops into the neighbouring cell is still inside the box whose
# answer we return. Rounding of (lon - x0) * scale is ~1e-14°, so this is ample.
_CELL_EPS: Final = 1e-9
# Pairs (cell, polygon) are classified in chunks to bound the number of live shapely boxes
# (each costs a few hundred bytes of GEOS memory).
_PAIR_CHUNK: Final = 262_144
# Metres per degree of arc on the WGS-84 equator; only used to turn a metre tolerance into
# a local planar scale, where 0.5 % error is irrelevant.
_M_PER_DEG: Final = 111_319.49


@dataclass(frozen=True)
class GridShape:
    id: int
    code: str
    level: str  # MICRO or EXCLUSIVE
    geometry: dict[str, Any]  # GeoJSON Polygon / MultiPolygon, WGS-84


# final: lets locate() tell a precomputed Hit from a mixed cell with a plain type check.
@final
@dataclass(frozen=True, slots=True)
class Hit:
    micro_id: int | None
    exclusive_id: int | None


_MISS: Final = Hit(None, None)
# Bound once: saves an attribute lookup per geometry test on the hot path.
_intersects_xy: Final = shapely.intersects_xy
_MIXED: Final = -2  # per-layer cell value: needs geometry tests

# A layer's answer for one cell that needs geometry tests: candidates in tie-break order,
# then the id to fall back on when none of them contains the point (None, or the id of a
# polygon known to cover the whole cell, which therefore needs no test).
_Candidates = tuple[tuple[tuple[Any, int], ...], int | None]
# Mixed cell: (micro candidates, micro fallback, exclusive candidates, exclusive fallback).
_MixedCell = tuple[tuple[tuple[Any, int], ...], int | None, tuple[tuple[Any, int], ...], int | None]

_IntArray = npt.NDArray[np.int64]
_FloatArray = npt.NDArray[np.float64]
_BoolArray = npt.NDArray[np.bool_]


def _polygonal_geometry(geometry: dict[str, Any], label: str) -> Any:
    """GeoJSON dict → shapely (Multi)Polygon usable by GEOS predicates."""
    gtype = geometry.get("type") if isinstance(geometry, dict) else None
    if gtype not in _POLYGONAL:
        raise ValueError(f"{label}：几何类型必须是 Polygon 或 MultiPolygon，当前为 {gtype!r}")
    try:
        geom = _shape(geometry)
    except Exception as exc:  # shapely raises a zoo of types on malformed coordinates
        raise ValueError(f"{label}：坐标格式错误（{exc}）") from exc
    if geom.is_empty:
        raise ValueError(f"{label}：几何图形为空")
    if not geom.is_valid:
        # A stored grid that slipped past geometry_problems() (legacy import, manual SQL)
        # must not take the whole index down: GEOS predicates on invalid input are undefined
        # or raise. make_valid keeps the drawn area; lines/points it may produce are dropped.
        parts = shapely.get_parts(shapely.make_valid(geom))
        polys = [p for p in parts if p.geom_type in _POLYGONAL and not p.is_empty]
        if not polys:
            raise ValueError(f"{label}：几何图形无效且无法修复")
        geom = shapely.union_all(polys)
    return geom


class _Layer:
    """The polygons of one level, sorted into tie-break order (code, id)."""

    def __init__(self, shapes: list[GridShape]) -> None:
        shapes = sorted(shapes, key=lambda s: (s.code, s.id))
        self.size = len(shapes)
        self.ids: list[int] = [s.id for s in shapes]
        # Index -1 → None, so "no polygon" (rank -1) maps to None without a branch.
        self.ids_or_none: npt.NDArray[np.object_] = np.array([*self.ids, None], dtype=object)
        self.geoms: npt.NDArray[np.object_] = np.array(
            [_polygonal_geometry(s.geometry, f"网格 {s.code}（id={s.id}）") for s in shapes],
            dtype=object,
        )
        # Prepared geometries make GEOS index each polygon's edges, which the box predicates
        # at build time and the point tests at lookup time both rely on for speed.
        shapely.prepare(self.geoms)
        # (geometry, id) pairs shared by every cell that lists the polygon as a candidate.
        self.candidates: list[tuple[Any, int]] = list(
            zip(self.geoms.tolist(), self.ids, strict=True)
        )
        self.bounds: _FloatArray = (
            shapely.bounds(self.geoms) if self.size else np.empty((0, 4), dtype=np.float64)
        )
        self.tree = shapely.STRtree(self.geoms)

    def __setstate__(self, state: dict[str, Any]) -> None:
        # An unpickled layer (an index built in another process) has its polygons unprepared.
        self.__dict__.update(state)
        self.ready_for_points()

    def ready_for_points(self) -> None:
        """Re-prepare the polygons for point queries only, and warm every lazy structure.

        Box predicates at build time make GEOS cache a segment index in each prepared
        polygon (kilobytes each, over a hundred MB at 100k grids) that point lookups never
        use; a fresh preparation drops it. GEOS then builds the point-in-area index of a
        prepared polygon, and the STRtree, lazily on first use, and that lazy step is not
        thread-safe: do it here, before request threads share the index.
        """
        shapely.destroy_prepared(self.geoms)
        shapely.prepare(self.geoms)
        if self.size:
            reps = shapely.point_on_surface(self.geoms)
            shapely.intersects_xy(self.geoms, shapely.get_x(reps), shapely.get_y(reps))
            self.tree.query(reps[:1], predicate="intersects")

    def min_rank(self, points: Any) -> _IntArray:
        """For each point, the rank of the first (in tie-break order) polygon covering it."""
        n = len(points)
        best = np.full(n, self.size, dtype=np.int64)
        if self.size and n:
            point_idx, rank = self.tree.query(points, predicate="intersects")
            np.minimum.at(best, point_idx, rank)
        best[best == self.size] = -1
        return best


class GridIndex:
    """In-memory point → (micro-grid, exclusive grid) index.

    The bounding box of all grids is cut into a uniform table of small cells (about
    ``cell_subdivisions``² per typical polygon). At build time every cell is classified,
    per layer, as "no polygon", "covered by exactly this polygon" or "mixed". A lookup
    computes the cell with two multiplications; where both layers are decided the answer is
    a precomputed :class:`Hit` (no geometry at all), otherwise only the handful of polygons
    touching that cell are tested with GEOS, in tie-break order.
    """

    def __init__(
        self,
        shapes: Iterable[GridShape],
        *,
        cell_subdivisions: int = 4,
        max_cells: int = 6_000_000,
    ) -> None:
        if cell_subdivisions < 1 or max_cells < 1:
            raise ValueError("cell_subdivisions 和 max_cells 必须为正整数")
        by_level: dict[str, list[GridShape]] = {MICRO: [], EXCLUSIVE: []}
        for s in shapes:
            if s.level not in by_level:
                raise ValueError(f"网格 {s.code}（id={s.id}）：未知层级 {s.level!r}")
            by_level[s.level].append(s)
        self._micro = _Layer(by_level[MICRO])
        self._exclusive = _Layer(by_level[EXCLUSIVE])
        self._hits: dict[tuple[int | None, int | None], Hit] = {(None, None): _MISS}
        self._build_table(cell_subdivisions, max_cells)
        self._micro.ready_for_points()
        self._exclusive.ready_for_points()

    def __len__(self) -> int:
        return self._micro.size + self._exclusive.size

    # ------------------------------------------------------------------ build

    def _build_table(self, subdivisions: int, max_cells: int) -> None:
        all_bounds = np.concatenate([self._micro.bounds, self._exclusive.bounds])
        if not len(all_bounds):
            # Empty index: an inverted box makes every finite point miss in the first check.
            self._x0, self._y0, self._x1, self._y1 = math.inf, math.inf, -math.inf, -math.inf
            self._nx = self._ny = 1
            self._sx = self._sy = 0.0
            self._cells: list[Hit | _MixedCell] = [_MISS]
            self._mixed_cells = 0
            return
        x0, y0 = float(all_bounds[:, 0].min()), float(all_bounds[:, 1].min())
        x1, y1 = float(all_bounds[:, 2].max()), float(all_bounds[:, 3].max())
        # Size cells from the typical polygon rather than from count / bbox area, so a
        # district with a few far-flung grids still gets cells fine enough where grids are.
        ref = self._micro.bounds if self._micro.size else self._exclusive.bounds
        cw = float(np.median(ref[:, 2] - ref[:, 0])) / subdivisions
        ch = float(np.median(ref[:, 3] - ref[:, 1])) / subdivisions
        nx = max(1, math.ceil((x1 - x0) / cw)) if cw > 0 else 1
        ny = max(1, math.ceil((y1 - y0) / ch)) if ch > 0 else 1
        if nx * ny > max_cells:
            shrink = math.sqrt(nx * ny / max_cells)
            nx, ny = max(1, int(nx / shrink)), max(1, int(ny / shrink))
        self._x0, self._y0, self._x1, self._y1 = x0, y0, x1, y1
        self._nx, self._ny = nx, ny
        self._sx = nx / (x1 - x0) if x1 > x0 else 0.0
        self._sy = ny / (y1 - y0) if y1 > y0 else 0.0

        ncells = nx * ny
        micro_pairs, excl_pairs = self._touching_pairs()
        micro_val, micro_parts = self._classify(self._micro, ncells, *micro_pairs)
        excl_val, excl_parts = self._classify(self._exclusive, ncells, *excl_pairs)
        is_mixed = (micro_val == _MIXED) | (excl_val == _MIXED)

        table: npt.NDArray[np.object_] = np.empty(ncells, dtype=object)
        decided = np.flatnonzero(~is_mixed)
        # One shared Hit object per distinct (micro, exclusive) combination.
        e_span = self._exclusive.size + 1
        key = (micro_val[decided] + 1) * e_span + (excl_val[decided] + 1)
        uniq, inverse = np.unique(key, return_inverse=True)
        hits = np.empty(len(uniq), dtype=object)
        m_ids, e_ids = self._micro.ids_or_none, self._exclusive.ids_or_none
        for i, k in enumerate(uniq.tolist()):
            m_rank, e_rank = divmod(k, e_span)
            hits[i] = self._hit(m_ids[m_rank - 1], e_ids[e_rank - 1])
        table[decided] = hits[inverse]

        interned: dict[tuple[int, int, int, int], _MixedCell] = {}
        mixed = np.flatnonzero(is_mixed)
        for cell, m_val, e_val in zip(
            mixed.tolist(), micro_val[mixed].tolist(), excl_val[mixed].tolist(), strict=True
        ):
            m_part = micro_parts.get(cell)
            e_part = excl_parts.get(cell)
            # Parts are interned per layer, so their identity is a valid key; a layer that is
            # decided for this cell is keyed by its value instead.
            ident = (m_val, id(m_part), e_val, id(e_part))
            entry = interned.get(ident)
            if entry is None:
                m_cands, m_id = m_part or ((), m_ids[m_val])
                e_cands, e_id = e_part or ((), e_ids[e_val])
                entry = interned[ident] = (m_cands, m_id, e_cands, e_id)
            table[cell] = entry
        self._mixed_cells = len(mixed)
        self._cells = table.tolist()

    def _classify(
        self,
        layer: _Layer,
        ncells: int,
        cell: _IntArray,
        rank: _IntArray,
        covers: _BoolArray,
    ) -> tuple[_IntArray, dict[int, _Candidates]]:
        """Per cell: the decided rank (-1 = no polygon, _MIXED = needs geometry tests) and,
        for mixed cells, their candidates."""
        value = np.full(ncells, -1, dtype=np.int64)
        parts: dict[int, _Candidates] = {}
        if not len(cell):
            return value, parts
        order = np.lexsort((rank, cell))
        cell, rank, covers = cell[order], rank[order], covers[order]
        counts = np.bincount(cell, minlength=ncells)
        starts = np.cumsum(counts) - counts
        occupied = np.flatnonzero(counts)
        first = starts[occupied]
        # Decided without geometry: the first polygon in tie-break order covers the whole
        # (slightly enlarged) cell, so it wins for every point that can land in the cell.
        simple = covers[first]
        value[occupied[simple]] = rank[first[simple]]
        mixed = occupied[~simple]
        value[mixed] = _MIXED

        # Polygons after one that covers the cell can never win there, and the covering one
        # needs no test: it is what is left when the earlier candidates miss.
        npairs = len(cell)
        first_cover = np.minimum.reduceat(np.where(covers, np.arange(npairs), npairs), first)
        first_cover = first_cover[~simple]
        has_cover = first_cover < npairs
        ends = np.where(has_cover, first_cover, starts[mixed] + counts[mixed])
        fallbacks = np.where(has_cover, rank[np.minimum(first_cover, npairs - 1)], -1)

        candidates, ids = layer.candidates, layer.ids
        interned: dict[tuple[int, ...], _Candidates] = {}
        rank_list = rank.tolist()
        for c, s, e, fallback in zip(
            mixed.tolist(), starts[mixed].tolist(), ends.tolist(), fallbacks.tolist(), strict=True
        ):
            key = (*rank_list[s:e], fallback)
            part = interned.get(key)
            if part is None:
                part = interned[key] = (
                    tuple([candidates[r] for r in rank_list[s:e]]),
                    ids[fallback] if fallback >= 0 else None,
                )
            parts[c] = part
        return value, parts

    def _bbox_pairs(self, layer: _Layer) -> tuple[_IntArray, _IntArray]:
        """(cell, rank) for every cell whose enlarged box meets a polygon's bounding box."""
        nx, ny = self._nx, self._ny
        b = layer.bounds
        # Widened by 2 eps so no cell whose enlarged box could touch the polygon is skipped.
        ix_lo = np.clip(np.floor((b[:, 0] - 2 * _CELL_EPS - self._x0) * self._sx), 0, nx - 1)
        ix_hi = np.clip(np.floor((b[:, 2] + 2 * _CELL_EPS - self._x0) * self._sx), 0, nx - 1)
        iy_lo = np.clip(np.floor((b[:, 1] - 2 * _CELL_EPS - self._y0) * self._sy), 0, ny - 1)
        iy_hi = np.clip(np.floor((b[:, 3] + 2 * _CELL_EPS - self._y0) * self._sy), 0, ny - 1)
        ix0, iy0 = ix_lo.astype(np.int64), iy_lo.astype(np.int64)
        wx = ix_hi.astype(np.int64) - ix0 + 1
        per_poly = wx * (iy_hi.astype(np.int64) - iy0 + 1)
        rank = np.repeat(np.arange(layer.size, dtype=np.int64), per_poly)
        local = np.arange(len(rank)) - np.repeat(np.cumsum(per_poly) - per_poly, per_poly)
        cell = (iy0[rank] + local // wx[rank]) * nx + ix0[rank] + local % wx[rank]
        return cell, rank

    def _touching_pairs(
        self,
    ) -> tuple[tuple[_IntArray, _IntArray, _BoolArray], tuple[_IntArray, _IntArray, _BoolArray]]:
        """Per layer, (cell, rank, polygon covers cell) for every polygon meeting a cell."""
        m_cell, m_rank = self._bbox_pairs(self._micro)
        e_cell, e_rank = self._bbox_pairs(self._exclusive)
        cell = np.concatenate([m_cell, e_cell])
        geom_no = np.concatenate([m_rank, e_rank + self._micro.size])
        geoms = np.concatenate([self._micro.geoms, self._exclusive.geoms])
        # Sorted by cell so each cell box is built once for all polygons of both layers;
        # building boxes dominates the build time otherwise.
        order = np.argsort(cell, kind="stable")
        cell, geom_no = cell[order], geom_no[order]
        hit = np.zeros(len(cell), dtype=bool)
        covers = np.zeros(len(cell), dtype=bool)
        cw = 1.0 / self._sx if self._sx else 0.0
        ch = 1.0 / self._sy if self._sy else 0.0
        for lo in range(0, len(cell), _PAIR_CHUNK):
            chunk = slice(lo, lo + _PAIR_CHUNK)
            cells, box_of_pair = np.unique(cell[chunk], return_inverse=True)
            ix, iy = cells % self._nx, cells // self._nx
            boxes = shapely.box(
                self._x0 + ix * cw - _CELL_EPS,
                self._y0 + iy * ch - _CELL_EPS,
                self._x0 + (ix + 1) * cw + _CELL_EPS,
                self._y0 + (iy + 1) * ch + _CELL_EPS,
            )[box_of_pair]
            g = geoms[geom_no[chunk]]
            chunk_hit = shapely.intersects(g, boxes)
            chunk_covers = np.zeros(len(g), dtype=bool)
            chunk_covers[chunk_hit] = shapely.covers(g[chunk_hit], boxes[chunk_hit])
            hit[chunk], covers[chunk] = chunk_hit, chunk_covers
        is_micro = geom_no < self._micro.size
        m, e = hit & is_micro, hit & ~is_micro
        return (
            (cell[m], geom_no[m], covers[m]),
            (cell[e], geom_no[e] - self._micro.size, covers[e]),
        )

    # ----------------------------------------------------------------- lookup

    def _hit(self, micro_id: int | None, exclusive_id: int | None) -> Hit:
        key = (micro_id, exclusive_id)
        hit = self._hits.get(key)
        if hit is None:
            hit = self._hits.setdefault(key, Hit(micro_id, exclusive_id))
        return hit

    def locate(self, lon: float, lat: float) -> Hit:
        """The grids containing a WGS-84 point (see the module docstring for ties)."""
        # Hot path: keep it to a bounds check, two multiplications and a list index.
        # NaN fails every comparison and ±inf is outside the box, so the finiteness check
        # only costs anything for points outside all grids.
        if not (self._x0 <= lon <= self._x1 and self._y0 <= lat <= self._y1):
            if not (math.isfinite(lon) and math.isfinite(lat)):
                raise ValueError(f"坐标必须是有限数值：({lon}, {lat})")
            return _MISS
        nx = self._nx
        ix = int((lon - self._x0) * self._sx)
        if ix >= nx:  # lon == x1 exactly
            ix = nx - 1
        iy = int((lat - self._y0) * self._sy)
        if iy >= self._ny:
            iy = self._ny - 1
        entry = self._cells[iy * nx + ix]
        if type(entry) is Hit:
            return entry
        return self._resolve(entry, lon, lat)

    def _resolve(self, entry: _MixedCell, lon: float, lat: float) -> Hit:
        micro_cands, micro, excl_cands, excl = entry
        # intersects (not contains): a point on a polygon's boundary belongs to it, and the
        # candidates are in (code, id) order, so the first match is the tie-break winner.
        for geom, gid in micro_cands:
            if _intersects_xy(geom, lon, lat):
                micro = gid
                break
        for geom, gid in excl_cands:
            if _intersects_xy(geom, lon, lat):
                excl = gid
                break
        return self._hit(micro, excl)

    def locate_many(
        self, lons: Sequence[float] | npt.NDArray[Any], lats: Sequence[float] | npt.NDArray[Any]
    ) -> list[Hit]:
        """Vectorised :meth:`locate`; same answers, one :class:`Hit` per input point."""
        x = np.asarray(lons, dtype=np.float64)
        y = np.asarray(lats, dtype=np.float64)
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError("lons 和 lats 必须是等长的一维序列")
        if not (np.isfinite(x).all() and np.isfinite(y).all()):
            raise ValueError("坐标必须是有限数值")
        points = shapely.points(x, y)
        micro = self._micro.ids_or_none[self._micro.min_rank(points)].tolist()
        excl = self._exclusive.ids_or_none[self._exclusive.min_rank(points)].tolist()
        hit = self._hit
        return [hit(m, e) for m, e in zip(micro, excl, strict=True)]

    def stats(self) -> dict[str, int]:
        """Shape of the lookup table, for capacity planning and the benchmark."""
        return {
            "micro": self._micro.size,
            "exclusive": self._exclusive.size,
            "cells": self._nx * self._ny,
            "cells_x": self._nx,
            "cells_y": self._ny,
            "mixed_cells": self._mixed_cells,
        }


# --------------------------------------------------------------- validation

_REASON_ZH: Final = {
    "Ring Self-intersection": "环自相交",
    "Self-intersection": "边界自相交",
    "Hole lies outside shell": "内环（洞）位于外环之外",
    "Holes are nested": "内环相互嵌套",
    "Interior is disconnected": "内环把多边形分割成互不相连的部分",
    "Nested shells": "多边形相互嵌套",
    "Duplicate Rings": "存在重复的环",
    "Too few distinct points in geometry component": "环的不重复点数不足",
    "Invalid Coordinate": "坐标值无效",
    "Ring is not closed": "环未闭合",
}
_REASON_RE: Final = re.compile(r"^(?P<what>[^\[]+?)\s*(?:\[(?P<x>\S+) (?P<y>\S+)\])?$")


def _is_number(value: object) -> bool:
    # bool is an int subclass; true/false in a coordinate array is a client bug, not 1/0.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ring_problems(ring: object, label: str) -> list[str]:
    if not isinstance(ring, (list, tuple)):
        return [f"{label}：必须是坐标数组"]
    problems: list[str] = []
    bad_position = next(
        (
            i
            for i, p in enumerate(ring)
            if not (
                isinstance(p, (list, tuple))
                and len(p) >= 2
                and _is_number(p[0])
                and _is_number(p[1])
            )
        ),
        None,
    )
    if bad_position is not None:
        return [f"{label}：第 {bad_position + 1} 个坐标不是 [经度, 纬度] 数值对"]
    coords = [(float(p[0]), float(p[1])) for p in ring]
    lon_bad = [x for x, _ in coords if not -180.0 <= x <= 180.0]  # also catches NaN/inf
    lat_bad = [y for _, y in coords if not -90.0 <= y <= 90.0]
    if lon_bad:
        problems.append(
            f"{label}：经度超出范围 [-180, 180]（共 {len(lon_bad)} 处，如 {lon_bad[0]:g}）"
        )
    if lat_bad:
        problems.append(
            f"{label}：纬度超出范围 [-90, 90]（共 {len(lat_bad)} 处，如 {lat_bad[0]:g}）"
        )
    if len(coords) < 4:
        problems.append(
            f"{label}：点数不足，闭合环至少需要 4 个坐标（首尾相同），当前 {len(coords)} 个"
        )
    if coords and coords[0] != coords[-1]:
        problems.append(f"{label}：环未闭合，首尾坐标必须相同")
    return problems


def geometry_problems(geometry: dict[str, Any]) -> list[str]:
    """Human-readable (Chinese) reasons why ``geometry`` is not an acceptable grid boundary.

    An empty list means the geometry is a valid WGS-84 Polygon / MultiPolygon. Structural
    problems are reported first; GEOS validity (self-intersection etc.) is only checked on
    structurally sound input, since its verdict on garbage is meaningless.
    """
    if not isinstance(geometry, dict):
        return ["几何数据必须是 GeoJSON 对象"]
    gtype = geometry.get("type")
    if gtype not in _POLYGONAL:
        return [f"几何类型必须是 Polygon 或 MultiPolygon，当前为 {gtype!r}"]
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, (list, tuple)) or not coordinates:
        return ["缺少坐标（coordinates）"]
    polygons = [coordinates] if gtype == "Polygon" else list(coordinates)
    problems: list[str] = []
    for pi, polygon in enumerate(polygons):
        prefix = "" if gtype == "Polygon" else f"第 {pi + 1} 个多边形"
        if not isinstance(polygon, (list, tuple)) or not polygon:
            problems.append(f"{prefix or '多边形'}：缺少外环")
            continue
        for ri, ring in enumerate(polygon):
            label = prefix + ("外环" if ri == 0 else f"第 {ri} 个内环")
            problems.extend(_ring_problems(ring, label))
    if problems:
        return problems

    reason = str(shapely.is_valid_reason(_shape(geometry)))
    if reason == "Valid Geometry":
        return []
    match = _REASON_RE.match(reason)
    what = match.group("what") if match else reason
    text = _REASON_ZH.get(what, f"几何图形无效（{what}）")
    if match and match.group("x") is not None:
        text += f"，位置约在 ({match.group('x')}, {match.group('y')})"
    return [text]


def _to_local_metres(geom: Any, lon0: float, lat0: float) -> Any:
    kx = _M_PER_DEG * math.cos(math.radians(lat0))
    ky = _M_PER_DEG
    scale = np.array([kx, ky])
    origin = np.array([lon0, lat0])
    return shapely.transform(geom, lambda xy: (xy - origin) * scale)


def geometry_within(inner: dict[str, Any], outer: dict[str, Any], tolerance_m: float = 1.0) -> bool:
    """Whether ``inner`` lies inside ``outer`` (e.g. a micro-grid inside its parent grid).

    Boundaries digitised separately never coincide exactly, so a child drawn along its
    parent's border pokes out by centimetres here and there; anything within
    ``tolerance_m`` metres of ``outer`` is accepted. Raises ValueError on geometry that
    :func:`geometry_problems` would reject — validate first.
    """
    if not (math.isfinite(tolerance_m) and tolerance_m >= 0):
        raise ValueError("tolerance_m 必须是非负有限数值")
    for label, geometry in (("inner", inner), ("outer", outer)):
        problems = geometry_problems(geometry)
        if problems:
            raise ValueError(f"{label}：" + "；".join(problems))
    a, b = _shape(inner), _shape(outer)
    # Buffering in degrees would stretch the tolerance east-west by 1/cos(lat); a local
    # equirectangular projection around the parent is accurate to well under 1 % at grid
    # scale.
    minx, miny, maxx, maxy = b.bounds
    lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
    a_m = _to_local_metres(a, lon0, lat0)
    b_m = _to_local_metres(b, lon0, lat0)
    if tolerance_m > 0:
        b_m = b_m.buffer(tolerance_m)
    return bool(b_m.covers(a_m))
