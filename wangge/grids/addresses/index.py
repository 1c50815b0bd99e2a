"""The address index: from a normalized address to a building id, or a refusal.

``AddressIndex`` groups buildings by *place* = (road, 门牌号, compound). An exact dictionary over
the place and the partial forms people actually write (compound only, road+compound,
road+门牌号) answers most queries with confidence 1.0. Everything else goes through candidate
generation (road similarity, a deletion index over compound names) restricted to places that
contain the requested building number, then a weighted similarity rerank.

The place names in front of the road (省/市/区/街道/社区, see ``places``) are learnt from the
buildings' grid paths and official addresses, and restrict the candidates to the district or
subtree they name.

Refusing is preferred to guessing: the building number must match exactly, a name that is
itself a *known* road/compound is never "typo-corrected" into a different one, a road that
differs in its direction word (中州东路/中州西路) is another road, and the confidence of the
best candidate is discounted by how close its competitors are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from rapidfuzz.distance import Levenshtein

from wangge.grids.addresses import english
from wangge.grids.addresses.extract import landmark_refusal, resolve_in_text
from wangge.grids.addresses.places import Gazetteer, Split
from wangge.grids.addresses.results import LISTED_NOT_ANSWERED, Candidate, Resolution
from wangge.grids.addresses.text import (
    GENERIC_COMPOUND_SUFFIXES,
    ROAD_SUFFIXES,
    ParsedAddress,
    canonical_compound,
    normalize_relative,
    normalize_text,
    parse_normalized,
    road_name_and_parts,
)

CONFIDENCE_THRESHOLD: float = 0.75
MAX_CANDIDATES: int = 5

# Field weights of the rerank. The compound name carries most of the identity: road names
# are few and shared by hundreds of compounds, 门牌号 are often omitted or quoted differently.
_W_ROAD = 0.3
_W_NUMBER = 0.2
_W_COMPOUND = 0.5
# Similarity credited when the query names a field the candidate place does not have, e.g.
# a 门牌号 the official address lacks. Not zero (people add true details we never recorded),
# not high (it is unverified).
_MISSING_ROAD = 0.5
_MISSING_NUMBER = 0.6
_MISSING_COMPOUND = 0.4
# How many edits still count as a typo of the same name (see _name_sim).
_LONG_NAME = 6
_SHORT_NAME = 3
_MAX_TYPO_EDITS_LONG = 2
_HOMOPHONE_EDIT = 0.5
# A query whose only place information is a road ("桐柏路5号楼") matches every compound on that
# road with a 5号楼; such matches must not reach the threshold however unique they look.
_VAGUE_CAP = 0.6
# confidence = best / (1 + Σ (other/best)^k) over the listed runners-up: a tie halves the
# confidence, a runner-up at 95 % of the best costs a quarter, one at 80 % barely matters.
_COMPETITION_EXPONENT = 20
# Candidate-generation limits keep the fuzzy path bounded on a 50,000-building index.
_MAX_SIMILAR_COMPOUNDS = 12
# Real compound names are far shorter; beyond this a "name" is a paragraph of text, whose
# deletion neighbourhood (quadratic in its length) is not worth building.
_MAX_FUZZY_NAME = 24
_CACHE_LIMIT = 20_000
# Words that tell two streets of one name apart (中州东路 / 中州西路, 蓬莱正街 / 蓬莱南街, 上九路
# / 下九路, 耀华直街 / 耀华横街): one replaced by another is another street, never a typo.
_DIRECTIONS = frozenset("东西南北中正上下前后内外横直")
# Hamlets are named after the family that lives there (张家院子, 王庄, 李家湾): one common
# surname for another before 家 or 庄 is another hamlet, never a typo.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
_CLAN_PLACE = frozenset({"家", "庄"})
_DIGITS_RE = re.compile(r"[0-9]+")
# A part after a road that is itself a lane, not a 小区.
_LANE_WORDS = ("巷", "街")
# "原纺织厂家属院": the old-name marker is often left out when the old name is used.
_OLD_NAME_MARKERS = ("原", "老")


_PlaceKey = tuple[str | None, str | None, str | None]


@dataclass(slots=True)
class _Place:
    road: str | None
    number: str | None
    compound: str | None
    raw_compound: str | None
    # Building number → building ids, ascending: lists while the index is built, tuples after.
    buildings: dict[str | None, Sequence[int]]
    all_ids: Sequence[int]
    unnumbered: bool = False


@dataclass(frozen=True, slots=True)
class _Query:
    road: str | None
    number: str | None
    compound: str | None
    raw_compound: str | None
    building: str | None = None
    loose: bool = False


def _name_sim(a: str, b: str) -> float:
    """Similarity of two names that differ by a typo, else 0.

    A typo is one wrong/missing/extra character (two in names of six or more characters);
    beyond that two names are different names, however many characters they share
    (紫荆山路 is not a misspelt 华山路). A wrong character that sounds the same counts half:
    pinyin input methods make 白花里 for 百花里 far more often than 黑花里. The +1 keeps one
    typo in a short name meaningful: 1 - 1/4 = 0.75 for three characters, where a plain
    normalised distance gives 0.67. Any reading counts (长 is zhang and chang, so 常安 is a
    homophone of 长安). A direction word replaced by another (中州东路 for 中州西路) is not a
    typo: both are usually real, different roads.
    """
    longest = max(len(a), len(b))
    digits_a, digits_b = _DIGITS_RE.findall(a), _DIGITS_RE.findall(b)
    if digits_a and digits_b and digits_a != digits_b:
        return 0.0  # 和平里17区 is not a misspelt 和平里7区: a number is never a typo of another
    if longest < 2:
        return 1.0 if a == b else 0.0  # one character replaced by another shares nothing
    allowed = _MAX_TYPO_EDITS_LONG if longest >= _LONG_NAME else 1
    distance: float = Levenshtein.distance(a, b, score_cutoff=allowed)
    if distance > allowed:
        return 0.0
    if distance and len(a) == len(b):
        substituted = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        if any(x in _DIRECTIONS and y in _DIRECTIONS for x, y in substituted):
            return 0.0
        if any(
            a[i] in _SURNAMES and b[i] in _SURNAMES and a[i + 1 : i + 2] in _CLAN_PLACE
            for i in range(len(a) - 1)
            if a[i] != b[i] and a[i + 1] == b[i + 1]
        ):
            return 0.0  # 王家院子 is not a misspelt 张家院子: another family's hamlet
        if len(substituted) == distance:  # the edits are in-place substitutions
            distance = sum(_HOMOPHONE_EDIT if _homophones(x, y) else 1.0 for x, y in substituted)
    return 1.0 - distance / (longest + 1)


@lru_cache(maxsize=65_536)
def _readings(char: str) -> frozenset[str]:
    # Imported here: pypinyin loads its dictionaries on import (~0.5 s), which parse_address
    # and normalize_text users should not pay for. A single character's readings do not
    # depend on the phrase dictionary.
    from wangge.core.pinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def _homophones(a: str, b: str) -> bool:
    return (
        "\u4e00" <= a <= "\u9fff"
        and "\u4e00" <= b <= "\u9fff"
        and not _readings(a).isdisjoint(_readings(b))
    )


def _deletions(name: str) -> set[str]:
    """Deletion neighbourhood used to find names within the typo budget of ``name``.

    Two names one edit apart share ``name`` or a one-character deletion of each. Two edits are
    only allowed when the longer name has six or more characters, and then the shared string,
    two deletions deep at most, still has four or more: shorter two-deletion strings (花园
    from every XX花园) are never needed and would only bloat the postings.
    """
    first = {name[:i] + name[i + 1 :] for i in range(len(name))} if len(name) > 1 else set()
    second = {
        word[:i] + word[i + 1 :]
        for word in first
        if len(word) > _LONG_NAME - _MAX_TYPO_EDITS_LONG
        for i in range(len(word))
    }
    return {name} | first | second


def _compound_name_sim(asked: str, known: str) -> float:
    # Users add 小区 to names that do not carry it and then mistype it (农科苑效区), which
    # canonical_compound cannot strip.
    return max(_name_sim(asked, known), _name_sim(asked, known + GENERIC_COMPOUND_SUFFIXES[0]))


def _road_name_sim(asked: str, known: str) -> float:
    """Similarity of two roads: their names may differ by a typo, their numbered parts (1088弄,
    12支弄, 4组) never: 108弄 is another lane, not a misspelt 1088弄."""
    asked_name, asked_parts = road_name_and_parts(asked)
    known_name, known_parts = road_name_and_parts(known)
    if asked_parts != known_parts or not asked_name or not known_name:
        return 0.0
    return _name_sim(asked_name, known_name)


def _refusal(candidates: Sequence[Candidate], factor: float) -> Resolution:
    listed = [Candidate(c.building_id, c.address, round(c.score * factor, 4)) for c in candidates]
    return Resolution(None, None, listed[0].score if listed else 0.0, listed)


def _road_stem(road: str) -> str:
    for suffix in ROAD_SUFFIXES:
        if road.endswith(suffix):
            return road[: -len(suffix)]
    return road


BuildingEntry = tuple[int, str, Sequence[str]] | tuple[int, str, Sequence[str], str]
# One form a building is indexed under: road, 门牌号, compound as written, building numbers.
Form = tuple[str | None, str | None, str | None, tuple[str | None, ...]]


# What indexes made over one gazetteer keep of each building they read (`kept_forms`): its
# forms by its address and aliases as written.
BuildingForms = Callable[[str, tuple[str, ...]], tuple[Form, ...]]


def kept_forms(gazetteer: Gazetteer, size: int) -> BuildingForms:
    """Each building's forms over ``gazetteer``, the last ``size`` kept (`functools.lru_cache`):
    the database engine makes an index per query over its candidates, and a city's common
    buildings (the few kept for each name) come back in query after query; normalizing and
    parsing them again was two thirds of making the index."""

    @lru_cache(maxsize=size)
    def forms(address: str, aliases: tuple[str, ...]) -> tuple[Form, ...]:
        return building_forms(gazetteer, address, aliases)

    return forms


def building_forms(gazetteer: Gazetteer, address: str, aliases: Sequence[str]) -> tuple[Form, ...]:
    """One building's forms over ``gazetteer``, from its address and aliases as written."""
    texts = [normalize_text(text) for text in (address, *aliases)]
    return _forms_of(gazetteer, texts[0], texts[1:])


