"""精准派单: from a place to the micro-grid, and from there to who handles it, by tier.

一般 → the grid worker of the micro-grid's grid (or the leader of the exclusive grid the point
lies in); 复杂 → the community's staff; 疑难 → the street's dispatch desk, which whistles the
departments. A place that cannot be resolved goes, as a pending case, to the triage queue of the
deepest unit that surely contains it: a street only when the address field, or an estate or door
the text writes out, puts its candidates there; the district otherwise. A text whose places are
none of ours (地点不在本区: 长沙市岳麓区…) waits at the district's desk, marked so, whatever our
buildings share its words. The decision and its reason are kept on the case.
"""

import contextlib
import re
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, RoleGrant, User
from wangge.cases.models import OPEN_STATUSES, Case, HandlingLevel, Status, Tier
from wangge.cases.place_names import PlacesHeard, places_named
from wangge.core import raw
from wangge.core.errors import NotFound
from wangge.grids import selectors as grid_selectors
from wangge.grids.addresses import normalize_text, parse_address
from wangge.grids.addresses.results import Resolution
from wangge.grids.models import Building, GridLevel, GridNode


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
    # The text names places and none of them is ours (地点不在本区): the case waits at the
    # district's desk, never at a street's, and shows the names it found (长沙市, 岳麓区).
    out_of_area: bool = False
    place_words: list[str] = field(default_factory=list)
    # The words a place without a building was read from: its point is inferred, not given.
    phrase: str = ""
    _placement: grid_selectors.Placement | None = field(default=None, repr=False, compare=False)

    @property
    def anchor(self) -> GridNode | None:
        return self.micro_grid or self.exclusive_grid

    def placement(self) -> grid_selectors.Placement | None:
        """Where the anchor (else the triage node) lies, every tier at once: the one question
        routing and the case's street and community ask the grid tree."""
        node = self.anchor or self.triage_node
        if node is None:
            return None
        if self._placement is None or self._placement.node is not node:
            self._placement = grid_selectors.placement(node)
        return self._placement


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
        if match.building is None and match.place is not None:
            _place_from_words(place, match.place, given)
            return place
        if match.building is not None:
            # The address field speaks for itself; a building read out of free text is only
            # a coincidence of names when that text names a district (or a city or province,
            # where ours are known) of somewhere else and nothing of ours: 长沙市岳麓区的
            # 幸福家园3栋 is not our 幸福家园. A city the data never names for its districts
            # does not overrule it (郑州市伊河路百花里3号楼, on a tree with no 郑州市).
            heard = places_named(given)
            if heard.elsewhere and heard.surely:
                _mark_out_of_area(place, heard)
                place.reasons.append(
                    _("文中地址与本区楼栋“%(addr)s”同名，未按其派单")
                    % {"addr": match.building.address}
                )
                return place
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
        heard = places_named(address, text)
        if heard.elsewhere:
            # Our buildings that share a name with its words (建设路, 幸福家园) say nothing of
            # where it is: no candidates, no street.
            _mark_out_of_area(place, heard)
            return place
        if match.grid_candidates and not match.resolution.candidates:
            # A crossing on a border, a lane through several grids: the unit above them all.
            place.reasons.append(
                _("候选微网格：%(c)s（%(why)s）")
                % {
                    "c": "、".join(g.name for g in match.grid_candidates[:3]),
                    "why": _(match.reason) if match.reason else "",
                }
            )
            above = [n for n in match.path if n.level in (GridLevel.STREET, GridLevel.COMMUNITY)]
            place.triage_node = above[-1] if above else None
        elif match.reason:
            place.reasons.append(_(match.reason))
        if match.resolution.candidates:
            # The desk that places it by hand starts from what the address could be (in a
            # city, candidates may lie in different districts).
            place.reasons.append(
                _("候选：%(c)s")
                % {"c": "、".join(c.address for c in match.resolution.candidates[:3])}
            )
            backed = _backed_candidates(match.resolution, address=address, text=text)
            if not backed:
                place.reasons.append(_("候选仅为近似匹配（文中未写出其小区名或门牌号），不转街道"))
            place.triage_node = _common_ancestor(backed)
    if lon is None and not given:
        place.reasons.append(_("未提供位置或地址"))
    return place


