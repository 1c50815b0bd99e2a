"""精准派单: from a place to the micro-grid, and from there to who handles it, by tier.

一般 → the grid worker of the micro-grid's grid (or the leader of the exclusive grid the point
lies in); 复杂 → the community's staff; 疑难 → the street's dispatch desk, which whistles the
departments. A place that cannot be resolved goes, as a pending case, to the triage queue of the
deepest unit that surely contains it. The decision and its reason are kept on the case.
"""

import math
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, RoleGrant, User
from wangge.cases.models import OPEN_STATUSES, Case, HandlingLevel, Status, Tier
from wangge.core import raw
from wangge.core.errors import NotFound
from wangge.grids import selectors as grid_selectors
from wangge.grids.coords import box_around
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.grids.selectors import ancestor


@dataclass
class Place:
    """Where a case is, as far as we can tell."""

    micro_grid: GridNode | None = None
    exclusive_grid: GridNode | None = None
    building_id: int | None = None
    lon: float | None = None
    lat: float | None = None
    # When unresolved: the deepest node known to contain it (for the triage queue).
    triage_node: GridNode | None = None
    reasons: list[str] = field(default_factory=list)
    # The address the case shows when it is not the one given: a point and an address that name
    # two places are routed by the point, and whoever goes out must read the same place.
    address: str | None = None

    @property
    def anchor(self) -> GridNode | None:
        return self.micro_grid or self.exclusive_grid


def locate_place(
    *, lon: float | None, lat: float | None, crs: str, address: str, text: str = ""
) -> Place:
    """Where a case is: by its point, else its address, else the address inside its text (a
    hotline's 诉求内容 or a resident's message often carries the only address there is)."""
    place = Place()
    if lon is not None and lat is not None:
        try:
            loc = grid_selectors.locate(lon=lon, lat=lat, crs=crs)
        except NotFound:
            place.reasons.append(_("坐标不在任何网格内"))
        else:
            place.micro_grid, place.exclusive_grid = loc.micro_grid, loc.exclusive_grid
            place.lon, place.lat = loc.lon, loc.lat
            where = loc.micro_grid.name if loc.micro_grid else ""
            place.reasons.append(_("按坐标定位到%(where)s") % {"where": where or loc.path[-1].name})
            if loc.exclusive_grid:
                place.reasons.append(
                    _("位于专属网格“%(name)s”内") % {"name": loc.exclusive_grid.name}
                )
            if address.strip():
                _reconcile_address(place, loc, address.strip())
            return place
    given = address.strip() or text.strip()
    if given:
        match = grid_selectors.resolve_address(q=given)
        if match.building is None and address.strip() and text.strip():
            # The address field left a choice ("南昌路12号院"); the text may settle it, but
            # only among the field's own candidates: a text naming another place does not
            # overrule the address the caller gave.
            from_text = grid_selectors.resolve_address(q=text)
            listed = {c.building_id for c in match.resolution.candidates}
            if from_text.building is not None and from_text.building.pk in listed:
                match = from_text
        if match.building is not None:
            b = match.building
            place.micro_grid, place.building_id = b.micro_grid, b.pk
            place.lon, place.lat = b.lon, b.lat
            place.reasons.append(
                _("按地址匹配到楼栋“%(addr)s”（可信度 %(c).2f）")
                % {"addr": b.address, "c": match.resolution.confidence}
            )
            # An exclusive grid over the building wins, as for a point.
            try:
                loc = grid_selectors.locate(lon=b.lon, lat=b.lat)
                place.exclusive_grid = loc.exclusive_grid
            except NotFound:
                pass
            return place
        place.reasons.append(_("地址“%(a)s”无法确定到楼栋") % {"a": given[:60]})
        if match.resolution.candidates:
            # The desk that places it by hand starts from what the address could be (in a
            # city, candidates may lie in different districts).
            place.reasons.append(
                _("候选：%(c)s")
                % {"c": "、".join(c.address for c in match.resolution.candidates[:3])}
            )
        place.triage_node = _common_ancestor([c.building_id for c in match.resolution.candidates])
    if lon is None and not given:
        place.reasons.append(_("未提供位置或地址"))
    return place


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    # Planar, longitude shrunk by cos(latitude): exact enough within a few hundred metres.
    dx = (lon2 - lon1) * math.cos(math.radians(lat1)) * 111_320
    dy = (lat2 - lat1) * 111_320
    return math.hypot(dx, dy)


def _building_at(lon: float, lat: float, within_m: float) -> Building | None:
    west, south, east, north = box_around(lon, lat, within_m)
    near = Building.objects.filter(lon__range=(west, east), lat__range=(south, north)).only(
        "address", "lon", "lat", "micro_grid_id"
    )
    best = min(near, key=lambda b: _metres(lon, lat, b.lon, b.lat), default=None)
    return best if best is not None and _metres(lon, lat, best.lon, best.lat) <= within_m else None


