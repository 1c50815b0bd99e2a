"""The map's own geometry of places without a building: the imported roads' lines, the lanes,
组 and 自然村 known by their buildings' points, compounds and their buildings, micro-grids named
after a 组, and the areas (streets, communities, villages) that narrow where a name is.

Built once from the data (`indexes.place_index`) and read by `reader.PlaceReader`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from wangge.grids.addresses import normalize_text
from wangge.grids.addresses.text import parse_normalized, town_forms
from wangge.grids.places_geo.names import canonical, said_for_several, ways_of
from wangge.grids.places_geo.packed import PointsById, PointsByName
from wangge.grids.places_geo.plane import angle_between, lines_of, points_of

# Metres per degree of latitude, and of longitude at the equator (WGS-84, mean).
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0
# Points of one crossing closer than this are one crossing (a dual carriageway, a small
# roundabout, two segments of one road meeting the other a few metres apart).
CROSSING_MERGE_M = 40.0
# Suffixes a micro-grid's name carries that people do not say: 和平村3组网格 is 和平村3组.
_GRID_NAME_SUFFIX_RE = re.compile(r"(?:微网格|网格|片区|责任区)$")
_TOWN_WORD_RE = re.compile(r"(?:镇|乡|街道办事处|街道办|街道)$")


# An alias that is a compound's numbered building: the compound's name and the number.
_NUMBERED_BUILDING_RE = re.compile(r"^(.{2,}?)[0-9一二三四五六七八九十]+(?:号楼|栋|幢|座)$")


def _names_of(compound: str | None, aliases: Sequence[str]) -> list[str]:
    """The names a building's compound is known by, from its address's compound and its
    aliases (canonical, two characters or more)."""
    names = {compound, *aliases}
    # 汴京花园1号楼 is a building of 汴京花园: the compound is known by it too.
    names |= {parse_normalized(normalize_text(a))[0].compound for a in aliases}
    # 铁路宿舍1号楼 is a building of 铁路宿舍 however its words parse (铁路 is no road).
    names |= {m.group(1) for a in aliases if (m := _NUMBERED_BUILDING_RE.match(a))}
    keys = (canonical(text) for text in names if text)
    return [key for key in keys if len(key) >= 2]


@dataclass(frozen=True, slots=True)
class Way:
    """A named line or set of points: a road of the imported network, a lane or 组 known by
    its buildings' addresses, or a micro-grid named after a 组."""

    name: str
    geometry: BaseGeometry  # in the local plane
    micro_grid_id: int | None = None  # a micro-grid named so: the place is that grid
    is_road: bool = False  # a line of the imported network (crossings need lines)


# A road's last character as pinyin input may type it: 到 for 道, 陆 for 路, 接 for 街.
_ROAD_SUFFIX_SLIPS = {
    **dict.fromkeys("到倒导", "道"),
    **dict.fromkeys("陆录露鹿", "路"),
    **dict.fromkeys("接节阶结", "街"),
    **dict.fromkeys("项象", "巷"),
}
_DOOR_START = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十")
_LONGEST_STEM = 8

# Kinds of the road file that are no roads (wangge.grids.models.RoadKind's values).
RAILWAY, RIVER, BRIDGE = "railway", "river", "bridge"
BARRIER_KINDS = (RAILWAY, RIVER)


