"""Places without a building, placed on the imported data's own geometry.

A crossing is where two imported roads' lines meet; a corner is the sector between their
arms that the corner word points into. A landmark (a building by its address or alias, a
小区 and its gate, or a crossing) plus a direction and a distance is a stretch of points as
wide as the words' tolerance. A lane, 胡同, 巷, 组, 屯 or 自然村 named alone is its road's line
or its buildings' points; a micro-grid named after a 组 is itself. Near a landmark is a circle
around it (``ADDRESS_NEAR_RADIUS_M``).

Every such place is answered with a micro-grid only when **every** point of it lies in one
micro-grid (the point lookup of either engine: `indexes.grid_index`); otherwise the grids it
touches are the candidates and a person chooses. A road, landmark or offset the data cannot
place refuses: a misroute costs more than a question.

Geometry is worked in a local plane (metres east and north of the data's centre): over a
district, the error of that projection is far under the tolerance of any spoken distance.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice, pairwise
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext_noop as N_
from shapely.geometry import LineString, MultiLineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from wangge.grids.addresses import normalize_text
from wangge.grids.addresses.placetext import (
    CONNECTORS,
    CROSSING_ALONE,
    NEAR_RE,
    Distance,
    Offset,
    corner_after,
    find_offset,
    junction_after,
    landmark_words,
    may_describe_a_place,
    normalize,
    past_a_crossing,
    says_an_offset,
    unit_vector,
)
from wangge.grids.addresses.text import _cn_numeral_value as cn_numeral_value
from wangge.grids.addresses.text import parse_normalized, town_forms

__all__ = [
    "PlaceIndex",
    "PlaceReader",
    "PlaceResult",
    "front_of",
    "may_describe_a_place",
    "says_an_offset",
]

# Metres per degree of latitude, and of longitude at the equator (WGS-84, mean).
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0
# Points of one crossing closer than this are one crossing (a dual carriageway, a small
# roundabout, two segments of one road meeting the other a few metres apart).
CROSSING_MERGE_M = 40.0
# How far from a crossing its corner is sampled, and how close to it a plain crossing is.
CORNER_NEAR_M, CORNER_FAR_M = 8.0, 35.0
CROSSING_RADIUS_M = 30.0
# A corner word must point into one sector within this angle of its bisector.
CORNER_MAX_OFF_DEG = 50.0
# A sector wider than this is a side with no arm (a T junction's open side); a corner in it
# stays this far from the arms.
CORNER_OPEN_SIDE_DEG, CORNER_ARM_CLEAR_DEG = 135.0, 30.0
# An offset's stretch is this wide on each side of its line (or a share of its distance).
OFFSET_HALF_WIDTH_M, OFFSET_HALF_WIDTH_SHARE = 15.0, 0.10
# An offset's stretch is sampled at least this often along its length (metres).
OFFSET_SAMPLE_M = 8.0
# 路西: the side of the road the place is on, sampled this far from the road's line.
SIDE_NEAR_M, SIDE_FAR_M = 6.0, 25.0
# The nearest road to an offset's point, for 路东/路西, must be within this.
SIDE_ROAD_MAX_M = 80.0
# A landmark known by many buildings (a 小区) is one place only when they are this close.
LANDMARK_SPREAD_M = 250.0
# The fewest houses a micro-grid holds to stand for its whole village named alone: more
# than a 村委会 and its 卫生室, which may be all a district imported of a village.
VILLAGE_MIN_HOUSES = 3
# A gate (北门) is this far out from the compound's outermost building that way.
GATE_OUT_M = 15.0
# 省/市/区/县 names in front of a landmark's words, which its building's names may not carry.
_FRONT_NAMES_RE = re.compile(r"^(?:[\u3400-\u9fff]{2,8}?(?:省|市|区|县))+")
# The buildings of a landmark near which a place is looked for (a 小区's first ones).
MAX_SPOTS = 40
# Lines are sampled this often (metres).
SAMPLE_STEP_M = 12.0
# Suffixes a micro-grid's name carries that people do not say: 和平村3组网格 is 和平村3组.
_GRID_NAME_SUFFIX_RE = re.compile(r"(?:微网格|网格|片区|责任区)$")
# Chinese numerals before 组 / 队 and the 第 / 村民小组 forms: 第三村民小组 → 3组.
_GROUP_RE = re.compile(
    # 社: a 村民小组 in 四川 and 重庆 (龙井村五社), never a 社区; 广州's 经济(合作)社.
    r"第?([零〇一二两三四五六七八九十]+|[0-9]+)"
    r"(?:村民小组|村民组|居民小组|小组|组|队|经济合作社|经济社|社(?!区))"
)
# 杨家围子自然村 is 杨家围子: the word says what it is, not its name.
_NATURAL_VILLAGE_RE = re.compile(r"(?<=[\u3400-\u9fff]{2})(?:自然村|自然屯)")
_TOWN_WORD_RE = re.compile(r"(?:镇|乡|街道办事处|街道办|街道)$")
_GATE_RE = re.compile(r"(东|西|南|北|正|大|后|侧)门$")


# 黄巷一弄: a lane's 弄 numbered as the addresses' reading numbers it (黄巷1弄).
_LANE_ORDINAL_RE = re.compile(r"(?<=[\u3400-\u9fff])([零〇一二两三四五六七八九十]+)(?=弄|支弄)")


def canonical(text: str) -> str:
    """The form names and text are compared in: normalized, 组 and 弄 numbers as digits."""
    text = _NATURAL_VILLAGE_RE.sub("", normalize(text))
    text = _LANE_ORDINAL_RE.sub(lambda m: _group_number(m.group(1)), text)
    return _GROUP_RE.sub(lambda m: _group_number(m.group(1)) + "组", text)


def _group_number(word: str) -> str:
    return str(int(word)) if word.isdigit() else (cn_numeral_value(word) or word)


@dataclass(frozen=True, slots=True)
class Way:
    """A named line or set of points: a road of the imported network, a lane or 组 known by
    its buildings' addresses, or a micro-grid named after a 组."""

    name: str
    geometry: BaseGeometry  # in the local plane
    micro_grid_id: int | None = None  # a micro-grid named so: the place is that grid
    is_road: bool = False  # a line of the imported network (crossings need lines)