def _parse_stored(gazetteer: Gazetteer, normalized: str) -> ParsedAddress:
    return parse_normalized(gazetteer.stored_rest(normalized))[0]


def _forms_of(gazetteer: Gazetteer, address: str, aliases: Sequence[str]) -> tuple[Form, ...]:
    """What one building is indexed under (each `_add_form`'s arguments but its id), from its
    address and aliases, normalized already. It depends on those and on the gazetteer alone
    (the place names read off their front)."""
    made: list[Form] = []
    official = _parse_stored(gazetteer, address)
    made.append((official.road, official.road_number, official.compound, (official.building,)))
    if (
        official.road
        and official.road_number is None
        and official.building is not None
        and official.compound is not None
        and official.compound.endswith(_LANE_WORDS)
    ):
        # 宝华路十五甫三巷2号: a lane off a road, whose houses people number on the lane alone
        # (十五甫三巷2号); a lane of that name off another road makes them tie.
        made.append((official.compound, official.building, None, (None,)))
    for alias in aliases:
        parsed = _parse_stored(gazetteer, alias)
        if parsed.road is None and parsed.road_number is None and parsed.compound is None:
            continue
        road = parsed.road
        if road is None and parsed.road_number is None:
            road = official.road
        buildings: tuple[str | None, ...] = (parsed.building,)
        if parsed.building is None and official.building is not None:
            buildings = (None, official.building)
        compounds = [parsed.compound]
        compound = parsed.compound or ""
        if compound.startswith(_OLD_NAME_MARKERS) and len(compound) >= 4:
            compounds.append(compound[1:])
        for name in compounds:
            made.append((road, parsed.road_number, name, buildings))
    return tuple(made)