class PlaceIndex:
    """The ways, compounds and landmarks of the data, in the local plane."""

    def __init__(
        self,
        roads: Iterable[tuple[str, dict] | tuple[str, dict, str]],
        buildings: Iterable[tuple[int, str, Sequence[str], float, float]],
        micro_grids: Iterable[tuple[int, str, Any, str]],
        areas: Iterable[tuple[str, str]] = (),
        strip: Callable[[str], str] = lambda normalized: normalized,
    ) -> None:
        """`micro_grids` as (id, name, boundary, path); `areas` the streets', communities' and
        grids' (name, path): named in a text, they narrow where its lane or 组 may be. `strip`
        takes the place names the data knows off the front of a normalized address."""
        building_rows = list(buildings)
        # (name, geometry) or (name, geometry, kind): a railway, a river or a bridge is read
        # apart from the roads (过了铁道, 过了复兴河, 星桥北堍), never as a road.
        road_rows = [(r[0], r[1], r[2] if len(r) > 2 else "") for r in roads]
        lons = [b[3] for b in building_rows]
        lats = [b[4] for b in building_rows]
        for _name, geometry, _kind in road_rows:
            for lon, lat in _coordinates(geometry):
                lons.append(lon)
                lats.append(lat)
        self.lon0 = (min(lons) + max(lons)) / 2 if lons else 0.0
        self.lat0 = (min(lats) + max(lats)) / 2 if lats else 0.0
        self.kx = _M_PER_DEG_LON * math.cos(math.radians(self.lat0))
        self.ky = _M_PER_DEG_LAT
        self.building_xy = PointsById((b[0], self.plane(b[3], b[4])) for b in building_rows)
        lines: dict[str, list[object]] = defaultdict(list)
        others: dict[str, dict[str, list[object]]] = {
            kind: defaultdict(list) for kind in (*BARRIER_KINDS, BRIDGE)
        }
        for name, geometry, kind in road_rows:
            key = canonical(name)
            if key:
                others.get(kind, lines)[key].append(self._project(shape(geometry)))
        # Railways and rivers by name, and all of each kind (过了铁道: the first one met).
        self.barriers: dict[str, tuple[str, BaseGeometry]] = {
            key: (kind, unary_union(parts))
            for kind in BARRIER_KINDS
            for key, parts in others[kind].items()
        }
        self.barrier_union: dict[str, BaseGeometry] = {
            kind: unary_union([g for k, g in self.barriers.values() if k == kind])
            for kind in BARRIER_KINDS
            if any(k == kind for k, _g in self.barriers.values())
        }
        self.bridges: dict[str, BaseGeometry] = {
            key: unary_union(parts) for key, parts in others[BRIDGE].items()
        }
        self.ways: dict[str, Way] = {
            key: Way(key, unary_union(parts), is_road=True) for key, parts in lines.items()
        }
        # A road file may draw a bridge as the stretch of road it carries, named for the
        # bridge (OpenStreetMap's highway with bridge=yes): a road, and a bridge too.
        for key, carried in self.ways.items():
            if key.endswith("桥"):
                self.bridges.setdefault(key, carried.geometry)
        # Every road's segments in one tree: the road nearest a point (路东 / 路西) without
        # measuring the city's every road.
        self._road_lines = [line for way in self.ways.values() for line in lines_of(way.geometry)]
        self._road_of_line = [
            way.name for way in self.ways.values() for _line in lines_of(way.geometry)
        ]
        self._road_tree = shapely.STRtree(self._road_lines)
        # Lanes, 胡同, 组 and 屯 known only by the addresses of their buildings; compounds by
        # theirs and by the buildings' aliases.
        self._strip = strip
        way_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        compound_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        compound_buildings: dict[str, list[int]] = defaultdict(list)
        villages: set[str] = set()
        for pk, address, aliases, lon, lat in building_rows:
            xy = self.plane(lon, lat)
            parsed = parse_normalized(strip(normalize_text(address)))[0]
            for way in ways_of(parsed.road, parsed.compound, parsed.rest):
                if way not in self.ways:
                    way_points[way].append(xy)
            if parsed.compound and parsed.compound.endswith("村"):
                villages.add(canonical(parsed.compound))
            for key in _names_of(parsed.compound, aliases):
                compound_points[key].append(xy)
                compound_buildings[key].append(pk)
        for key in said_for_several(way_points, villages):
            del way_points[key]
        # A lane named alone is its branches too: 愚园路1032弄 holds 愚园路1032弄12支弄, a
        # village its 组 (keys in order: a lane's branches follow it).
        ordered = sorted(way_points)
        for at, key in enumerate(ordered):
            points = list(way_points[key])
            for longer in islice(ordered, at + 1, None):
                if not longer.startswith(key):
                    break
                if longer[len(key)].isdigit():
                    points.extend(way_points[longer])
            self.ways[key] = Way(key, shapely.multipoints(points))
        self.compounds = PointsByName(compound_points, compound_buildings)
        del compound_points, compound_buildings
        micro_rows = list(micro_grids)
        self.micro_centre: dict[int, tuple[float, float]] = {}
        for pk, name, boundary, _path in micro_rows:
            outline = self._project(shape(boundary))
            inside = shapely.point_on_surface(outline)
            self.micro_centre[pk] = (inside.x, inside.y)
            key = _GRID_NAME_SUFFIX_RE.sub("", canonical(name))
            if len(key) >= 3 and key not in self.ways:
                self.ways[key] = Way(key, inside, micro_grid_id=pk)
        # Each area's micro-grids, by the area's name (one name may be several areas: 和平村).
        self.areas: dict[str, set[int]] = defaultdict(set)
        # Names that two areas share (two 和平村 in two towns): alone they say neither.
        self.shared_areas: set[str] = set()
        for name, path in areas:
            key = canonical(name)
            if len(key) < 2 or (key in self.ways and self.ways[key].is_road):
                continue
            # A village numbered across (兴隆村128号) is the area, not a lane of that name.
            self.ways.pop(key, None)
            inside = {pk for pk, _n, _b, p in micro_rows if p.startswith(path)}
            # A town is said without its word too (太平那莲村, 滦镇马坊村): only to narrow; a
            # 民族乡 without its peoples (小碧乡, 小碧).
            forms = []
            for written in town_forms(key):
                stem = _TOWN_WORD_RE.sub("", written)
                forms += [written, stem] if len(stem) >= 2 and stem != written else [written]
            for form in forms:
                if form != key and (form in self.ways or form in self.compounds):
                    continue
                if form in self.areas:
                    self.shared_areas.add(form)
                self.areas[form] |= inside
        # Longest names first, for the scan of a text (百花里北巷 before 百花里).
        self._names_by_first: dict[str, list[str]] = defaultdict(list)
        for key in sorted(
            set(self.ways) | set(self.compounds) | set(self.areas), key=len, reverse=True
        ):
            if len(key) >= 2:
                self._names_by_first[key[0]].append(key)

    # ------------------------------------------------------------------ the plane

    def texts_of(self, address: str, aliases: Sequence[str]) -> tuple[str, ...]:
        """A building's address and names as a landmark's words must hold one of them: made
        when a landmark is read, not kept for every building."""
        parsed = parse_normalized(self._strip(normalize_text(address)))[0]
        return (canonical(address), *_names_of(parsed.compound, aliases))

    def plane(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky

    def wgs84(self, x: float, y: float) -> tuple[float, float]:
        return self.lon0 + x / self.kx, self.lat0 + y / self.ky

    def _project(self, geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geometry, lambda c: _affine(c, self.lon0, self.lat0, self.kx, self.ky)
        )

    # ------------------------------------------------------------------ names in text

    def names_in(self, text: str) -> list[tuple[int, int, str]]:
        """The known ways' and compounds' names in canonical `text`, leftmost-longest, as
        (start, end, name), none overlapping."""
        found: list[tuple[int, int, str]] = []
        pos = 0
        while pos < len(text):
            for name in self._names_by_first.get(text[pos], ()):
                if text.startswith(name, pos):
                    found.append((pos, pos + len(name), name))
                    pos += len(name)
                    break
            else:
                pos += 1
        return found

    def known_name_at(self, text: str, pos: int) -> int:
        """Length of the longest road, lane or compound name starting at ``pos`` (what keeps
        北京路 from being read as 北京 in front of an address)."""
        for name in self._names_by_first.get(text[pos], ()) if pos < len(text) else ():
            if text.startswith(name, pos) and name not in self.areas:
                return len(name)
        return 0

    def mend_road_slips(self, text: str) -> str:
        """``text`` with a road's last character typed as its sound put right, where a door
        number follows and the road so spelt is ours (马场到332号 → 马场道332号): pinyin input's
        slip, which no name of the data is spelt with."""
        mended = list(text)
        for at, char in enumerate(text):
            fix = _ROAD_SUFFIX_SLIPS.get(char)
            if fix is None or not text[at + 1 : at + 2] or text[at + 1] not in _DOOR_START:
                continue
            for size in range(2, min(at, _LONGEST_STEM) + 1):
                stem = text[at - size : at]
                if canonical(stem + fix) in self.ways and canonical(stem + char) not in self.ways:
                    mended[at] = fix
                    break
        return "".join(mended)

    def barrier_names_in(self, text: str) -> list[tuple[int, int, str]]:
        """Railways, rivers and bridges named in ``text`` (start, end, name), longest first
        where two overlap."""
        found: list[tuple[int, int, str]] = []
        for name in sorted((*self.barriers, *self.bridges), key=len, reverse=True):
            at = text.find(name)
            while at >= 0:
                if not any(s < at + len(name) and at < e for s, e, _n in found):
                    found.append((at, at + len(name), name))
                at = text.find(name, at + 1)
        return sorted(found)

    def road_names_in(self, text: str) -> list[tuple[int, int, str]]:
        return [(s, e, n) for s, e, n in self.names_in(text) if n in self.ways]

    # ------------------------------------------------------------------ geometry

    def crossings(self, first: str, second: str) -> list[Point]:
        """Where two roads' lines meet, points of one crossing merged."""
        a, b = self.ways.get(first), self.ways.get(second)
        if a is None or b is None or not a.is_road or not b.is_road:
            return []
        meet = shapely.intersection(a.geometry, b.geometry)
        points = points_of(meet)
        clusters: list[list[Point]] = []
        for p in points:
            for cluster in clusters:
                if cluster[0].distance(p) <= CROSSING_MERGE_M:
                    cluster.append(p)
                    break
            else:
                clusters.append([p])
        return [shapely.centroid(shapely.multipoints([(q.x, q.y) for q in c])) for c in clusters]

    def nearest_road_named(self, point: Point, within: float) -> tuple[str, LineString] | None:
        """The nearest road's name and segment, if one is `within` metres of `point`."""
        if not self._road_lines:
            return None
        found = self._road_tree.query_nearest(point, max_distance=within)
        if len(found) == 0:
            return None
        at = int(found[0])
        return self._road_of_line[at], self._road_lines[at]

    def road_beside(self, point: Point, within: float, side: float) -> LineString | None:
        """The nearest road within `within` metres that a side `side` (a bearing) can be of:
        路南 is the south side of a road running east-west, never of one running north-south
        that an offset happens to end on."""
        if not self._road_lines:
            return None
        best: tuple[float, LineString] | None = None
        for at in self._road_tree.query(point.buffer(within)):
            line = self._road_lines[int(at)]
            gap = line.distance(point)
            if gap > within or (best is not None and gap >= best[0]):
                continue
            foot = line.project(point)
            a = line.interpolate(max(0.0, foot - 5.0))
            b = line.interpolate(min(line.length, foot + 5.0))
            if a.equals(b):
                continue
            course = math.degrees(math.atan2(b.x - a.x, b.y - a.y)) % 180.0
            # The side must point across the road: at least 45° off its course either way.
            if min(angle_between(course, side), angle_between(course + 180.0, side)) < 45.0:
                continue
            best = (gap, line)
        return best[1] if best is not None else None

    def arms(self, crossing: Point, names: Sequence[str]) -> list[float]:
        """The bearings of the roads' arms leaving a crossing (a T junction has three)."""
        bearings: list[float] = []
        for name in names:
            way = self.ways[name]
            for line in lines_of(way.geometry):
                if line.distance(crossing) > CROSSING_MERGE_M:
                    continue
                at = line.project(crossing)
                for step in (-20.0, 20.0):
                    s = at + step
                    if s < 0 or s > line.length:
                        continue
                    p = line.interpolate(s)
                    dx, dy = p.x - crossing.x, p.y - crossing.y
                    if math.hypot(dx, dy) < 5:
                        continue
                    bearing = math.degrees(math.atan2(dx, dy)) % 360
                    if all(angle_between(bearing, b) > 20 for b in bearings):
                        bearings.append(bearing)
        return sorted(bearings)


def _affine(coords: object, lon0: float, lat0: float, kx: float, ky: float) -> object:
    c = np.asarray(coords, dtype=float)
    out = np.empty_like(c)
    out[:, 0] = (c[:, 0] - lon0) * kx
    out[:, 1] = (c[:, 1] - lat0) * ky
    return out


def _coordinates(geometry: dict) -> Iterable[tuple[float, float]]:
    coords = geometry.get("coordinates") or []
    stack = [coords]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], (int, float)):
            yield float(item[0]), float(item[1])
        else:
            stack.extend(item)
