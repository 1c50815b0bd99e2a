"""The 10-minute 党群服务圈: which households live farther than a 10 minutes' walk from a 党群服务
place (a 党群服务中心 or a 网格家园), per community, and where they are.

A household is reached when its building lies within `SERVICE_CIRCLE_M` metres (800 by default)
of an active place of those kinds, wherever that place is (a neighbouring community's centre
serves a building across the road): walking along the roads where the area's road network is
imported (`grids.walking`), in a straight line where it is not or where `SERVICE_CIRCLE_WALK` is
"straight". Households are counted per building and
shown per building, never by name: the list says where the gaps are, not who lives in them.

The nearest place is found through square cells of the circle's size: a building looks only at
the places in its own cell and the eight around it, so a street of thousands of buildings and a
district's places cost a few lookups each."""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import PermissionDenied
from wangge.core.scope import in_scope, path_in_scope
from wangge.grids.coords import METRES_PER_DEGREE, distance_m
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import access_node, home_nodes
from wangge.grids.walking import Walk, WalkingNetwork
from wangge.notices.models import ServicePlace
from wangge.residents.models import Household

# The places a 10-minute circle is drawn around.
CIRCLE_KINDS = (ServicePlace.Kind.PARTY_CENTER, ServicePlace.Kind.GRID_HOME)


@dataclass
class Place:
    name: str
    kind: str
    lon: float
    lat: float
    node_path: str


@dataclass
class BuildingGap:
    """A building whose households are all outside the circle."""

    building_id: int
    address: str
    lon: float
    lat: float
    households: int
    nearest: str  # the nearest place's name ("" when there is none at all)
    nearest_m: float | None
    by_road: bool = False  # the distance walked along the roads, not a straight line


@dataclass
class CircleRow:
    code: str
    name: str
    households: int = 0
    covered: int = 0

    @property
    def gaps(self) -> int:
        return self.households - self.covered

    @property
    def covered_rate(self) -> float | None:
        return round(self.covered / self.households, 4) if self.households else None


@dataclass
class CircleReport:
    unit: CircleRow
    children: list[CircleRow] = field(default_factory=list)
    gaps: list[BuildingGap] = field(default_factory=list)  # farthest first
    places: list[Place] = field(default_factory=list)  # every place, wherever it serves
    metres: float = 0.0
    own_places: int = 0  # the places the unit itself runs
    by_road: bool = False  # distances walked along the imported roads


def circle_unit(user: User, code: str | None) -> GridNode:
    """The unit asked for, in the user's scope (NotFound outside it); without a code, the
    highest unit the user holds. Grid staff only."""
    if not user.is_grid_staff:
        raise PermissionDenied(_("十分钟服务圈仅供网格工作人员查看"))
    if code:
        return access_node(user, code)
    nodes = home_nodes(user)
    if not nodes:
        raise PermissionDenied(_("您没有负责的网格"))
    return min(nodes, key=lambda n: len(n.path))


class _Cells:
    """Places bucketed in square cells `size` metres wide (an equirectangular projection about
    the district's latitude: across a city its error is a fraction of a percent)."""

    def __init__(self, places: list[Place], size: float, lat0: float) -> None:
        self.size = size
        self.kx = METRES_PER_DEGREE * math.cos(math.radians(lat0))
        self.cells: dict[tuple[int, int], list[Place]] = defaultdict(list)
        for p in places:
            self.cells[self._cell(p.lon, p.lat)].append(p)

    def _cell(self, lon: float, lat: float) -> tuple[int, int]:
        return (
            math.floor(lon * self.kx / self.size),
            math.floor(lat * METRES_PER_DEGREE / self.size),
        )

    def nearest(self, lon: float, lat: float) -> tuple[Place | None, float | None]:
        cx, cy = self._cell(lon, lat)
        best: Place | None = None
        best_m: float | None = None
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for p in self.cells.get((cx + dx, cy + dy), ()):
                    m = distance_m(lon, lat, p.lon, p.lat)
                    if best_m is None or m < best_m:
                        best, best_m = p, m
        if best is None:
            # Nothing within a cell or two: the building is out of every circle; its nearest
            # place is looked for among them all (only such buildings pay for it).
            for places in self.cells.values():
                for p in places:
                    m = distance_m(lon, lat, p.lon, p.lat)
                    if best_m is None or m < best_m:
                        best, best_m = p, m
        return best, best_m


