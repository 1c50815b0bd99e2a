"""Walking distance along the imported road network.

The roads of an area (`Road`, one row per feature of the operator's file) are joined where they
cross, cut into short steps and read as a graph of footpaths. A walk from a building to a place
is the straight leg from the building to the nearest point of the network, the way along the
network, and the straight leg from the network to the place. Where going straight is shorter
than merely reaching the roads (a building and a place in the same courtyard), the straight line
is the walk: nobody goes out to the road to come back in.

Distances are in metres on a local equirectangular projection about the area's latitude (over a
district its error is a fraction of a percent). The shortest ways from every place at once are a
multi-source Dijkstra over the graph: a street's network is a few thousand steps, so the
standard algorithm over heapq answers in milliseconds and no graph library is needed.
"""

import heapq
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, shape

from wangge.grids.coords import METRES_PER_DEGREE
from wangge.grids.models import STREET_KINDS, Road, RoadKind

# The longest step between two vertices of the graph: a building is put on the network at the
# vertex nearest the foot of its perpendicular, so this bounds that error to half a step.
STEP_M = 20.0


@dataclass(frozen=True)
class Walk:
    metres: float
    source: int  # the index of the place reached, in the order given to `from_places`
    by_road: bool  # False: the straight line (no way along the roads, or shorter than one)


class WalkingNetwork:
    """The footpaths of an area's roads, built once per report."""

    def __init__(self, lines: Sequence[LineString], lat0: float) -> None:
        self.kx = METRES_PER_DEGREE * math.cos(math.radians(lat0))
        self.ky = METRES_PER_DEGREE
        projected = [
            shapely.transform(line, lambda xy: xy * np.array([self.kx, self.ky])) for line in lines
        ]
        # unary_union nodes the lines: two roads that cross share a vertex where they cross.
        noded = shapely.segmentize(shapely.unary_union(projected), STEP_M)
        parts = list(noded.geoms) if isinstance(noded, MultiLineString) else [noded]
        index: dict[tuple[float, float], int] = {}
        coords: list[tuple[float, float]] = []
        self.adjacent: list[list[tuple[int, float]]] = []

        def vertex(x: float, y: float) -> int:
            key = (round(x, 2), round(y, 2))
            v = index.get(key)
            if v is None:
                v = index[key] = len(coords)
                coords.append(key)
                self.adjacent.append([])
            return v

        for part in parts:
            if not isinstance(part, LineString) or part.is_empty:
                continue
            xy = list(part.coords)
            for (x1, y1), (x2, y2) in itertools.pairwise(xy):
                a, b = vertex(x1, y1), vertex(x2, y2)
                if a != b:
                    step = math.hypot(x2 - x1, y2 - y1)
                    self.adjacent[a].append((b, step))
                    self.adjacent[b].append((a, step))
        self.coords = coords
        self.tree = shapely.STRtree([Point(c) for c in coords])

    @classmethod
    def around(
        cls, west: float, south: float, east: float, north: float
    ) -> "WalkingNetwork | None":
        """The network of the roads that touch the box, or None where no road is imported."""
        lines: list[LineString] = []
        rows = Road.objects.filter(
            west__lte=east,
            east__gte=west,
            south__lte=north,
            north__gte=south,
            kind__in=(*STREET_KINDS, RoadKind.BRIDGE),  # nobody walks a river or a railway
        )
        for geometry in rows.values_list("geometry", flat=True).iterator():
            g = shape(geometry)
            lines.extend(g.geoms if isinstance(g, MultiLineString) else [g])
        lines = [g for g in lines if isinstance(g, LineString) and not g.is_empty]
        if not lines:
            return None
        return cls(lines, (south + north) / 2)

    def _xy(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.kx, lat * self.ky

    def snap(self, points: Sequence[tuple[float, float]]) -> list[tuple[int, float]]:
        """Per (lon, lat), the nearest vertex of the network and the straight leg to it."""
        if not points:
            return []
        geoms = [Point(self._xy(lon, lat)) for lon, lat in points]
        (inputs, found), legs = self.tree.query_nearest(
            geoms, return_distance=True, all_matches=False
        )
        out: list[tuple[int, float]] = [(-1, math.inf)] * len(points)
        for i, v, d in zip(inputs.tolist(), found.tolist(), legs.tolist(), strict=True):
            out[i] = (v, d)
        return out

    def from_places(self, places: Sequence[tuple[float, float]]) -> "Reach":
        """The shortest walk from the nearest of `places` to every vertex."""
        snapped = self.snap(places)
        best = [math.inf] * len(self.coords)
        label = [-1] * len(self.coords)
        heap: list[tuple[float, int, int]] = []
        for i, (v, leg) in enumerate(snapped):
            if leg < best[v]:
                best[v], label[v] = leg, i
                heapq.heappush(heap, (leg, v, i))
        while heap:
            d, v, i = heapq.heappop(heap)
            if d > best[v]:
                continue
            for w, step in self.adjacent[v]:
                nd = d + step
                if nd < best[w]:
                    best[w], label[w] = nd, i
                    heapq.heappush(heap, (nd, w, i))
        return Reach(self, snapped, best, label)


class Reach:
    """How far each point is from the nearest place, walking."""

    def __init__(
        self,
        network: WalkingNetwork,
        snapped: list[tuple[int, float]],
        best: list[float],
        label: list[int],
    ) -> None:
        self.network = network
        self.place_legs = [leg for _v, leg in snapped]
        self.best = best
        self.label = label

    def walks(
        self, points: Sequence[tuple[float, float]], straight: Sequence[tuple[int, float] | None]
    ) -> list[Walk | None]:
        """Per point, its walk to the nearest place. `straight` gives, per point, the place
        nearest in a straight line and how far (None: no place at all); it is the walk where
        the roads do not join the two, or where it is shorter than reaching the roads."""
        out: list[Walk | None] = []
        for (v, leg), direct in zip(self.network.snap(points), straight, strict=True):
            road: Walk | None = None
            if v >= 0 and self.best[v] < math.inf:
                road = Walk(leg + self.best[v], self.label[v], True)
            if direct is None:
                out.append(road)
                continue
            i, metres = direct
            if road is None or metres <= leg + self.place_legs[i]:
                # No way along the roads joins them; or going straight is no longer than
                # merely reaching the roads, so nobody walks out to the road and back.
                out.append(Walk(metres, i, False))
            else:
                out.append(road)
        return out
