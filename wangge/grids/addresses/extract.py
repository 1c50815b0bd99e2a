"""Find the address inside longer text: a 12345 诉求内容 or a resident's message.

"市民来电称洛阳市涧西区南昌路12号院3号楼门口下水道堵了，污水外溢" names one building among
other words. The text is cut into clauses at sentence punctuation; in each, an address can only
start where a known place, road or compound name starts, or after the words people put in
front of one (称、反映、住在…). Each such start is resolved as an address whose tail is ignored,
leftmost first, and in *strict* mode: a number counts as a building only with a building word
(3号楼, 5栋), since a sentence is full of other numbers (3天, 2个人).

A start is never taken in the middle of an address: right after a place name, a road, a
compound, a number or a building word ("中原区|南昌路…", "天津路|牡丹小区…", "11号|街坊…").
The address is read from its own start, so every name in it still counts: the district it
names restricts the building, a wrong road still refuses it; nor is one taken after place names
that refuse the building (巢湖市某镇|某村…, where the tree holds another county). Two clauses
naming two different buildings are refused, as is anything the resolver refuses, and a clause
that ends in a relative phrase (…对面, …旁边) names a landmark, not the place: its building is
only listed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wangge.grids.addresses import divisions
from wangge.grids.addresses.results import LISTED_NOT_ANSWERED, Candidate, Resolution
from wangge.grids.addresses.text import RELATIVE_PHRASES, normalize_relative

if TYPE_CHECKING:
    from wangge.grids.addresses.index import AddressIndex

# The clauses of a sentence; the database engine asks for candidates clause by clause too.
CLAUSE_RE = re.compile(r"[，。；;！!？?\n\r：:]+")
# Words after which an address usually begins.
_LEAD_INS = (
    "来电称",
    "反映",
    "住在",
    "家住",
    "家在",
    "位于",
    "地址",
    "我是",
    "称",
    "住",
    "在",
    "到",
)
# Characters that end a part of an address (a road, a 门牌号, a district or street name).
_ADDRESS_ENDINGS = frozenset("路街巷道号院楼栋幢座区县市省旗州处办会")
# The last character of an address's part, and what may follow one inside an address.
_PART_ENDS = frozenset("号院楼栋幢座室弄条组户")
_PART_FOLLOWS_RE = re.compile(r"[0-9A-Z\-附之甲乙丙丁支弄组队号院楼栋幢座单元室层户]")
_MAX_ENDS = 3
# A door's annex number closes an address too: 500号之2|化粪池满溢, 30号附2|门口.
_ANNEX_END_RE = re.compile(r"[附之][0-9]+$")
# An address followed by 对面/旁边… names a landmark: not where to cut.
_RELATIVE = tuple(sorted(RELATIVE_PHRASES))
# Clauses are short; a start budget bounds the work on a pasted paragraph.
_MAX_STARTS = 16
_MAX_TEXT = 2_000


def _starts(index: AddressIndex, text: str) -> list[int]:
    starts = {0}
    for pos in range(1, len(text)):
        if index.known_name_at(text, pos) or index.place_name_starts_at(text, pos):
            starts.add(pos)
    leads: set[int] = set()
    for lead in _LEAD_INS:
        at = text.find(lead)
        while at >= 0:
            if at + len(lead) < len(text):
                leads.add(at + len(lead))
            at = text.find(lead, at + 1)
    kept: list[int] = []
    # Place names that refuse the building (巢湖市 in front of 烔炀镇新丰村128号, where the tree
    # holds another county with a 新丰村) refuse the address they begin: up to its first
    # number, where place names end, a name is its tail, not a new address, which read alone
    # would forget the city it is in and be another place's house. A lead-in word (称, 住在)
    # still starts one.
    refused_until = 0
    for pos in sorted(starts | leads):
        if pos and pos < refused_until and pos not in leads:
            continue
        if pos and _inside_address(index, text, pos):
            continue
        kept.append(pos)
        if len(kept) == _MAX_STARTS:
            break
        if index.split_places(text[pos:]).impossible:
            digit = next((i for i in range(pos, len(text)) if text[i].isdigit()), len(text))
            refused_until = max(refused_until, digit)
    return kept


def _inside_address(index: AddressIndex, text: str, pos: int) -> bool:
    before = text[pos - 1]
    if before.isdigit() or before.isascii() or before in _ADDRESS_ENDINGS:
        return True
    return index.place_name_ends_at(text, pos) or index.known_name_ends_at(text, pos)


def _ends(text: str, start: int) -> list[int]:
    """Where an address starting at ``start`` may end before the end of the clause: right
    after a part's marker (号, 院, 楼, 弄 …) that no further part follows (not 30号|附2号,
    not 5号|楼, not 15号|院) and no relative phrase (not 66号|对面). Longest first, a few at
    most."""
    ends = [
        end
        for end in range(len(text) - 1, start + 1, -1)
        if (text[end - 1] in _PART_ENDS or _ANNEX_END_RE.search(text, start, end))
        and not _PART_FOLLOWS_RE.match(text, end)
        and not text.startswith(_RELATIVE, end)
    ]
    return ends[:_MAX_ENDS]


def landmark_refusal(result: Resolution) -> Resolution:
    """What an address followed by a relative phrase (…对面, …旁边) answers: never the
    landmark, which is listed (its score discounted) and kept as ``near``."""
    listed = [
        Candidate(c.building_id, c.address, round(c.score * LISTED_NOT_ANSWERED, 4))
        for c in result.candidates
    ]
    return Resolution(None, None, listed[0].score if listed else 0.0, listed, result.building_id)


def _landmark_end(text: str, start: int) -> int | None:
    """Where an address starting at ``start`` ends right before a relative phrase inside the
    clause (66号|对面有人…): it names a landmark there."""
    for end in range(start + 2, len(text)):
        if text[end - 1] in _PART_ENDS and text.startswith(_RELATIVE, end):
            return end
    return None


# A division as written whole (桥西区, 石家庄市), or a city without its 市 (石家庄); a district
# without its 区 is often a landmark's name too (西湖).
_DIVISION_WORDS = ("", "市")


def only_a_division(normalized: str) -> bool:
    """Whether the text is the name of a 省, 市, 区 or 县 of the national list and nothing more
    (石家庄, 桥西区): a place, never a typo of a landmark named after it (石家庄站)."""
    names = divisions.national()
    return any(names.knows(normalized + word) for word in _DIVISION_WORDS)


def resolve_in_text(index: AddressIndex, text: str) -> Resolution:
    if only_a_division(normalize_relative(text)[0]):
        return Resolution(None, None, 0.0, [])
    whole = index.resolve(text)
    if whole.resolved:
        return whole
    found: dict[int, Resolution] = {}
    fallback = whole
    near = whole.near
    for clause in CLAUSE_RE.split(text[:_MAX_TEXT]):
        normalized, relative = normalize_relative(clause)
        if len(normalized) < 2 or only_a_division(normalized):
            continue  # …，桥西区，石家庄: the places in front, not a landmark of theirs
        for start in _starts(index, normalized):
            result = index.resolve_normalized(normalized[start:], strict=True)
            landmark = False
            for end in [] if result.resolved else _ends(normalized, start):
                # What follows the address is not part of it ("5号有人在烧烤"): read the
                # address up to where its last part ends, longest first.
                cut = index.resolve_normalized(normalized[start:end], strict=True)
                if cut.resolved:
                    result = cut
                    break
            before = None if result.resolved else _landmark_end(normalized, start)
            if before is not None:
                # "66号对面有人…": the address before the relative phrase is a landmark.
                cut = index.resolve_normalized(normalized[start:before], strict=True)
                if cut.resolved:
                    result, landmark = cut, True
            if result.resolved and (relative or landmark):
                fallback = landmark_refusal(result)
                near = fallback.near
                continue
            if result.resolved:
                assert result.building_id is not None
                found.setdefault(result.building_id, result)
                break
            if result.candidates and (
                not fallback.candidates or result.confidence > fallback.confidence
            ):
                fallback = result
                near = result.building_id if relative else None
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        # Two buildings named: a dispatcher chooses, both listed.
        candidates = [r.candidates[0] for r in found.values()]
        return Resolution(None, None, 0.0, candidates)
    return Resolution(
        None,
        None,
        fallback.confidence,
        fallback.candidates,
        near=near,
        listed_all=fallback.listed_all,
    )
