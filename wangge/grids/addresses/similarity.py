"""Whether two names differ by a typo, and by how much: the address index's fuzzy matching.

A typo is one wrong, missing or extra character (two in a long name); a character that sounds
the same costs half. A direction word or a family name replaced by another, or a number by
another, is never a typo: those are usually real, different places. ``SimilarNames`` finds the
known names within a typo of one asked (a deletion index, as in SymSpell). Apart from the
index because this is what decides "the same name mistyped" against "another name", whatever
the index keeps of its buildings.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from wangge.grids.addresses.text import GENERIC_COMPOUND_SUFFIXES, road_name_and_parts

__all__ = [
    "SimilarNames",
    "compound_name_similarity",
    "deletion_neighbourhood",
    "name_similarity",
    "readings_of",
    "road_name_similarity",
]

# How many edits still count as a typo of the same name (see name_similarity).
_LONG_NAME = 6
_MAX_TYPO_EDITS_LONG = 2
_HOMOPHONE_EDIT = 0.5
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
# Candidate-generation limits keep the fuzzy path bounded on a 50,000-building index.
_MAX_SIMILAR_COMPOUNDS = 12
# Real compound names are far shorter; beyond this a "name" is a paragraph of text, whose
# deletion neighbourhood (quadratic in its length) is not worth building.
_MAX_FUZZY_NAME = 24
_CACHE_LIMIT = 20_000


def name_similarity(a: str, b: str) -> float:
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
def readings_of(char: str) -> frozenset[str]:
    """Every pinyin reading of one character, tones left off (长: zhang and chang)."""
    # Imported here: pypinyin loads its dictionaries on import (~0.5 s), which parse_address
    # and normalize_text users should not pay for. A single character's readings do not
    # depend on the phrase dictionary.
    from wangge.core.pinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def _homophones(a: str, b: str) -> bool:
    return (
        "\u4e00" <= a <= "\u9fff"
        and "\u4e00" <= b <= "\u9fff"
        and not readings_of(a).isdisjoint(readings_of(b))
    )


def deletion_neighbourhood(name: str) -> set[str]:
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


def compound_name_similarity(asked: str, known: str) -> float:
    """Similarity of two compounds' names, the known one with or without 小区."""
    # Users add 小区 to names that do not carry it and then mistype it (农科苑效区), which
    # canonical_compound cannot strip.
    return max(
        name_similarity(asked, known), name_similarity(asked, known + GENERIC_COMPOUND_SUFFIXES[0])
    )


def road_name_similarity(asked: str, known: str) -> float:
    """Similarity of two roads: their names may differ by a typo, their numbered parts (1088弄,
    12支弄, 4组) never: 108弄 is another lane, not a misspelt 1088弄."""
    asked_name, asked_parts = road_name_and_parts(asked)
    known_name, known_parts = road_name_and_parts(known)
    if asked_parts != known_parts or not asked_name or not known_name:
        return 0.0
    return name_similarity(asked_name, known_name)


class SimilarNames:
    """The known roads and compounds within a typo of a name asked, best first, each with its
    similarity; answers kept for the names asked again."""

    def __init__(self, roads: Collection[str], compounds: Collection[str]) -> None:
        """``roads`` and ``compounds``: the index's known names, read as it fills them."""
        self._roads = roads
        self._compounds = compounds
        # Symmetric-deletion index (as in SymSpell): every compound within the typo budget of
        # a query shares a deletion string with it, however short the name and wherever the
        # typo sits (n-grams miss 兰亭嘉园 for 兰庭嘉园 once 嘉园 is too common to use).
        self._deletion_index: dict[str, list[str]] | None = None
        self._road_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        self._compound_cache: dict[str, tuple[tuple[str, float], ...]] = {}

    def compound_deletions(self) -> dict[str, list[str]]:
        """Each deletion string (`deletion_neighbourhood`) → the compounds holding it."""
        if self._deletion_index is None:
            index: dict[str, list[str]] = {}
            for compound in sorted(self._compounds):
                if len(compound) > _MAX_FUZZY_NAME:
                    continue
                keys = deletion_neighbourhood(compound)
                keys |= deletion_neighbourhood(compound + GENERIC_COMPOUND_SUFFIXES[0])
                for key in keys:
                    index.setdefault(key, []).append(compound)
            self._deletion_index = index
        return self._deletion_index

    def roads_like(self, road: str) -> tuple[tuple[str, float], ...]:
        """The known roads ``road`` may be (itself alone when known), best first."""
        cached = self._road_cache.get(road)
        if cached is not None:
            return cached
        if road in self._roads:
            result: tuple[tuple[str, float], ...] = ((road, 1.0),)
        else:
            pairs = [(known, road_name_similarity(road, known)) for known in self._roads]
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

    def compounds_like(self, compound: str) -> tuple[tuple[str, float], ...]:
        """The known compounds ``compound`` may be (itself alone when known), best first."""
        if compound in self._compounds:
            return ((compound, 1.0),)
        if len(compound) > _MAX_FUZZY_NAME:
            return ()
        cached = self._compound_cache.get(compound)
        if cached is not None:
            return cached
        shortlisted: set[str] = set()
        holding = self.compound_deletions()
        for key in deletion_neighbourhood(compound):
            shortlisted.update(holding.get(key, ()))
        similar = [
            (name, sim)
            for name in shortlisted
            if (sim := compound_name_similarity(compound, name)) > 0.0
        ]
        similar.sort(key=lambda pair: (-pair[1], pair[0]))
        result = tuple(similar[:_MAX_SIMILAR_COMPOUNDS])
        if len(self._compound_cache) >= _CACHE_LIMIT:
            self._compound_cache.clear()
        self._compound_cache[compound] = result
        return result
