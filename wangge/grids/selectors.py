"""Reads of the grid tree: locating a point, a node's place in the tree, and what the map shows.

Reading an address (the building or place it names) is `resolving`'s; its names stay importable
from here, where the apps above the grid tree read them (`grid_selectors.resolve_address`).
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from django.db.models import Count, ExpressionWrapper, F, FloatField, QuerySet, Value
from django.utils.translation import gettext as _
from shapely.geometry import box as shapely_box
from shapely.geometry import mapping, shape

from wangge.core.errors import NotFound
from wangge.core.scope import ScopedUser, in_scope, path_in_scope
from wangge.grids import indexes
from wangge.grids.coords import box_around, distance_m, to_wgs84
from wangge.grids.models import Building, GridLevel, GridNode, Road
from wangge.grids.resolving import (
    BUILDING,
    CANDIDATES,
    LANDMARK_CONFIDENCE,
    PLACE,
    PLACE_CONFIDENCE,
    REFUSED,
    AddressMatch,
    BuildingNotFound,
    PlaceFound,
    building_for_input,
    resolve_address,
)

__all__ = [
    "BUILDING",
    "CANDIDATES",
    "LANDMARK_CONFIDENCE",
    "PLACE",
    "PLACE_CONFIDENCE",
    "REFUSED",
    "ROADS_PER_VIEW",
    "AddressMatch",
    "BuildingNotFound",
    "Location",
    "MapView",
    "NodeStaff",
    "PlaceFound",
    "Placement",
    "access_node",
    "ancestor",
    "building_for_input",
    "home_nodes",
    "locate",
    "map_centre",
    "map_view",
    "nearness",
    "node_path",
    "node_staff",
    "nodes_in_scope",
    "other_districts",
    "placement",
    "register_node_staff",
    "resolve_address",
    "roads_in_bbox",
]

# Who works a node is known to `accounts`, a floor above the grid tree: it registers its
# selector here (AccountsConfig.ready) so the map can list a node's staff without grids
# importing accounts.
NodeStaff = Callable[[GridNode], list[dict[str, Any]]]
_staff_provider: list[NodeStaff] = []


def register_node_staff(provider: NodeStaff) -> None:
    _staff_provider[:] = [provider]


def node_staff(node: GridNode) -> list[dict[str, Any]]:
    """The people who work a node (names, roles, masked phones), as the accounts app says."""
    return _staff_provider[0](node) if _staff_provider else []


def nearness(lon: float, lat: float) -> ExpressionWrapper:
    """An expression over a row's `lon`/`lat` that orders rows nearest to (lon, lat) first:
    the squared planar distance with longitude shrunk by cos(latitude), which within a district
    orders points as the distance on the ground does. Computed by the database (both of ours),
    so a nearest-first list pages like any other."""
    dx = (F("lon") - Value(lon)) * Value(math.cos(math.radians(lat)))
    dy = F("lat") - Value(lat)
    return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())


def node_path(node: GridNode) -> list[GridNode]:
    """The node's ancestors and itself, district first (from the in-memory node table)."""
    return indexes.node_table().path(node)


@dataclass(frozen=True)
class Location:
    micro_grid: GridNode | None
    exclusive_grid: GridNode | None
    path: list[GridNode]
    lon: float
    lat: float


