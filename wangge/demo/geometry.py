"""Plausible sample geometry: parents tiled by their children, down to micro-grids.

Children are Voronoi cells of relaxed random seeds, clipped to the parent, so siblings share
borders exactly and always tile the parent; cells are numbered west to east, then north to
south, as the unit-grid coding practice (GB/T 30428.1) does.
"""

import random
from typing import Any

import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

PRECISION = 1e-7  # about 1 cm


def district_outline(
    rng: random.Random, west: float, south: float, east: float, north: float
) -> Polygon:
    """A rectangle with jittered edges, so the district does not look like a box."""
    pts: list[tuple[float, float]] = []
    steps = 5
    w, h = east - west, north - south
    for i in range(steps):
        pts.append((west + w * i / steps, south + rng.uniform(-0.03, 0.03) * h))
    for i in range(steps):
        pts.append((east + rng.uniform(-0.03, 0.03) * w, south + h * i / steps))
    for i in range(steps):
        pts.append((east - w * i / steps, north + rng.uniform(-0.03, 0.03) * h))
    for i in range(steps):
        pts.append((west + rng.uniform(-0.03, 0.03) * w, north - h * i / steps))
    return _clean(Polygon(pts))


def _clean(geom: BaseGeometry) -> Any:
    return shapely.set_precision(shapely.make_valid(geom), PRECISION)


def _sample_inside(rng: random.Random, poly: BaseGeometry, n: int) -> list[tuple[float, float]]:
    minx, miny, maxx, maxy = poly.bounds
    shapely.prepare(poly)
    pts: list[tuple[float, float]] = []
    while len(pts) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(poly, x, y):
            pts.append((x, y))
    return pts


def tessellate(rng: random.Random, parent: BaseGeometry, n: int, relax: int = 3) -> list[Any]:
    """Split `parent` into `n` cells that tile it, ordered west→east within north→south bands."""
    if n <= 1:
        return [parent]
    seeds = _sample_inside(rng, parent, n)
    cells: list[Any] = []
    for round_ in range(relax + 1):
        diagram = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=parent)
        raw = [c.intersection(parent) for c in diagram.geoms]
        cells = [c for c in raw if not c.is_empty and c.area > 0]
        if round_ < relax:
            # Lloyd relaxation: move each seed to its cell's centre for evenly sized cells.
            seeds = [
                (c.representative_point().x, c.representative_point().y)
                if not parent.contains(c.centroid)
                else (c.centroid.x, c.centroid.y)
                for c in cells
            ]
    cleaned = [_clean(c) for c in cells]
    cleaned = [c for c in cleaned if not c.is_empty and c.geom_type in ("Polygon", "MultiPolygon")]
    minx, miny, maxx, maxy = parent.bounds
    rows = max(1, round(len(cleaned) ** 0.5 * (maxy - miny) / max(maxx - minx, 1e-9)))
    band = (maxy - miny) / rows or 1.0

    def order(c: Any) -> tuple[int, float]:
        p = c.representative_point()
        return (int((maxy - p.y) / band), p.x)

    return sorted(cleaned, key=order)


def small_site(rng: random.Random, centre: Point, half_w_m: float, half_h_m: float) -> Any:
    """A rotated rectangle of the given half sizes (metres) around `centre`: an exclusive grid."""
    dx, dy = half_w_m / 92_000, half_h_m / 111_000  # degrees per metre around lat 34.75
    rect = Polygon(
        [
            (centre.x - dx, centre.y - dy),
            (centre.x + dx, centre.y - dy),
            (centre.x + dx, centre.y + dy),
            (centre.x - dx, centre.y + dy),
        ]
    )
    return _clean(affinity.rotate(rect, rng.uniform(-25, 25), origin=centre))


EDGE_MARGIN = 2e-5  # about 2 m: a building never stands on a grid's boundary line


def random_point_in(rng: random.Random, poly: BaseGeometry) -> tuple[float, float]:
    """A point well inside `poly`, after the rounding it is stored with.

    A point within centimetres of the edge can round across it (or into the hairline gap that
    precision snapping leaves between neighbours), and the building would then locate to no grid
    or the neighbour's; keep a margin from the edge unless the shape is too thin to allow one.
    """
    edge = poly.boundary
    for attempt in range(200):
        x, y = _sample_inside(rng, poly, 1)[0]
        x, y = round(x, 7), round(y, 7)
        if not shapely.contains_xy(poly, x, y):
            continue
        if attempt < 150 and shapely.distance(edge, Point(x, y)) < EDGE_MARGIN:
            continue
        return x, y
    raise ValueError("no point fits inside this shape")


def as_geojson(geom: BaseGeometry) -> dict[str, Any]:
    return dict(mapping(geom))