def _place_from_words(place: Place, found: grid_selectors.PlaceFound, given: str) -> None:
    """A place the words describe (a crossing's corner, an offset from a landmark, a lane named
    alone) routes like a building, its point inferred: unless the text names another district
    or city, which no words of ours outweigh."""
    heard = places_named(given)
    if heard.elsewhere and heard.surely:
        _mark_out_of_area(place, heard)
        place.reasons.append(_("文中位置与本区地名相同，未按其派单"))
        return
    place.micro_grid = found.micro_grid
    place.lon, place.lat = found.lon, found.lat
    place.phrase = found.phrase
    place.reasons.append(
        _("由“%(words)s”推定位置，在%(where)s")
        % {"words": found.phrase, "where": found.micro_grid.name}
    )
    with contextlib.suppress(NotFound):
        place.exclusive_grid = grid_selectors.locate(lon=found.lon, lat=found.lat).exclusive_grid


def _reconcile_address(place: Place, loc: grid_selectors.Location, address: str) -> None:
    """A point and an address both given: the point routes the case (the pin is where the
    resident stood or put it last). An address naming a building elsewhere — a suggestion chosen
    before the pin was moved — gives way to the place at the point, so the case shows the place
    it was routed by; an address at the point (or one naming no known building: 小区东门) stays."""
    tolerance = settings.CASE_PIN_ADDRESS_TOLERANCE_M
    named = grid_selectors.resolve_address(q=address).building
    if named is None:
        return
    at_pin, agrees = grid_selectors.building_at_pin(
        lon=loc.lon,
        lat=loc.lat,
        micro_grid_id=loc.micro_grid.pk if loc.micro_grid else None,
        named=named,
        within_m=tolerance,
    )
    if agrees:
        place.building_id = named.pk
        return
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


def _backed_candidates(resolution: Resolution, *, address: str, text: str) -> list[int]:
    """The candidates a street may be chosen from. The caller's own address field: all of them,
    as it could be any. Read out of free text: only those whose estate's name, or road with its
    door number, the text writes out (in the official address or an alias: 建设路695号院 for
    建设路秦岭城). A road name alone, or a name the resolver only found near (建设中路 for
    建设路, 文化宫 for 文化苑), is a common word that every city's messages share, and a
    street's desk is no place for a guess made of it."""
    ids = [c.building_id for c in resolution.candidates]
    if address.strip():
        return ids
    written = normalize_text(text)
    aliases = dict(Building.objects.filter(pk__in=ids).values_list("id", "aliases"))
    return [
        c.building_id
        for c in resolution.candidates
        if any(
            _writes_out(written, name) for name in [c.address, *(aliases.get(c.building_id) or [])]
        )
    ]


def _writes_out(written: str, address: str) -> bool:
    parts = parse_address(address)
    estate = parts.compound if parts.compound and len(parts.compound) >= 2 else None
    # The door's number without its annex (恩宁路12号 of 12号之二, 定西路30号 of 30号附2).
    number = re.match(r"[0-9]+", parts.road_number or "")
    door = f"{parts.road}{number.group(0)}号" if parts.road and number else None
    return bool((estate and estate in written) or (door and door in written))


def _mark_out_of_area(place: Place, heard: PlacesHeard) -> None:
    place.out_of_area = True
    place.place_words = heard.elsewhere
    place.reasons.append(_("地点不在本区（文中地点：%(w)s）") % {"w": "、".join(heard.elsewhere)})


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
    placed = place.placement()
    assert placed is not None
    if tier == Tier.GENERAL:
        if place.exclusive_grid is not None:
            node = place.exclusive_grid
            who = _least_loaded(node, {Role.EXCLUSIVE_GRID_LEADER})
            level = HandlingLevel.GRID
            unit = node.name
        else:
            assert place.micro_grid is not None
            node = placed.grid or place.micro_grid
            who = _least_loaded(node, {Role.GRID_WORKER}, {Role.GRID_LEADER})
            level = HandlingLevel.GRID
            unit = node.name
        role_label = _("网格员") if place.exclusive_grid is None else _("专属网格长")
    elif tier == Tier.COMPLEX:
        node = placed.community or anchor
        who = _least_loaded(node, {Role.COMMUNITY_STAFF})
        level, unit, role_label = HandlingLevel.COMMUNITY, node.name, _("社区工作者")
    else:
        node = placed.street or anchor
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
