"""Reading an address: the building it names, or the place a description gives (a crossing's
corner, an offset from a landmark, a lane named alone), or the choices a person picks from.

Apart from the tree and map reads of `selectors` because it is a subject of its own: the rules
by which words are matched to one door, and refused when they could mean another. Its names
stay importable from `selectors`, where the apps above the grid tree read them.
"""

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from wangge.core import raw
from wangge.core.errors import ValidationFailed
from wangge.core.scope import ScopedUser, in_scope
from wangge.grids import indexes
from wangge.grids.addresses import (
    CONFIDENCE_THRESHOLD,
    MAX_CANDIDATES,
    Candidate,
    Resolution,
    normalize_text,
)
from wangge.grids.addresses.placetext import VAGUE_WORDS
from wangge.grids.addresses.results import LISTED_NOT_ANSWERED
from wangge.grids.coords import box_around
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.grids.places_geo import (
    PlaceReader,
    PlaceResult,
    front_of,
    may_describe_a_place,
    says_an_offset,
)
from wangge.grids.places_geo.names import canonical

# A node's path is read from the node table as `selectors.node_path` reads it: `selectors`
# re-exports this module's names, so this module cannot import it.


@dataclass(frozen=True)
class PlaceFound:
    """A place without a building (a crossing's corner, an offset from a landmark, a lane
    named alone …): its point (WGS-84), its micro-grid, and the words it was read from."""

    lon: float
    lat: float
    micro_grid: GridNode
    phrase: str
    how: str


# What an address match is: one building, a place, a choice for a person, or nothing.
BUILDING, PLACE, CANDIDATES, REFUSED = "building", "place", "candidates", "refused"


@dataclass(frozen=True)
class AddressMatch:
    resolution: Resolution
    building: Building | None
    path: list[GridNode]
    threshold: float = CONFIDENCE_THRESHOLD
    place: PlaceFound | None = None
    # The micro-grids a place description could be in, most covered first (a crossing on a
    # grid border, a lane through several grids): a person chooses.
    grid_candidates: tuple[GridNode, ...] = ()
    # Why a place description was not placed, for the page and the API's message.
    reason: str = ""

    @property
    def kind(self) -> str:
        if self.building is not None:
            return BUILDING
        if self.place is not None:
            return PLACE
        if self.resolution.candidates or self.grid_candidates:
            return CANDIDATES
        return REFUSED

    @property
    def micro_grid(self) -> GridNode | None:
        if self.building is not None:
            return self.building.micro_grid
        return self.place.micro_grid if self.place is not None else None

    @property
    def point(self) -> tuple[float, float] | None:
        if self.building is not None:
            return self.building.lon, self.building.lat
        return (self.place.lon, self.place.lat) if self.place is not None else None


# Near words that, after a building, still mean that building: its door is at it.
_AT_THE_DOOR = ("门口", "门前", "楼下", "楼底下")
# A door number in a landmark's words: the door is that house's own.
_DOOR_NUMBER_RE = re.compile(r"[0-9]+号")


