"""Resolve free-text addresses to buildings for 精准派单 (precise dispatch).

* ``text`` — canonical text (numerals, widths, punctuation, strays) and the parts of an address;
* ``places`` — the 省/市/区/街道/社区 names in front of it, learnt from the grid tree and the
  buildings' own addresses, and the district or subtree each one points to;
* ``index`` — ``AddressIndex``: exact forms, then typo/homophone candidates, ranked, refused
  when unsure;
* ``similarity`` — whether two names differ by a typo or a homophone, and the known names that
  do; ``forms`` — what a building is indexed under, parsed once and kept;
* ``extract`` — the address inside a sentence (诉求内容, a resident's message);
* ``results`` — ``Resolution`` and its ``Candidate`` list, what all of them answer.
"""

from collections import Counter
from collections.abc import Iterable

from wangge.grids.addresses.index import CONFIDENCE_THRESHOLD, MAX_CANDIDATES, AddressIndex
from wangge.grids.addresses.places import Gazetteer
from wangge.grids.addresses.results import Candidate, Resolution
from wangge.grids.addresses.text import (
    ParsedAddress,
    canonical_compound,
    normalize_text,
    parse_normalized,
)

__all__ = [
    "CONFIDENCE_THRESHOLD",
    "MAX_CANDIDATES",
    "AddressIndex",
    "Candidate",
    "ParsedAddress",
    "Resolution",
    "canonical_compound",
    "normalize_text",
    "parse_address",
    "parts_used",
]


def parse_address(text: str) -> ParsedAddress:
    """Split a free-text address into its parts (see ``ParsedAddress``), after the place names
    in front of it, read without any data (every 省/市/区/街道/社区 name is generic here)."""
    return parse_normalized(_GENERIC.split(normalize_text(text)).rest)[0]


_GENERIC = Gazetteer()


# The parts a road may hold, numbered or named (what `parts_used` counts inside the road).
_ROAD_PARTS = ("支弄", "弄", "胡同", "条", "巷", "约", "组")


def parts_used(addresses: Iterable[str]) -> Counter[str]:
    """How many of `addresses` use each part: what the importer reports of a district's
    registry (弄 and 支弄 in a lane city, 组 in a village, 附/之 annexes …), so an operator
    sees which parts the district writes before reading which entries fail."""
    counts: Counter[str] = Counter()
    for address in addresses:
        parsed = parse_address(address)
        if parsed.road:
            counts["road"] += 1
            for part in _ROAD_PARTS:
                if part in parsed.road:
                    counts[part] += 1
                    break
        if parsed.road_number:
            counts["door"] += 1
            if "附" in parsed.road_number:
                counts["annex"] += 1
            if any(stem in parsed.road_number for stem in "甲乙丙丁"):
                counts["stem"] += 1
        for part in ("compound", "building", "unit", "room"):
            if getattr(parsed, part):
                counts[part] += 1
        if not parsed.key().strip("|"):
            counts["unparsed"] += 1
    return counts