def locate(*, lon: float, lat: float, crs: str = "wgs84") -> Location:
    """The micro-grid (and exclusive grid, if any) containing a point; NotFound outside all."""
    wlon, wlat = to_wgs84(lon, lat, crs)
    hit = indexes.grid_index().locate(wlon, wlat)
    ids = [i for i in (hit.micro_id, hit.exclusive_id) if i is not None]
    if not ids:
        raise NotFound(_("该位置不在任何网格内"))
    table = indexes.node_table()
    micro = table.by_id.get(hit.micro_id) if hit.micro_id else None
    exclusive = table.by_id.get(hit.exclusive_id) if hit.exclusive_id else None
    if (hit.micro_id and micro is None) or (hit.exclusive_id and exclusive is None):
        # The spatial index is newer than the node table: read the two rows directly.
        nodes = {n.pk: n for n in GridNode.objects.filter(pk__in=ids)}
        micro = nodes.get(hit.micro_id) if hit.micro_id else None
        exclusive = nodes.get(hit.exclusive_id) if hit.exclusive_id else None
    anchor = micro or exclusive
    assert anchor is not None
    return Location(
        micro_grid=micro, exclusive_grid=exclusive, path=node_path(anchor), lon=wlon, lat=wlat
    )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a node lies, every tier at once: what routing, a case's street and community,
    and the handling unit of each tier read, from one walk of the tree."""

    node: GridNode
    micro_grid: GridNode | None
    grid: GridNode | None
    community: GridNode | None
    street: GridNode | None
    district: GridNode | None
    city: GridNode | None


def placement(node: GridNode) -> Placement:
    """The node's whole placement (micro-grid, grid, community, street, district, city), each
    None above the node or where the tree has no such tier, from the per-process tree index."""
    levels = indexes.node_table().levels_above(node)
    levels.setdefault(node.level, node)
    return Placement(
        node=node,
        micro_grid=levels.get(GridLevel.MICRO),
        grid=levels.get(GridLevel.GRID),
        community=levels.get(GridLevel.COMMUNITY),
        street=levels.get(GridLevel.STREET),
        district=levels.get(GridLevel.DISTRICT),
        city=levels.get(GridLevel.CITY),
    )


def ancestor(node: GridNode, level: str) -> GridNode | None:
    """The node of `level` that `node` lies in (itself if it is of that level), from the
    per-process tree index; None above that level."""
    if node.level == level:
        return node
    return indexes.node_table().ancestor(node, level)


def building_at_pin(
    *, lon: float, lat: float, micro_grid_id: int | None, named: Building, within_m: float
) -> tuple[Building | None, bool]:
    """The building a pin stands at, given the one an address named: that one, and True, when
    it lies in the pin's micro-grid within `within_m` metres of it; else the building nearest
    the pin within that reach (or none), and False."""
    same_grid = micro_grid_id is None or named.micro_grid_id == micro_grid_id
    if same_grid and distance_m(lon, lat, named.lon, named.lat) <= within_m:
        return named, True
    west, south, east, north = box_around(lon, lat, within_m)
    near = Building.objects.filter(lon__range=(west, east), lat__range=(south, north)).only(
        "address", "lon", "lat", "micro_grid_id"
    )
    best = min(near, key=lambda b: distance_m(lon, lat, b.lon, b.lat), default=None)
    if best is None or distance_m(lon, lat, best.lon, best.lat) > within_m:
        return None, False
    return best, False


def other_districts(node: GridNode) -> list[GridNode]:
    """The other districts of the city `node` lies in, in tree order; none for a district
    that stands alone (no city above it). One indexed query of the city's children: the case
    page asks this, and walking the whole node table (100,000 nodes in a city) would not do."""
    city = ancestor(node, GridLevel.CITY)
    if city is None:
        return []
    district = ancestor(node, GridLevel.DISTRICT)
    siblings = GridNode.objects.filter(parent=city, level=GridLevel.DISTRICT).defer("boundary")
    if district is not None:
        siblings = siblings.exclude(pk=district.pk)
    return list(siblings.order_by("path"))


def nodes_in_scope(
    user: ScopedUser, levels: Sequence[str], *, within: GridNode | None = None
) -> QuerySet[GridNode]:
    """The nodes of these levels the user's grants cover (under `within` when given), in tree
    order: the choices of every "for which grid" field."""
    qs = GridNode.objects.filter(level__in=levels)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return in_scope(user, qs, "path").order_by("path")


def access_node(user: ScopedUser, code: str) -> GridNode:
    """A node the user may see, or NotFound (also when it exists but is out of scope)."""
    node = GridNode.objects.filter(code=code).first()
    if node is None or not path_in_scope(user, node.path):
        raise NotFound(_("网格不存在或无权查看"))
    return node


def map_centre(node: GridNode | None) -> tuple[float, float] | None:
    """Where a map opens (lon, lat, WGS-84): the node's own centre, else its nearest ancestor's,
    else the first top-level node's of the imported tree. Always the data's, never a fixed
    city's: None only when no node has a centre at all."""
    table = indexes.node_table()
    chain = list(reversed(table.path(node))) if node is not None else []
    if node is not None and (not chain or chain[0].pk != node.pk):
        chain.insert(0, node)
    for candidate in [*chain, *table.roots]:
        if candidate.centroid_lon is not None and candidate.centroid_lat is not None:
            return (candidate.centroid_lon, candidate.centroid_lat)
    return None


