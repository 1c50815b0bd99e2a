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

Which known names are a typo away from a name asked, and how far, is ``similarity``'s to say;
what a building is indexed under, ``forms``'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from wangge.grids.addresses import english
from wangge.grids.addresses.extract import landmark_refusal, resolve_in_text
from wangge.grids.addresses.forms import BuildingForms, Form, building_forms, forms_of, kept_forms
from wangge.grids.addresses.places import Gazetteer, Split
from wangge.grids.addresses.results import LISTED_NOT_ANSWERED, Candidate, Resolution
from wangge.grids.addresses.similarity import (
    SimilarNames,
    compound_name_similarity,
    name_similarity,
    readings_of,
    road_name_similarity,
)
from wangge.grids.addresses.text import (
    ROAD_SUFFIXES,
    ParsedAddress,
    canonical_compound,
    normalize_relative,
    normalize_text,
    parse_normalized,
    road_name_and_parts,
)

# A building's forms (`forms`) are named here too: the database engine imports them with the
# index.
__all__ = [
    "CONFIDENCE_THRESHOLD",
    "MAX_CANDIDATES",
    "AddressIndex",
    "BuildingEntry",
    "BuildingForms",
    "Form",
    "PlaceEntry",
    "building_forms",
    "kept_forms",
]

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
# A name of this many characters or fewer is short: one wrong character is a third of it, so
# one we do not know as close to two names we know is a guess between them (`_rival_names`).
_SHORT_NAME = 3
# A query whose only place information is a road ("桐柏路5号楼") matches every compound on that
# road with a 5号楼; such matches must not reach the threshold however unique they look.
_VAGUE_CAP = 0.6
# confidence = best / (1 + Σ (other/best)^k) over the listed runners-up: a tie halves the
# confidence, a runner-up at 95 % of the best costs a quarter, one at 80 % barely matters.
_COMPETITION_EXPONENT = 20


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


def _refusal(candidates: Sequence[Candidate], factor: float) -> Resolution:
    listed = [Candidate(c.building_id, c.address, round(c.score * factor, 4)) for c in candidates]
    return Resolution(None, None, listed[0].score if listed else 0.0, listed)


def _road_stem(road: str) -> str:
    for suffix in ROAD_SUFFIXES:
        if road.endswith(suffix):
            return road[: -len(suffix)]
    return road