def resolve_address(*, q: str) -> AddressMatch:
    """The building an address names, or the place a description gives (a crossing, an offset
    from a landmark, a lane or 组 named alone, near a landmark: `places_geo`). Text that is
    more than an address (a hotline's 诉求内容, a resident's message) is searched for the
    address inside it; refusals keep candidates."""
    reader = _place_reader()
    q = reader.index.mend_road_slips(q)
    described = (
        reader.described(q) if may_describe_a_place(q) or reader.names_water_or_rail(q) else None
    )
    near_unplaced = ""
    if described is not None and described.how == "near" and not described.landmark_found:
        # 家门口, 附近 after words that name no landmark: not a place description. Words that
        # name a landmark too spread to be one place (雪松家园周边, its gates 300 m apart) are
        # kept: the building the resolver finds in them is not what was meant.
        near_unplaced = described.phrase
        described = None
    if described is not None:
        described = _named_in_front(described, q)
        described = _whole_area(reader, described)
        if described.how == "near" and len(described.building_ids) == 1:
            # 22号门口 is at house 22, and a named landmark's door (医院门口) is at it when all
            # around it is its own micro-grid. What
            # is 旁边 / 隔壁 / 对面 it is not the building, and the words do not say which: the
            # place, in the grid all around it lies in.
            building = _building(described.building_ids[0])
            if (
                building is not None
                and described.phrase.endswith(_AT_THE_DOOR)
                and (
                    building.micro_grid_id == described.micro_grid_id
                    or _DOOR_NUMBER_RE.search(described.phrase) is not None
                )
            ):
                named = Candidate(building.pk, building.address, 1.0)
                resolution = Resolution(building.pk, building.address, 1.0, [named])
                return AddressMatch(
                    resolution=resolution,
                    building=building,
                    path=indexes.node_table().path(building.micro_grid),
                )
        return _place_match(described, q)
    match = _building_match(indexes.address_index().resolve_in_text(q))
    if match.building is None:
        match = _the_gate_named(q, match)
    if match.building is None:
        match = _the_one_named_in_full(q, match)
    if match.building is not None and (
        _group_not_its_own(q, match.building)
        or _ordinal_not_its_own(q, match.building)
        or (match.resolution.confidence < 1.0 and _direction_not_its_own(q, match.building))
        or _named_beside(near_unplaced, match.building)
        or _below_home_spills(near_unplaced, q, match.building)
        # 上马街小学往西走上个二三百米 with the offset unread: somewhere else, not the school.
        or (described is None and says_an_offset(q))
    ):
        # 东升村2组 read as 东升村1号, 第三人民医院 as 区人民医院: the 组 or the ordinal said is
        # not the building's, whatever else matched.
        refused = match.resolution
        match = AddressMatch(
            resolution=Resolution(None, None, refused.confidence, refused.candidates),
            building=None,
            path=[],
        )
    if match.building is not None or says_an_offset(q):
        # 过了南河道桥那边: beyond the bridge, never the bridge named alone.
        return match
    alone = reader.way_alone(q)
    if alone is None:
        # "Lane 268, Tacheng Road" and "268弄，塔城路" name the lane as 塔城路268弄 does.
        chinese = indexes.address_index().chinese_order(q)
        alone = reader.way_alone(chinese) if chinese and chinese != q else None
    if alone is None:
        return match
    placed = _place_match(_named_in_front(alone, q), q)
    if placed.place is not None:
        return placed
    return AddressMatch(
        resolution=match.resolution,
        building=None,
        path=placed.path,
        grid_candidates=placed.grid_candidates,
        reason=placed.reason,
    )


# A gate of a park, a school, a 小区: the resolver reads 翠湖公园南门 as 翠湖公园 (a gate is where
# the place is), so two doors that carry the place's name with two gates tie.
_GATES = ("东门", "西门", "南门", "北门")


def _the_gate_named(q: str, match: AddressMatch) -> AddressMatch:
    """The one door among tied candidates whose own name is the one asked, gate included:
    翠湖公园南门 is the door named 翠湖公园南门, not the one named 翠湖公园北门; 翠湖公园 alone is
    the door named just that. Only when the tie comes from the gate words alone: any other
    difference stays a refusal."""
    candidates = match.resolution.candidates
    if not _tie_listed_whole(match.resolution):
        return match
    top = candidates[0].score
    tied = [c for c in candidates if c.score >= top - 1e-9]
    if len(tied) < 2:
        return match
    asked = unicodedata.normalize("NFKC", q).replace(" ", "")
    names: dict[int, set[str]] = {}
    for candidate in tied:
        building = _building(candidate.building_id)
        if building is None:
            return match
        names[candidate.building_id] = {
            unicodedata.normalize("NFKC", str(a)).replace(" ", "") for a in building.aliases or []
        }
    # The name asked: the longest alias of any tied door found in the text, its gate left off.
    found = [n for own in names.values() for n in own if n and n in asked]
    if not found:
        return match
    longest = max(found, key=lambda n: (len(n.removesuffix(_gate_of(n))), len(n)))
    stem = longest.removesuffix(_gate_of(longest))
    # Every tied door carries that name, with or without a gate: they tie by the gate alone.
    if not all(any(n.removesuffix(_gate_of(n)) == stem for n in own) for own in names.values()):
        return match
    at = asked.find(stem)
    gate = next((g for g in _GATES if asked.startswith(g, at + len(stem))), "")
    wanted = stem + gate
    chosen = [bid for bid, own in names.items() if wanted in own]
    if len(chosen) != 1:
        return match
    building = _building(chosen[0])
    if building is None:
        return match
    named = Candidate(building.pk, building.address, 1.0)
    rest = [c for c in candidates if c.building_id != building.pk]
    resolution = Resolution(building.pk, building.address, 1.0, [named, *rest])
    return AddressMatch(
        resolution=resolution,
        building=building,
        path=indexes.node_table().path(building.micro_grid),
    )