# A node of the grid tree: (name, level, path).
PlaceEntry = tuple[str, str, str]


class AddressIndex:
    """In-memory resolver over (building_id, official address, aliases[, grid path]).

    An alias is a complete alternative address ("原纺织厂家属院3号楼") or a bare name ("科技大厦").
    Aliases without a road inherit the official road; aliases without a building number are
    indexed both as a name for the building and under the official building number.

    The grid path of a building's micro-grid ("410305/410305002/…") and the tree's
    ``places`` (district, street, community and exclusive-grid nodes) tell which names in front
    of an address point where; without them the index still learns the 省/市/区 names written
    in the addresses, for one district.
    """

    def __init__(
        self,
        entries: Iterable[BuildingEntry],
        places: Iterable[PlaceEntry] = (),
        *,
        gazetteer: Gazetteer | None = None,
        forms: BuildingForms | None = None,
        known_forms: Mapping[int, tuple[Form, ...]] | None = None,
        remember_answers: bool = False,
    ) -> None:
        """``gazetteer``: one that has already learnt the place names of every building (the
        database engine's, shared by the small index it makes per query over a few
        candidates); it is read, never taught, and ``places`` is ignored. ``forms``: the
        buildings' forms kept over that gazetteer (`kept_forms`), so that a building read
        again is not parsed again. ``known_forms``: forms by building id already parsed over
        that gazetteer (stored with the buildings), taken before ``forms``.
        ``remember_answers``: an index made for one query keeps what each text it read
        resolved to (`resolve_normalized`): a text read out of a sentence is read again from
        the same start for each way to cut it, and a refusal of the whole text again as its
        only clause (half the readings of a refused address). Not for an index that lives
        on: what it would keep grows with every query."""
        if forms is not None and gazetteer is None:
            raise ValueError("forms are kept for one gazetteer: give it")
        self._answers: dict[tuple[str, bool], Resolution] | None = {} if remember_answers else None
        self._addresses: dict[int, str] = {}
        # Building id → its micro-grid's path, one string per micro-grid (ten buildings share
        # one), not one per row read.
        self._paths: dict[int, str] = {}
        self._path_strings: dict[str, str] = {}
        self._learning = gazetteer is None
        self._gazetteer = gazetteer if gazetteer is not None else Gazetteer()
        # First characters → known road and compound names, longest first: what the place
        # names in front of an address must not be mistaken for (广州市 in 广州市场大厦).
        self._names_by_first: dict[str, list[str]] = {}
        self._known_names: frozenset[str] = frozenset()
        self._longest_name = 0
        self._places: list[_Place] = []
        self._place_ids: dict[_PlaceKey, int] = {}
        self._exact: dict[_PlaceKey, list[int]] = {}
        self._road_places: dict[str, list[int]] = {}
        self._road_building_places: dict[tuple[str, str | None], list[int]] = {}
        self._road_unnumbered: dict[str, list[int]] = {}
        self._road_number_places: dict[tuple[str, str], list[int]] = {}
        self._compound_places: dict[str, list[int]] = {}
        # Symmetric-deletion index (as in SymSpell): every compound within the typo budget of
        # a query shares a deletion string with it, however short the name and wherever the
        # typo sits (n-grams miss 兰亭嘉园 for 兰庭嘉园 once 嘉园 is too common to use).
        # Built with the rest by an index that learns its own place names (the memory
        # engine's, built once: its first typo'd query must not pay for them); on first use by
        # an index made per query over a few candidates (the database engine's), which most
        # queries, written without a typo, never need.
        self._deletion_index: dict[str, list[str]] | None = None
        self._road_stems: list[tuple[str, str]] | None = None
        self._road_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        self._compound_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        self._pinyin: english.PinyinNames | None = None
        for name, level, path in places if self._learning else ():
            self._gazetteer.add_node(name, level, path)
        rows: list[tuple[int, str, list[str], str]] = []
        for entry in entries:
            building_id, address, aliases = entry[0], entry[1], entry[2]
            path = entry[3] if len(entry) > 3 else ""
            self._addresses.setdefault(building_id, address)
            if forms is not None:
                # The gazetteer is read, never taught: a building's forms are known at once.
                made = known_forms.get(building_id) if known_forms else None
                if made is None:
                    made = forms(address, tuple(aliases))
                self._add_building(building_id, path, made)
                continue
            texts = [normalize_text(text) for text in (address, *aliases)]
            rows.append((building_id, texts[0], texts[1:], path))
            if self._learning:
                district = self._gazetteer.district_of(path)
                for text in texts:
                    self._gazetteer.learn(text, district)
        # Parsed once every text is learnt: which words in front are place names depends on
        # every building's.
        for building_id, official, others, path in rows:
            self._add_building(building_id, path, _forms_of(self._gazetteer, official, others))
        self._finish()

    def __len__(self) -> int:
        return len(self._addresses)

    # -- building the index -------------------------------------------------------------

    def _add_building(self, building_id: int, path: str, forms: Sequence[Form]) -> None:
        """Index one building under its forms (`_forms_of`)."""
        self._paths.setdefault(building_id, self._path_strings.setdefault(path, path))
        for road, number, compound, buildings in forms:
            self._add_form(building_id, road, number, compound, buildings)

    def _add_form(
        self,
        building_id: int,
        road: str | None,
        number: str | None,
        raw_compound: str | None,
        buildings: tuple[str | None, ...],
    ) -> None:
        if road is None and number is None and raw_compound is None:
            return  # nothing to find it by
        compound = canonical_compound(raw_compound)
        key: _PlaceKey = (road, number, compound)
        place_id = self._place_ids.get(key)
        if place_id is None:
            place_id = len(self._places)
            self._places.append(_Place(road, number, compound, raw_compound, {}, []))
            self._place_ids[key] = place_id
            for projection in self._projections(key):
                self._exact.setdefault(projection, []).append(place_id)
            if road is not None:
                self._road_places.setdefault(road, []).append(place_id)
                if number is not None:
                    self._road_number_places.setdefault((road, number), []).append(place_id)
            if compound is not None:
                self._compound_places.setdefault(compound, []).append(place_id)
        place = self._places[place_id]
        for building in buildings:
            known = place.buildings.get(building)
            if known is None:
                ids: list[int] = []
                place.buildings[building] = ids
                if road is not None:
                    self._road_building_places.setdefault((road, building), []).append(place_id)
            else:
                ids = cast("list[int]", known)  # a list until _finish
            if building_id not in ids:
                ids.append(building_id)

    @staticmethod
    def _projections(key: _PlaceKey) -> set[_PlaceKey]:
        """The partial forms under which a place is written: the full form, the compound
        alone or with either road or 门牌号, and road+门牌号 without the compound."""
        road, number, compound = key
        forms: set[_PlaceKey] = {key}
        if compound is not None:
            forms.add((None, None, compound))
            if road is not None:
                forms.add((road, None, compound))
            if number is not None:
                forms.add((None, number, compound))
        if road is not None and number is not None:
            forms.add((road, number, None))
        return forms

    def _finish(self) -> None:
        # What is built no longer grows: tuples instead of lists (a one-element tuple is half
        # the size of a one-element list), and the lists of ids a place shares with another
        # are one tuple. Most places have one building number and one building.
        ids_of: dict[tuple[int, ...], tuple[int, ...]] = {}

        def shared(ids: Iterable[int]) -> tuple[int, ...]:
            key = tuple(sorted(ids))
            return ids_of.setdefault(key, key)

        if self._learning:
            self._gazetteer.learnt()
        self._path_strings = {}
        for place_id, place in enumerate(self._places):
            place.buildings = {k: shared(ids) for k, ids in place.buildings.items()}
            place.all_ids = shared({bid for ids in place.buildings.values() for bid in ids})
            place.unnumbered = set(place.buildings) == {None}
            if place.unnumbered and place.road is not None:
                self._road_unnumbered.setdefault(place.road, []).append(place_id)
        if self._learning:
            self._compound_deletions()
            self._stems()
        names = set(self._road_places) | {p.raw_compound for p in self._places if p.raw_compound}
        self._known_names = frozenset(name for name in names if len(name) >= 2)
        self._longest_name = max(map(len, self._known_names), default=0)
        for name in sorted(names):
            if len(name) >= 2:
                self._names_by_first.setdefault(name[0], []).append(name)
        for group in self._names_by_first.values():
            group.sort(key=lambda name: (-len(name), name))
        # Load the pinyin dictionary now rather than inside the first typo'd request.
        _readings("一")

    def _compound_deletions(self) -> dict[str, list[str]]:
        """Each deletion string (`_deletions`) → the compounds holding it."""
        if self._deletion_index is None:
            index: dict[str, list[str]] = {}
            for compound in sorted(self._compound_places):
                if len(compound) > _MAX_FUZZY_NAME:
                    continue
                keys = _deletions(compound) | _deletions(compound + GENERIC_COMPOUND_SUFFIXES[0])
                for key in keys:
                    index.setdefault(key, []).append(compound)
            self._deletion_index = index
        return self._deletion_index

    def _stems(self) -> list[tuple[str, str]]:
        """(stem, road) of each road whose name is more than its stem, longest stem first."""
        if self._road_stems is None:
            stems = {(_road_stem(road), road) for road in self._road_places}
            self._road_stems = sorted(
                ((stem, road) for stem, road in stems if len(stem) >= 2 and stem != road),
                key=lambda pair: (-len(pair[0]), pair),
            )
        return self._road_stems

    def known_name_ends_at(self, text: str, pos: int) -> bool:
        """Whether a known road or compound name ends right before ``pos``."""
        return any(
            text[pos - size : pos] in self._known_names
            for size in range(2, min(pos, self._longest_name) + 1)
        )

    def _known_name_at(self, text: str, pos: int) -> int:
        """Length of the longest known road or compound name starting at ``pos``."""
        for name in self._names_by_first.get(text[pos], ()):
            if text.startswith(name, pos):
                return len(name)
        return 0

    # -- resolving ----------------------------------------------------------------------

    def resolve(self, query: str) -> Resolution:
        """The building a free-text address names, or a refusal with candidates. An address
        followed by a relative phrase (对面, 旁边, 附近 …) names a landmark, not the place
        meant: the landmark is listed, never the answer."""
        chinese = english.in_chinese_order(query, self.pinyin_names)
        if chinese is None:
            return Resolution(None, None, 0.0, [])
        query = chinese
        normalized, relative = normalize_relative(query)
        result = self.resolve_normalized(normalized, strict=False)
        if relative and result.candidates:
            return landmark_refusal(result)
        return result

    def resolve_in_text(self, text: str) -> Resolution:
        """The building an address inside longer text names (a hotline's 诉求内容, a
        resident's message), or a refusal; see ``extract``."""

        return resolve_in_text(self, text)

    def chinese_order(self, text: str) -> str | None:
        """An address in English word order (in Latin letters or in Chinese) in Chinese order;
        None when Latin text names what the data does not have."""
        return english.in_chinese_order(text, self.pinyin_names)

    def pinyin_names(self) -> english.PinyinNames:
        """The data's road and place names by their pinyin, built on the first address
        written in English (most indexes never see one)."""
        if self._pinyin is None:
            names: set[str] = set(self._gazetteer.names_with_around())
            for address in set(self._addresses.values()):
                rest = self._gazetteer.stored_rest(normalize_text(address))
                names.update(english.rest_names(rest))
            # Roads and compounds of the aliases too (西郊花园3栋 beside 西郊路91号3栋).
            names.update(self._known_names)
            self._pinyin = english.PinyinNames(name for name in names if len(name) >= 2)
        return self._pinyin

    def split_places(self, normalized: str) -> Split:
        return self._gazetteer.split(normalized, self._known_name_at)

    @property
    def gazetteer(self) -> Gazetteer:
        """The place names it reads in front of an address (read-only, for `indexes`)."""
        return self._gazetteer

    def place_names(self) -> frozenset[str]:
        """Every form of the place names it reads in front of an address: the tree's, and the
        省/市/区 its buildings' addresses are written under (read-only, for `indexes`)."""
        return self._gazetteer.name_set()

    def place_name_ends_at(self, normalized: str, pos: int) -> bool:
        return self._gazetteer.ends_here(normalized, pos)

    def place_name_starts_at(self, normalized: str, pos: int) -> bool:
        return self._gazetteer.starts_here(normalized, pos)

    def known_name_at(self, normalized: str, pos: int) -> int:
        return self._known_name_at(normalized, pos)

    def resolve_normalized(self, text: str, *, strict: bool) -> Resolution:
        """Resolve normalized text. ``strict`` (text cut out of a sentence) takes a building
        number only when a building word says it is one: "3天" is not 3号楼."""
        answers = self._answers
        if answers is None:
            return self._resolve_normalized(text, strict)[0]
        known = answers.get((text, strict))
        if known is None:
            known, either = self._resolve_normalized(text, strict)
            answers[(text, strict)] = known
            if either:
                answers[(text, not strict)] = known
        return known

    def _resolve_normalized(self, text: str, strict: bool) -> tuple[Resolution, bool]:
        """`resolve_normalized`'s answer, and whether it is the same strict or not (the text
        has no number that only strictness reads otherwise)."""
        split = self.split_places(text)
        if split.impossible:
            return Resolution(None, None, 0.0, []), True
        admits: Callable[[int], bool] | None = None
        if split.scopes:
            paths = self._paths

            def admits(building_id: int) -> bool:
                return split.admits(paths[building_id])

        parsed, loose = parse_normalized(split.rest)
        either = not loose
        if strict and loose:
            parsed = ParsedAddress(
                parsed.road, parsed.road_number, parsed.compound, None, None, None, parsed.rest
            )
            loose = False
        compound = canonical_compound(parsed.compound)
        if parsed.road is None and parsed.road_number is None and compound is None:
            return Resolution(None, None, 0.0, []), either
        building = parsed.building
        first = _Query(parsed.road, parsed.road_number, compound, parsed.compound, building, loose)
        variants = [first]
        if parsed.road is not None and parsed.road not in self._road_places:
            # Not a road we know, so perhaps not a road at all: a compound whose name contains
            # 路/街 ("铁路家属院") written without the street in front of it.
            merged = parsed.road + (parsed.compound or "")
            variants.append(
                _Query(
                    None, parsed.road_number, canonical_compound(merged), merged, building, loose
                )
            )
        elif parsed.road is None and compound is not None and compound not in self._compound_places:
            if (
                compound in self._road_places
                and parsed.road_number is None
                and (split.scopes or not self._similar_compounds(compound))
            ):
                # A natural village written without its 行政村 (撮镇镇张郢12号): the name is a
                # road-like part of the data, its number the door. Without a place in front,
                # a 行政村 of a like name (王庄 / 王庄村) makes it ambiguous.
                variants.append(_Query(compound, building, None, None, None, False))
            glued = self._split_glued_road(compound, parsed)
            if glued is not None:
                variants.append(glued)
        if (
            parsed.road is not None
            and road_name_and_parts(parsed.road)[1]
            and parsed.road_number is None
            and (compound is None or parsed.road.endswith("组"))
            and building is not None
        ):
            # Inside a lane or a group the house is its door: 1088弄3号楼, 4组12.
            variants.append(_Query(parsed.road, building, None, None, None, False))
        # A part without a name (4组, 1088弄) with nothing around it that says whose part it is:
        # candidates, never an answer.
        nameless = (
            parsed.road is not None
            and not road_name_and_parts(parsed.road)[0]
            and compound is None
            and not any(scope.prefixes for scope in split.scopes)
        )

        for variant in variants:
            exact = self._exact.get((variant.road, variant.number, variant.compound))
            if not exact or nameless:
                continue
            ids: set[int] = set()
            for place_id in exact:
                ids.update(self._ids_for(self._places[place_id], variant.building, variant.loose))
            if admits is not None:
                ids = {bid for bid in ids if admits(bid)}
            if len(ids) == 1:
                (only,) = ids
                address = self._addresses[only]
                return Resolution(only, address, 1.0, [Candidate(only, address, 1.0)]), either

        scores = self._score(variants, admits)
        factor = LISTED_NOT_ANSWERED if nameless or self._rival_names(compound) else 1.0
        if not scores and building is not None:
            # Nothing has this building number: list the place's buildings for the dispatcher,
            # scaled so that they cannot resolve.
            scores = self._score(
                [_Query(v.road, v.number, v.compound, v.raw_compound) for v in variants], admits
            )
            factor = LISTED_NOT_ANSWERED
        if not scores:
            return Resolution(None, None, 0.0, []), either
        return self._decide(scores, factor), either

    def _rival_names(self, compound: str | None) -> bool:
        """A short name we do not know that is as close to two names we know (新风村: 新丰村
        and 新峰村): which one was meant is a guess, whatever the number after it finds. In a
        name of three characters one character is a third of it; longer names keep the
        number as the tie-breaker."""
        if compound is None or len(compound) > _SHORT_NAME or compound in self._compound_places:
            return False
        similar = self._similar_compounds(compound)
        return len(similar) >= 2 and similar[1][1] >= similar[0][1]

    def _ids_for(self, place: _Place, building: str | None, loose: bool) -> Sequence[int]:
        if building is None:
            return place.all_ids
        ids = place.buildings.get(building)
        if ids:
            return ids
        if loose and place.unnumbered:
            # "科技大厦15楼": the number is a floor of an unnumbered block.
            return place.all_ids
        return ()

    def _split_glued_road(self, compound: str, parsed: ParsedAddress) -> _Query | None:
        """Read "伊河百花里" as road 伊河(路) + compound 百花里: the 路 was left out."""
        for stem, _road in self._stems():
            if compound.startswith(stem) and len(compound) > len(stem):
                rest = compound[len(stem) :]
                return _Query(
                    stem,
                    parsed.road_number,
                    canonical_compound(rest),
                    rest,
                    parsed.building,
                    False,
                )
        return None

    def _score(
        self, variants: list[_Query], admits: Callable[[int], bool] | None
    ) -> dict[int, float]:
        scores: dict[int, float] = {}
        name_sims: dict[tuple[str, ...], float] = {}
        for variant in variants:
            building, loose = variant.building, variant.loose
            for place_id in self._candidate_places(variant, building, loose):
                place = self._places[place_id]
                score = self._score_place(variant, place, name_sims)
                if score <= 0.0:
                    continue
                for building_id in self._ids_for(place, building, loose):
                    if admits is not None and not admits(building_id):
                        continue
                    if score > scores.get(building_id, -1.0):
                        scores[building_id] = score
        return scores

    def _candidate_places(self, query: _Query, building: str | None, loose: bool) -> set[int]:
        found: set[int] = set()
        if query.compound is not None:
            # A named compound can only be matched by a similar name, or by its 门牌号 when the
            # official address has none. Every other place on the road would score below
            # CONFIDENCE_THRESHOLD, so it is not worth generating.
            for compound, _ in self._similar_compounds(query.compound):
                found.update(
                    place_id
                    for place_id in self._compound_places[compound]
                    if self._admits(self._places[place_id], building, loose)
                )
            if query.road is not None and query.number is not None:
                for road, _ in self._similar_roads(query.road):
                    found.update(
                        place_id
                        for place_id in self._road_number_places.get((road, query.number), ())
                        if self._admits(self._places[place_id], building, loose)
                    )
            if found:
                return found
        # No name, or no name like it: the road's places are the candidates, which at least
        # gives a dispatcher something to choose from.
        if query.road is not None:
            for road, _ in self._similar_roads(query.road):
                if building is None:
                    found.update(self._road_places.get(road, ()))
                    continue
                found.update(self._road_building_places.get((road, building), ()))
                if loose:
                    found.update(self._road_unnumbered.get(road, ()))
        return found

    @staticmethod
    def _admits(place: _Place, building: str | None, loose: bool) -> bool:
        return building is None or building in place.buildings or (loose and place.unnumbered)

    def _similar_roads(self, road: str) -> tuple[tuple[str, float], ...]:
        cached = self._road_cache.get(road)
        if cached is not None:
            return cached
        if road in self._road_places:
            result: tuple[tuple[str, float], ...] = ((road, 1.0),)
        else:
            pairs = [(known, _road_name_sim(road, known)) for known in self._road_places]
            result = tuple(
                sorted(
                    ((known, sim) for known, sim in pairs if sim > 0.0),
                    key=lambda pair: (-pair[1], pair[0]),
                )
            )
        if len(self._road_cache) >= _CACHE_LIMIT:
            self._road_cache.clear()
        self._road_cache[road] = result
        return result

    def _similar_compounds(self, compound: str) -> tuple[tuple[str, float], ...]:
        if compound in self._compound_places:
            return ((compound, 1.0),)
        if len(compound) > _MAX_FUZZY_NAME:
            return ()
        cached = self._compound_cache.get(compound)
        if cached is not None:
            return cached
        shortlisted: set[str] = set()
        holding = self._compound_deletions()
        for key in _deletions(compound):
            shortlisted.update(holding.get(key, ()))
        similar = [
            (name, sim) for name in shortlisted if (sim := _compound_name_sim(compound, name)) > 0.0
        ]
        similar.sort(key=lambda pair: (-pair[1], pair[0]))
        result = tuple(similar[:_MAX_SIMILAR_COMPOUNDS])
        if len(self._compound_cache) >= _CACHE_LIMIT:
            self._compound_cache.clear()
        self._compound_cache[compound] = result
        return result

    def _road_sim(self, asked: str, known: str, memo: dict[tuple[str, ...], float]) -> float:
        if asked == known:
            return 1.0
        if asked in self._road_places:
            return 0.0  # a real road that is not this one: a different place, not a typo
        key = ("road", asked, known)
        sim = memo.get(key)
        if sim is None:
            sim = memo[key] = _road_name_sim(asked, known)
        return sim

    def _compound_sim(
        self, query: _Query, place: _Place, memo: dict[tuple[str, ...], float]
    ) -> float:
        asked, known = query.compound, place.compound
        if asked is None or known is None:
            return 0.0
        if asked == known:
            return 1.0
        if asked in self._compound_places:
            return 0.0  # a real compound that is not this one
        raw_asked, raw_known = query.raw_compound or "", place.raw_compound or ""
        key = ("compound", asked, known, raw_asked, raw_known)
        sim = memo.get(key)
        if sim is None:
            sim = _compound_name_sim(asked, known)
            if raw_asked and raw_known:
                # A typo inside the generic suffix (华山小去) defeats canonicalisation.
                sim = max(sim, _name_sim(raw_asked, raw_known))
            memo[key] = sim
        return sim

    def _score_place(
        self, query: _Query, place: _Place, memo: dict[tuple[str, ...], float]
    ) -> float:
        total = weight = 0.0
        # The query shares some place-identifying detail (compound or 门牌号) with the
        # candidate, or the candidate has none to share (a building directly on the road).
        confirmed = place.compound is None and place.number is None
        if query.road is not None:
            weight += _W_ROAD
            if place.road is None:
                total += _W_ROAD * _MISSING_ROAD
            else:
                total += _W_ROAD * self._road_sim(query.road, place.road, memo)
        if query.number is not None:
            weight += _W_NUMBER
            if place.number is None:
                if query.building is None and not place.unnumbered:
                    return 0.0  # a door asked, the place numbers its buildings instead
                total += _W_NUMBER * _MISSING_NUMBER
            elif place.number == query.number:
                total += _W_NUMBER
                confirmed = True
            elif query.building is None:
                return 0.0  # no building number: the door is the house, and it is another
        if query.compound is not None:
            weight += _W_COMPOUND
            if place.compound is None:
                total += _W_COMPOUND * _MISSING_COMPOUND
            else:
                sim = self._compound_sim(query, place, memo)
                total += _W_COMPOUND * sim
                confirmed = confirmed or sim > 0.0
        if weight == 0.0:
            return 0.0
        score = total / weight
        return score if confirmed else min(score, _VAGUE_CAP)

    def _decide(self, scores: dict[int, float], factor: float) -> Resolution:
        ranked = sorted(
            ((bid, round(score * factor, 4)) for bid, score in scores.items()),
            key=lambda item: (-item[1], item[0]),
        )
        best_id, best = ranked[0]
        competition = 0.0
        if best > 0.0:
            # Only the listed runners-up compete: hundreds of weak matches (every 号院 on a
            # similar road) must not add up to the weight of one strong rival.
            competition = sum(
                (score / best) ** _COMPETITION_EXPONENT for _, score in ranked[1:MAX_CANDIDATES]
            )
        confidence = round(min(1.0, max(0.0, best / (1.0 + competition))), 4)
        candidates = [
            Candidate(bid, self._addresses[bid], score) for bid, score in ranked[:MAX_CANDIDATES]
        ]
        if confidence >= CONFIDENCE_THRESHOLD:
            return Resolution(best_id, self._addresses[best_id], confidence, candidates)
        return Resolution(None, None, confidence, candidates)