def home_nodes(user: ScopedUser) -> list[GridNode]:
    """Where a person's map starts: the top of each subtree they hold."""
    paths = user.scope_paths() if user.is_authenticated else ()
    if paths is None:
        return list(GridNode.objects.filter(parent__isnull=True))
    return list(GridNode.objects.filter(path__in=paths))


@dataclass(frozen=True)
class MapView:
    node: GridNode
    path: list[GridNode]
    children: Sequence[GridNode]
    child_counts: dict[int, dict[str, int]]
    counts: dict[str, int]
    visible_path: list[GridNode]


def map_view(user: ScopedUser, code: str) -> MapView:
    node = access_node(user, code)
    path = node_path(node)
    children = list(
        in_scope(user, GridNode.objects.filter(parent=node))
        .annotate(
            n_children=Count("children", distinct=True),
            n_buildings=Count("buildings", distinct=True),
        )
        .order_by("code")
    )
    descendants = in_scope(
        user, GridNode.objects.filter(path__startswith=node.path).exclude(pk=node.pk)
    )
    level_counts = dict(
        descendants.values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    counts = {level: level_counts.get(level, 0) for level in GridLevel.values}
    counts["buildings"] = Building.objects.filter(micro_grid__path__startswith=node.path).count()
    return MapView(
        node=node,
        path=path,
        children=children,
        child_counts={
            c.pk: {"children": c.n_children, "buildings": c.n_buildings} for c in children
        },
        counts=counts,
        visible_path=[n for n in path if path_in_scope(user, n.path)],
    )


# The roads one map view asks for at most: the longest first, so a wide view shows the network's
# spine rather than the first hundred alleys of the table.
ROADS_PER_VIEW = 400


def roads_in_bbox(
    *, west: float, south: float, east: float, north: float, limit: int = ROADS_PER_VIEW
) -> list[dict[str, Any]]:
    """The roads crossing a box as GeoJSON features (WGS-84), cut to the box: a road that runs
    through the whole district costs a view only the part it shows."""
    rows = (
        Road.objects.filter(west__lte=east, east__gte=west, south__lte=north, north__gte=south)
        .annotate(
            span=ExpressionWrapper(
                (F("east") - F("west")) + (F("north") - F("south")), output_field=FloatField()
            )
        )
        .order_by("-span", "pk")
        .values_list("name", "kind", "geometry", "is_sample")[:limit]
    )
    area = shapely_box(west, south, east, north)
    features: list[dict[str, Any]] = []
    for name, kind, geometry, is_sample in rows:
        cut = shape(geometry).intersection(area)
        if cut.is_empty:
            continue
        if cut.geom_type not in ("LineString", "MultiLineString"):
            # A line cut by a box can also leave single points where it touches the edge.
            parts = [g for g in getattr(cut, "geoms", []) if g.geom_type == "LineString"]
            if not parts:
                continue
            cut = shapely.MultiLineString(parts)
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(shapely.set_precision(cut, 1e-7)),
                "properties": {"kind": "road", "name": name, "road": kind, "sample": is_sample},
            }
        )
    return features