# The shortest own name that, said in full, picks a door out of a tie (二院 is too short to be
# sure it is not part of another name).
_FULL_NAME_MIN = 4
# What after a name makes a longer name: a gate, a campus, a branch.
_NAME_GOES_ON = frozenset("东南西北门院分部")


def _holds_unnumbered(name: str, part: str) -> bool:
    """Whether ``name`` holds ``part`` somewhere not followed by a number (省委大院1栋 holds
    省委大院 only with one: the 1栋 of it)."""
    at = name.find(part)
    while at >= 0:
        after = name[at + len(part) : at + len(part) + 1]
        if not after or not (after.isdigit() or after in "一二三四五六七八九十"):
            return True
        at = name.find(part, at + 1)
    return False


def _the_one_named_in_full(q: str, match: AddressMatch) -> AddressMatch:
    """The one door among tied candidates one of whose own names is in the text as written:
    杏花岭区政府 ties with 中涧河乡政府 once the place names in front are read off both (政府 is
    left of each); the text says the first in full and nothing of the second."""
    candidates = match.resolution.candidates
    if not _tie_listed_whole(match.resolution):
        return match
    top = candidates[0].score
    tied = [c for c in candidates if c.score >= top - 1e-9]
    if len(tied) < 2:
        return match
    asked = unicodedata.normalize("NFKC", q).replace(" ", "")
    buildings: list[Building] = []
    said: dict[int, list[str]] = {}
    for candidate in tied:
        building = _building(candidate.building_id)
        if building is None:
            return match
        buildings.append(building)
        said[building.pk] = [
            n
            for n in _names_of(building)[1:]
            if len(n) >= _FULL_NAME_MIN
            and n in asked
            # 上游家园9栋 says more than the name 上游家园: a number the tie did not match;
            # 人民公园东门 a gate, 人民医院北院 a campus.
            and not any(ch.isdigit() for ch in normalize_text(asked.replace(n, "", 1)))
            and asked[asked.find(n) + len(n) : asked.find(n) + len(n) + 1] not in _NAME_GOES_ON
        ]
    chosen = [b for b in buildings if said[b.pk]]
    if len(chosen) == 1 and any(
        _holds_unnumbered(other, n)
        for b in buildings
        if b.pk != chosen[0].pk
        for other in _names_of(b)
        for n in said[chosen[0].pk]
    ):
        # The name said is inside another tied door's own (its address 中原区伊河路百花里3号楼
        # holds the alias 伊河路百花里3号楼): the text tells them no further apart. A numbered
        # building of it (省委大院1栋) does not: the text names no number.
        return match
    if len(chosen) != 1:
        return match
    building = chosen[0]
    named = Candidate(building.pk, building.address, 1.0)
    rest = [c for c in candidates if c.building_id != building.pk]
    resolution = Resolution(building.pk, building.address, 1.0, [named, *rest])
    return AddressMatch(
        resolution=resolution,
        building=building,
        path=indexes.node_table().path(building.micro_grid),
    )


def _tie_listed_whole(resolution: Resolution) -> bool:
    """Whether a refusal lists two doors or more and every door that scored: a full list may
    hide more doors of the same name (24 compounds called 于胡9小区 each with its 3号楼), and a
    name said in full picks a door only among all of them."""
    count = len(resolution.candidates)
    return count >= 2 and (count < MAX_CANDIDATES or resolution.listed_all)


def _gate_of(name: str) -> str:
    return next((g for g in _GATES if name.endswith(g) and len(name) > len(g)), "")


_GROUP_RE = re.compile(r"([0-9]+)组")


def _group_not_its_own(q: str, building: Building) -> bool:
    """Whether `q` names a 村民小组 the building's address and aliases do not."""
    asked = set(_GROUP_RE.findall(normalize_text(q)))
    if not asked:
        return False
    own = " ".join([building.address, *(str(a) for a in building.aliases or [])])
    return not asked <= set(_GROUP_RE.findall(normalize_text(own)))