def _reconcile_address(place: Place, loc: grid_selectors.Location, address: str) -> None:
    """A point and an address both given: the point routes the case (the pin is where the
    resident stood or put it last). An address naming a building elsewhere — a suggestion chosen
    before the pin was moved — gives way to the place at the point, so the case shows the place
    it was routed by; an address at the point (or one naming no known building: 小区东门) stays."""
    tolerance = settings.CASE_PIN_ADDRESS_TOLERANCE_M
    named = grid_selectors.resolve_address(q=address).building
    if named is None:
        return
    same_grid = loc.micro_grid is None or named.micro_grid_id == loc.micro_grid.pk
    if same_grid and _metres(loc.lon, loc.lat, named.lon, named.lat) <= tolerance:
        place.building_id = named.pk
        return
    at_pin = _building_at(loc.lon, loc.lat, tolerance)
    if at_pin is not None:
        place.building_id = at_pin.pk
        shown = at_pin.address
    else:
        shown = "".join(n.name for n in loc.path[1:]) or loc.path[-1].name
    place.address = shown
    place.reasons.append(
        _("填写的地址“%(given)s”不在图钉位置，按图钉位置派单，地址记为“%(shown)s”")
        % {"given": address[:60], "shown": shown}
    )


def _common_ancestor(building_ids: list[int]) -> GridNode | None:
    """The deepest node containing all candidate buildings: their street, if they agree."""
    paths = list(
        Building.objects.filter(pk__in=building_ids).values_list("micro_grid__path", flat=True)
    )
    if not paths:
        return None
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    # Triage is the street's job: never narrower than a street, never the micro-grid itself.
    common = common[:2]
    return GridNode.objects.filter(code=common[-1]).first() if common else None


@dataclass
class Route:
    level: str
    node: GridNode | None
    assignee: User | None
    status: str
    reason: str


def _least_loaded(node: GridNode, *role_sets: set[str]) -> User | None:
    """The active holder of a role of the first set on `node` with the fewest open cases (a
    holder of the next set only when nobody holds the first): spread the work.

    One statement written out: composed through the ORM (a join, a filtered Count, two tries
    for the grid worker and then the leader), choosing cost as much CPU as all the rest of the
    intake's routing. Its text is made once per process for each combination of roles."""
    groups = tuple(tuple(sorted(group)) for group in role_sets if group)
    if not groups:
        return None
    roles = [r for group in groups for r in group]
    params = [*roles, node.pk, *roles, *OPEN_STATUSES]  # the CASE's, then the WHERE's
    found = raw.reader(User).rows(_least_loaded_sql(groups), params)
    return found[0] if found else None


@cache
def _least_loaded_sql(groups: tuple[tuple[str, ...], ...]) -> str:
    roles = [r for group in groups for r in group]
    rank = " ".join(
        f"WHEN g.role IN ({', '.join(['%s'] * len(group))}) THEN {i}"
        for i, group in enumerate(groups)
    )
    # Only placeholders and table names from the models go into the text.
    return (
        f"SELECT {raw.reader(User).select_list('u')} FROM {User._meta.db_table} u"  # noqa: S608
        f" JOIN (SELECT g.user_id, MIN(CASE {rank} END) AS role_rank"
        f" FROM {RoleGrant._meta.db_table} g"
        f" WHERE g.node_id = %s AND g.role IN ({', '.join(['%s'] * len(roles))})"
        " GROUP BY g.user_id) h ON h.user_id = u.id"
        " WHERE u.is_active"
        " ORDER BY h.role_rank,"
        f" (SELECT COUNT(*) FROM {Case._meta.db_table} c WHERE c.assignee_id = u.id"
        f" AND c.status IN ({', '.join(['%s'] * len(OPEN_STATUSES))})),"
        " u.id LIMIT 1"
    )


def route_for(place: Place, tier: str) -> Route:
    reasons = list(place.reasons)
    anchor = place.anchor
    if anchor is None:
        node = place.triage_node
        reasons.append(
            _("转%(unit)s分拨台人工派单") % {"unit": node.name if node else _("区城运中心")}
        )
        return Route(
            level="", node=None, assignee=None, status=Status.PENDING, reason="；".join(reasons)
        )
    tier_label = Tier(tier).label
    if tier == Tier.GENERAL:
        if place.exclusive_grid is not None:
            node = place.exclusive_grid
            who = _least_loaded(node, {Role.EXCLUSIVE_GRID_LEADER})
            level = HandlingLevel.GRID
            unit = node.name
        else:
            assert place.micro_grid is not None
            node = ancestor(place.micro_grid, GridLevel.GRID) or place.micro_grid
            who = _least_loaded(node, {Role.GRID_WORKER}, {Role.GRID_LEADER})
            level = HandlingLevel.GRID
            unit = node.name
        role_label = _("网格员") if place.exclusive_grid is None else _("专属网格长")
    elif tier == Tier.COMPLEX:
        node = ancestor(anchor, GridLevel.COMMUNITY) or anchor
        who = _least_loaded(node, {Role.COMMUNITY_STAFF})
        level, unit, role_label = HandlingLevel.COMMUNITY, node.name, _("社区工作者")
    else:
        node = ancestor(anchor, GridLevel.STREET) or anchor
        who = None  # the street desk handles it as a unit and whistles departments
        level, unit, role_label = HandlingLevel.STREET, node.name, _("街道城运中心")
    if who is not None:
        reasons.append(
            _("%(tier)s事件，派%(unit)s%(role)s%(name)s办理")
            % {"tier": tier_label, "unit": unit, "role": role_label, "name": who.name}
        )
    else:
        reasons.append(_("%(tier)s事件，派%(unit)s办理") % {"tier": tier_label, "unit": unit})
    return Route(
        level=level, node=node, assignee=who, status=Status.DISPATCHED, reason="；".join(reasons)
    )
