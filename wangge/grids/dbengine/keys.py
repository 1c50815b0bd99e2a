"""The exact keys: a query's names, its names with the number after them, and those with a
character left out, cut as `grids_search_keys` cuts a building's (keys_tables.sql), and the
buildings holding them read in one round trip (`keyed_rows`). Looked up before any trigram
similarity is computed: a few pages of a GIN index instead of a scan."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from wangge.grids.addresses.index import BuildingEntry
from wangge.grids.addresses.text import GENERIC_COMPOUND_SUFFIXES, ROAD_SUFFIXES
from wangge.grids.dbengine.candidates import CANDIDATES
from wangge.grids.dbengine.schema import PLACE_WORD_CHARS
from wangge.grids.dbengine.stored_forms import StoredForms, stored_aliases

# The longest name the resolver weighs against its like names when a number follows it
# (`AddressIndex._rival_names`): a query holding one, not a road's, is not answered by its near
# keys (`QueryKeys.short_name`). The resolver's own length, which this must equal (a test of
# tests/grids/test_database_engine.py compares them).
SHORT_NAME = 3
# The keys' round trip (keyed_query.sql), run by the function that keeps its plan.
_KEYED_ROWS_SQL = "SELECT * FROM grids_keyed_rows(%s::text[], %s::text[], %s, %s::text[], %s, %s)"

# The exact keys looked up first: at most this many buildings for a query's name-and-number
# keys (a name shared by every district, with a common number, is tens); more and the set
# cannot be trusted to hold every rival, so only a tie of exact matches is taken from it.
# Each costs the resolver as much to index as a trigram candidate does.
KEYED_CAP = CANDIDATES
# Names longer than this are a sentence's words glued to a name (我家住在嵩山路): their
# shorter ends are asked, not every part.
_MAX_NAME = 12
_WORD_CUT = (re.compile(r"([0-9]+)"), re.compile(f"([{PLACE_WORD_CHARS}])"))
# A compound's generic word alone (林梁1小区 is cut 林梁 1 小区): held by a fifth of a city's
# buildings, it is no name to look up.
_GENERIC = frozenset(GENERIC_COMPOUND_SUFFIXES)
_HAS_DIGIT = re.compile(r"[0-9]")


def _number(word: str) -> bool:
    """A word that is a number as `grids_search_keys` reads one ([0-9]+)."""
    return word.isascii() and word.isdigit()


def _words(text: str) -> list[str]:
    """The text cut into words as `grids_search_words` cuts a stored address."""
    numbers, places = _WORD_CUT
    return places.sub(r"\1 ", numbers.sub(r" \1 ", text)).split()


# What may follow a door's 号: a building's number, or the word that makes it a compound's or a
# building's (12号院, 3号楼). Anything else is part of the door (22号甲, 5号之一), which the
# keys do not hold.
_AFTER_DOOR = frozenset({"院", "楼", "栋", "幢", "座", "单元"})


def _a_door(words: Sequence[str], i: int) -> bool:
    """Whether the number at `i` is a door's or a building's, written whole: the text ends
    after it or its 号, or its 号 is followed by a number or a building word."""
    if i + 1 == len(words):
        return True
    if words[i + 1] != "号":
        return False
    after = words[i + 2] if i + 2 < len(words) else ""
    return not after or _number(after) or after in _AFTER_DOOR or not after[0].isalnum()


def _door_as_building(words: Sequence[str], i: int) -> bool:
    """Whether the number at `i` follows a road's name straight and is a building's (临顿路
    12号楼, 12栋): the resolver may read it as the door (`AddressIndex`), when no place on the
    road numbers a building so — which only every building of the road can tell."""
    if i == 0 or not words[i - 1].endswith(ROAD_SUFFIXES):
        return False
    after = words[i + 1 : i + 3]
    return bool(after) and (after[0] in ("栋", "幢", "座") or list(after) == ["号", "楼"])


@dataclass(frozen=True)
class QueryKeys:
    """A query's keys, by how sure a building holding one is to be meant: ``exact`` (a name
    of the query with the number after it), ``near`` (one of those names with a character
    mistyped, missing or added), ``numbered`` (each name a number follows, with its shorter
    ends). ``names``: every name of the query and those one character from it, each of which
    a few buildings are read for, so that the resolver knows which names exist and which are
    like them (a real road that is not the one asked is no typo of it; 新风村 is as near 新丰村
    as 新峰村)."""

    exact: tuple[str, ...]
    near: tuple[str, ...]
    numbered: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]
    # A short name a number follows that is not a road's (新风村): one character of it is a
    # third of it, and which of its like names was meant is the resolver's question over all
    # of them (`AddressIndex._rival_names`).
    short_name: bool
    # Every number of the query is a door's or a building's (…号, …号楼), none part of a name
    # (天山4村, 和平里7区, 东四10条): the names were read whole, so that a name none of whose
    # buildings has the number is a refusal.
    doors_only: bool
    # A road's name and a building's number with no door between (临顿路12号楼): its answer by
    # the door is right only if no building of the road elsewhere has that number, which the
    # keyed buildings do not show (`_door_as_building`).
    door_as_building: bool = False


def query_keys(parts: Sequence[str], places: frozenset[str] = frozenset()) -> QueryKeys:
    """The keys of a query's parts (`candidates.query_parts`), as `grids_search_keys` writes
    a building's. Each name is asked with its shorter ends too (住嵩山路 → 嵩山路), for a
    sentence's words glued to it; the near keys of the whole name only. ``places``: the
    tree's place names, which the gazetteer reads and every building of a district holds."""
    exact: dict[str, None] = {}
    near: dict[str, None] = {}
    numbered_names: dict[tuple[str, ...], None] = {}
    names: dict[str, None] = {}
    short_name = False
    doors_only = True
    door_as_building = False
    for part in parts:
        words = _words(part)
        doors_only &= all(_a_door(words, i) for i, word in enumerate(words) if _number(word))
        door_as_building |= any(
            _door_as_building(words, i) for i, word in enumerate(words) if _number(word)
        )
        for i, word in enumerate(words):
            if len(word) < 2 or _HAS_DIGIT.search(word) or word in places or word in _GENERIC:
                continue
            number = words[i + 1] if i + 1 < len(words) else ""
            numbered = _number(number)
            ends = tuple(
                word[start:] for start in range(max(0, len(word) - _MAX_NAME), len(word) - 1)
            )
            for name in ends:
                names[name] = None
                if numbered:
                    exact[f"{name} {number}"] = None
            if numbered:
                numbered_names[ends] = None
            name = word[-_MAX_NAME:]
            names[f"~{name}"] = None
            if numbered:
                near[f"~{name} {number}"] = None
                short_name |= len(name) <= SHORT_NAME and not name.endswith(ROAD_SUFFIXES)
            if len(name) >= 3:
                for at in range(len(name)):
                    short = name[:at] + name[at + 1 :]
                    names[short] = names[f"~{short}"] = None
                    if numbered:
                        near[f"{short} {number}"] = near[f"~{short} {number}"] = None
    return QueryKeys(
        tuple(exact),
        tuple(near),
        tuple(numbered_names),
        tuple(names),
        short_name,
        doors_only,
        door_as_building,
    )


