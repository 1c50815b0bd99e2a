"""Reading a place described without a building (a crossing or its corner, an offset from a
landmark, near a landmark, a lane or 组 named alone) against a `PlaceIndex`, and answering it
with a micro-grid, a choice among micro-grids, or a refusal.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import Any

import shapely
from django.utils.translation import gettext_noop as N_
from shapely.geometry import LineString, MultiLineString, Point

from wangge.grids.addresses.placetext import (
    BEARINGS,
    BUILDING_NUMBER_RE,
    CONNECTORS,
    CROSSING_ALONE,
    DIRECTION_WORDS,
    LOOSE_REACH,
    NEAR_RE,
    PLAIN_NEAR_WORDS,
    TURNED_PAST_RE,
    UNKNOWN_CROSSING_RE,
    VAGUE_REACH,
    VAGUE_WORDS,
    Distance,
    Offset,
    beside_first,
    corner_after,
    find_offset,
    junction_after,
    landmark_words,
    past_a_crossing,
    unit_vector,
)
from wangge.grids.places_geo import barriers
from wangge.grids.places_geo.index import PlaceIndex, Way
from wangge.grids.places_geo.names import GROUP_ONLY_RE, canonical
from wangge.grids.places_geo.plane import (
    angle_between,
    disc_around,
    ends_of,
    half_toward,
    lines_of,
    point_ahead,
    samples_along,
    sectors_between,
)
from wangge.grids.places_geo.results import Landmark, PlaceResult

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
# A landmark known by many buildings (a 小区) is one place only when they are this close. A
# place near it or offset from it is answered only where the region round every one of them
# (or, for an offset, the band widened by half the spread) lies in one micro-grid.
LANDMARK_SPREAD_M = 400.0
# The fewest houses a micro-grid holds to stand for its whole village named alone: more
# than a 村委会 and its 卫生室, which may be all a district imported of a village.
VILLAGE_MIN_HOUSES = 3
# A gate (北门) is this far out from the compound's outermost building that way.
GATE_OUT_M = 15.0
# 省/市/区/县 names in front of a landmark's words, which its building's names may not carry.
_FRONT_NAMES_RE = re.compile(r"^(?:[\u3400-\u9fff]{2,8}?(?:省|市|区|县))+")
# The buildings of a landmark near which a place is looked for (a 小区's first ones).
MAX_SPOTS = 40
# How far either side of a way named alone is looked at: a lane drawn along a micro-grid
# border lies in both grids (a border's line belongs to both sides).
BORDER_EDGE_M = 1.0
_GATE_RE = re.compile(r"(东|西|南|北|正|大|后|侧)门$")
# 那个利群, 这家银行: words that point at a landmark without naming another one.
_DEMONSTRATIVE_RE = re.compile(r"(?:那个|这个|那家|这家|那|这)$")
_CORNER_END_RE = re.compile(r"(?:的)?(?:东北|东南|西北|西南|东|西|南|北)(?:角|侧|边|面|方向|口|处)")
# A 乡, 镇 or 街道 named just before the first name the data knows, which the data does not know
# itself (it would have been read as a name): 小返乡 in 小返乡庙湾村.
_UNIT_BEFORE_RE = re.compile(r"[\u3400-\u9fff]{2,6}(?:乡|镇|街道)$")
# Words after a crossing that say "around it" rather than at it (路口那块, 红绿灯附近).
_AROUND_RE = re.compile(
    r"的?(?:"
    + "|".join(
        sorted(
            VAGUE_WORDS
            | {"附近", "周边", "周围", "一带", "那边", "那里", "那儿", "那点", "哪点", "这块"}
            | {"这边", "旁边", "边仔", "边上"},
            key=len,
            reverse=True,  # 那一块 before 那块
        )
    )
    + ")"
)
# After one way's name: where it turns (四川's 倒拐, 拐弯, 拐角, 转弯) — any bend of its line
# or either end; where it ends (走到底, 尽头, 到头).
_CORNER_UNSAID_RE = re.compile(r"把角儿?")
_BEND_RE = re.compile(r"的?(?:倒拐|拐弯|拐角|转弯|转拐)")
# Inside a lane (泰兴里里头, 安民巷里面): anywhere in it, its mouths too.
_INSIDE_WAY_RE = re.compile(r"(?:里头|里面|里边|里厢)")
# 赵家屯靠北边儿: the part of the place lying that way — its half that way, as far as the words
# reach. 北边 without 靠 is as often north *of* the place, and is not read so.
_PART_RE = re.compile(r"靠(?P<dir>[东西南北])(?:边|头|面|侧)儿?")
# 走到头: the last stretch of the way before its end, and that far either side.
WAY_END_STRETCH_M, WAY_END_REACH_M = 100.0, 30.0
# A lane opens on a road when one of its ends is this near the road's line.
ENTRY_TOUCH_M = 30.0
_TOWARD_RE = re.compile(rf"(?:一直)?(?:往|向|朝)(?P<dir>{DIRECTION_WORDS})(?:边|面|方向)?(?:一直)?")
_TURNED_INTO_RE = re.compile(r"(?:拐进|拐入|进入|走进|进|拐到)")
_WAYS_END_RE = re.compile(r"(?:一直)?(?:走到底|走到头|到底|到头|的?尽头|的?顶头)")
# What a road's name ends in when it is long (a 路 or 街, not a 巷 or 弄).
# 广州's 横街 and 直街 are lanes off a street, as short as a 巷 (华贵横街, 庙前直街).
_LONG_ROAD_RE = re.compile(r"(?:路|(?<![横直])街|大街|大道|道|马路|公路)$")


class PlaceReader:
    """Reads a place description against a `PlaceIndex` and locates it with `locator`
    (`indexes.grid_index()`: the memory engine's or PostGIS). `buildings_named` gives the
    building a landmark's words name (the resolver's answer), or none; `houses_of` counts, per
    micro-grid given, the buildings whose address carries a name (a village's houses);
    `building_of` gives a building's address and aliases."""

    def __init__(
        self,
        index: PlaceIndex,
        locator: Any,  # `indexes.grid_index()`: GridIndex or PostGIS, both `locate_many`
        buildings_named: Callable[[str], list[int]],
        near_radius_m: float,
        houses_of: Callable[[str, Sequence[int]], Mapping[int, int]] = lambda n, g: {},
        building_of: Callable[[int], tuple[str, Sequence[str]] | None] = lambda pk: None,
    ) -> None:
        self.index = index
        self.locator = locator
        self.buildings_named = buildings_named
        self.near_radius_m = near_radius_m
        self.houses_of = houses_of
        self.building_of = building_of

    # -------------------------------------------------------------- entry points

    def described(self, text: str) -> PlaceResult | None:
        """A crossing, an offset or a near phrase in `text`: where it is, or why not. None
        when the text describes no such place (it may still name a building or a lane)."""
        t = beside_first(canonical(text))
        water = barriers.read(self.index, t, self._landmark_point, self.near_reach)
        if water is not None:
            if water.refused:
                return PlaceResult("refused", water.how, water.phrase, reason=water.refused)
            return self._answer(water.samples, water.at, water.how, water.phrase)
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
            # 路口拐过去往东走50米: the turn is the way there; the offset says where it ends.
            via = TURNED_PAST_RE.match(t, phrase_end)
            lead = via.end() if via is not None else phrase_end
            offset = find_offset(t[lead - 1 :]) if lead < len(t) else None
            if offset is not None and offset.start > 3:
                offset = None
            if offset is not None:
                phrase = t[start : lead - 1 + offset.end]
                origin = self._crossing_landmark(names, phrase)
                if isinstance(origin, PlaceResult):
                    return origin
                return self._offset_place(origin, offset, phrase)
            phrase = t[start:phrase_end]
            turned = TURNED_PAST_RE.match(t, phrase_end)
            if turned is not None:
                # 路口拐过去, 路口过去一点: beyond the crossing, which way unsaid.
                why = N_("未说明往哪个方向，请补充方向")
                return PlaceResult("refused", "offset", t[start : turned.end()], reason=why)
            around = _AROUND_RE.match(t, phrase_end) if corner is None else None
            if around is None and corner is None:
                # 把角儿: at the corner, which one unsaid: as loosely round it as 附近 or wider.
                around = _CORNER_UNSAID_RE.search(t, start, end)
            return self._crossing_place(names, corner, phrase, around=around)
        if UNKNOWN_CROSSING_RE.search(t):
            found = UNKNOWN_CROSSING_RE.search(t)
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
            # 安大门口 is 安大 | 门口: a name the data knows may end inside the near word.
            for cut in range(near.start() + 1, near.end() - 1):
                later = NEAR_RE.match(t, cut)
                if later and (named := self.index.names_in(t[:cut])) and named[-1][1] == cut:
                    near = later
                    break
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
        if BUILDING_NUMBER_RE.search(rest) or any(
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
        # 从临顿路拐进钮家巷走到底: the road turned in from says which end, and is not the place.
        entry: dict[str, Any] = {}
        for (_s1, e1, n1), (s2, e2, n2) in pairwise(list(ways)):
            if _TURNED_INTO_RE.fullmatch(t[e1:s2]) and _WAYS_END_RE.match(t, e2):
                road, lane = self.index.ways[n1].geometry, self.index.ways[n2]
                lane_ends = [
                    Point(p)
                    for line in (lines_of(lane.geometry) if lane.is_road else [])
                    for p in (line.coords[0], line.coords[-1])
                ]
                if not lane_ends or min(road.distance(p) for p in lane_ends) > ENTRY_TOUCH_M:
                    # A lane that does not open on the road said: words that do not fit.
                    why = N_("所说巷子不通往该道路，请核实")
                    return PlaceResult("refused", "way", t[: e2 + 3], reason=why)
                entry[n2] = road
                ways = [w for w in ways if w[2] != n1]
        areas = [n for _s, _e, n in named if n in self.index.areas and n not in self.index.ways]
        if not ways and not areas:
            return None
        if any(
            t[e : e + 1] == "村" and n in self.index.ways and "村" not in n for _s, e, n in named
        ):
            # 上庄村 where the data knows only 窑头村's 自然村 上庄: a 行政村 of that name is not
            # ours, and reading it as the 自然村 would be a guess (after its 行政村, 港口村万家村
            # is that village's 自然村, as its houses may be written).
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
        said: dict[str, str] = {}  # a way's words with the part of it they name (…靠北边)
        part_points: dict[str, Any] = {}  # and that part's middle
        for _s, e, name in ways:
            way = self.index.ways[name]
            lane_mouth = t[e : e + 1] == "口" and not _LONG_ROAD_RE.search(name)
            bend = _BEND_RE.match(t, e) is not None
            # 南京路往西走到头: the end that lies that way.
            toward = _TOWARD_RE.match(t, e)
            if toward is not None and not _WAYS_END_RE.match(t, toward.end()):
                toward = None
            if toward is not None or name in entry:
                ends = self._far_end(way, toward, entry.get(name))
                if not ends:
                    return PlaceResult(
                        "refused", "way", phrase, reason=N_("巷口位置不明，请说明靠哪条路")
                    )
                located = self._micro_ids(ends)
            elif lane_mouth or bend or _WAYS_END_RE.match(t, e):
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
            elif (part := _PART_RE.match(t, e)) is not None:
                half = half_toward(way.geometry, part.group("dir"), edge=BORDER_EDGE_M)
                located = self._micro_ids(half)
                said[name] = t[_s : part.end()]
                part_points[name] = shapely.centroid(shapely.multipoints(half))
            elif _INSIDE_WAY_RE.match(t, e):
                # 泰兴里里头: anywhere in the lane, its mouths too, and a stretch's width
                # either side of its line.
                located = self._micro_ids(samples_along(way.geometry, side=OFFSET_HALF_WIDTH_M))
            else:
                located = self._micro_ids(samples_along(way.geometry, edge=BORDER_EDGE_M))
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
                    return self._grid_place(grid, "way", said.get(name, name))
                point = part_points.get(name) or shapely.point_on_surface(way.geometry)
                if name not in part_points and isinstance(
                    way.geometry, (LineString, MultiLineString)
                ):
                    point = (
                        way.geometry.interpolate(0.5, normalized=True)
                        if isinstance(way.geometry, LineString)
                        else shapely.centroid(way.geometry)
                    )
                lon, lat = self.index.wgs84(point.x, point.y)
                return PlaceResult(
                    "place", "way", said.get(name, name), lon=lon, lat=lat, micro_grid_id=grid
                )
        ids: list[int | None] = [i for _n, group in sets for i in group]
        return self._choice(ids, "way", phrase, reason=N_("所说道路、巷或组跨多个微网格"))

    def _far_end(
        self, way: Way, toward: re.Match[str] | None, away_from: Any
    ) -> list[tuple[float, float]]:
        """Where a way ends that way (toward) or away from the road turned in from: the last
        100 m of the line before that end, and 30 m round it. None for a way known only by
        its houses (no ends known)."""
        ends = ends_of(way.geometry) if way.is_road else []
        if not ends:
            return []
        if toward is not None:
            ux, uy = unit_vector(BEARINGS[toward.group("dir")])
            end = max(ends, key=lambda p: p.x * ux + p.y * uy)
        else:
            end = max(ends, key=lambda p: float(away_from.distance(p)))
        stretch = [
            p
            for p in samples_along(way.geometry, side=WAY_END_REACH_M)
            if end.distance(Point(p)) <= WAY_END_STRETCH_M + WAY_END_REACH_M
        ]
        return disc_around(end.x, end.y, WAY_END_REACH_M) + stretch

    def _mouths_of(
        self, way: Way, *, bends: bool = False, reach: float = 1.0
    ) -> list[tuple[float, float]]:
        """Near either end of the way's line; with ``bends``, near where it turns (every
        vertex that is not an end), or its ends when it runs straight (where one turns off
        it into another road)."""
        lines = lines_of(way.geometry) if way.is_road else []
        ends = [(x, y) for line in lines for x, y in (line.coords[0], line.coords[-1])]
        if bends:
            turns = [(x, y) for line in lines for x, y in line.coords[1:-1]]
            ends = turns or ends
        return [p for x, y in ends for p in disc_around(x, y, self.near_radius_m * reach)]

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
            samples = disc_around(crossing.x, crossing.y, radius)
            return self._answer(samples, (crossing.x, crossing.y), "crossing", phrase)
        arms = self.index.arms(crossing, names)
        sectors = sectors_between(arms)
        chosen = [
            (middle, width)
            for middle, width in sectors
            if angle_between(middle, corner) <= CORNER_MAX_OFF_DEG
            # The open side of a T or an L (公园南路 and 公园西路 meet at their ends: 西北角 is
            # outside the bend): any corner word it holds clear of its arms.
            or (
                width > CORNER_OPEN_SIDE_DEG
                and angle_between(middle, corner) <= width / 2 - CORNER_ARM_CLEAR_DEG
            )
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
            point_ahead(crossing.x, crossing.y, middle + turn, radius)
            for radius in (CORNER_NEAR_M, (CORNER_NEAR_M + CORNER_FAR_M) / 2, CORNER_FAR_M)
            for turn in (-spread, 0.0, spread)
        ]
        at = point_ahead(crossing.x, crossing.y, middle, (CORNER_NEAR_M + CORNER_FAR_M) / 2)
        return self._answer(samples, at, "corner", phrase)

    # -------------------------------------------------------------- landmarks

    def names_water_or_rail(self, text: str) -> bool:
        """Whether `text` names a bridge, a river or a railway of the data (or 铁道): read as
        a place description even without a junction, offset or near word (星桥北堍)."""
        return barriers.names_one(self.index, canonical(text))

    def _landmark_point(self, words: str, phrase: str) -> Point | str:
        """Where a landmark is (its centre), or the reason it is not placed."""
        found = self._landmark(words, phrase)
        if isinstance(found, PlaceResult):
            return found.reason or N_("参照物在数据中找不到或不唯一")
        return found.points

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
        found = self.building_of(building_id)
        texts = [t for t in self.index.texts_of(*found) if t] if found else []
        core = _FRONT_NAMES_RE.sub("", words)
        if any(core in t for t in texts):
            return True
        for t in texts:
            at = words.find(t)
            if at < 0:
                continue
            # Only the district's places, a demonstrative or the building's own address may
            # stand before its name: 台东利群 is the 利群 of 台东, another branch of the chain.
            before = _DEMONSTRATIVE_RE.sub("", _FRONT_NAMES_RE.sub("", words[:at]))
            if not before or any(before in u for u in texts if u != t):
                return True
        return False

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
        radius = landmark.radius
        if landmark.exact:
            # A crossing's width: a distance counted from its edge only adds to it.
            low, high = distance.low, distance.high + radius
        else:
            # Where the landmark stands and how far the words say are independent errors:
            # they add in quadrature, not end to end (约150米 from a door known to 10 m is
            # 118–182 m, not 110–190 m).
            said = distance.nominal
            low = max(0.0, said - math.hypot(said - distance.low, radius))
            high = said + math.hypot(distance.high - said, radius)
        samples = []
        steps = max(4, math.ceil((high - low) / OFFSET_SAMPLE_M))
        for step in range(steps + 1):
            d = low + (high - low) * step / steps
            # Never narrower than the band's floor; the way's drift (a tenth of the distance)
            # and the landmark's spread add in quadrature beyond it.
            half = max(
                OFFSET_HALF_WIDTH_M + radius / 2,
                math.hypot(OFFSET_HALF_WIDTH_SHARE * d, radius / 2),
            )
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
            samples = [p for x, y in landmark.spots for p in disc_around(x, y, reach)]
        else:
            radius = reach + (landmark.radius if landmark.radius > 10 else 0.0)
            samples = disc_around(origin.x, origin.y, radius)
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


def _shared_len(name: str, shared: set[str]) -> int:
    return max((len(area) for area in shared if name.startswith(area)), default=0)
