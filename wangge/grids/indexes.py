"""Per-process in-memory indexes for locating points and resolving addresses.

They are built lazily from the tables and rebuilt when the tables change: at once in the
process that wrote (signals call `invalidate`), and in other processes (gunicorn workers, the
job worker) after a cheap signature query, run at most every RECHECK_SECONDS.

With GRID_ENGINE=database (a city) the point and building indexes are not built at all:
`grid_index()` and `address_index()` answer with the database engine (`dbengine`) behind the
same methods, and only the node table and the place names stay in memory.
"""

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Count, Max

from wangge.core.warmup import built_apart
from wangge.grids import dbengine
from wangge.grids.addresses import AddressIndex
from wangge.grids.addresses.english import PinyinNames
from wangge.grids.addresses.places import Gazetteer
from wangge.grids.models import Building, GridLevel, GridNode, Road
from wangge.grids.places_geo import PlaceIndex
from wangge.grids.spatial import GridIndex, GridShape

RECHECK_SECONDS = 2.0
T = TypeVar("T")


class _Cached(Generic[T]):
    """``build``'s value, made again when ``signature`` changes. ``grow``, if given, is asked
    first with the value and the signature it was made at, and may return the new value from
    them (None: build it anew)."""

    def __init__(
        self,
        build: Callable[[], T],
        signature: Callable[[], Any],
        grow: Callable[[T, Any, Any], T | None] | None = None,
    ) -> None:
        self._build = build
        self._signature = signature
        self._grow = grow
        self._lock = threading.Lock()
        self._value: T | None = None
        self._sig: Any = None
        # The signature the value was made or grown at (None: make it anew).
        self._made_at: Any = None
        self._checked_at = 0.0

    def invalidate(self) -> None:
        """Make it anew on the next use (this process wrote: what it saw may have been rolled
        back since, which no later signature tells from an addition)."""
        self._checked_at = 0.0
        self._sig = None
        self._made_at = None

    def warm(self) -> T:
        """Build now, in a child process (`wangge.core.warmup.built_apart`): for the warm start,
        before the workers fork, so that none of them keeps the build's freed memory."""
        with self._lock:
            sig = self._signature()
            self._value = built_apart(self._build)
            self._sig = self._made_at = sig
            self._checked_at = time.monotonic()
            return self._value

    def get(self) -> T:
        now = time.monotonic()
        if self._value is not None and now - self._checked_at < RECHECK_SECONDS:
            return self._value
        with self._lock:
            sig = self._signature()
            if self._value is None or sig != self._sig:
                grown = None
                if self._grow is not None and self._value is not None and self._made_at is not None:
                    grown = self._grow(self._value, self._made_at, sig)
                self._value = grown if grown is not None else self._build()
                self._sig = self._made_at = sig
            self._checked_at = time.monotonic()
            return self._value


def _grid_signature() -> Any:
    qs = GridNode.objects.filter(level__in=(GridLevel.MICRO, GridLevel.EXCLUSIVE))
    return tuple(qs.aggregate(n=Count("id"), t=Max("updated_at")).values())


def _build_grid_index() -> GridIndex:
    rows = GridNode.objects.filter(
        level__in=(GridLevel.MICRO, GridLevel.EXCLUSIVE), boundary__isnull=False
    ).values_list("id", "code", "level", "boundary")
    return GridIndex(
        GridShape(id=i, code=c, level=lv, geometry=g) for i, c, lv, g in rows.iterator() if g
    )