def _names_of(building: Building) -> list[str]:
    return [
        unicodedata.normalize("NFKC", str(n)).replace(" ", "")
        for n in (building.address, *(building.aliases or []))
    ]


def _named_beside(near_phrase: str, building: Building) -> bool:
    """Whether a near phrase (雪松家园周边) names the building (雪松家园): what is around it was
    asked, not the building."""
    if not near_phrase:
        return False
    names = _names_of(building)
    if any(len(n) >= 2 and n in near_phrase for n in names):
        return True
    # Its door said without the district in front (平江路91号河对面 for 姑苏区平江路91号): the
    # address's tail from a road name on, number included. At its door (门口, 骑楼下) is the
    # building's own.
    if near_phrase.endswith(_AT_THE_DOOR):
        return False
    return any(
        n[i:] in near_phrase
        for n in names
        if _DOOR_NUMBER_RE.search(n)
        for i in range(len(n) - 3)
        if not n[i].isdigit() and _DOOR_NUMBER_RE.search(n[i:])
    )


# 俺家楼下 / 我家楼底下 with the home's address said apart (…，江苏路231号), or a door's own
# 楼下 (花园路282号楼下, 3号楼楼下): downstairs is the pavement and yard round the door as much
# as the door, so the door answers only when all within half the near radius of it (a yard,
# not the street beyond) is its own micro-grid.
_BELOW_HOME = ("家楼下", "家楼底下")
_BELOW_DOOR_RE = re.compile(r"[0-9号栋幢座楼](?:楼下|楼底下)")
_BELOW_HOME_REACH = 0.5


def _below_home_spills(near_phrase: str, q: str, building: Building) -> bool:
    if not near_phrase.endswith(_BELOW_HOME) and not _BELOW_DOOR_RE.search(normalize_text(q)):
        return False
    west, south, east, north = box_around(
        building.lon, building.lat, settings.ADDRESS_NEAR_RADIUS_M * _BELOW_HOME_REACH
    )
    rx, ry = (east - west) / 2, (north - south) / 2
    lons = [building.lon + rx * math.cos(k * math.pi / 6) for k in range(12)]
    lats = [building.lat + ry * math.sin(k * math.pi / 6) for k in range(12)]
    hits = indexes.grid_index().locate_many(lons, lats)
    return any(hit.micro_id != building.micro_grid_id for hit in hits)


_DIRECTIONS = "东南西北"


def _direction_not_its_own(q: str, building: Building) -> bool:
    """Whether `q` says one of the building's names with a direction put in it (苏家屯南站 for
    苏家屯站, 人民医院东院 for 人民医院): a place of its own, however close the spelling."""
    asked = unicodedata.normalize("NFKC", q).replace(" ", "")
    names = _names_of(building)
    if any(n in asked for n in names if len(n) >= 3):
        return False
    return any(
        n[:i] + d + n[i:] in asked
        for n in names
        if len(n) >= 3
        for i in range(1, len(n) + 1)
        for d in _DIRECTIONS
    )


_ORDINAL_RE = re.compile(r"第([0-9零〇一二两三四五六七八九十百]+)")


def _ordinal_not_its_own(q: str, building: Building) -> bool:
    """Whether `q` names an ordinal (第一, 第13) none of the building's names carries: 第一人民医院
    and 第三人民医院 are two hospitals, however alike the rest of their names."""
    asked = set(_ORDINAL_RE.findall(normalize_text(q)))
    if not asked:
        return False
    own = " ".join([building.address, *(str(a) for a in building.aliases or [])])
    return not asked <= set(_ORDINAL_RE.findall(normalize_text(own)))


def _building_match(resolution: Resolution) -> AddressMatch:
    if resolution.near is not None:
        resolution = _around_landmark(resolution, resolution.near)
    building = None
    path: list[GridNode] = []
    if resolution.building_id is not None:
        building = _building(resolution.building_id)
        if building is not None:
            path = indexes.node_table().path(building.micro_grid)
    return AddressMatch(resolution=resolution, building=building, path=path)


def _place_reader() -> PlaceReader:
    return PlaceReader(
        indexes.place_index(),
        indexes.grid_index(),
        _buildings_named,
        settings.ADDRESS_NEAR_RADIUS_M,
        _houses_of,
        _building_of,
    )


