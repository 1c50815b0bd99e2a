"""Reads for 原点在线 pages that gather other apps' data for one resident."""

from dataclasses import dataclass

from django.db.models import ExpressionWrapper, F, FloatField, Func

from wangge.accounts.models import Role, RoleGrant, User
from wangge.core.errors import NotFound
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.grids.selectors import locate, resolve_address, roads_in_bbox
from wangge.notices.models import ServicePlace
from wangge.notices.selectors import home_node, places_near, with_distance

# Who a resident calls about their building, in the order they are asked: the micro-grid leader
# lives in the building; the grid worker is the paid 专属客服 of the whole grid.
CONTACT_ROLES = (Role.MICRO_GRID_LEADER, Role.GRID_WORKER, Role.GRID_LEADER)
# The places a resident walks to for help: 党群服务中心 first, then 网格家园.
CENTRE_KINDS = (ServicePlace.Kind.PARTY_CENTER, ServicePlace.Kind.GRID_HOME)


@dataclass(frozen=True)
class GridContact:
    person: User
    role: str  # Role value
    role_label: str
    node: GridNode


@dataclass(frozen=True)
class MyGrid:
    micro: GridNode
    grid: GridNode | None
    contacts: list[GridContact]
    centres: list[tuple[ServicePlace, float | None]]
    is_home: bool  # the viewer lives here: numbers are shown in full


def micro_grid_of(user: User) -> GridNode | None:
    """The viewer's own micro-grid (or the lowest node their home grant is on)."""
    return home_node(user)


def my_grid(*, viewer: User, micro: GridNode) -> MyGrid:
    paths = micro.ancestor_paths()  # from the district down to the micro-grid itself
    chain = {n.path: n for n in GridNode.objects.filter(path__in=paths)}
    grid = next((n for n in chain.values() if n.level == GridLevel.GRID), None)
    grants = (
        RoleGrant.objects.filter(role__in=CONTACT_ROLES, node__path__in=paths, user__is_active=True)
        .select_related("user", "node")
        .order_by("node__depth", "pk")
    )
    order: dict[str, int] = {str(role): i for i, role in enumerate(CONTACT_ROLES)}
    # The nearest node first (a micro-grid's own leader before the grid's), then by role.
    rows = sorted(grants, key=lambda g: (-g.node.depth, order[g.role]))
    seen: set[int] = set()
    contacts: list[GridContact] = []
    for g in rows:
        if g.user_id in seen:
            continue
        seen.add(g.user_id)
        contacts.append(GridContact(g.user, g.role, str(Role(g.role).label), g.node))
    home = home_node(viewer)
    is_home = home is not None and home.path.startswith(micro.path)
    lon, lat = micro.centroid_lon, micro.centroid_lat
    centres: list[tuple[ServicePlace, float | None]] = []
    for kind in CENTRE_KINDS:
        centres.extend(with_distance(places_near(lon=lon, lat=lat, kind=kind)[:2], lon, lat))
    return MyGrid(micro=micro, grid=grid, contacts=contacts, centres=centres, is_home=is_home)


def micro_grid_by_code(code: str) -> GridNode | None:
    return GridNode.objects.filter(code=code, level=GridLevel.MICRO).first()


# --- 有事找支部: where the problem is ---------------------------------------------------------

NEAR_BUILDING_DEG = 0.0008  # about 80 m: a pin this close to a building is "at" it
BASE_BOX_DEG = 0.006  # the offline base map around the pin: about 600 m each way
BASE_MAX_SPAN_DEG = 0.06  # a view's base at most ~6 km a side: beyond, the map shows grids only
BASE_GRIDS = 200  # micro-grids of one base, nearest the centre first
BASE_BUILDINGS = 400  # buildings of one base (labelled only where they fit, at close zoom)


def place_at(*, lon: float, lat: float, crs: str = "wgs84") -> dict[str, object]:
    """The micro-grid, grid and nearest building at a point, in words for the report form."""

    try:
        loc = locate(lon=lon, lat=lat, crs=crs)
    except NotFound:
        # Outside every grid: said in words on the form, not a failed request.
        empty = {"micro_grid": "", "grid": "", "building": ""}
        return {"found": False, "lon": lon, "lat": lat, **empty}
    grid = next((n for n in loc.path if n.level == GridLevel.GRID), None)
    near = Building.objects.filter(
        lon__range=(loc.lon - NEAR_BUILDING_DEG, loc.lon + NEAR_BUILDING_DEG),
        lat__range=(loc.lat - NEAR_BUILDING_DEG, loc.lat + NEAR_BUILDING_DEG),
    ).only("address", "lon", "lat")
    building = min(
        near, key=lambda b: (b.lon - loc.lon) ** 2 + (b.lat - loc.lat) ** 2, default=None
    )
    return {
        "found": loc.micro_grid is not None,
        "lon": loc.lon,
        "lat": loc.lat,
        "micro_grid": loc.micro_grid.name if loc.micro_grid else "",
        "grid": grid.name if grid else "",
        "building": building.address if building else "",
    }


