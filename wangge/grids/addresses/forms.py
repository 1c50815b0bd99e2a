"""What a building is indexed under: the forms of its address and aliases, parsed once.

A form is (road, 门牌号, compound as written, building numbers) after the place names in front
are read off by a gazetteer. Apart from the index because forms outlive it: the database
engine keeps them per process (`kept_forms`) and stores them with the buildings, and builds a
small index per query from them without parsing anything again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from wangge.grids.addresses.places import Gazetteer
from wangge.grids.addresses.text import ParsedAddress, normalize_text, parse_normalized

__all__ = ["BuildingForms", "Form", "building_forms", "forms_of", "kept_forms"]

# A part after a road that is itself a lane, not a 小区.
_LANE_WORDS = ("巷", "街")
# "原纺织厂家属院": the old-name marker is often left out when the old name is used.
_OLD_NAME_MARKERS = ("原", "老")

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
    return forms_of(gazetteer, texts[0], texts[1:])


def _parse_stored(gazetteer: Gazetteer, normalized: str) -> ParsedAddress:
    return parse_normalized(gazetteer.stored_rest(normalized))[0]


def forms_of(gazetteer: Gazetteer, address: str, aliases: Sequence[str]) -> tuple[Form, ...]:
    """What one building is indexed under (each `AddressIndex._add_form`'s arguments but its
    id), from its address and aliases, normalized already. It depends on those and on the
    gazetteer alone (the place names read off their front)."""
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