def _children(node: GridNode) -> list[GridNode]:
    """The units a row each: communities under a street or district, grids under a community,
    micro-grids under a grid."""
    below: dict[str, str] = {
        GridLevel.DISTRICT: GridLevel.COMMUNITY,
        GridLevel.STREET: GridLevel.COMMUNITY,
        GridLevel.COMMUNITY: GridLevel.GRID,
        GridLevel.GRID: GridLevel.MICRO,
    }
    level = below.get(node.level)
    if level is None:
        return []
    return list(
        GridNode.objects.filter(path__startswith=node.path, level=level)
        .exclude(pk=node.pk)
        .order_by("path")
        .only("code", "name", "path")
    )


def _walks(
    buildings: Sequence[Mapping[str, Any]],
    places: list[Place],
    straight: list[tuple[int, float] | None],
    metres: float,
) -> tuple[list[Walk | None], bool]:
    """Per building, its walk to the nearest place: along the roads imported around the
    buildings (and as far again beyond them, where a gap's nearest place may stand), else the
    straight line. The second value says whether the roads were walked."""
    as_straight: list[Walk | None] = [
        None if s is None else Walk(s[1], s[0], False) for s in straight
    ]
    if settings.SERVICE_CIRCLE_WALK != "road" or not buildings or not places:
        return as_straight, False
    lons = [b["building__lon"] for b in buildings]
    lats = [b["building__lat"] for b in buildings]
    margin_lat = 2 * metres / METRES_PER_DEGREE
    margin_lon = margin_lat / max(math.cos(math.radians(lats[0])), 0.01)
    network = WalkingNetwork.around(
        min(lons) - margin_lon,
        min(lats) - margin_lat,
        max(lons) + margin_lon,
        max(lats) + margin_lat,
    )
    if network is None:
        return as_straight, False
    reach = network.from_places([(p.lon, p.lat) for p in places])
    return reach.walks(list(zip(lons, lats, strict=True)), straight), True


def circle(user: User, node: GridNode) -> CircleReport:
    metres = settings.SERVICE_CIRCLE_M
    places = [
        Place(p["name"], p["kind"], p["lon"], p["lat"], p["node__path"])
        for p in ServicePlace.objects.filter(is_active=True, kind__in=CIRCLE_KINDS).values(
            "name", "kind", "lon", "lat", "node__path"
        )
    ]
    buildings = list(
        in_scope(user, Household.objects.filter(grid_path__startswith=node.path), "grid_path")
        .values(
            "building_id",
            "building__address",
            "building__lon",
            "building__lat",
            "building__micro_grid__path",
        )
        .annotate(n=Count("pk"))
        .order_by("building_id")
    )
    lat0 = buildings[0]["building__lat"] if buildings else 0.0
    cells = _Cells(places, metres, lat0)
    position = {id(p): i for i, p in enumerate(places)}
    straight: list[tuple[int, float] | None] = []
    for b in buildings:
        nearest, away = cells.nearest(b["building__lon"], b["building__lat"])
        straight.append(None if nearest is None or away is None else (position[id(nearest)], away))
    walks, by_road = _walks(buildings, places, straight, metres)
    unit = CircleRow(node.code, node.name)
    children = _children(node)
    rows = [CircleRow(c.code, c.name) for c in children]
    gaps = []
    for b, walk in zip(buildings, walks, strict=True):
        lon, lat, n = b["building__lon"], b["building__lat"], b["n"]
        reached = walk is not None and walk.metres <= metres
        path = b["building__micro_grid__path"] or ""
        targets = [unit] + [
            r for r, c in zip(rows, children, strict=True) if path.startswith(c.path)
        ]
        for row in targets:
            row.households += n
            row.covered += n if reached else 0
        if not reached:
            gaps.append(
                BuildingGap(
                    building_id=b["building_id"],
                    address=b["building__address"],
                    lon=lon,
                    lat=lat,
                    households=n,
                    nearest=places[walk.source].name if walk else "",
                    nearest_m=round(walk.metres) if walk else None,
                    by_road=bool(walk and walk.by_road),
                )
            )
    gaps.sort(key=lambda g: (-(g.nearest_m or math.inf), g.address))
    visible = [r for r, c in zip(rows, children, strict=True) if path_in_scope(user, c.path)]
    return CircleReport(
        unit=unit,
        children=visible,
        gaps=gaps,
        places=places,
        metres=metres,
        own_places=sum(1 for p in places if p.node_path.startswith(node.path)),
        by_road=by_road,
    )