@dataclass
class KeyedRows:
    """What `keyed_rows` read: the buildings kept for the query's names, and the names some
    building has; the buildings holding its exact keys, and its near keys."""

    carriers: list[BuildingEntry]
    known: set[str]
    exact: list[BuildingEntry]
    near: list[BuildingEntry]


def keyed_rows(keys: QueryKeys, forms: StoredForms | None = None) -> KeyedRows:
    """The buildings of a query's keys, each list in id order; into ``forms``, as
    `candidate_rows`, those stored current."""
    found = KeyedRows([], set(), [], [])
    if not keys.names and not keys.exact and not keys.near:
        return found
    most = KEYED_CAP + 1
    parsed_with = forms.parsed_with if forms is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            _KEYED_ROWS_SQL,
            [list(keys.names), list(keys.exact), most, list(keys.near), most, parsed_with],
        )
        rows = cursor.fetchall()
    lists = (found.carriers, found.exact, found.near)
    rows.sort(key=lambda row: row[1])
    for stages, i, a, al, p, names, _made in rows:
        entry = (i, a, stored_aliases(al), p or "")
        for stage, into in enumerate(lists):
            if stages >> stage & 1:
                into.append(entry)
        if names:
            found.known.update(names)
    if forms is not None:
        forms.take((row[1], row[6]) for row in rows)
    return found