def _building_of(pk: int) -> tuple[str, list[str]] | None:
    """A landmark building's address and aliases (read only when a landmark is, so from the
    database: the place index keeps no texts per building)."""
    row = Building.objects.filter(pk=pk).values_list("address", "aliases").first()
    return (row[0], list(row[1] or [])) if row is not None else None


def _houses_of(name: str, micro_grid_ids: Sequence[int]) -> dict[int, int]:
    """Per micro-grid among those given, the buildings whose address carries `name` (a
    village's houses; read only when a village is named alone, so from the database)."""
    rows = (
        Building.objects.filter(micro_grid_id__in=micro_grid_ids, address__contains=name)
        .values_list("micro_grid_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def _buildings_named(words: str) -> list[int]:
    """The one building a landmark's words name (its address, an alias), or none."""
    resolution = indexes.address_index().resolve_in_text(words)
    if resolution.building_id is None or resolution.confidence < LANDMARK_CONFIDENCE:
        return []
    return [resolution.building_id]


# A landmark is a building only when its words name it exactly: an offset from a building
# the words merely resemble (第二人民医院 for 第一人民医院) would be placed from the wrong spot.
LANDMARK_CONFIDENCE = 0.99


def _whole_area(reader: PlaceReader, found: PlaceResult) -> PlaceResult:
    """苏屯村那一片儿: the whole village (or community) and round it, not only round its
    houses: a choice when it has more than one micro-grid."""
    if found.kind != "place" or found.how != "near" or found.building_ids:
        return found
    word = next((w for w in VAGUE_WORDS if found.phrase.endswith(w)), None)
    if word is None:
        return found
    micro = reader.index.areas.get(canonical(found.phrase[: -len(word)]), set())
    if len(micro) < 2:
        return found
    why = N_("所指位置跨多个微网格")
    return PlaceResult("candidates", "near", found.phrase, candidates=sorted(micro), reason=why)


def _named_in_front(found: PlaceResult, q: str) -> PlaceResult:
    """The place names said in front of a place description (上海市…, 店埠镇…): another
    district or city refuses it; ours must hold the micro-grid found."""
    if found.kind == "refused":
        return found
    front = normalize_text(front_of(q, found.phrase))
    if not front:
        return found
    split = indexes.gazetteer().split(front, indexes.place_index().known_name_at)
    outside = split.impossible
    # The names in front of an offset or a near phrase are the landmark's: 朋兴乡卫生院以北约
    # 1公里 may lie in the next town. Those of a crossing or a lane are the place's own.
    if not outside and found.how not in ("offset", "near") and split.scopes:
        micro = indexes.node_table().by_id.get(found.micro_grid_id or 0)
        outside = found.kind == "place" and micro is not None and not split.admits(micro.path)
    if outside:
        return PlaceResult("refused", found.how, found.phrase, reason=N_("所说地点不在本区"))
    return found


def _place_match(found: PlaceResult, q: str) -> AddressMatch:
    table = indexes.node_table()
    nothing = Resolution(None, None, 0.0, [])
    if found.how == "near" and len(found.building_ids) == 1:
        # Beside a building: it and its nearest neighbours are what a person picks among.
        listed = Resolution(None, None, LISTED_NOT_ANSWERED, [])
        nothing = _around_landmark(listed, found.building_ids[0])
    if found.kind == "place" and found.micro_grid_id is not None:
        micro = table.by_id.get(found.micro_grid_id) or GridNode.objects.get(pk=found.micro_grid_id)
        assert found.lon is not None and found.lat is not None
        place = PlaceFound(found.lon, found.lat, micro, found.phrase, found.how)
        return AddressMatch(
            resolution=Resolution(
                None, None, PLACE_CONFIDENCE, nothing.candidates, near=nothing.near
            ),
            building=None,
            path=indexes.node_table().path(micro),
            place=place,
        )
    grids = [table.by_id[i] for i in found.candidates[:MAX_CANDIDATES] if i in table.by_id]
    return AddressMatch(
        resolution=nothing,
        building=None,
        path=_common_path(grids),
        grid_candidates=tuple(grids),
        reason=found.reason,
    )


# A place found on the map's geometry is as sure as its words allowed: every point they
# could mean lies in the one micro-grid answered.
PLACE_CONFIDENCE = 1.0


def _common_path(grids: Sequence[GridNode]) -> list[GridNode]:
    """The nodes above every one of `grids`: the path stops above the micro-grid."""
    if not grids:
        return []
    paths = [indexes.node_table().path(g) for g in grids]
    common: list[GridNode] = []
    for nodes in zip(*paths, strict=False):
        if any(n.pk != nodes[0].pk for n in nodes):
            break
        common.append(nodes[0])
    if len(grids) == 1:
        common = common[:-1]
    return [n for n in common if n.level != GridLevel.MICRO]


def _building(building_id: int) -> Building | None:
    """The building with its micro-grid from the node table, as `locate` gives one: the join
    cost more to compile than to run, on every address resolved. Read with the join when the
    table does not have the node yet."""
    building = _building_by_id(building_id)
    if building is None:
        return None
    micro = indexes.node_table().by_id.get(building.micro_grid_id)
    if micro is None:
        return Building.objects.select_related("micro_grid").filter(pk=building_id).first()
    building.micro_grid = micro
    return building


def _building_by_id(building_id: int) -> Building | None:
    """`Building.objects.filter(pk=building_id).first()` through `core.raw`'s reader: the
    ORM compiled the query anew for every address resolved, at several times the CPU it took
    to run it on PostgreSQL."""
    found = raw.reader(Building).rows(_building_sql(), [building_id])
    return found[0] if found else None


@functools.cache
def _building_sql() -> str:
    table = Building._meta.db_table
    return f"SELECT {raw.reader(Building).select_list('b')} FROM {table} b WHERE b.id = %s"  # noqa: S608


def _around_landmark(resolution: Resolution, landmark_id: int) -> Resolution:
    """A relative phrase's refusal: the landmark first (what the caller named, and most often
    in the right grid), then its nearest neighbours, nearest first: the place meant is beside
    it, and a dispatcher picks which; never an answer."""
    landmark = Building.objects.filter(pk=landmark_id).values_list("lon", "lat", "address").first()
    if landmark is None:
        return resolution
    lon, lat, address = landmark
    scale = math.cos(math.radians(lat))
    west, south, east, north = box_around(lon, lat, settings.ADDRESS_NEAR_LANDMARK_M)
    around = Building.objects.filter(lon__range=(west, east), lat__range=(south, north)).exclude(
        pk=landmark_id
    )
    nearest = sorted(
        around.values_list("id", "address", "lon", "lat"),
        key=lambda row: ((row[2] - lon) * scale) ** 2 + (row[3] - lat) ** 2,
    )[: MAX_CANDIDATES - 1]
    score = resolution.confidence
    candidates = [Candidate(landmark_id, address, score)]
    candidates += [Candidate(pk, text, score) for pk, text, _lon, _lat in nearest]
    return Resolution(None, None, score, candidates, near=landmark_id)


class BuildingNotFound(ValidationFailed):
    """An address picker's input named no building the user may register at: the page says so
    at the address field (`building`) and keeps what was typed."""

    def __init__(self, message: str, *, field: str = "building") -> None:
        super().__init__(message, field=field)


def building_for_input(user: ScopedUser, *, code: str, address: str) -> Building | None:
    """The building a form's address picker names: the code a chosen suggestion left in its
    hidden field, else the typed address as the resolver reads it (so the form works without
    script too). None when both are blank; BuildingNotFound when they name no building in the
    user's grids."""
    code, address = (code or "").strip(), (address or "").strip()
    if not code and not address:
        return None
    buildings = in_scope(user, Building.objects.select_related("micro_grid"), "micro_grid__path")
    if code:
        building = buildings.filter(code=code).first()
        if building is None:
            raise BuildingNotFound(_("所选楼栋不存在或不在您的网格内，请重新输入地址并选择"))
        return building
    match = resolve_address(q=address)
    if match.building is not None:
        building = buildings.filter(pk=match.building.pk).first()
        if building is None:
            raise BuildingNotFound(
                _("“%(a)s”是%(b)s，不在您的网格内") % {"a": address, "b": match.building.address}
            )
        return building
    if match.resolution.candidates:
        raise BuildingNotFound(_("“%(a)s”对应多栋楼，请从候选地址中选择一栋") % {"a": address})
    raise BuildingNotFound(
        _("未找到地址“%(a)s”对应的楼栋，请核对小区、路名和楼号") % {"a": address}
    )
