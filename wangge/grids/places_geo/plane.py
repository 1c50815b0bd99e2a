"""Shapes in the local plane (metres east and north of the data's centre): the points and
lines of a geometry, bearings, and the samples a place is checked at.

Apart from the index and the reader, which both measure with them.
"""

from __future__ import annotations

import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from wangge.grids.addresses.placetext import unit_vector

# Lines are sampled this often (metres).
SAMPLE_STEP_M = 12.0
# A way named alone is sampled this far in from each end (its mouth is the road it opens onto).
WAY_MOUTH_M = 10.0


def points_of(geometry: BaseGeometry | None) -> list[Point]:
    """Where two roads' lines meet, from their intersection: its points, a shared stretch's
    middle."""
    if geometry is None or geometry.is_empty:
        return []
    kind = geometry.geom_type
    if kind == "Point":
        return [geometry]
    if kind in ("LineString", "LinearRing"):
        # Roads running along each other share a stretch: its middle is where they meet.
        return [geometry.interpolate(0.5, normalized=True)]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in points_of(g)]
    return [geometry.centroid]


def lines_of(geometry: BaseGeometry) -> list[LineString]:
    """The lines of a geometry; none of points."""
    if isinstance(geometry, LineString):
        return [geometry]
    if isinstance(geometry, MultiLineString) or hasattr(geometry, "geoms"):
        return [g for g in geometry.geoms if isinstance(g, LineString)]
    return []


def ends_of(geometry: BaseGeometry) -> list[Point]:
    """Both ends of each line of a geometry (a road's, a bridge's); none of points."""
    return [Point(p) for line in lines_of(geometry) for p in (line.coords[0], line.coords[-1])]


def angle_between(a: float, b: float) -> float:
    """The angle between two bearings, in degrees (0 to 180)."""
    d = abs(a - b) % 360
    return min(d, 360 - d)


def disc_around(x: float, y: float, radius: float) -> list[tuple[float, float]]:
    """A point and two rings of twelve round it, at half and all of ``radius``."""
    points = [(x, y)]
    for share in (0.5, 1.0):
        for k in range(12):
            points.append(point_ahead(x, y, k * 30.0, radius * share))
    return points


def point_ahead(x: float, y: float, bearing: float, metres: float) -> tuple[float, float]:
    """The point ``metres`` from (x, y) along ``bearing``."""
    ux, uy = unit_vector(bearing)
    return x + ux * metres, y + uy * metres


def sectors_between(arms: list[float]) -> list[tuple[float, float]]:
    """The sectors between a crossing's arms as (bisector bearing, width)."""
    if len(arms) < 2:
        return []
    sectors = []
    for i, start in enumerate(arms):
        end = arms[(i + 1) % len(arms)]
        width = (end - start) % 360 or 360.0
        sectors.append(((start + width / 2) % 360, width))
    return sectors


def _edge_steps(edge: float) -> tuple[tuple[float, float], ...]:
    return ((edge, 0.0), (-edge, 0.0), (0.0, edge), (0.0, -edge))


def samples_along(
    geometry: BaseGeometry, *, side: float = 0.0, edge: float = 0.0
) -> list[tuple[float, float]]:
    """Points along a way named alone, its mouths left off: a lane that ends on a border road
    is the lane, not the road it opens onto. With ``side``, the whole line and that far
    either side of it; with ``edge``, its trimmed line and that little either side (a lane
    drawn along a border is in both grids, not in whichever a point on the border falls)."""
    points: list[tuple[float, float]] = []
    for line in lines_of(geometry):
        trim = WAY_MOUTH_M if line.length > 3 * WAY_MOUTH_M and not side else 0.0
        start, end = trim, line.length - trim
        steps = max(1, int((end - start) / SAMPLE_STEP_M))
        on_line = [line.interpolate(start + (end - start) * i / steps) for i in range(steps + 1)]
        points += [(p.x, p.y) for p in on_line]
        if side:
            points += [q for p in on_line for q in disc_around(p.x, p.y, side)[1:]]
        elif edge:
            points += [(p.x + dx, p.y + dy) for p in on_line for dx, dy in _edge_steps(edge)]
    if not points:
        points = [(float(x), float(y)) for x, y in shapely.get_coordinates(geometry)]
    return points


def half_toward(
    geometry: BaseGeometry, direction: str, *, edge: float = 0.0
) -> list[tuple[float, float]]:
    """The points of a way (its line, or the houses it is known by) in its half lying that
    way (北: the northern half of its north–south extent)."""
    points = samples_along(geometry, edge=edge)
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    if direction in "南北":
        middle = (min(ys) + max(ys)) / 2
        return [(x, y) for x, y in points if (y >= middle if direction == "北" else y <= middle)]
    middle = (min(xs) + max(xs)) / 2
    return [(x, y) for x, y in points if (x >= middle if direction == "东" else x <= middle)]
