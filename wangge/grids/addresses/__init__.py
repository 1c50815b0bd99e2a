"""Resolve free-text addresses to buildings for 精准派单 (precise dispatch).

* ``text`` — canonical text (numerals, widths, punctuation, strays) and the parts of an address;
* ``places`` — the 省/市/区/街道/社区 names in front of it, learnt from the grid tree and the
  buildings' own addresses, and the district or subtree each one points to;
* ``index`` — ``AddressIndex``: exact forms, then typo/homophone candidates, ranked, refused
  when unsure;
* ``extract`` — the address inside a sentence (诉求内容, a resident's message);
* ``results`` — ``Resolution`` and its ``Candidate`` list, what all of them answer.
"""

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
]


def parse_address(text: str) -> ParsedAddress:
    """Split a free-text address into its parts (see ``ParsedAddress``), after the place names
    in front of it, read without any data (every 省/市/区/街道/社区 name is generic here)."""
    return parse_normalized(_GENERIC.split(normalize_text(text)).rest)[0]


_GENERIC = Gazetteer()