BuildingEntry = tuple[int, str, Sequence[str]] | tuple[int, str, Sequence[str], str]

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
        # Per first character, the lengths of the known names starting with it, longest
        # first: the longest name at a position is a few set lookups, however many names
        # share that character.
        self._sizes_by_first: dict[str, tuple[int, ...]] = {}
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
        # The typo candidates of its roads and compounds. Their deletion index is built with
        # the rest by an index that learns its own place names (the memory engine's, built
        # once: its first typo'd query must not pay for it); on first use by an index made per
        # query over a few candidates (the database engine's), which most queries, written
        # without a typo, never need.
        self._similar = SimilarNames(self._road_places, self._compound_places)
        self._road_stems: list[tuple[str, str]] | None = None
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
            self._add_building(building_id, path, forms_of(self._gazetteer, official, others))
        self._finish()

    def __len__(self) -> int:
        return len(self._addresses)

    # -- building the index -------------------------------------------------------------

    def _add_building(self, building_id: int, path: str, forms: Sequence[Form]) -> None:
        """Index one building under its forms (`forms_of`)."""
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
            self._similar.compound_deletions()
            self._stems()
        names = set(self._road_places) | {p.raw_compound for p in self._places if p.raw_compound}
        self._known_names = frozenset(name for name in names if len(name) >= 2)
        self._longest_name = max(map(len, self._known_names), default=0)
        sizes: dict[str, set[int]] = {}
        for name in self._known_names:
            sizes.setdefault(name[0], set()).add(len(name))
        self._sizes_by_first = {
            first: tuple(sorted(lengths, reverse=True)) for first, lengths in sizes.items()
        }
        # Load the pinyin dictionary now rather than inside the first typo'd request.
        readings_of("一")

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
        for size in self._sizes_by_first.get(text[pos], ()):
            if text[pos : pos + size] in self._known_names:
                return size
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
            names = english.english_names(
                self._gazetteer.names_with_around(),
                (
                    self._gazetteer.stored_rest(normalize_text(address))
                    for address in set(self._addresses.values())
                ),
            )
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
                and (split.scopes or not self._similar.compounds_like(compound))
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
        elif (
            parsed.road is not None
            and parsed.road_number is None
            and compound is None
            and building is not None
            and building.isdigit()
            and not loose
            and (parsed.road, building) not in self._road_building_places
        ):
            # 临顿路12号楼(上漏水): where no place on the road numbers a building N inside,
            # N号楼 can only be the building at door N (if the road has one).
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
            if not exact or nameless or split.former:
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
        # A former district's name in front (白下区长乐路192号): the building is listed for a
        # person to confirm, never answered on a name no longer in use.
        listed = nameless or split.former or self._rival_names(compound)
        factor = LISTED_NOT_ANSWERED if listed else 1.0
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
        similar = self._similar.compounds_like(compound)
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
        places = self._places
        for variant in variants:
            building, loose = variant.building, variant.loose
            # The road's share of a score is the same for every place on one road: worked out
            # once per road among the candidates (a road alone has dozens of places).
            road_terms: dict[str | None, float] = {}
            for place_id in self._candidate_places(variant, building, loose):
                place = places[place_id]
                score = self._score_place(variant, place, name_sims, road_terms)
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
            for compound, _ in self._similar.compounds_like(query.compound):
                found.update(
                    place_id
                    for place_id in self._compound_places[compound]
                    if self._admits(self._places[place_id], building, loose)
                )
            if query.road is not None and query.number is not None:
                for road, _ in self._similar.roads_like(query.road):
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
            for road, _ in self._similar.roads_like(query.road):
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

    def _road_sim(self, asked: str, known: str, memo: dict[tuple[str, ...], float]) -> float:
        if asked == known:
            return 1.0
        if asked in self._road_places:
            return 0.0  # a real road that is not this one: a different place, not a typo
        key = ("road", asked, known)
        sim = memo.get(key)
        if sim is None:
            sim = memo[key] = road_name_similarity(asked, known)
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
            sim = compound_name_similarity(asked, known)
            if raw_asked and raw_known:
                # A typo inside the generic suffix (华山小去) defeats canonicalisation.
                sim = max(sim, name_similarity(raw_asked, raw_known))
            memo[key] = sim
        return sim

    def _score_place(
        self,
        query: _Query,
        place: _Place,
        memo: dict[tuple[str, ...], float],
        road_terms: dict[str | None, float],
    ) -> float:
        total = weight = 0.0
        # The query shares some place-identifying detail (compound or 门牌号) with the
        # candidate, or the candidate has none to share (a building directly on the road).
        confirmed = place.compound is None and place.number is None
        if query.road is not None:
            weight += _W_ROAD
            term = road_terms.get(place.road)
            if term is None:
                if place.road is None:
                    term = _W_ROAD * _MISSING_ROAD
                else:
                    term = _W_ROAD * self._road_sim(query.road, place.road, memo)
                road_terms[place.road] = term
            total += term
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
        # Highest score first, then lowest id: plain tuples sort without a key function.
        order = sorted((-round(score * factor, 4), bid) for bid, score in scores.items())
        ranked = [(bid, -negated) for negated, bid in order[:MAX_CANDIDATES]]
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
        listed_all = len(order) <= MAX_CANDIDATES
        if confidence >= CONFIDENCE_THRESHOLD:
            return Resolution(
                best_id, self._addresses[best_id], confidence, candidates, listed_all=listed_all
            )
        return Resolution(None, None, confidence, candidates, listed_all=listed_all)
