"""Addresses written in English word order: "No. 3, Lane 1088, Changning Rd", "Room 201, No. 6,
Lane 1088, Changning Road, Changning District", "22 Dongsi Shitiao", "Jia 22 Dongsi Shitiao".

The English words for the parts (No., Lane, Road, Street, Building, Room …) are the language;
the names are the data: a name written in pinyin is found among the names the imported
addresses and the grid tree use, by their pinyin ("Changning Rd" is the 长宁路 of the data, and
only if the data has one). The address is rewritten in Chinese order (city, district, road,
lane, door, building, room) and resolved as any other; a name the data does not have is left
as it is written, so the address is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice, product

# What makes a text English: mostly Latin letters.
_LETTERS_RE = re.compile(r"[A-Za-z]")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")

_ROOM_RE = re.compile(r"\b(?:room|rm)\.?\s*#?\s*(\d+)", re.IGNORECASE)
_BUILDING_RE = re.compile(r"\b(?:building|bldg|block)\.?\s*#?\s*(\d+|[A-Z])\b", re.IGNORECASE)
_UNIT_RE = re.compile(r"\bunit\.?\s*(\d+)", re.IGNORECASE)
_LANE_RE = re.compile(r"\blane\s*(\d+)", re.IGNORECASE)
_STEMS = {"jia": "甲", "yi": "乙", "bing": "丙", "ding": "丁"}
_DOOR_RE = re.compile(
    r"(?:\bno\.?\s*|^\s*|,\s*)(?:(jia|yi|bing|ding)\s+)?(\d+)(?:\s*-\s*(\d+))?\b(?!\s*(?:lane)\b)",
    re.IGNORECASE,
)
# The English word of a road-like part, and the Chinese words it may stand for.
_ROAD_WORDS = {
    "road": ("路", "大道"),
    "rd": ("路",),
    "avenue": ("大道", "大街", "路"),
    "ave": ("大道", "大街", "路"),
    "street": ("街", "大街", "路"),
    "st": ("街", "大街"),
    "lane": ("巷", "弄", "里"),
    "alley": ("巷", "胡同"),
    "hutong": ("胡同",),
    "village": ("村",),
}
_DISTRICT_WORDS = {"district": ("区",), "county": ("县",), "city": ("市",)}
_MAX_READINGS = 64
# A place named without its word ("Dongcheng, Beijing").
_PLACE_SUFFIXES = ("区", "市", "县")
_SPLIT_RE = re.compile(r"\s*,\s*")
_SPACED_RE = re.compile(r"[\s,]+")
_WORD_RE = re.compile(r"[A-Za-z']+\.?")


def looks_english(text: str) -> bool:
    """Whether ``text`` is an address written in Latin letters (not a Chinese address with a
    building letter in it)."""
    if _CJK_RE.search(text) or len(_SPACED_RE.split(text.strip())) < 2:
        return False  # Chinese, or one token (a code, a stray string): not words in order
    return len(_LETTERS_RE.findall(text)) >= 4


def _key(words: Iterable[str]) -> str:
    return "".join(w.lower().replace("'", "").rstrip(".") for w in words)


class PinyinNames:
    """Chinese names of the data by their toneless pinyin, letters only ("changninglu")."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names: set[str] = set()
        self._by_key: dict[str, set[str]] = {}
        self._add(names)

    def _add(self, names: Iterable[str]) -> None:
        # Heavy on import (pypinyin's dictionaries, about 0.3 s): only an address written in
        # English word order needs it.
        from wangge.core.pinyin import Style, pinyin

        for name in names:
            if name in self._names:
                continue
            self._names.add(name)
            # Every reading of every character (长 is chang and zhang), a few dozen at most.
            readings = pinyin(name, style=Style.NORMAL, heteronym=True)
            for key in islice(map("".join, product(*readings)), _MAX_READINGS):
                key = key.replace("ü", "v")
                if key.isascii() and key.isalpha():
                    self._by_key.setdefault(key, set()).add(name)

    def grown(self, names: Iterable[str]) -> PinyinNames:
        """These names and ``names``: itself when it has them all, else a copy that has."""
        new = [name for name in names if name not in self._names]
        if not new:
            return self
        grown = PinyinNames(())
        grown._names = set(self._names)
        grown._by_key = {key: set(found) for key, found in self._by_key.items()}
        grown._add(new)
        return grown

    def find(self, key: str) -> str | None:
        found = self._by_key.get(key)
        return next(iter(found)) if found is not None and len(found) == 1 else None


def to_chinese(text: str, names: PinyinNames) -> str | None:
    """The English-order address in Chinese order, or None when it is not one."""
    rest = text
    parts: dict[str, str] = {}

    def take(regex: re.Pattern[str], name: str) -> None:
        nonlocal rest
        match = regex.search(rest)
        if match:
            parts[name] = match.group(1)
            rest = rest[: match.start()] + "," + rest[match.end() :]

    take(_ROOM_RE, "room")
    take(_UNIT_RE, "unit")
    take(_BUILDING_RE, "building")
    take(_LANE_RE, "lane")
    door = _DOOR_RE.search(rest)
    if door:
        stem = _STEMS.get((door.group(1) or "").lower(), "")
        parts["door"] = door.group(2) + stem + (f"附{door.group(3)}" if door.group(3) else "")
        rest = rest[: door.start()] + "," + rest[door.end() :]
    # Named segments, most specific first as English writes them: (is a road, Chinese name).
    named: list[tuple[bool, str]] = []
    for segment in _SPLIT_RE.split(rest):
        words = _WORD_RE.findall(segment)
        if not words:
            continue
        last = words[-1].lower().rstrip(".")
        if last in _DISTRICT_WORDS:
            found = _translate(words[:-1], _DISTRICT_WORDS[last], names)
        elif last in _ROAD_WORDS:
            found = _translate(words[:-1], _ROAD_WORDS[last], names)
        else:
            found = names.find(_key(words)) or _translate(words, _PLACE_SUFFIXES, names)
        if found is None:
            return None  # a name the data does not have: not an address of ours
        named.append((last in _ROAD_WORDS, found))
    roads = [i for i, (is_road, _) in enumerate(named) if is_road] or [0]
    if not named:
        return None
    road = named[roads[0]][1]
    front = [name for i, (_, name) in enumerate(named) if i != roads[0]]
    front.reverse()  # the city before the district, as Chinese writes them
    chinese = "".join(front) + road
    if "lane" in parts:
        chinese += parts["lane"] + "弄"
    if "door" in parts:
        chinese += parts["door"] + "号"
    if "building" in parts:
        chinese += parts["building"] + "号楼"
    if "unit" in parts:
        chinese += parts["unit"] + "单元"
    if "room" in parts:
        chinese += parts["room"] + "室"
    return chinese


def _translate(words: list[str], suffixes: tuple[str, ...], names: PinyinNames) -> str | None:
    # Heavy on import, as above.
    from wangge.core.pinyin import Style, pinyin

    key = _key(words)
    for suffix in suffixes:
        tail = "".join(s[0] for s in pinyin(suffix, style=Style.NORMAL))
        if suffix == "弄":
            tail = "long"
        found = names.find(key + tail)
        if found is not None:
            return found
    return names.find(key)
