"""The place names the database engine's resolver reads, learnt from the tree and from the
front of every stored address (the gazetteer, and the names an address written in English is
translated with): made once for all the buildings, then grown by those added, where the
memory engine's index learns them while it holds every building."""

import copy
import functools
import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.db import connection

from wangge.grids import addresses
from wangge.grids.addresses import english, normalize_text
from wangge.grids.addresses.english import PinyinNames
from wangge.grids.addresses.index import PlaceEntry
from wangge.grids.addresses.places import Gazetteer
from wangge.grids.dbengine.changes import EVER
from wangge.grids.dbengine.statements import statement

_FRONTS_SQL = statement("fronts")
_ENGLISH_FRONTS_SQL = statement("english_fronts")


def _fronts(since: datetime | None = None) -> list[tuple[str, bool, str]]:
    """The fronts of every address and alias (fronts.sql), or of the buildings written since
    then (through the index on `updated_at`: a million buildings' are a ten-second scan)."""
    with connection.cursor() as cursor:
        cursor.execute(_FRONTS_SQL, [since or EVER])
        return [(key, official, front) for key, official, front in cursor.fetchall() if front]


def gazetteer(places: Sequence[PlaceEntry]) -> Gazetteer:
    """The place names of the tree and of every stored address, learnt as the memory engine's
    index learns them: shared by the small index made for each query, so that a city or
    district named in front of an address is known whichever buildings are candidates. Its
    digest covers what it learnt and the code that reads it (`_code_digest`): a building
    added under names already known leaves it as it was, and the forms stored with it."""
    names = Gazetteer()
    for name, level, path in places:
        names.add_node(name, level, path)
    for key, _official, front in _fronts():
        names.learn(normalize_text(front), names.district_of(key))
    names.learnt()
    names.digest = _digest(names)
    return names


def _digest(names: Gazetteer) -> str:
    return hashlib.sha256(f"{_code_digest()} {names.learnt_digest()}".encode()).hexdigest()[:32]


def gazetteer_grown(names: Gazetteer, since: datetime) -> Gazetteer:
    """``names`` after buildings were added since then, none updated or deleted (learning only
    adds): the same object when they teach nothing new, as under names a city already has,
    so that what is kept or stored over it stays good; else a copy that learnt them."""
    fronts = [
        (normalize_text(front), names.district_of(key)) for key, _official, front in _fronts(since)
    ]
    if not any(names.teaches(text, district) for text, district in fronts):
        return names
    grown = copy.deepcopy(names)
    for text, district in fronts:
        grown.learn(text, district)
    grown.learnt()
    digest = _digest(grown)
    if digest == names.digest:
        return names
    grown.digest = digest
    return grown


@functools.cache
def _code_digest() -> str:
    """The digest of the code that parses a building's forms, the address package's files
    (how this module teaches the gazetteer is in what it learnt): forms another version parsed
    are not read, and the fill parses them again."""
    digest = hashlib.sha256()
    folder = Path(addresses.__file__).parent
    files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def pinyin_names(names: Gazetteer) -> PinyinNames:
    """The names an address written in English is translated with: as the memory engine's
    index takes them, the place names and each official address's road part."""
    return PinyinNames(_english_names(names, None))


def pinyin_names_grown(known: PinyinNames, names: Gazetteer, since: datetime) -> PinyinNames:
    """``known`` after buildings were only added since then, over the same ``names``: with the
    road parts of those written since (as `gazetteer_grown`)."""
    return known.grown(_english_names(names, since))


def _english_names(names: Gazetteer, since: datetime | None) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(_ENGLISH_FRONTS_SQL, [since or EVER])
        fronts = [front for (front,) in cursor.fetchall() if front]
    found = english.english_names(
        names.names_with_around(),
        (names.stored_rest(normalize_text(front)) for front in fronts),
    )
    return sorted(name for name in found if len(name) >= 2)