def _grid_name(micro: GridNode | None) -> str:
    parent = micro.parent if micro is not None else None
    return parent.name if parent is not None and parent.level == GridLevel.GRID else ""


def address_suggestions(*, q: str, text: str = "", limit: int = 5) -> dict[str, object]:
    """What the address resolver makes of what was typed so far: the building it settled on (with
    its grid) or the candidates to choose from, each with its position for the map pin.

    A place without a building (建设路与桐柏路交叉口东北角) comes back as `place`: its inferred
    point, the words it was read from and its micro-grid, which the form offers as a pin to
    confirm or move, never as the report's position by itself. `grids` names the micro-grids a
    description could be in when it does not say which (a crossing on a grid border).

    `q` is the address field; with it empty, `text` (the description) is read as the intake
    reads it (the address first, else the text), and only for a place: the buildings a
    description mentions are the server's to weigh, not suggestions under the address field."""

    from_text = not q.strip()
    match = resolve_address(q=text if from_text else q)
    ids = [c.building_id for c in match.resolution.candidates[:limit]]
    if match.building is not None:
        ids = [match.building.pk, *[i for i in ids if i != match.building.pk]][:limit]
    rows = {} if from_text else Building.objects.select_related("micro_grid__parent").in_bulk(ids)

    def out(b: Building) -> dict[str, object]:
        micro = b.micro_grid
        return {
            "address": b.address,
            "lon": b.lon,
            "lat": b.lat,
            "micro_grid": micro.name if micro else "",
            "grid": _grid_name(micro),
        }

    place = match.place if match.building is None else None
    # The grids above the micro-grids named, in one query (their outlines stay in the database).
    micro_ids = [g.pk for g in match.grid_candidates[:3]]
    if place is not None:
        micro_ids.append(place.micro_grid.pk)
    micros = (
        GridNode.objects.select_related("parent")
        .defer("boundary", "parent__boundary")
        .in_bulk(micro_ids)
    )
    return {
        "kind": match.kind,
        "building": out(match.building) if match.building is not None and not from_text else None,
        "candidates": [out(rows[i]) for i in ids if i in rows],
        "place": {
            "lon": place.lon,
            "lat": place.lat,
            "phrase": place.phrase,
            "micro_grid": place.micro_grid.name,
            "grid": _grid_name(micros.get(place.micro_grid.pk)),
        }
        if place is not None
        else None,
        "grids": [
            " ".join(n for n in (_grid_name(micros.get(g.pk)), g.name) if n)
            for g in match.grid_candidates[:3]
        ],
    }


def base_map(
    *, lon: float, lat: float, bbox: tuple[float, float, float, float] | None = None
) -> dict[str, object]:
    """An offline base drawn from our own data (no tile server): the micro-grids around the
    point as outlines, the buildings as labelled points and the roads as lines, GeoJSON in
    WGS-84. With `bbox` (west, south, east, north: the map's view) the box is the view's,
    capped at BASE_MAX_SPAN_DEG a side around its centre; the nearest come first, so a wide
    view is never an arbitrary corner."""

    d = BASE_BOX_DEG
    if bbox is None:
        west, south, east, north = lon - 2 * d, lat - 2 * d, lon + 2 * d, lat + 2 * d
        b_west, b_south, b_east, b_north = lon - d, lat - d, lon + d, lat + d
    else:
        half = BASE_MAX_SPAN_DEG / 2
        lon, lat = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
        west, east = max(bbox[0], lon - half), min(bbox[2], lon + half)
        south, north = max(bbox[1], lat - half), min(bbox[3], lat + half)
        b_west, b_south, b_east, b_north = west, south, east, north
    near = ExpressionWrapper(
        Func(F("centroid_lon") - lon, function="ABS")
        + Func(F("centroid_lat") - lat, function="ABS"),
        output_field=FloatField(),
    )
    grids = (
        GridNode.objects.filter(
            level=GridLevel.MICRO,
            boundary__isnull=False,
            centroid_lon__range=(west, east),
            centroid_lat__range=(south, north),
        )
        .annotate(near=near)
        .order_by("near", "pk")
        .only("code", "name", "boundary")[:BASE_GRIDS]
    )
    buildings = (
        Building.objects.filter(lon__range=(b_west, b_east), lat__range=(b_south, b_north))
        .annotate(
            near=ExpressionWrapper(
                Func(F("lon") - lon, function="ABS") + Func(F("lat") - lat, function="ABS"),
                output_field=FloatField(),
            )
        )
        .order_by("near", "pk")
        .only("address", "lon", "lat")[:BASE_BUILDINGS]
    )
    features: list[dict[str, object]] = [
        {
            "type": "Feature",
            "geometry": g.boundary.get("geometry", g.boundary)
            if isinstance(g.boundary, dict) and g.boundary.get("type") == "Feature"
            else g.boundary,
            "properties": {"kind": "grid", "name": g.name},
        }
        for g in grids
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [b.lon, b.lat]},
            "properties": {"kind": "building", "name": b.address},
        }
        for b in buildings
    ]
    features += roads_in_bbox(west=west, south=south, east=east, north=north)
    return {"type": "FeatureCollection", "features": features}
