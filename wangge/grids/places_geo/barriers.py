"""Places said by the railways, rivers and bridges of the road file: 星桥北堍, 觅渡桥下,
过了言桥往北, 石家庄站往北过了铁道, 顺着紫金山路往北过了复兴河再走五十米.

Each reading gives the region its words allow as points in the local plane; the reader answers
the region's micro-grid only when every point lies in one (`PlaceReader._answer`), so a loose
reading is a refusal, never a guess. Where the words allow a narrow and a wide reading, the
wide one is taken.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import shapely
import shapely.ops
from django.utils.translation import gettext_noop as N_
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from wangge.grids.addresses.placetext import (
    BEARINGS,
    DIRECTION_WORDS,
    DISTANCE_WORDS,
    NEAR_RE,
    Distance,
    find_offset,
    landmark_words,
    read_distance,
    says_an_offset,
    unit_vector,
)
from wangge.grids.places_geo.index import RAILWAY, RIVER, PlaceIndex
from wangge.grids.places_geo.plane import disc_around, ends_of, samples_along

# A bridge's foot (堍) and its top: as far round as the ends' own width.
BRIDGE_END_M = 30.0
# Under a bridge: the river's line this far either way of the bridge's middle.
UNDER_BRIDGE_M = 50.0
# Past a bridge, a railway or a river with no distance said: this far on, that way.
PAST_NO_DISTANCE_M = 150.0
PAST_BARRIER_NO_DISTANCE_M = 300.0
# How far a landmark's way is followed to the first railway or river met.
RAY_M = 3000.0
# Two crossings of a road and a river nearer than this are one (a bridge's two edges).
SAME_CROSSING_M = 30.0
# Half the width of a band past the origin, as an offset's.
BAND_HALF_WIDTH_M = 20.0
BAND_STEP_M = 8.0

_DIR = f"(?:{DIRECTION_WORDS})"
_TURN_RE = re.compile(
    rf"(?:以后|后)?[，,]?(?:再)?(?:往|向|朝)?(?P<dir>{_DIR})(?:边|面|方向)?(?:直行|走|行|开)?"
    r"(?:了|个)?"
)
_DIST_AHEAD_RE = re.compile(
    r"(?:以后|后)?[，,]?(?:再|往前|继续|接着)?(?:走|行|开)?(?:了|个)?"
    rf"(?P<d>{DISTANCE_WORDS})"
)
_FOOT_RE = re.compile(r"(?P<side>东|西|南|北)?(?:桥)?堍")
_UNDER_RE = re.compile(r"(?:下面|下边|底下|下头|洞下|洞|下)")
_ON_RE = re.compile(r"(?:上面|上边|上头|上)")
# 河对面 after a landmark: the river nearest it within this, the far bank as far along as
# ACROSS_ALONG_M either way and up to ACROSS_BEYOND_M beyond the centreline.
ACROSS_RIVER_MAX_M, ACROSS_ALONG_M, ACROSS_BEYOND_M = 150.0, 50.0, 60.0
_ACROSS_RIVER_RE = re.compile(r"(?:隔河|河对面|河对岸|河那边|河对过儿?)")
_CAME_RE = re.compile(rf"(?:往|向|朝)(?P<dir>{_DIR})(?:边|面|方向)?(?:直行|走|行|开)?(?:了|个)?$")
_PAST_RE = re.compile(r"(?:过了|过完|过)$")
# 过了桥 with no bridge named: the bridge of the road said before it, if it has one.
_UNNAMED_BRIDGE_RE = re.compile(r"(?:过了|过完)桥")
# A door number right after a name: the name is the road of an address.
_DOOR_AFTER_RE = re.compile(r"[0-9]+(?:号|弄|巷)")
# A bridge is a road's when its line lies this near the road's.
BRIDGE_ON_ROAD_M = 5.0
ANY_RAILWAY = ("铁道", "铁路", "火车道", "铁轨")


@dataclass(slots=True)
class Region:
    """What the words allow, or why they cannot be placed (`refused`, a reason)."""

    how: str
    phrase: str
    samples: list[tuple[float, float]] = field(default_factory=list)
    at: tuple[float, float] = (0.0, 0.0)
    refused: str = ""


LandmarkOf = Callable[[str, str], Point | str]


def read(
    index: PlaceIndex, t: str, landmark_of: LandmarkOf, near_reach: Callable[[str], float]
) -> Region | None:
    """The region a bridge, a railway or a river in canonical text ``t`` says, or None when
    the text names none of them (or names one in no way read here). `landmark_of(words,
    phrase)` gives a landmark's point, or a refusal's reason."""
    if not (index.bridges or index.barriers) and not any(w in t for w in ANY_RAILWAY):
        return None
    longer = index.names_in(t)

    def inside_a_name(start: int, end: int) -> bool:
        # 星桥新村, 人民桥路5号, 铁路宿舍: a compound or a road named after it, not it.
        return any(s <= start and end <= e and e - s > end - start for s, e, _n in longer)

    for start, end, name in index.barrier_names_in(t):
        if inside_a_name(start, end) or _DOOR_AFTER_RE.match(t, end):
            # 秦岭桥1号: a door numbered on a road named for its bridge is an address.
            continue
        if name in index.bridges:
            found = _bridge(index, t, start, end, name, near_reach)
        else:
            found = _past_barrier(index, t, start, end, name, landmark_of)
        if found is not None:
            return found
    unnamed = _UNNAMED_BRIDGE_RE.search(t)
    if unnamed is not None and index.bridges:
        found = _past_the_bridge_of(index, t, unnamed)
        if found is not None:
            return found
    across = _ACROSS_RIVER_RE.search(t)
    if across is not None and across.start() > 0 and RIVER in index.barrier_union:
        return _across_river(index, t, across, landmark_of)
    for word in ANY_RAILWAY:
        at = t.find(word)
        if at > 0 and RAILWAY in index.barrier_union and not inside_a_name(at, at + len(word)):
            found = _past_barrier(index, t, at, at + len(word), "", landmark_of)
            if found is not None:
                return found
    return None


def names_one(index: PlaceIndex, t: str) -> bool:
    """Whether canonical text ``t`` names a bridge, a river or a railway of the data (or 铁道),
    or passes a bridge it does not name (过了桥)."""
    return (
        bool(index.barrier_names_in(t))
        or (bool(index.barrier_union) and any(w in t for w in ANY_RAILWAY))
        or (bool(index.bridges) and _UNNAMED_BRIDGE_RE.search(t) is not None)
    )


# -------------------------------------------------------------------- bridges


def _bridge(
    index: PlaceIndex,
    t: str,
    start: int,
    end: int,
    name: str,
    near_reach: Callable[[str], float],
) -> Region | None:
    line = index.bridges[name]
    ends = ends_of(line)
    middle = shapely.centroid(line)
    past = _PAST_RE.search(t[:start])
    if past is not None:
        came = _CAME_RE.search(t[: past.start()])
        if came is None:
            return _past_bridge(t, start, end, line, ends, middle)
        return _past_bridge(t, came.start(), end, line, ends, middle, came.group("dir"))
    foot = _FOOT_RE.match(t, end)
    if foot is not None:
        phrase = t[start : foot.end()]
        side = foot.group("side")
        if side:
            ux, uy = unit_vector(BEARINGS[side])
            chosen = [max(ends, key=lambda p: p.x * ux + p.y * uy)]
        else:
            chosen = ends
        if says_an_offset(t[foot.end() :]):
            # 吴门桥北堍沿河往东走五十来米: from the foot, not at it.
            if len(chosen) > 1:
                return Region("offset", phrase, refused=N_("未说明从桥的哪一头算起"))
            return _offset_from(t, start, foot.end(), chosen[0])
        samples = [q for p in chosen for q in disc_around(p.x, p.y, BRIDGE_END_M)]
        return Region("near", phrase, samples, (chosen[0].x, chosen[0].y))
    if says_an_offset(t[end:]):
        # 星桥往北100米: from which end is not said; from the middle, as wide as the bridge.
        return _offset_from(t, start, end, middle, spread=shapely.length(line) / 2)
    near = NEAR_RE.match(t, end)
    if near is not None:
        reach = near_reach(near.group(0))
        samples = samples_along(line, side=reach)
        return Region("near", t[start : near.end()], samples, (middle.x, middle.y))
    under = _UNDER_RE.match(t, end)
    if under is not None:
        samples = samples_along(line, side=1.0)
        for kind, river in index.barriers.values():
            if kind == RIVER and river.distance(middle) <= UNDER_BRIDGE_M:
                near_middle = river.intersection(middle.buffer(UNDER_BRIDGE_M))
                samples += samples_along(near_middle, side=1.0) if not near_middle.is_empty else []
        return Region("near", t[start : under.end()], samples, (middle.x, middle.y))
    on = _ON_RE.match(t, end)
    stop = on.end() if on is not None else end
    # 觅渡桥上, or the bridge named alone with what happened on it: the bridge itself.
    samples = samples_along(line, side=BRIDGE_END_M)
    return Region("near", t[start:stop], samples, (middle.x, middle.y))


def _offset_from(t: str, start: int, end: int, origin: Point, *, spread: float = 0.0) -> Region:
    """An offset said after a bridge's foot (or the bridge): a band from it, or a refusal
    when the words give no way to go."""
    offset = find_offset(t[end - 1 :])
    if offset is None or offset.start > 6 or offset.bearing is None:
        return Region("offset", t[start:end], refused=N_("未说明往哪个方向，请补充方向"))
    distance = Distance(max(0.0, offset.distance.low - spread), offset.distance.high + spread)
    ux, uy = unit_vector(offset.bearing)
    nominal = offset.distance.nominal
    at = (origin.x + ux * nominal, origin.y + uy * nominal)
    phrase = t[start : end - 1 + offset.end]
    return Region("offset", phrase, _band(origin, offset.bearing, distance), at)


def _past_bridge(
    t: str,
    start: int,
    end: int,
    line: BaseGeometry,
    ends: list[Point],
    middle: Point,
    came_dir: str | None = None,
) -> Region:
    turn = _TURN_RE.match(t, end)
    phrase_end = turn.end() if turn is not None else end
    # 往北过了桥再往东: the way after the bridge; 沿石门沟路往南过了大沙沟桥: the way one came.
    way = turn.group("dir") if turn is not None else came_dir
    if way is None:
        # 过了星桥: which side is beyond depends on where one came from.
        return Region("offset", t[start:end], refused=N_("未说明往哪个方向，请补充方向"))
    bearing = BEARINGS[way]
    ux, uy = unit_vector(bearing)
    far = max(ends, key=lambda p: p.x * ux + p.y * uy)
    distance, phrase_end = _distance_after(t, phrase_end)
    if distance is None:
        samples = disc_around(far.x, far.y, BRIDGE_END_M)
        samples += _band(far, bearing, Distance(0.0, PAST_NO_DISTANCE_M))
        return Region("offset", t[start:phrase_end], samples, (far.x, far.y))
    # Counted from the far end, or (people count from where they stand) from the middle.
    samples = _band(far, bearing, distance) + _band(middle, bearing, distance)
    at = (far.x + ux * distance.nominal, far.y + uy * distance.nominal)
    return Region("offset", t[start:phrase_end], samples, at)


def _past_the_bridge_of(index: PlaceIndex, t: str, unnamed: re.Match[str]) -> Region | None:
    """顺着雁滩路往东过了桥: the one bridge of the road named, passed going that way. None
    when no road and way are said before it (the words are then read otherwise)."""
    lead = t[: unnamed.start()]
    came = _CAME_RE.search(lead)
    if came is None:
        return None
    words = lead[: came.start()]
    roads = index.road_names_in(words)
    if not roads or roads[-1][1] != len(words):
        return None
    road = index.ways[roads[-1][2]].geometry
    on_it = [line for line in index.bridges.values() if _carried_by(line, road)]
    phrase = t[roads[-1][0] : unnamed.end()]
    if len(on_it) != 1:
        why = N_("所说道路上没有桥") if not on_it else N_("所说道路上的桥不止一座，请说明桥名")
        return Region("offset", phrase, refused=why)
    line = on_it[0]
    ends = ends_of(line)
    middle = shapely.centroid(line)
    return _past_bridge(t, roads[-1][0], unnamed.end(), line, ends, middle, came.group("dir"))


def _carried_by(bridge: BaseGeometry, road: BaseGeometry) -> bool:
    """Whether the road runs over the bridge: both its ends on the road's line, not a bridge
    of a road crossing this one that only touches it at the junction."""
    ends = ends_of(bridge)
    return bool(ends) and all(end.distance(road) <= BRIDGE_ON_ROAD_M for end in ends)


# -------------------------------------------------------------------- railways and rivers


def _across_river(
    index: PlaceIndex, t: str, across: re.Match[str], landmark_of: LandmarkOf
) -> Region:
    """平江路91号河对面: the far bank of the river nearest the landmark, 50 m either way
    along it from the point across from the landmark, up to 60 m beyond its centreline."""
    words = landmark_words(t[: across.start()]).removesuffix("的")
    phrase = t[max(0, across.start() - len(words)) : across.end()]
    found = landmark_of(words, phrase)
    if isinstance(found, str):
        return Region("near", phrase, refused=found)
    river = index.barrier_union[RIVER]
    if river.distance(found) > ACROSS_RIVER_MAX_M:
        return Region("near", phrase, refused=N_("参照物附近没有河道"))
    foot = shapely.ops.nearest_points(river, found)[0]
    dx, dy = foot.x - found.x, foot.y - found.y
    norm = math.hypot(dx, dy)
    if norm < 1.0:
        return Region("near", phrase, refused=N_("参照物在河道上，无法判断对岸"))
    ux, uy = dx / norm, dy / norm
    bank = river.intersection(foot.buffer(ACROSS_ALONG_M))
    points = samples_along(bank) if not bank.is_empty else [(foot.x, foot.y)]
    samples = [
        (x + ux * beyond, y + uy * beyond)
        for x, y in points
        for beyond in (1.0, ACROSS_BEYOND_M / 3, 2 * ACROSS_BEYOND_M / 3, ACROSS_BEYOND_M)
    ]
    at = (foot.x + ux * 20.0, foot.y + uy * 20.0)
    return Region("near", phrase, samples, at)


def _past_barrier(
    index: PlaceIndex, t: str, start: int, end: int, name: str, landmark_of: LandmarkOf
) -> Region | None:
    """往北过了铁道, 顺着紫金山路往北过了复兴河再走五十米, 黑牛城道过了津河桥往东50米."""
    before = t[:start]
    past = _PAST_RE.search(before)
    if past is None:
        return None
    barrier = index.barriers[name][1] if name else index.barrier_union[RAILWAY]
    lead = before[: past.start()]
    came = _CAME_RE.search(lead)
    words = lead[: came.start()] if came is not None else lead
    stop = end + 1 if t.startswith("桥", end) else end  # 津河桥: where the road crosses it
    turn = _TURN_RE.match(t, stop)
    bearing_word = turn.group("dir") if turn is not None else (came.group("dir") if came else None)
    phrase_end = turn.end() if turn is not None else stop
    if bearing_word is None:
        return Region("offset", t[:stop], refused=N_("未说明往哪个方向，请补充方向"))
    bearing = BEARINGS[bearing_word]
    roads = index.road_names_in(words)
    origin: Point | None
    if roads and roads[-1][1] == len(words):
        road = index.ways[roads[-1][2]].geometry
        crossing = road.intersection(barrier)
        points = _distinct(crossing)
        if not points:
            return Region("offset", t[:stop], refused=N_("所说道路与河道或铁路不相交"))
        if len(points) > 1:
            return Region("offset", t[:stop], refused=N_("所说道路与河道或铁路相交不止一处"))
        origin = points[0]
        phrase_start = roads[-1][0]
    else:
        said = landmark_words(words)
        found = landmark_of(said, t[:stop])
        if isinstance(found, str):
            return Region("offset", t[:stop], refused=found)
        if came is None:
            return Region("offset", t[:stop], refused=N_("未说明往哪个方向，请补充方向"))
        origin = _first_met(found, BEARINGS[came.group("dir")], barrier)
        if origin is None:
            return Region("offset", t[:stop], refused=N_("这个方向上没有所说的河道或铁路"))
        phrase_start = max(0, len(words) - len(said))
    distance, phrase_end = _distance_after(t, phrase_end)
    if distance is None:
        distance = Distance(0.0, PAST_BARRIER_NO_DISTANCE_M)
    ux, uy = unit_vector(bearing)
    at = (origin.x + ux * distance.nominal, origin.y + uy * distance.nominal)
    return Region("offset", t[phrase_start:phrase_end], _band(origin, bearing, distance), at)


def _first_met(origin: Point, bearing: float, barrier: BaseGeometry) -> Point | None:
    ux, uy = unit_vector(bearing)
    ray = LineString([(origin.x, origin.y), (origin.x + ux * RAY_M, origin.y + uy * RAY_M)])
    points = _distinct(ray.intersection(barrier))
    return min(points, key=origin.distance) if points else None


def _distinct(geometry: BaseGeometry) -> list[Point]:
    """The points of an intersection, those nearer each other than SAME_CROSSING_M as one."""
    found: list[Point] = []
    if geometry.is_empty:
        return found
    parts = getattr(geometry, "geoms", [geometry])
    for part in parts:
        point = part if isinstance(part, Point) else shapely.centroid(part)
        if all(point.distance(p) >= SAME_CROSSING_M for p in found):
            found.append(point)
    return found


def _distance_after(t: str, pos: int) -> tuple[Distance | None, int]:
    found = _DIST_AHEAD_RE.match(t, pos)
    if found is None:
        return None, pos
    return read_distance(found.group("d")), found.end()


def _band(origin: Point, bearing: float, distance: Distance) -> list[tuple[float, float]]:
    """A band from ``origin`` that way, from the distance's low to its high, 20 m either side."""
    ux, uy = unit_vector(bearing)
    px, py = -uy, ux
    low, high = distance.low, distance.high
    steps = max(4, math.ceil((high - low) / BAND_STEP_M))
    samples = []
    for step in range(steps + 1):
        d = low + (high - low) * step / steps
        for lateral in (-BAND_HALF_WIDTH_M, 0.0, BAND_HALF_WIDTH_M):
            samples.append((origin.x + ux * d + px * lateral, origin.y + uy * d + py * lateral))
    return samples