def _building_signature() -> Any:
    # The tree's names and paths are part of the address index too (places it learns).
    if in_database():
        return (dbengine.building_changes(), _all_nodes_signature())
    return (
        tuple(Building.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        _all_nodes_signature(),
    )


# A city node above the districts too: it names no subtree an address is read into, but says
# which city its districts lie in (鼓楼区 under 南京市 is not 福州's), where their addresses
# never write it.
_PLACE_LEVELS = (
    GridLevel.CITY,
    GridLevel.DISTRICT,
    GridLevel.STREET,
    GridLevel.COMMUNITY,
    GridLevel.EXCLUSIVE,
)


def _build_address_index() -> AddressIndex:
    rows = Building.objects.values_list("id", "address", "aliases", "micro_grid__path")
    return AddressIndex(
        ((i, a, list(al or []), p or "") for i, a, al, p in rows.iterator()),
        places=_build_places(),
    )


def _build_places() -> list[tuple[str, str, str]]:
    """The tree's place names (district, street, community, exclusive grid) with their level
    and path, as the address indexes learn them."""
    found = GridNode.objects.filter(level__in=_PLACE_LEVELS).values_list("name", "level", "path")
    return list(found)


class NodeTable:
    """Every grid node without its boundary, by id and by code: routing walks the tree in
    memory instead of one query per level. The objects are shared; never modify them."""

    def __init__(self, nodes: list[GridNode]) -> None:
        self.by_id = {n.pk: n for n in nodes}
        self.by_code = {n.code: n for n in nodes}
        # The tops of the imported trees, in tree order: where a map with no area of its own opens.
        self.roots = sorted((n for n in nodes if n.parent_id is None), key=lambda n: n.path)

    def path(self, node: GridNode) -> list[GridNode]:
        return [self.by_code[c] for c in node.ancestor_codes() if c in self.by_code]

    def ancestor(self, node: GridNode, level: str) -> GridNode | None:
        for code in reversed(node.ancestor_codes()):
            found = self.by_code.get(code)
            if found is not None and found.level == level:
                return found
        return None

    def levels_above(self, node: GridNode) -> dict[str, GridNode]:
        """The node and every node above it, by level, in one walk of its path (the deepest of
        a level where two share one)."""
        found: dict[str, GridNode] = {}
        for code in reversed(node.ancestor_codes()):
            above = self.by_code.get(code)
            if above is not None:
                found.setdefault(above.level, above)
        return found


def _all_nodes_signature() -> Any:
    if in_database():
        # The same two figures, read through the engine's index on updated_at.
        return dbengine.node_changes()
    return tuple(GridNode.objects.aggregate(n=Count("id"), t=Max("updated_at")).values())


def _build_node_table() -> NodeTable:
    return NodeTable(list(GridNode.objects.defer("boundary")))


_grid_index = _Cached(_build_grid_index, _grid_signature)
_node_table = _Cached(_build_node_table, _all_nodes_signature)
_address_index = _Cached(_build_address_index, _building_signature)


# The database engine's address resolver keeps the place names of the tree and of the stored
# addresses' fronts (a few thousand for a city), never the buildings; the names for addresses
# written in English are read on the first one, as the memory engine's index does.
def _place_names_signature() -> Any:
    """The buildings' and the tree's change figures, and the buildings' rows ever updated or
    deleted (`_grow_place_names` tells additions from rewrites by it)."""
    return (_building_signature(), dbengine.building_rewrites())


def _grow_place_names(names: Gazetteer, before: Any, now: Any) -> Gazetteer | None:
    """The place names after buildings were only added (an import into a city), from the
    fronts of those written since alone: reading every address's front again is a scan of a
    million buildings in each process. Anything else (a building updated or deleted, the tree
    changed, the server keeping no counts) reads them all again (None). A building added with
    an older `updated_at` than the newest seen (raw SQL, another node's clock behind) is not
    learnt until then; the tree's own names never depend on it, only names written in front
    of addresses that no other building has."""
    since = _only_added(before, now)
    return None if since is None else dbengine.gazetteer_grown(names, since)


def _only_added(before: Any, now: Any) -> Any:
    """Between two `_place_names_signature`s where buildings were only added, the buildings'
    newest `updated_at` at the first; else None. Another process's view only: one that wrote
    makes its values anew (`invalidate`)."""
    (buildings_before, nodes_before), rewrites_before = before
    (buildings_now, nodes_now), rewrites_now = now
    if nodes_now != nodes_before or rewrites_now is None or rewrites_now != rewrites_before:
        return None
    newest_before, newest_now = buildings_before[0], buildings_now[0]
    if newest_before is None or newest_now is None or newest_now < newest_before:
        return None
    return newest_before


def _build_english_names() -> tuple[Gazetteer, PinyinNames]:
    names = _place_names.get()
    return names, dbengine.pinyin_names(names)


def _grow_english_names(
    built: tuple[Gazetteer, PinyinNames], before: Any, now: Any
) -> tuple[Gazetteer, PinyinNames] | None:
    """As `_grow_place_names`, over the same place names only: a new name in front of the
    addresses may change how every address's road part reads."""
    names = _place_names.get()
    since = _only_added(before, now)
    if since is None or names is not built[0]:
        return None
    return names, dbengine.pinyin_names_grown(built[1], names, since)


_place_names = _Cached(
    lambda: dbengine.gazetteer(_build_places()), _place_names_signature, _grow_place_names
)
_english_names = _Cached(_build_english_names, _place_names_signature, _grow_english_names)


def _place_index_signature() -> Any:
    roads = tuple(Road.objects.aggregate(n=Count("id"), t=Max("updated_at")).values())
    return (roads, _building_signature(), _grid_signature())


def _build_place_index() -> PlaceIndex:
    micro = GridNode.objects.filter(level=GridLevel.MICRO, boundary__isnull=False)
    return PlaceIndex(
        roads=Road.objects.values_list("name", "geometry", "kind").iterator(),
        buildings=(
            (i, a, list(al or []), lon, lat)
            for i, a, al, lon, lat in Building.objects.values_list(
                "id", "address", "aliases", "lon", "lat"
            ).iterator()
        ),
        micro_grids=micro.values_list("id", "name", "boundary", "path").iterator(),
        strip=_stored_rest,
        areas=GridNode.objects.filter(
            level__in=(GridLevel.STREET, GridLevel.COMMUNITY, GridLevel.GRID)
        ).values_list("name", "path"),
    )


def _stored_rest(normalized: str) -> str:
    # The place index keeps this function, not the gazetteer's bound method: built apart and
    # sent back pickled (`_Cached.warm`), it would otherwise bring a copy of the gazetteer.
    return gazetteer().stored_rest(normalized)


# Every resolve reads it (a text may describe a place), so the warm start builds it apart.
_place_index = _Cached(_build_place_index, _place_index_signature)


def place_index() -> PlaceIndex:
    """The roads, lanes, 组 and landmarks of the data in a local plane (`places_geo`)."""
    return _place_index.get()


def gazetteer() -> Gazetteer:
    """The place names in front of an address, whichever engine resolves."""
    if in_database():
        return _place_names.get()
    return _address_index.get().gazetteer


def in_database() -> bool:
    """Whether the database answers locating and address candidates (GRID_ENGINE=database)."""
    return bool(settings.GRID_ENGINE == "database")


def grid_index() -> GridIndex | dbengine.ShapeLocator:
    if in_database():
        dbengine.require_installed()
        return dbengine.SHAPE_LOCATOR
    return _grid_index.get()


def address_index() -> AddressIndex | dbengine.CandidateResolver:
    if in_database():
        dbengine.require_installed()
        return dbengine.CandidateResolver(_place_names.get(), lambda: _english_names.get()[1])
    return _address_index.get()


def node_table() -> NodeTable:
    return _node_table.get()


def place_names() -> frozenset[str]:
    """Every form of every place name the address resolver knows, whichever engine serves it:
    the tree's districts, streets, communities and exclusive grids, and the 省/市/区 written in
    front of the buildings' addresses (what tells a place of ours from one elsewhere)."""
    if in_database():
        dbengine.require_installed()
        return _place_names.get().name_set()
    return _address_index.get().place_names()


def warm_grid_index() -> GridIndex:
    """The point index built now, apart (see `_Cached.warm`)."""
    return _grid_index.warm()


def warm_address_index() -> AddressIndex:
    """The address index built now, apart (see `_Cached.warm`)."""
    return _address_index.warm()


def warm_place_index() -> PlaceIndex:
    """The place index built now, apart (see `_Cached.warm`)."""
    return _place_index.warm()


def warm() -> None:
    """The warm start's grid step: the large indexes built apart, the node table here. In
    database mode the point and building indexes do not exist: the schema is checked instead.
    The place index is built apart in both, after the place names it reads addresses with:
    built by the first resolve instead, the master kept the build's freed memory (tens of MB
    at the demo district's size, counted in every worker it forks)."""
    if in_database():
        dbengine.require_installed()
        node_table()
        _place_names.get()
    else:
        warm_grid_index()
        node_table()
        warm_address_index()
    warm_place_index()


# What this process last stored the buildings' forms for: the buildings' and the tree's
# change figures, the gazetteer's digest and the buildings' newest write (`store_forms`).
_forms_stored_for: list[Any] = []


def store_forms() -> int | None:
    """Where the database engine serves: store the forms of the buildings whose stored ones
    are missing or stale (`dbengine.fill_forms`), unless nothing changed since this process
    last did; how many were stored. Of every building the first time and when the place names
    or the parser changed; otherwise of those written since the newest write the last run saw
    (a write that leaves `updated_at` behind, raw SQL, is still never read stale: its hash
    differs, and it is parsed in each query until the next full run). None with the memory
    engine, which parses every building once when it builds its index."""
    if not in_database():
        return None
    dbengine.require_installed()
    changes = _building_signature()  # read first: a write after it is seen next time
    newest = changes[0][0]  # the buildings' newest updated_at (`dbengine.building_changes`)
    names = _place_names.get()
    last = _forms_stored_for[0] if _forms_stored_for else None
    if last is not None and last[:2] == (changes, names.digest):
        return 0
    since = last[2] if last is not None and last[1] == names.digest else None
    stored = dbengine.fill_forms(names, since)
    _forms_stored_for[:] = [(changes, names.digest, newest)]
    return stored


def invalidate() -> None:
    _grid_index.invalidate()
    _address_index.invalidate()
    _node_table.invalidate()
    _place_names.invalidate()
    _english_names.invalidate()
    _place_index.invalidate()
