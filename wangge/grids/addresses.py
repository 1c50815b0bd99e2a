"""Resolve free-text addresses to buildings for 精准派单 (precise dispatch).

Residents and 12345-hotline operators write the same building in many ways: with or without
省/市/区/街道/社区 prefixes, 号楼/栋/幢/号 interchangeably, Chinese or full-width numerals, unit
and room numbers attached, old compound names, one-character typos. This module turns such text
into a building id, or refuses.

Pipeline
--------
* ``normalize_text`` makes the text canonical (NFKC, traditional→simplified for the characters
  that occur in addresses, Chinese numerals→digits *only* where they are numbers, admin prefixes
  and trailing "附近/门口…" dropped).
* ``parse_address`` splits it into road / 门牌号 / compound / building / unit / room.
* ``AddressIndex`` groups buildings by *place* = (road, 门牌号, compound). An exact dictionary
  over the place and the partial forms people actually write (compound only, road+compound,
  road+门牌号) answers most queries with confidence 1.0. Everything else goes through
  candidate generation (road similarity, character n-grams of the compound) restricted to places
  that contain the requested building number, then a weighted similarity rerank.

Refusing is preferred to guessing: the building number must match exactly, a name that is
itself a *known* road/compound is never "typo-corrected" into a different one, and the
confidence of the best candidate is discounted by how close its competitors are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

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
_MAX_TYPO_EDITS_LONG = 2
_HOMOPHONE_EDIT = 0.5
# A query whose only place information is a road ("桐柏路5号楼") matches every compound on that
# road with a 5号楼; such matches must not reach the threshold however unique they look.
_VAGUE_CAP = 0.6
# Scales candidates listed for a dispatcher when the building number matched nothing, so they
# can never resolve.
_WRONG_BUILDING_FACTOR = 0.5
# confidence = best / (1 + Σ (other/best)^k) over the listed runners-up: a tie halves the
# confidence, a runner-up at 95 % of the best costs a quarter, one at 80 % barely matters.
_COMPETITION_EXPONENT = 20
# Candidate-generation limits keep the fuzzy path bounded on a 50,000-building index.
_MAX_SIMILAR_COMPOUNDS = 12
# Real compound names are far shorter; beyond this a "name" is a paragraph of text, whose
# deletion neighbourhood (quadratic in its length) is not worth building.
_MAX_FUZZY_NAME = 24
_CACHE_LIMIT = 20_000

_CJK = "\u3400-\u9fff"

# Traditional forms seen in addresses typed on Taiwanese/HK input methods or copied from old
# documents. A full converter would also rewrite characters that are legitimately traditional
# in proper names, so only address vocabulary is mapped.
_TRADITIONAL_PAIRS = (
    "號号樓楼棟栋單单區区園园裡里東东門门層层華华鄭郑紡纺嶺岭陽阳灣湾莊庄橋桥馬马龍龙鳳凤發发豐丰"
    "興兴輝辉勝胜寧宁蘭兰電电廠厂設设運运衛卫體体機机關关鐵铁礦矿醫医學学軍军屬属線线經经濟济"
    "隊队聯联貿贸廣广場场業业築筑綠绿錦锦繡绣麗丽滿满須须隴陇穎颍潁颍庫库鎮镇鄉乡縣县務务處处"
    "舊旧廈厦閣阁軒轩匯汇滙汇瀾澜嶽岳"
    # 颖 for 颍 (颍河西路) is the commonest misspelling in the district; it is never a
    # different road here.
    "颖颍"
)
_TRADITIONAL = str.maketrans(
    {_TRADITIONAL_PAIRS[i]: _TRADITIONAL_PAIRS[i + 1] for i in range(0, len(_TRADITIONAL_PAIRS), 2)}
)

# Everyday and financial (大写) numerals; 幺 is how 1 is read out in room numbers on the phone.
_CN_DIGITS = {
    **{ch: value for value, ch in enumerate("零一二三四五六七八九")},
    **{ch: value for value, ch in enumerate("〇壹贰叁肆伍陆柒捌玖")},
    "幺": 1,
    "两": 2,
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)
_CN_RUN_RE = re.compile(f"[{_CN_NUMERAL_CHARS}]+")
# A numeral run is a number only in number position: right before a unit word (三号楼, 十二栋,
# 一期), or after one at the end of a room chain (二单元五零一). Elsewhere it is part of a name:
# 百花里, 十里铺, 五一路, 七里河 must survive.
_NUMERAL_FOLLOWERS = frozenset("号楼栋幢单室层座期户门排组-")
_NUMERAL_LEADERS = frozenset("元楼栋幢座号室门层-")
_NUMERAL_SEPARATOR_RE = re.compile(
    f"(?<=[0-9{_CN_NUMERAL_CHARS}])[\\s\\-_/\\\\.·~—–―‐‑‒−,，、]+(?=[0-9{_CN_NUMERAL_CHARS}])"
)
_BRACKETED_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|\{[^{}]*\}")
_BRACKET_CHARS_RE = re.compile(r"[()\[\]{}【】〔〕]")
_HASH_AFTER_NUMBER_RE = re.compile(f"(?<=[0-9A-Z{_CN_NUMERAL_CHARS}])#")
_DISALLOWED_RE = re.compile(f"[^0-9A-Z{_CJK}\\-]+")
_STRAY_DASH_RE = re.compile(r"(?<![0-9])-+|-+(?![0-9])")
_ORDINAL_RE = re.compile(r"第(?=[0-9A-Z])")

_ROAD_SUFFIXES = ("大道", "大街", "胡同", "路", "街", "巷", "道")
_ROAD_START_RE = re.compile("(?:" + "|".join(_ROAD_SUFFIXES) + ")")
# Fixed prefixes are only dropped when they are not the start of a road name: 河南路 and
# 郑州路 are streets in many cities, and a road name must never lose its first characters.
_FIXED_PREFIXES = ("中华人民共和国", "中国", "河南省", "河南", "郑州市", "郑州", "中原区")
_ADMIN_UNIT_RE = re.compile(f"[{_CJK}]{{1,8}}?(?:街道办事处|街道办|街道|办事处)")
_COMMUNITY_RE = re.compile(
    f"[{_CJK}]{{1,8}}?(?:社区居民委员会|社区居委会|社区|居民委员会|居委会|村委会)"
)
_LEADING_FILLERS = (
    "请派人到",
    "报修地址",
    "我家住在",
    "我家在",
    "我住在",
    "地址是",
    "地址为",
    "住在",
    "家住",
    "位于",
    "地址",
)
# fmt: off
_TRAILING_STRAYS = tuple(sorted(
    [
        "附近", "门口", "大门口", "对面", "旁边", "边上", "隔壁", "楼下", "楼上", "后面", "前面",
        "后边", "前边", "东侧", "西侧", "南侧", "北侧", "东边", "西边", "南边", "北边", "东门",
        "西门", "南门", "北门", "大门", "一带", "周边", "周围", "这边", "那边", "这里", "那里",
        "里面", "院内", "内", "处",
    ],
    key=len,
    reverse=True,  # longest first, so 大门口 goes before 门口
))
# fmt: on

_BUILDING_MARKERS = "号楼|号|栋|幢|座|楼"
_ROAD_RE = re.compile(r"[^0-9\-]+?(?:" + "|".join(_ROAD_SUFFIXES) + ")")
_JUNCTION_RE = re.compile(
    r"与[^0-9\-]{1,8}?(?:大道|路|街)(?:交叉口|交汇处|交口|路口|口)?(?:[东西南北]{1,2}[角侧]?)?"
)
_NUMBER_RE = re.compile(r"([0-9]+)(?:号院|号(?!楼)|院)")
# A letter directly followed by a building word is a building (A座), not part of the name.
_NAME_CHAR = f"(?:(?![A-Z](?:{_BUILDING_MARKERS}|单元))[^0-9\\-])"
# Numbers inside a name: 万科城1期, 正商城3区, and 建业1号城邦 (壹号) — "N号" followed by more
# name and then a real building number is part of the name, not the building.
_COMPOUND_RE = re.compile(
    f"{_NAME_CHAR}+(?:[0-9]+(?:期|区|组团){_NAME_CHAR}*"
    f"|[0-9]+号(?![楼栋幢座单元室层门户院]){_NAME_CHAR}+(?=[0-9A-Z]))*"
)
_COURTYARD_RE = re.compile(r"([0-9]+)号院")
_BUILDING_RE = re.compile(f"([0-9]+|[A-Z](?=(?:{_BUILDING_MARKERS})))({_BUILDING_MARKERS})?")
_UNIT_RE = re.compile(r"([0-9]+)(?:单元|单|门)")
_CHAINED_UNIT_RE = re.compile(r"([0-9]+)-(?=[0-9])")
_FLOOR_RE = re.compile(r"([0-9]+)(?:层|楼)")
_ROOM_RE = re.compile(r"([0-9]+)(室|号|户)?")
_NOT_A_BUILDING_NEXT = frozenset("单门层室户")
# A bare number or "N楼" may be a floor of an unnumbered office block (科技大厦15楼).
_LOOSE_MARKERS = frozenset({"", "楼"})

_GENERIC_COMPOUND_SUFFIXES = ("小区", "社区")
_FILLER_COMPOUNDS = frozenset({"院", "内", "院内", "里面", "小区", "社区", "号", "楼"})


def _cn_numeral_value(run: str) -> str | None:
    """Value of a Chinese numeral run as digits, or None if it is not a well-formed number.

    Runs without 十/百/千 are read digit by digit (五零一 → 501, as room numbers are spoken);
    otherwise positionally, including the colloquial elision 一百一 = 110, 两千五 = 2500.
    """
    if not any(ch in _CN_UNITS for ch in run):
        return "".join(str(_CN_DIGITS[ch]) for ch in run)
    total = 0
    pending: int | None = None
    previous_unit = 10_000
    zero_gap = False
    for ch in run:
        unit = _CN_UNITS.get(ch)
        if unit is not None:
            if unit >= previous_unit:
                return None
            total += (1 if pending is None else pending) * unit
            pending, previous_unit, zero_gap = None, unit, False
            continue
        digit = _CN_DIGITS[ch]
        if digit == 0:
            if pending is not None:
                return None
            zero_gap = True
            continue
        if pending is not None:
            return None
        pending = digit
    if pending is not None:
        elided = 100 <= previous_unit < 10_000 and not zero_gap
        total += pending * (previous_unit // 10) if elided else pending
    return str(total)


def _convert_numerals(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        in_number_position = after in _NUMERAL_FOLLOWERS or (
            before in _NUMERAL_LEADERS and (after == "" or after.isascii())
        )
        if after == "区" and (len(run) == 1 or any(ch in _CN_UNITS for ch in run)):
            # 三区 / 十二区 are sub-areas; a digit-by-digit pair before 区 is a district name
            # (二七区), which must not become "27区".
            in_number_position = True
        if not in_number_position:
            return run
        value = _cn_numeral_value(run)
        return run if value is None else value

    return _CN_RUN_RE.sub(replace, text)


def _starts_like_road_suffix(text: str) -> bool:
    return _ROAD_START_RE.match(text) is not None


def _strip_prefixes(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for prefix in _FIXED_PREFIXES:
            if text.startswith(prefix) and not _starts_like_road_suffix(text[len(prefix) :]):
                text, changed = text[len(prefix) :], True
        for filler in _LEADING_FILLERS:
            if text.startswith(filler) and len(text) > len(filler):
                text, changed = text[len(filler) :], True
        match = _ADMIN_UNIT_RE.match(text)
        if match:
            rest = text[match.end() :]
            # "华山街道3号" keeps its name: without it nothing identifies a place.
            if rest and not rest[0].isdigit():
                text, changed = rest, True
        match = _COMMUNITY_RE.match(text)
        if match:
            rest = text[match.end() :]
            body = match.group(0)
            # A 社区 named after a road ("伊河路社区百花里…") may be the only road information,
            # so it is dropped only when the remainder names a road itself.
            names_road = any(suffix in body for suffix in _ROAD_SUFFIXES)
            if (
                rest
                and not rest[0].isdigit()
                and (not names_road or _ROAD_RE.match(rest) is not None)
            ):
                text, changed = rest, True
    return text


def _strip_trailing_strays(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for stray in _TRAILING_STRAYS:
            if text.endswith(stray) and len(text) > len(stray):
                text, changed = text[: -len(stray)], True
                break
    return text


def normalize_text(text: str) -> str:
    """Canonical form of an address: NFKC, no spaces/punctuation, Chinese numerals in number
    position turned into digits, administrative prefixes and trailing "附近/门口…" dropped.

    ``-`` survives only between digits, where it separates building-unit-room (3-2-501).
    """
    text = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL).upper()
    without_notes = _BRACKET_CHARS_RE.sub("", _BRACKETED_RE.sub(_drop_note, text))
    text = without_notes if without_notes.strip() else _BRACKET_CHARS_RE.sub("", text)
    text = _HASH_AFTER_NUMBER_RE.sub("号", text)
    text = _NUMERAL_SEPARATOR_RE.sub("-", text)
    text = _convert_numerals(text)
    text = _DISALLOWED_RE.sub("", text)
    text = _STRAY_DASH_RE.sub("", text)
    text = _ORDINAL_RE.sub("", text)
    text = _strip_prefixes(text)
    return _strip_trailing_strays(text)


def _drop_note(match: re.Match[str]) -> str:
    # Brackets usually hold a remark ("（东门）", "（近桐柏路）"); when they hold a number they
    # are part of the address ("百花里（3号楼）").
    inner = match.group(0)
    return inner if any(ch.isdigit() for ch in inner) else ""


def canonical_compound(name: str | None) -> str | None:
    """Compound name without the generic 小区/社区 suffix, so 华山小区 = 华山社区 = 华山."""
    if not name:
        return None
    for suffix in _GENERIC_COMPOUND_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _number(digits: str) -> str:
    return digits.lstrip("0") or "0"


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """An address split into parts, all in normalized form (digits, no punctuation).

    ``road``: 伊河路; ``road_number``: the 门牌号 or 号院 number, "123"; ``compound``: the
    小区/院/里/苑… name as written, "华山小区" (``key`` drops the generic 小区/社区);
    ``building``: the 号楼/栋/幢/座 number or letter, "3" / "A"; ``unit`` and ``room``: for
    display only, they never change which building is meant; ``rest``: what was left over.
    """

    road: str | None
    road_number: str | None
    compound: str | None
    building: str | None
    unit: str | None
    room: str | None
    rest: str

    def key(self) -> str:
        """Building-level key; unit/room are deliberately absent."""
        compound = canonical_compound(self.compound)
        parts = (self.road, self.road_number, compound, self.building)
        return "|".join(part or "" for part in parts)


def parse_address(text: str) -> ParsedAddress:
    """Split a free-text address into its parts (see ``ParsedAddress``)."""
    return _parse_normalized(normalize_text(text))[0]


def _parse_normalized(text: str) -> tuple[ParsedAddress, bool]:
    """Parse already-normalized text. The flag says the building number was written without
    an unambiguous building word (bare "3" or "15楼"), i.e. it might be a floor."""
    pos = 0
    road: str | None = None
    number: str | None = None
    compound: str | None = None
    building: str | None = None
    unit: str | None = None
    room: str | None = None
    loose_building = False

    match = _ROAD_RE.match(text)
    if match:
        road, pos = match.group(0), match.end()
        junction = _JUNCTION_RE.match(text, pos)
        if junction:
            pos = junction.end()

    match = _NUMBER_RE.match(text, pos)
    if match:
        number, pos = _number(match.group(1)), match.end()

    match = _COMPOUND_RE.match(text, pos)
    if match:
        compound, pos = _clean_compound(match.group(0)), match.end()
        if number is None:
            court = _COURTYARD_RE.match(text, pos)
            if court:
                number, pos = _number(court.group(1)), court.end()

    match = _BUILDING_RE.match(text, pos)
    if match:
        marker = match.group(2) or ""
        next_char = text[match.end() : match.end() + 1]
        if marker or next_char not in _NOT_A_BUILDING_NEXT:
            value = match.group(1)
            building = _number(value) if value.isdigit() else value
            loose_building = marker in _LOOSE_MARKERS
            pos = match.end()

    if text.startswith("-", pos):
        pos += 1
    match = _UNIT_RE.match(text, pos) or _CHAINED_UNIT_RE.match(text, pos)
    if match:
        unit, pos = _number(match.group(1)), match.end()
    if text.startswith("-", pos):
        pos += 1
    match = _FLOOR_RE.match(text, pos)
    if match:
        pos = match.end()
    match = _ROOM_RE.match(text, pos)
    if match:
        digits, suffix = match.group(1), match.group(2)
        if unit is None and building is not None and not suffix and len(digits) < 3:
            # "3-2": the second short number of a chain is a unit, not a room.
            unit = _number(digits)
        else:
            room = digits
        pos = match.end()

    parsed = ParsedAddress(
        road=road,
        road_number=number,
        compound=compound,
        building=building,
        unit=unit,
        room=room,
        rest=text[pos:],
    )
    return parsed, loose_building


def _clean_compound(name: str) -> str | None:
    if "社区" in name and not name.endswith("社区"):
        # "社区百花里" after a road: the community prefix could not be stripped earlier
        # because it carried the road name.
        name = name.rsplit("社区", 1)[1]
    return None if name in _FILLER_COMPOUNDS else name


@dataclass(frozen=True, slots=True)
class Candidate:
    """A building that might be meant; ``score`` is its match similarity in [0, 1]."""

    building_id: int
    address: str
    score: float


@dataclass(frozen=True, slots=True)
class Resolution:
    """Outcome of ``AddressIndex.resolve``.

    ``confidence`` is the best candidate's score discounted by how close the runners-up are;
    ``building_id``/``address`` are set only when it reaches ``CONFIDENCE_THRESHOLD``.
    ``candidates`` (at most ``MAX_CANDIDATES``, best first, ties by building id) are filled
    for refusals too, so that a dispatcher can pick by hand.
    """

    building_id: int | None
    address: str | None
    confidence: float
    candidates: list[Candidate]

    @property
    def resolved(self) -> bool:
        return self.building_id is not None


_PlaceKey = tuple[str | None, str | None, str | None]


@dataclass(slots=True)
class _Place:
    road: str | None
    number: str | None
    compound: str | None
    raw_compound: str | None
    buildings: dict[str | None, list[int]]
    all_ids: list[int]
    unnumbered: bool = False


@dataclass(frozen=True, slots=True)
class _Query:
    road: str | None
    number: str | None
    compound: str | None
    raw_compound: str | None


def _name_sim(a: str, b: str) -> float:
    """Similarity of two names that differ by a typo, else 0.

    A typo is one wrong/missing/extra character (two in names of six or more characters);
    beyond that two names are different names, however many characters they share
    (紫荆山路 is not a misspelt 华山路). A wrong character that sounds the same counts half:
    pinyin input methods make 白花里 for 百花里 far more often than 黑花里. The +1 keeps one
    typo in a short name meaningful: 1 - 1/4 = 0.75 for three characters, where a plain
    normalised distance gives 0.67.
    """
    longest = max(len(a), len(b))
    if longest < 2:
        return 1.0 if a == b else 0.0  # one character replaced by another shares nothing
    allowed = _MAX_TYPO_EDITS_LONG if longest >= _LONG_NAME else 1
    distance: float = Levenshtein.distance(a, b, score_cutoff=allowed)
    if distance > allowed:
        return 0.0
    if distance and len(a) == len(b):
        substituted = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        if len(substituted) == distance:  # the edits are in-place substitutions
            distance = sum(_HOMOPHONE_EDIT if _homophones(x, y) else 1.0 for x, y in substituted)
    return 1.0 - distance / (longest + 1)


@lru_cache(maxsize=65_536)
def _reading(char: str) -> str:
    # Imported here: pypinyin loads its dictionary on import (~0.3 s), which parse_address
    # and normalize_text users should not pay for.
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0]


def _homophones(a: str, b: str) -> bool:
    return "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff" and _reading(a) == _reading(b)


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
    return max(_name_sim(asked, known), _name_sim(asked, known + _GENERIC_COMPOUND_SUFFIXES[0]))


def _road_stem(road: str) -> str:
    for suffix in _ROAD_SUFFIXES:
        if road.endswith(suffix):
            return road[: -len(suffix)]
    return road


class AddressIndex:
    """In-memory resolver over (building_id, official address, aliases).

    An alias is a complete alternative address ("原纺织厂家属院3号楼") or a bare name ("科技大厦").
    Aliases without a road inherit the official road; aliases without a building number are
    indexed both as a name for the building and under the official building number.
    """

    def __init__(self, entries: Iterable[tuple[int, str, Sequence[str]]]) -> None:
        self._addresses: dict[int, str] = {}
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
        self._deletion_index: dict[str, list[str]] = {}
        self._road_stems: list[tuple[str, str]] = []
        self._road_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        self._compound_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        for building_id, address, aliases in entries:
            self._add_building(building_id, address, aliases)
        self._finish()

    def __len__(self) -> int:
        return len(self._addresses)

    # -- building the index -------------------------------------------------------------

    def _add_building(self, building_id: int, address: str, aliases: Sequence[str]) -> None:
        self._addresses.setdefault(building_id, address)
        official, _ = _parse_normalized(normalize_text(address))
        self._add_form(
            building_id,
            official.road,
            official.road_number,
            official.compound,
            (official.building,),
        )
        for alias in aliases:
            parsed, _ = _parse_normalized(normalize_text(alias))
            if parsed.road is None and parsed.road_number is None and parsed.compound is None:
                continue
            road = parsed.road
            if road is None and parsed.road_number is None:
                road = official.road
            buildings: tuple[str | None, ...] = (parsed.building,)
            if parsed.building is None and official.building is not None:
                buildings = (None, official.building)
            self._add_form(building_id, road, parsed.road_number, parsed.compound, buildings)

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
            ids = place.buildings.get(building)
            if ids is None:
                ids = place.buildings[building] = []
                if road is not None:
                    self._road_building_places.setdefault((road, building), []).append(place_id)
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
        for place_id, place in enumerate(self._places):
            for ids in place.buildings.values():
                ids.sort()
            place.all_ids = sorted({bid for ids in place.buildings.values() for bid in ids})
            place.unnumbered = set(place.buildings) == {None}
            if place.unnumbered and place.road is not None:
                self._road_unnumbered.setdefault(place.road, []).append(place_id)
        for compound in sorted(self._compound_places):
            if len(compound) > _MAX_FUZZY_NAME:
                continue
            keys = _deletions(compound) | _deletions(compound + _GENERIC_COMPOUND_SUFFIXES[0])
            for key in keys:
                self._deletion_index.setdefault(key, []).append(compound)
        stems = {(_road_stem(road), road) for road in self._road_places}
        self._road_stems = sorted(
            ((stem, road) for stem, road in stems if len(stem) >= 2 and stem != road),
            key=lambda pair: (-len(pair[0]), pair),
        )
        # Load the pinyin dictionary now rather than inside the first typo'd request.
        _reading("一")

    # -- resolving ----------------------------------------------------------------------

    def resolve(self, query: str) -> Resolution:
        parsed, loose = _parse_normalized(normalize_text(query))
        compound = canonical_compound(parsed.compound)
        if parsed.road is None and parsed.road_number is None and compound is None:
            return Resolution(None, None, 0.0, [])
        building = parsed.building
        variants = [_Query(parsed.road, parsed.road_number, compound, parsed.compound)]
        if parsed.road is not None and parsed.road not in self._road_places:
            # Not a road we know, so perhaps not a road at all: a compound whose name contains
            # 路/街 ("铁路家属院") written without the street in front of it.
            merged = parsed.road + (parsed.compound or "")
            variants.append(_Query(None, parsed.road_number, canonical_compound(merged), merged))
        elif parsed.road is None and compound is not None and compound not in self._compound_places:
            glued = self._split_glued_road(compound, parsed)
            if glued is not None:
                variants.append(glued)

        for variant in variants:
            exact = self._exact.get((variant.road, variant.number, variant.compound))
            if not exact:
                continue
            ids: set[int] = set()
            for place_id in exact:
                ids.update(self._ids_for(self._places[place_id], building, loose))
            if len(ids) == 1:
                (only,) = ids
                address = self._addresses[only]
                return Resolution(only, address, 1.0, [Candidate(only, address, 1.0)])

        scores = self._score(variants, building, loose)
        factor = 1.0
        if not scores and building is not None:
            # Nothing has this building number: list the place's buildings for the dispatcher,
            # scaled so that they cannot resolve.
            scores = self._score(variants, None, False)
            factor = _WRONG_BUILDING_FACTOR
        if not scores:
            return Resolution(None, None, 0.0, [])
        return self._decide(scores, factor)

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
        for stem, _road in self._road_stems:
            if compound.startswith(stem) and len(compound) > len(stem):
                rest = compound[len(stem) :]
                return _Query(stem, parsed.road_number, canonical_compound(rest), rest)
        return None

    def _score(self, variants: list[_Query], building: str | None, loose: bool) -> dict[int, float]:
        scores: dict[int, float] = {}
        name_sims: dict[tuple[str, ...], float] = {}
        for variant in variants:
            for place_id in self._candidate_places(variant, building, loose):
                place = self._places[place_id]
                score = self._score_place(variant, place, name_sims)
                if score <= 0.0:
                    continue
                for building_id in self._ids_for(place, building, loose):
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
            pairs = [(known, _name_sim(road, known)) for known in self._road_places]
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
        for key in _deletions(compound):
            shortlisted.update(self._deletion_index.get(key, ()))
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
            sim = memo[key] = _name_sim(asked, known)
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
                total += _W_NUMBER * _MISSING_NUMBER
            elif place.number == query.number:
                total += _W_NUMBER
                confirmed = True
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