@dataclass(frozen=True, slots=True)
class Landmark:
    points: Point  # in the local plane
    radius: float  # how uncertain its position is (a compound's spread, a gate)
    words: str
    building_id: int | None = None  # the one building the words named, if they did
    # Every building of a landmark known by several (a 小区, a 屯): near it is near any.
    spots: tuple[tuple[float, float], ...] = ()
    # A crossing's point is exact (where the centrelines meet): its radius is the crossing's
    # own width, which a distance counted from its edge only adds to, never takes from.
    exact: bool = False


@dataclass(slots=True)
class PlaceResult:
    """A place found, a choice among micro-grids, or a refusal with its reason."""

    kind: str  # "place", "candidates", "refused"
    how: str  # "crossing", "corner", "offset", "near", "way"
    phrase: str  # the words it was read from
    lon: float | None = None
    lat: float | None = None
    micro_grid_id: int | None = None
    candidates: list[int] = field(default_factory=list)  # micro-grid ids, most covered first
    reason: str = ""
    building_ids: list[int] = field(default_factory=list)  # the landmark's buildings
    landmark_found: bool = True  # False: the words before 旁边 / 向北 name nothing known


class PlaceIndex:
    """The ways, compounds and landmarks of the data, in the local plane."""

    def __init__(
        self,
        roads: Iterable[tuple[str, dict]],
        buildings: Iterable[tuple[int, str, Sequence[str], float, float]],
        micro_grids: Iterable[tuple[int, str, Any, str]],
        areas: Iterable[tuple[str, str]] = (),
        strip: Callable[[str], str] = lambda normalized: normalized,
    ) -> None:
        """`micro_grids` as (id, name, boundary, path); `areas` the streets', communities' and
        grids' (name, path): named in a text, they narrow where its lane or 组 may be. `strip`
        takes the place names the data knows off the front of a normalized address."""
        building_rows = list(buildings)
        road_rows = list(roads)
        lons = [b[3] for b in building_rows]
        lats = [b[4] for b in building_rows]
        for _name, geometry in road_rows:
            for lon, lat in _coordinates(geometry):
                lons.append(lon)
                lats.append(lat)
        self.lon0 = (min(lons) + max(lons)) / 2 if lons else 0.0
        self.lat0 = (min(lats) + max(lats)) / 2 if lats else 0.0
        self.kx = _M_PER_DEG_LON * math.cos(math.radians(self.lat0))
        self.ky = _M_PER_DEG_LAT
        self.building_xy: dict[int, tuple[float, float]] = {
            b[0]: self.plane(b[3], b[4]) for b in building_rows
        }
        lines: dict[str, list[object]] = defaultdict(list)
        for name, geometry in road_rows:
            key = canonical(name)
            if key:
                lines[key].append(self._project(shape(geometry)))
        self.ways: dict[str, Way] = {
            key: Way(key, unary_union(parts), is_road=True) for key, parts in lines.items()
        }
        # Every road's segments in one tree: the road nearest a point (路东 / 路西) without
        # measuring the city's every road.
        self._road_lines = [line for way in self.ways.values() for line in _lines_of(way.geometry)]
        self._road_of_line = [
            way.name for way in self.ways.values() for _line in _lines_of(way.geometry)
        ]
        self._road_tree = shapely.STRtree(self._road_lines)
        # Lanes, 胡同, 组 and 屯 known only by the addresses of their buildings; compounds by
        # theirs and by the buildings' aliases.
        # Each building's address and names, as a landmark's words must contain one of them.
        self.building_texts: dict[int, tuple[str, ...]] = {}
        way_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        compound_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        compound_buildings: dict[str, list[int]] = defaultdict(list)
        for pk, address, aliases, lon, lat in building_rows:
            xy = self.plane(lon, lat)
            parsed = parse_normalized(strip(normalize_text(address)))[0]
            for way in _ways_of(parsed.road, parsed.compound, parsed.rest):
                if way not in self.ways:
                    way_points[way].append(xy)
            names = {parsed.compound, *aliases}
            # 汴京花园1号楼 is a building of 汴京花园: the compound is known by it too.
            names |= {parse_normalized(normalize_text(a))[0].compound for a in aliases}
            texts = [canonical(address)]
            for text in names:
                key = canonical(text) if text else ""
                if len(key) >= 2:
                    compound_points[key].append(xy)
                    compound_buildings[key].append(pk)
                    texts.append(key)
            self.building_texts[pk] = tuple(texts)
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
        self.compounds = {
            key: (shapely.multipoints(points), compound_buildings[key])
            for key, points in compound_points.items()
        }
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

    def road_names_in(self, text: str) -> list[tuple[int, int, str]]:
        return [(s, e, n) for s, e, n in self.names_in(text) if n in self.ways]

    # ------------------------------------------------------------------ geometry

    def crossings(self, first: str, second: str) -> list[Point]:
        """Where two roads' lines meet, points of one crossing merged."""
        a, b = self.ways.get(first), self.ways.get(second)
        if a is None or b is None or not a.is_road or not b.is_road:
            return []
        meet = shapely.intersection(a.geometry, b.geometry)
        points = _points_of(meet)
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
            if min(_angle(course, side), _angle(course + 180.0, side)) < 45.0:
                continue
            best = (gap, line)
        return best[1] if best is not None else None

    def arms(self, crossing: Point, names: Sequence[str]) -> list[float]:
        """The bearings of the roads' arms leaving a crossing (a T junction has three)."""
        bearings: list[float] = []
        for name in names:
            way = self.ways[name]
            for line in _lines_of(way.geometry):
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
                    if all(_angle(bearing, b) > 20 for b in bearings):
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


