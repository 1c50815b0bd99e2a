"""The resolver of the database engine: `AddressIndex`'s rules over the few buildings the
database hands it for each query, the exact keys' first (`keys`) and, where they do not
decide as every building would, the trigram index's nearest (`candidates`)."""

import functools
from collections.abc import Callable, Sequence

from django.db import connection

from wangge.grids.addresses import AddressIndex, Resolution, english
from wangge.grids.addresses.english import PinyinNames
from wangge.grids.addresses.index import BuildingEntry, BuildingForms, kept_forms
from wangge.grids.addresses.places import Gazetteer
from wangge.grids.dbengine.candidates import candidate_rows, query_parts
from wangge.grids.dbengine.keys import KEYED_CAP, QueryKeys, keyed_rows, query_keys
from wangge.grids.dbengine.stored_forms import StoredForms

# Buildings whose forms a process keeps (`kept_forms`): a few MB at most. Each query reads
# ~20 buildings, most of them the few kept for each of its names, which queries share.
_FORMS_KEPT = 8_192


@functools.lru_cache(maxsize=1)
def _forms_over(names: Gazetteer) -> BuildingForms:
    """The buildings' forms parsed over this gazetteer, kept while it is the one in use (a
    resolver is made per query; a new gazetteer, when the buildings or the tree change, starts
    them anew)."""
    return kept_forms(names, _FORMS_KEPT)


class CandidateResolver:
    """`AddressIndex`'s resolving over the database's candidates for each query: the same
    rules, on the buildings that could be meant instead of every building."""

    def __init__(self, names: Gazetteer, english_names: Callable[[], PinyinNames]) -> None:
        self._names = names
        self._english_names = english_names
        self._places = names.name_set()
        self._forms = _forms_over(names)

    def _index(self, rows: Sequence[BuildingEntry], stored: StoredForms) -> AddressIndex:
        return AddressIndex(
            rows,
            gazetteer=self._names,
            forms=self._forms,
            known_forms=stored.by_id,
            remember_answers=True,
        )

    def chinese_order(self, text: str) -> str | None:
        """An address in English word order in Chinese order, to look its candidates up with."""
        return english.in_chinese_order(text, self._english_names)

    def _answer(self, asked: str, answer: Callable[[AddressIndex], Resolution]) -> Resolution:
        """`answer` over the buildings the query's exact keys find, stage by stage, when they
        decide as every building would (see `_decides`); otherwise over the trigram index's
        nearest buildings."""
        keys = query_keys(query_parts(asked), self._places)
        stored = StoredForms(self._names.digest)
        if not keys.exact and not keys.near:
            return answer(self._index(candidate_rows(asked, forms=stored), stored))
        found = keyed_rows(keys, stored)
        rows: dict[int, BuildingEntry] = {row[0]: row for row in found.carriers}
        complete = True
        result: Resolution | None = None
        for stage, stage_rows in (("exact", found.exact), ("near", found.near)):
            if len(stage_rows) > KEYED_CAP:
                stage_rows = stage_rows[:KEYED_CAP]
                complete = False
            new = [row for row in stage_rows if row[0] not in rows]
            if new or result is None:
                rows.update((row[0], row) for row in new)
                result = answer(self._index(sorted(rows.values()), stored))
            if _decides(stage, result, complete, keys):
                return result
        if result is not None and _refused_by_name(result, keys, found.known):
            return result
        return answer(self._index(candidate_rows(asked, forms=stored), stored))

    def resolve(self, query: str) -> Resolution:
        chinese = self.chinese_order(query)
        if chinese is None:
            return Resolution(None, None, 0.0, [])
        return self._answer(chinese, lambda index: index.resolve(chinese))

    def resolve_in_text(self, text: str) -> Resolution:
        asked = self.chinese_order(text) or text
        return self._answer(asked, lambda index: index.resolve_in_text(text))

    def __len__(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM grids_building")
            row = cursor.fetchone()
        return int(row[0]) if row else 0


def _exact_answer(result: Resolution) -> bool:
    """An answer by the exact path: one building, nothing like it."""
    return (
        result.building_id is not None and result.confidence >= 1.0 and len(result.candidates) == 1
    )


def _exact_tie(result: Resolution) -> bool:
    """A refusal between buildings that each match exactly: more buildings can only add
    rivals to it, never an answer (a building cannot score above an exact match)."""
    return (
        result.building_id is None
        and len(result.candidates) >= 2
        and result.candidates[1].score >= 1.0
    )


def _decides(stage: str, result: Resolution, complete: bool, keys: QueryKeys) -> bool:
    """Whether what the keyed buildings gave is what every building would give.

    * A tie of exact matches: always (more buildings add rivals, never an answer).
    * An exact answer, when every building holding the keys was read (a rival holds them).
    * Never an answer that reads a building's number after a road as its door
      (`door_as_building`): whether another place of the road numbers a building so, only
      the trigram index's nearest show.
    * A mistyped name's answer or tie (`near`), on the same condition, and when no name a
      number follows is a short name other than a road's (`short_name`): its rivals hold a
      key of one character left out of the name, as it does, but a short name's like names
      are too many to read a few buildings of each.
    Otherwise `_refused_by_name`, or the trigram index's nearest buildings."""
    if _exact_tie(result):
        return True
    if keys.door_as_building and result.building_id is not None:
        return False
    if complete and _exact_answer(result):
        return True
    if stage != "near" or not complete or keys.short_name:
        return False
    return result.building_id is not None or _tie(result)


def _tie(result: Resolution) -> bool:
    """A refusal between buildings of equal score: of like names with the number asked
    (华设路3870号: 建设路 or 华山路?), each holding a near key as the query does; a building
    of no near key is further from the query than they are, and adds a rival at most."""
    return len(result.candidates) >= 2 and result.candidates[0].score == result.candidates[1].score


def _refused_by_name(result: Resolution, keys: QueryKeys, known: set[str]) -> bool:
    """A refusal that every building would give: each name a number follows is one some
    building has (`known`), no building has the number after it, and every number is a
    door's (`doors_only`: a number inside a name, 天山4村, leaves the names unread). It lists
    the buildings kept for the name that the place asked admits, if any: fewer than the
    trigram index's nearest would, which a dispatcher picks from by hand anyway."""
    return (
        keys.doors_only
        and result.building_id is None
        and all(any(name in known for name in ends) for ends in keys.numbered)
    )