def _points_of(geometry: BaseGeometry | None) -> list[Point]:
    if geometry is None or geometry.is_empty:
        return []
    kind = geometry.geom_type
    if kind == "Point":
        return [geometry]
    if kind in ("LineString", "LinearRing"):
        # Roads running along each other share a stretch: its middle is where they meet.
        return [geometry.interpolate(0.5, normalized=True)]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in _points_of(g)]
    return [geometry.centroid]


def _lines_of(geometry: BaseGeometry) -> list[LineString]:
    if isinstance(geometry, LineString):
        return [geometry]
    if isinstance(geometry, MultiLineString) or hasattr(geometry, "geoms"):
        return [g for g in geometry.geoms if isinstance(g, LineString)]
    return []


def _angle(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


# ---------------------------------------------------------------------- reading a place


class PlaceReader:
    """Reads a place description against a `PlaceIndex` and locates it with `locator`
    (`indexes.grid_index()`: the memory engine's index or PostGIS). `buildings_named` gives
    the building a landmark's words name (the address resolver's answer), or none;
    `houses_of` counts, per micro-grid among those given, the buildings whose address
    carries a name (a village's houses)."""

    def __init__(
        self,
        index: PlaceIndex,
        locator: Any,  # `indexes.grid_index()`: GridIndex or PostGIS, both `locate_many`
        buildings_named: Callable[[str], list[int]],
        near_radius_m: float,
        houses_of: Callable[[str, Sequence[int]], Mapping[int, int]] = lambda n, g: {},
    ) -> None:
        self.index = index
        self.locator = locator
        self.buildings_named = buildings_named
        self.near_radius_m = near_radius_m
        self.houses_of = houses_of

    # -------------------------------------------------------------- entry points

    def described(self, text: str) -> PlaceResult | None:
        """A crossing, an offset or a near phrase in `text`: where it is, or why not. None
        when the text describes no such place (it may still name a building or a lane)."""
        t = canonical(text)
        past = past_a_crossing(t)
        if past is not None:
            return self._past_crossing(t, *past)
        crossing = self._crossing_words(t)
        if crossing is not None:
            start, end, names = crossing
            phrase_end = end
            corner = corner_after(t, end)
            if corner is not None:
                phrase_end = _CORNER_END_RE.match(t, end).end()  # type: ignore[union-attr]
            offset = find_offset(t[phrase_end - 1 :]) if phrase_end < len(t) else None
            if offset is not None and offset.start > 3:
                offset = None
            if offset is not None:
                phrase = t[start : phrase_end - 1 + offset.end]
                origin = self._crossing_landmark(names, phrase)
                if isinstance(origin, PlaceResult):
                    return origin
                return self._offset_place(origin, offset, phrase)
            phrase = t[start:phrase_end]
            around = _AROUND_RE.match(t, phrase_end) if corner is None else None
            return self._crossing_place(names, corner, phrase, around=around)
        if _UNKNOWN_CROSSING_RE.search(t):
            found = _UNKNOWN_CROSSING_RE.search(t)
            assert found is not None
            return PlaceResult(
                "refused", "crossing", found.group(0), reason=N_("路口的道路不在本区道路数据中")
            )
        offset = find_offset(t)
        if offset is not None:
            words = landmark_words(t[: offset.start])
            phrase = words + t[offset.start : offset.end]
            landmark = self._landmark(words, phrase)
            if isinstance(landmark, PlaceResult):
                return landmark
            return self._offset_place(landmark, offset, phrase)
        near = NEAR_RE.search(t)
        if near is not None and near.start() > 0:
            words = landmark_words(t[: near.start()])
            phrase = words + near.group(0)
            landmark = self._landmark(words, phrase, how="near")
            if isinstance(landmark, PlaceResult):
                return landmark
            return self._near_place(landmark, phrase, reach=self.near_reach(near.group(0)))
        return None

    def _past_crossing(self, t: str, first: str, second: str, offset: Offset) -> PlaceResult:
        """沿A往东，过了B的红绿灯往前走N米: the offset from where A and B cross."""
        phrase = t[offset.start : offset.end]
        roads = self._crossing_words(f"{first}与{second}路口")
        if roads is None:
            return PlaceResult(
                "refused", "offset", phrase, reason=N_("路口的道路不在本区道路数据中")
            )
        origin = self._crossing_landmark(roads[2], phrase)
        if isinstance(origin, PlaceResult):
            return origin
        return self._offset_place(origin, offset, phrase)

    def way_alone(self, text: str) -> PlaceResult | None:
        """A lane, 胡同, 组, 屯 or road named with no door (or a village, a community named
        alone): its micro-grid when it lies in one, within the areas the text names. None when
        the text names none, or names a building's number too (百花里北巷9号 asks for a
        building, which the resolver has refused)."""
        t = canonical(text)
        named = self.index.names_in(t)
        rest = t
        for s, e, _n in reversed(named):
            rest = rest[:s] + "|" + rest[e:]
        if _BUILDING_NUMBER_RE.search(rest) or any(
            n in self.index.compounds and n not in self.index.ways and n not in self.index.areas
            for _s, _e, n in named
        ):
            return None
        # A road known only by its buildings has an unknown length: only its lanes, 胡同,
        # 组 and 屯 are short enough to be placed by them (长宁路 alone is refused).
        narrowing = [n for _s, _e, n in named if n in self.index.areas and n not in self.index.ways]
        ways = [
            (s, e, n)
            for s, e, n in named
            # 6组 alone is in every village: only a village named with it says which.
            if not (GROUP_ONLY_RE.match(n) and not narrowing)
            if n in self.index.ways
            and (
                self.index.ways[n].is_road
                or self.index.ways[n].micro_grid_id
                or not _LONG_ROAD_RE.search(n)
            )
        ]
        areas = [n for _s, _e, n in named if n in self.index.areas and n not in self.index.ways]
        if not ways and not areas:
            return None
        if any(
            t[e : e + 1] == "村" and n in self.index.ways and not n.endswith("村")
            for _s, e, n in named
        ):
            # 上庄村 where the data knows only 窑头村's 自然村 上庄: a 行政村 of that name is not
            # ours, and reading it as the 自然村 would be a guess.
            return PlaceResult("refused", "way", t, reason=N_("所说村不在本区，请核实"))
        first = min(s for s, _e, _n in named)
        if _UNIT_BEFORE_RE.search(t[:first]):
            # 小返乡东涧河村2组: a 乡, 镇 or 街道 named in front that is not one of ours is
            # another place's village (or a wrong one); never this district's by its name alone.
            return PlaceResult("refused", "way", t, reason=N_("所说乡镇或街道不在本区，请核实"))
        unnarrowed = [
            n
            for n in [*areas, *(w for _s, _e, w in ways)]
            if any(n.startswith(shared) for shared in self.index.shared_areas)
        ]
        if unnarrowed and not any(a not in self.index.shared_areas for a in areas):
            # 和平村3组 with two 和平村 in the district, and no town to say which.
            ids_of = [
                i
                for n in unnarrowed
                for i in self.index.areas.get(n[: _shared_len(n, self.index.shared_areas)], ())
            ]
            return self._choice(ids_of, "way", unnarrowed[0], reason=N_("同名村或社区不止一个"))
        within: set[int] | None = None
        for area in areas:
            within = self.index.areas[area] if within is None else within & self.index.areas[area]
        phrase = t[named[0][0] : named[-1][1]]
        if not ways:
            inside = sorted(within or ())
            if len(inside) == 1:
                return self._grid_place(inside[0], "way", phrase)
            # A village is where its people live: when every house of it stands in one of its
            # micro-grids (the others fields or hills), that one, if it holds enough houses to
            # be a village's and not a stray few of a half-imported one.
            village = areas[-1] if areas and areas[-1].endswith("村") else ""
            if village and inside:
                houses = self.houses_of(village, inside)
                housed = [g for g in inside if houses.get(g)]
                if len(housed) == 1 and houses[housed[0]] >= VILLAGE_MIN_HOUSES:
                    return self._grid_place(housed[0], "way", phrase)
            return self._choice(list(inside), "way", phrase, reason=N_("所说区域含多个微网格"))
        sets: list[tuple[str, set[int]]] = []
        for _s, e, name in ways:
            way = self.index.ways[name]
            lane_mouth = t[e : e + 1] == "口" and not _LONG_ROAD_RE.search(name)
            bend = _BEND_RE.match(t, e) is not None
            if lane_mouth or bend or _WAYS_END_RE.match(t, e):
                # 巷口, 胡同口, 坊口: a mouth of the lane, which one unsaid — anywhere near
                # either end of its line; 走到底, at an end; 倒拐的地方, where it turns, or
                # where it ends in another road. A lane known only by its houses has no known
                # ends.
                # Where a way turns is a spot people place loosely (倒拐的地方, 拐弯那里): as
                # far round it as a loose near word reaches.
                mouths = self._mouths_of(way, bends=bend, reach=LOOSE_REACH if bend else 1.0)
                if not mouths:
                    return PlaceResult(
                        "refused", "way", phrase, reason=N_("巷口位置不明，请说明靠哪条路")
                    )
                located = self._micro_ids(mouths)
            elif way.micro_grid_id is not None:
                located = [way.micro_grid_id]
            elif _INSIDE_WAY_RE.match(t, e):
                # 泰兴里里头: anywhere in the lane, its mouths too, and a stretch's width
                # either side of its line.
                located = self._micro_ids(_samples_of(way.geometry, side=OFFSET_HALF_WIDTH_M))
            else:
                located = self._micro_ids(_samples_of(way.geometry))
            if None in located and way.is_road:
                # Partly outside every grid: the way leaves the district.
                return self._choice(located, "way", phrase, reason=N_("所说道路部分在本区网格外"))
            found = {i for i in located if i is not None}
            if within is not None:
                # Only where the areas named say: 亭店社区六组 is no 六组 of another community.
                found &= within
                if not found:
                    return PlaceResult(
                        "refused", "way", phrase, reason=N_("所说村或社区里没有这个组、巷或路")
                    )
            sets.append((name, found))
        for name, grid_ids in sets:
            (grid,) = grid_ids if len(grid_ids) == 1 else (None,)
            # The lane lies in one grid and every other way named passes through that grid
            # (伊河路百花里北巷: the road the lane leaves from): the lane is the place.
            if grid is not None and all(grid in other for _n, other in sets):
                way = self.index.ways[name]
                if way.micro_grid_id is not None:
                    return self._grid_place(grid, "way", name)
                point = shapely.point_on_surface(way.geometry)
                if isinstance(way.geometry, (LineString, MultiLineString)):
                    point = (
                        way.geometry.interpolate(0.5, normalized=True)
                        if isinstance(way.geometry, LineString)
                        else shapely.centroid(way.geometry)
                    )
                lon, lat = self.index.wgs84(point.x, point.y)
                return PlaceResult("place", "way", name, lon=lon, lat=lat, micro_grid_id=grid)
        ids: list[int | None] = [i for _n, group in sets for i in group]
        return self._choice(ids, "way", phrase, reason=N_("所说道路、巷或组跨多个微网格"))

    def _mouths_of(
        self, way: Way, *, bends: bool = False, reach: float = 1.0
    ) -> list[tuple[float, float]]:
        """Near either end of the way's line; with ``bends``, near where it turns (every
        vertex that is not an end), or its ends when it runs straight (where one turns off
        it into another road)."""
        lines = _lines_of(way.geometry) if way.is_road else []
        ends = [(x, y) for line in lines for x, y in (line.coords[0], line.coords[-1])]
        if bends:
            turns = [(x, y) for line in lines for x, y in line.coords[1:-1]]
            ends = turns or ends
        return [p for x, y in ends for p in _disc(x, y, self.near_radius_m * reach)]

    def _grid_place(self, grid: int, how: str, phrase: str) -> PlaceResult:
        x, y = self.index.micro_centre[grid]
        lon, lat = self.index.wgs84(x, y)
        return PlaceResult("place", how, phrase, lon=lon, lat=lat, micro_grid_id=grid)

    # -------------------------------------------------------------- crossings

    def _crossing_words(self, t: str) -> tuple[int, int, tuple[str, str]] | None:
        roads = [(s, e, n) for s, e, n in self.index.road_names_in(t) if self.index.ways[n].is_road]
        for (s1, e1, n1), (s2, e2, n2) in pairwise(roads):
            between = t[e1:s2]
            if between not in ("", *CONNECTORS) or n1 == n2:
                continue
            end = junction_after(t, e2)
            if end is None and between not in CROSSING_ALONE:
                continue
            return s1, end if end is not None else e2, (n1, n2)
        return None

    def _crossing_landmark(self, names: tuple[str, str], phrase: str) -> Landmark | PlaceResult:
        points = self.index.crossings(*names)
        if not points:
            return PlaceResult("refused", "crossing", phrase, reason=N_("两条道路在数据中不相交"))
        if len(points) > 1:
            return self._choice(
                self._micro_ids([(p.x, p.y) for p in points]),
                "crossing",
                phrase,
                reason=N_("两条道路相交不止一处"),
            )
        return Landmark(points[0], 10.0, phrase, exact=True)

    def _crossing_place(
        self,
        names: tuple[str, str],
        corner: float | None,
        phrase: str,
        *,
        around: re.Match[str] | None = None,
    ) -> PlaceResult:
        origin = self._crossing_landmark(names, phrase)
        if isinstance(origin, PlaceResult):
            return origin
        crossing = origin.points
        assert isinstance(crossing, Point)
        if corner is None:
            # 路口附近: around the crossing, as far as "near" reaches, not its middle; 路口那块
            # further still (VAGUE_WORDS).
            radius = CROSSING_RADIUS_M
            if around is not None:
                radius = max(radius, self.near_reach(around.group(0).lstrip("的")))
            samples = _disc(crossing.x, crossing.y, radius)
            return self._answer(samples, (crossing.x, crossing.y), "crossing", phrase)
        arms = self.index.arms(crossing, names)
        sectors = _sectors(arms)
        chosen = [
            (middle, width)
            for middle, width in sectors
            if _angle(middle, corner) <= CORNER_MAX_OFF_DEG
        ]
        if len(chosen) != 1:
            return PlaceResult(
                "refused", "corner", phrase, reason=N_("路口的这一角在数据中无法确定")
            )
        middle, width = chosen[0]
        if width > CORNER_OPEN_SIDE_DEG:
            # The open side of a T junction (no arm there): the corner word's own quarter of
            # it, kept clear of the arms on either side.
            turn = (corner - middle + 540.0) % 360.0 - 180.0
            room = width / 2 - CORNER_ARM_CLEAR_DEG
            middle = (middle + max(-room, min(room, turn))) % 360.0
            width = 90.0
        spread = min(width * 0.3, 30.0)
        samples = [
            _ahead(crossing.x, crossing.y, middle + turn, radius)
            for radius in (CORNER_NEAR_M, (CORNER_NEAR_M + CORNER_FAR_M) / 2, CORNER_FAR_M)
            for turn in (-spread, 0.0, spread)
        ]
        at = _ahead(crossing.x, crossing.y, middle, (CORNER_NEAR_M + CORNER_FAR_M) / 2)
        return self._answer(samples, at, "corner", phrase)

    # -------------------------------------------------------------- landmarks

    def _landmark(self, words: str, phrase: str, how: str = "offset") -> Landmark | PlaceResult:
        if not words:
            why = N_("未说明参照物")
            return PlaceResult("refused", how, phrase, reason=why, landmark_found=False)
        crossing = self._crossing_words(words)
        if crossing is not None:
            return self._crossing_landmark(crossing[2], phrase)
        whole = self.index.names_in(words)
        gate = None if whole and whole[-1][1] == len(words) else _GATE_RE.search(words)
        core = words[: gate.start()] if gate else words
        named = self.index.names_in(core)
        # Two roads named one after the other (伊河路百花里): where the second leaves the first.
        roads = [n for _s, _e, n in named if n in self.index.ways and self.index.ways[n].is_road]
        if len(roads) >= 2 and named[-1][1] == len(core):
            points = self.index.crossings(roads[-2], roads[-1])
            if len(points) == 1:
                return Landmark(points[0], 15.0, phrase)
        if (
            named
            and named[-1][1] == len(core)
            and named[-1][2] in self.index.compounds
            and self._whole(core, named)
        ):
            points, building_ids = self.index.compounds[named[-1][2]]
            landmark = self._spread_landmark(points, gate.group(1) if gate else None, phrase)
            if landmark is not None and len(set(building_ids)) == 1 and not gate:
                # An alias of one building (岐山村2号, 市第一人民医院): that building.
                landmark = Landmark(landmark.points, 10.0, phrase, building_id=building_ids[0])
            if landmark is not None:
                return landmark
        ids = [i for i in self.buildings_named(words) if self._says(words, i)]
        if len(ids) == 1 and ids[0] in self.index.building_xy:
            x, y = self.index.building_xy[ids[0]]
            return Landmark(Point(x, y), 10.0, phrase, building_id=ids[0])
        if named and named[-1][1] == len(core) and named[-1][2] in self.index.ways:
            way = self.index.ways[named[-1][2]]
            # A lane, 组 or 屯 is a landmark where it is short; a road is a line, and one known
            # by a few buildings is longer than they show: neither is a spot to start from.
            if not way.is_road and not _LONG_ROAD_RE.search(way.name):
                landmark = self._spread_landmark(
                    way.geometry, gate.group(1) if gate else None, phrase
                )
                if landmark is not None:
                    return landmark
        return PlaceResult(
            "refused",
            how,
            phrase,
            reason=N_("参照物在数据中找不到或不唯一"),
            landmark_found=False,
        )

    def _whole(self, core: str, named: list[tuple[int, int, str]]) -> bool:
        """Whether the last name found is the landmark's whole name: before it only the
        district's own places in front (孝感市, 朋兴乡), and the landmark lies in those (朋兴乡
        派出所 is not the 派出所 of a town beside it)."""
        start = named[-1][0]
        front = _FRONT_NAMES_RE.match(core)
        at = front.end() if front and front.end() <= start else 0  # 长征小区 ends in 区 too
        within: set[int] | None = None
        for s, e, name in named[:-1]:
            if s != at or name not in self.index.areas:
                return False
            at = e
            grids = self.index.areas[name]
            within = grids if within is None else within & grids
        if at != start:
            return False
        if within is None:
            return True
        points, _ids = self.index.compounds[named[-1][2]]
        return set(self._micro_ids(shapely.get_coordinates(points).tolist())) <= within

    def _says(self, words: str, building_id: int) -> bool:
        """Whether the words hold the building's address or a name of it whole (or are held in
        one): the resolver forgives a typo in an address, but a landmark a character off
        (第二人民医院 for 第一人民医院) is another place."""
        texts = self.index.building_texts.get(building_id, ())
        core = _FRONT_NAMES_RE.sub("", words)
        return any(t in words or core in t for t in texts if t)

    def _spread_landmark(self, points: object, gate: str | None, phrase: str) -> Landmark | None:
        coords = shapely.get_coordinates(points)
        if len(coords) == 0:
            return None
        xs, ys = coords[:, 0], coords[:, 1]
        spread = math.hypot(float(xs.max() - xs.min()), float(ys.max() - ys.min()))
        if spread > LANDMARK_SPREAD_M:
            return None
        cx, cy = float(xs.mean()), float(ys.mean())
        if gate in ("东", "西", "南", "北"):
            bearing = {"东": 90.0, "西": 270.0, "南": 180.0, "北": 0.0}[gate]
            ux, uy = unit_vector(bearing)
            reach = float(max((x - cx) * ux + (y - cy) * uy for x, y in coords)) + GATE_OUT_M
            return Landmark(Point(cx + ux * reach, cy + uy * reach), 20.0, phrase)
        spots = tuple((float(x), float(y)) for x, y in coords[:MAX_SPOTS])
        return Landmark(Point(cx, cy), max(10.0, spread / 2), phrase, spots=spots)

    # -------------------------------------------------------------- offsets and near

    def _offset_place(self, landmark: Landmark, offset: Offset, phrase: str) -> PlaceResult:
        origin = landmark.points
        assert isinstance(origin, Point)
        distance: Distance = offset.distance
        if offset.bearing is None:
            # 往前走, 往下走 (downhill or down the street), 往上走 (up the stairs, in 重庆): which
            # way is not said, and not always along a road. Never the landmark itself either.
            return PlaceResult(
                "refused", "offset", phrase, reason=N_("未说明往哪个方向，请补充方向")
            )
        ux, uy = unit_vector(offset.bearing)
        px, py = -uy, ux  # to the left of the way
        low = distance.low if landmark.exact else max(0.0, distance.low - landmark.radius)
        high = distance.high + landmark.radius
        samples = []
        steps = max(4, math.ceil((high - low) / OFFSET_SAMPLE_M))
        for step in range(steps + 1):
            d = low + (high - low) * step / steps
            half = max(OFFSET_HALF_WIDTH_M, OFFSET_HALF_WIDTH_SHARE * d) + landmark.radius / 2
            for lateral in (-half, -half / 2, 0.0, half / 2, half):
                samples.append((origin.x + ux * d + px * lateral, origin.y + uy * d + py * lateral))
        nominal = (origin.x + ux * distance.nominal, origin.y + uy * distance.nominal)
        side = offset.side
        if offset.across and side is None:
            side = self._across_from(origin, nominal)
            if side is None:
                return PlaceResult(
                    "refused", "offset", phrase, reason=N_("附近没有可判断路侧的道路")
                )
        if side is not None:
            samples = self._on_side(samples, side, nominal)
            if not samples:
                return PlaceResult(
                    "refused", "offset", phrase, reason=N_("附近没有可判断路侧的道路")
                )
            nominal = samples[len(samples) // 2]
        return self._answer(samples, nominal, "offset", phrase)

    def _across_from(self, origin: Point, nominal: tuple[float, float]) -> float | None:
        """The bearing of the side of its road a landmark is not on (马路对面): from the
        landmark to its road. None without a road near, with the landmark on the line, or
        when the offset ends nearer another road (whose other side that would not be)."""
        found = self.index.nearest_road_named(origin, SIDE_ROAD_MAX_M)
        there = self.index.nearest_road_named(Point(*nominal), SIDE_ROAD_MAX_M)
        if found is None or there is None or found[0] != there[0]:
            return None
        road = found[1]
        foot = road.interpolate(road.project(origin))
        dx, dy = foot.x - origin.x, foot.y - origin.y
        if math.hypot(dx, dy) < SIDE_NEAR_M:
            return None
        return math.degrees(math.atan2(dx, dy)) % 360.0

    def _on_side(
        self, samples: list[tuple[float, float]], side: float, nominal: tuple[float, float]
    ) -> list[tuple[float, float]]:
        best = self.index.road_beside(Point(*nominal), SIDE_ROAD_MAX_M, side)
        if best is None:
            return []
        sx, sy = unit_vector(side)
        moved = []
        for x, y in samples:
            foot = best.interpolate(best.project(Point(x, y)))
            for reach in (SIDE_NEAR_M, SIDE_FAR_M):
                moved.append((foot.x + sx * reach, foot.y + sy * reach))
        return moved

    def near_reach(self, word: str) -> float:
        """How far round a landmark a near word reaches: 旁边 as far as the setting says, a
        looser word (跟前, 后头, 一带) further, 那块 further still. A place is answered only
        where all of that lies in one micro-grid, so the looser the word, the surer that is."""
        if word in PLAIN_NEAR_WORDS:
            return self.near_radius_m
        return self.near_radius_m * (VAGUE_REACH if word in VAGUE_WORDS else LOOSE_REACH)

    def _near_place(self, landmark: Landmark, phrase: str, *, reach: float) -> PlaceResult:
        origin = landmark.points
        assert isinstance(origin, Point)
        if landmark.spots:
            samples = [p for x, y in landmark.spots for p in _disc(x, y, reach)]
        else:
            radius = reach + (landmark.radius if landmark.radius > 10 else 0.0)
            samples = _disc(origin.x, origin.y, radius)
        found = self._answer(samples, (origin.x, origin.y), "near", phrase)
        if landmark.building_id is not None:
            found.building_ids = [landmark.building_id]
        return found

    # -------------------------------------------------------------- answers

    def _micro_ids(self, samples: Sequence[tuple[float, float]]) -> list[int | None]:
        if not samples:
            return []
        lonlat = [self.index.wgs84(x, y) for x, y in samples]
        hits = self.locator.locate_many([p[0] for p in lonlat], [p[1] for p in lonlat])
        return [hit.micro_id for hit in hits]

    def _answer(
        self,
        samples: Sequence[tuple[float, float]],
        at: tuple[float, float],
        how: str,
        phrase: str,
    ) -> PlaceResult:
        ids = self._micro_ids([*samples, at])
        if len(set(ids)) == 1 and ids[0] is not None:
            lon, lat = self.index.wgs84(*at)
            return PlaceResult("place", how, phrase, lon=lon, lat=lat, micro_grid_id=ids[0])
        return self._choice(ids, how, phrase, reason=N_("所指位置跨多个微网格"))

    def _choice(
        self, ids: Sequence[int | None], how: str, phrase: str, *, reason: str
    ) -> PlaceResult:
        counts: dict[int, int] = defaultdict(int)
        for i in ids:
            if i is not None:
                counts[i] += 1
        if not counts:
            return PlaceResult("refused", how, phrase, reason=N_("所指位置不在本区网格内"))
        ranked = sorted(counts, key=lambda i: (-counts[i], i))
        if None in ids:
            reason = N_("所指位置部分在本区网格外")
        return PlaceResult("candidates", how, phrase, candidates=ranked, reason=reason)


_CORNER_END_RE = re.compile(r"(?:的)?(?:东北|东南|西北|西南|东|西|南|北)(?:角|侧|边|面|方向|口|处)")
# What a road's name ends in when it is long (a 路 or 街, not a 巷 or 弄).
# 广州's 横街 and 直街 are lanes off a street, as short as a 巷 (华贵横街, 庙前直街).
# 那块 ("that patch", 南京 and much of the Yangtze) says where only roughly: read as far as
# this, so that a place is answered only where all of that is one micro-grid.
VAGUE_WORDS = frozenset(
    {
        *("那块", "那一块", "这一块", "那疙瘩", "那嘎达", "那旮沓", "那旮旯", "那一片", "那片儿"),
        *("那片", "那搭", "那达"),
    }
)
# 那块 and the like reach three times as far as 旁边 (ADDRESS_NEAR_RADIUS_M: 150 m of 50).
VAGUE_REACH = 3.0
# A way named alone is sampled this far in from each end (its mouth is the road it opens onto).
WAY_MOUTH_M = 10.0
# The near words that say "right beside it" and no more. Every other one (跟前, 边上, 后头, 侧边,
# 一带 …) is read as reaching twice as far, so that its place is the same whichever way a
# person meant it.
# 斜对面 is across and along: further than 对面.
PLAIN_NEAR_WORDS = frozenset(
    {"旁边", "隔壁", "对面", "正对面", "门口", "大门口", "门前", "楼下", "附近", "周边"}
)
LOOSE_REACH = 2.0
# A 乡, 镇 or 街道 named just before the first name the data knows, which the data does not know
# itself (it would have been read as a name): 小返乡 in 小返乡庙湾村.
_UNIT_BEFORE_RE = re.compile(r"[\u3400-\u9fff]{2,6}(?:乡|镇|街道)$")
# Words after a crossing that say "around it" rather than at it (路口那块, 红绿灯附近).
_AROUND_RE = re.compile(
    r"的?(?:附近|周边|周围|一带|那一块|这一块|那块|那一片|那片儿|那片|那边|那里|那儿|那点|哪点|这块"
    r"|这边|旁边|边上)"
)
# After one way's name: where it turns (四川's 倒拐, 拐弯, 拐角, 转弯) — any bend of its line
# or either end; where it ends (走到底, 尽头, 到头).
_BEND_RE = re.compile(r"的?(?:倒拐|拐弯|拐角|转弯|转拐)")
# Inside a lane (泰兴里里头, 安民巷里面): anywhere in it, its mouths too.
_INSIDE_WAY_RE = re.compile(r"(?:里头|里面|里边|里厢)")
_WAYS_END_RE = re.compile(r"(?:一直)?(?:走到底|走到头|到底|到头|的?尽头|的?顶头)")
_LONG_ROAD_RE = re.compile(r"(?:路|(?<![横直])街|大街|大道|道|马路|公路)$")
# A building's (or a 组's) number anywhere but in a way's name: the text asks for something
# more precise than the ways the data knows.
_BUILDING_NUMBER_RE = re.compile(
    r"[0-9]+[甲乙丙丁]?(?:号|栋|幢|座|单元|室|弄|支|楼|组|队|-)|[甲乙丙丁][0-9]+|[0-9]+[甲乙丙丁附之]"
    # 塔巷二十号: a door in words.
    r"|[零〇一二两三四五六七八九十百]+(?:号|栋|幢|座|单元|室)"
)
# A crossing's shape whatever the names: two road words joined and a junction word.
_UNKNOWN_CROSSING_RE = re.compile(
    r"[^，。；、与和/0-9]{1,10}?(?:路|街|大道|大街)(?:与|和|、|/)"
    r"[^，。；、与和/0-9]{1,10}?(?:路|街|大道|大街)(?:交叉口|交叉路口|十字路口|丁字路口|交汇处|交口|路口|十字|口)"
)


# What a lane's or a hamlet's name ends in (a 小区 is not one): named alone they are places.
_HAMLET_ENDS = (
    "屯|庄|堡|窝堡|窝棚|围子|营子|营|寨|沟|岗|湾|塆|冲|垸|坪|畈|坳|咀|嘴|郢|坨|铺|厝|家子"
)
# A lane off a road by its name's last word (埕: a lane or the open ground its houses face, in
# 闽南 towns); not 里 or 坊, which name as many 小区 of 号楼 (伊河路百花里5号楼) as lanes.
_LANE_WORD_RE = re.compile(r"(?:巷|胡同|弄|条|埕)$")
# 坡, 梯道 and 梯坎: 重庆's streets of steps up a hill (黄泥坡1号), as short as lanes.
_LANE_END_RE = re.compile(f"(?:巷|胡同|里|弄|条|坊|埕|坡|梯道|梯坎|{_HAMLET_ENDS}|村)$")
# A 自然村 after the 组 it lies in, before the house: 三组|刘家湾|12号.
_HAMLET_AFTER_GROUP_RE = re.compile(f"^([\u3400-\u9fff]{{1,5}}?(?:{_HAMLET_ENDS}|村))(?=[0-9])")
# A 行政村 followed by its 自然村 in one compound: 永安村刘家窝堡.
_VILLAGE_HAMLET_RE = re.compile(r"^(.+?村)(.{2,5})$")
# A 组 and the 自然村 in it, as the parser joins them: 3组刘家湾.
_GROUP_AND_HAMLET_RE = re.compile(r"^([0-9]+组)(.{2,5})$")
# A group named by its number alone: 6组 is in every village.
GROUP_ONLY_RE = re.compile(r"^[0-9]+组$")


def _ways_of(road: str | None, compound: str | None, rest: str = "") -> list[str]:
    """The names a building's lane, 组 or 自然村 is called by: 刷绒胡同; 八里庙村1组 and 1组;
    永安村刘家窝堡 and 刘家窝堡; 邹岗村3组刘家湾 gives 3组, 邹岗村3组, 刘家湾 and 邹岗村刘家湾."""
    ways: list[str] = []
    village = canonical(compound) if compound else ""
    if road:
        key = canonical(road)
        ways.append(key)
        group = _GROUP_AND_HAMLET_RE.match(key)
        hamlet = ""
        if group:
            ways.append(group.group(1))
            hamlet = group.group(2)
        elif GROUP_ONLY_RE.match(key):
            after = _HAMLET_AFTER_GROUP_RE.match(rest)
            hamlet = canonical(after.group(1)) if after else ""
        number = group.group(1) if group else key if GROUP_ONLY_RE.match(key) else ""
        if number and village:
            ways.append(village + number)
        if hamlet:
            ways.append(hamlet)
            if village:
                ways.append(village + hamlet)
        elif village and not number and _LANE_WORD_RE.search(village):
            # 中山中路胭脂巷3号: a lane off the road, called by itself and with its road. A
            # lane word alone is no name (铁路胡同4号 read as 铁路 and 胡同: 铁路胡同 only).
            if _LANE_WORD_RE.fullmatch(village):
                ways.append(key + village)
            else:
                ways.extend((village, key + village))
    elif compound:
        key = canonical(compound)
        if _LANE_END_RE.search(key) and not _LANE_END_RE.fullmatch(key):
            ways.append(key)
            split = _VILLAGE_HAMLET_RE.match(key)
            if split and _LANE_END_RE.search(split.group(2)):
                ways.append(split.group(2))
    return ways


def front_of(text: str, phrase: str) -> str:
    """The clause of `text` that holds `phrase`, from its start (after the sentence's lead-in:
    市民反映 …): where the names of the place's city, district or town are said."""
    t = canonical(text)
    at = t.find(phrase[:4]) if phrase else -1
    if at < 0:
        return ""
    start = max((t.rfind(mark, 0, at) for mark in "，。；;！!？?,"), default=-1) + 1
    return landmark_words(t[start : at + len(phrase)]) if start < at else t[at : at + len(phrase)]


def _shared_len(name: str, shared: set[str]) -> int:
    return max((len(area) for area in shared if name.startswith(area)), default=0)


def _samples_of(geometry: BaseGeometry, *, side: float = 0.0) -> list[tuple[float, float]]:
    """Points along a way named alone, its mouths left off: a lane that ends on a border road
    is the lane, not the road it opens onto. With ``side``, the whole line and that far
    either side of it."""
    points: list[tuple[float, float]] = []
    for line in _lines_of(geometry):
        trim = WAY_MOUTH_M if line.length > 3 * WAY_MOUTH_M and not side else 0.0
        start, end = trim, line.length - trim
        steps = max(1, int((end - start) / SAMPLE_STEP_M))
        on_line = [line.interpolate(start + (end - start) * i / steps) for i in range(steps + 1)]
        points += [(p.x, p.y) for p in on_line]
        if side:
            points += [q for p in on_line for q in _disc(p.x, p.y, side)[1:]]
    if not points:
        points = [(float(x), float(y)) for x, y in shapely.get_coordinates(geometry)]
    return points


def _disc(x: float, y: float, radius: float) -> list[tuple[float, float]]:
    points = [(x, y)]
    for share in (0.5, 1.0):
        for k in range(12):
            points.append(_ahead(x, y, k * 30.0, radius * share))
    return points


def _ahead(x: float, y: float, bearing: float, metres: float) -> tuple[float, float]:
    ux, uy = unit_vector(bearing)
    return x + ux * metres, y + uy * metres


def _sectors(arms: list[float]) -> list[tuple[float, float]]:
    """The sectors between a crossing's arms as (bisector bearing, width)."""
    if len(arms) < 2:
        return []
    sectors = []
    for i, start in enumerate(arms):
        end = arms[(i + 1) % len(arms)]
        width = (end - start) % 360 or 360.0
        sectors.append(((start + width / 2) % 360, width))
    return sectors
