"""Addresses written in English word order, smallest part first: "No. 3, Lane 1088, Changning
Rd", "Room 201, Building 3, No. 96 Jianshe Road, Jianxi District", "No. 15, Group 3, Heping
Village, Dianbu Town, Feidong County", "22 Dongsi Shitiao", "Jia 22 Dongsi Shitiao"; and
Chinese written in that order: "12号，345弄，长宁路，长宁区，上海市", "15号 3组 和平村 店埠镇".

The English words for the parts (No., Lane, Road, Group, Village, Building, Room …) are the
language; the names are the data: a name written in pinyin (with or without tones, spaces,
hyphens, capitals) is found among the names the imported addresses and the grid tree use, by
their pinyin ("Changning Rd" is the 长宁路 of the data, and only if the data has one, and only
one name reads so). The address is rewritten in Chinese order (city, district, road, lane,
door, building, room) and resolved as any other; a name the data does not have, or has two of,
is not guessed, so the address is refused. Postal codes and the country are not parts of it.

Chinese text is reordered only when its parts, separated by commas or spaces, are a chain from
a door, building or room up to larger units; Chinese written in its own order, with a comma in
it or not, is left as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import islice, pairwise, product

from . import divisions
from .text import spelt_number

# What makes a text English: mostly Latin letters.
_LETTERS_RE = re.compile(r"[A-Za-z]")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_SPACED_RE = re.compile(r"[\s,]+")
_MAX_READINGS = 64

# -- Latin text --------------------------------------------------------------------------

_STEMS = {"jia": "甲", "yi": "乙", "bing": "丙", "ding": "丁"}
_NO = r"(?:no\.?\s*|\#\s*)?"
# The numbered parts, each with its rank: a smaller part has a smaller rank, and Chinese writes
# the larger first (弄 before 号 before 号楼 before 单元 before 室).
_TOKEN_RE = re.compile(
    rf"""
    (?P<sep>[,;/()])
    | (?P<floor>\b(?:floor|fl)\.?\s*{_NO}\d+\b|\b\d+(?:st|nd|rd|th)\s+floor\b)
    | (?P<room>\b(?:room|rm|flat|apt|apartment|suite)\.?\s*{_NO}(?P<room_n>\d+)\b)
    | (?P<unit>\b(?:unit|entrance|gate)\.?\s*{_NO}(?P<unit_n>\d+)\b)
    | (?P<building>\b(?:building|bldg|block|blk|tower)\.?\s*{_NO}(?P<building_n>\d+|[a-z])\b)
    | (?P<yard>\b(?:courtyard|yard|compound)\s*{_NO}(?P<yard_n>\d+)\b)
    | (?P<zone>\b(?:zone|section)\s*{_NO}(?P<zone_n>\d+|[a-z])\b)
    | (?P<group>\b(?:group|team|zu)\.?\s*{_NO}(?P<group_n>\d+)\b)
    # "Annex 3, No. 72": the door's annex (72号附3号), a door of its own.
    | (?P<annex>\bannex\s*{_NO}(?P<annex_n>\d+)\b)
    | (?P<branch>\bbranch\s+lane\s*{_NO}(?P<branch_n>\d+)\b)
    | (?P<alley>\balley\s*{_NO}(?P<alley_n>\d+)\b)
    | (?P<lane>\blane\s*{_NO}(?P<lane_n>\d+)\b)
    | (?P<door>(?:\bno\.?|\bnumber|\#)\s*(?:(?P<door_stem>jia|yi|bing|ding)\s*)?
        (?P<door_n>\d+)(?:\s*-\s*(?P<door_sub>\d+))?\b
        # "No. 6 West, Wende Road" is 文德路西6号: a door numbered from one side of a road.
        (?:\s+(?P<door_side>east|west|south|north)\b(?=\s*(?:[,;]|$)))?)
    | (?P<bare>(?:\b(?P<bare_stem>jia|yi|bing|ding)\s+)?\b(?P<bare_n>\d+)
        (?:\s*-\s*(?P<bare_sub>\d+))?\b)
    | (?P<word>[a-z][a-z']*\.?)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_NUMBERED = {
    "room": ("室", 1.0),
    "unit": ("单元", 2.0),
    "building": ("号楼", 3.0),
    # A compound's 区 (花果园B区3栋: "Building 3, Block B, Huaguoyuan").
    "zone": ("区", 3.5),
    "yard": ("号院", 4.0),
    # Just below the door it hangs on, written after it: 72号 附3号.
    "annex": ("号", 3.9),
    "branch": ("支弄", 4.5),
    # A numbered alley is a lane's 支弄 (Shanghai's "No. 5, Alley 3, Lane 268"); without a lane
    # it is a street's numbered 巷 (广州's "X街3巷"): `to_chinese` decides once it has read all.
    "alley": ("巷", 5.0),
    "group": ("组", 5.0),
    "lane": ("弄", 5.0),
}
_DOOR_RANK = 4.0
_SIDES = {"east": "东", "west": "西", "south": "南", "north": "北"}
_POSTCODE_DIGITS = 6
# Several words for one part, read as one word before the text is split into words.
_ORDINAL_PINYIN = ("", "Yi", "Er", "San", "Si", "Wu", "Liu", "Qi", "Ba", "Jiu", "Shi")
_PHRASES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(
            r"\bresidential\s+(?:quarter|area|district|community|compound|estate)\b",
            re.IGNORECASE,
        ),
        "Xiaoqu",
    ),
    # Pinyin written in Chinese order puts the word after the number: 3 Hao Lou (3号楼),
    # 2 Danyuan (2单元), 5 Zu (5组), and ends a door's number with Hao (Jiefang Xilu 271 Hao).
    (re.compile(r"\b(\d+)\s*hao\s*lou\b", re.IGNORECASE), r"Building \1"),
    (re.compile(r"\b(\d+)\s*dan\s*yuan\b", re.IGNORECASE), r"Unit \1"),
    # 天津 calls a 单元 a 门: 2门 (2 Men).
    (re.compile(r"\b(\d+)\s*men\b", re.IGNORECASE), r"Unit \1"),
    (re.compile(r"\b(\d+)\s*(?:dong|zhuang)\b", re.IGNORECASE), r"Building \1"),
    (re.compile(r"\b(\d+)\s*shi\b", re.IGNORECASE), r"Room \1"),
    (re.compile(r"\b(\d+)\s*zu\b", re.IGNORECASE), r"Group \1"),
    # A 组 or 社 (村民小组) with its numeral in pinyin: Yishe (一社), San Zu (三组).
    (
        re.compile(
            r"\b(yi|er|san|si|wu|liu|qi|ba|jiu|shi)\s*(?:she|zu)\b(?!\s*(?:road|street|lu|jie)\b)",
            re.IGNORECASE,
        ),
        lambda m: f"Group {_ORDINAL_PINYIN.index(m.group(1).capitalize())}",
    ),
    (re.compile(r"\b(\d+)\s*hao\b", re.IGNORECASE), r"No. \1"),
    # An ordinal inside a road's name is its Chinese numeral: "Zhongshan 4th Road" is 中山四路
    # ("4th Floor" stays a floor).
    (
        re.compile(r"\b([1-9]|10)(?:st|nd|rd|th)\b(?!\s*(?:floor|fl)\b)", re.IGNORECASE),
        lambda m: _ORDINAL_PINYIN[int(m.group(1))],
    ),
    # A 管理处 (a farm's or a reclaimed area's township-level office) is one name.
    (re.compile(r"\bmanagement\s+office\b", re.IGNORECASE), "Guanlichu"),
    # 正街, a town's main street in 重庆, 四川 and 湖南 ("Yangjiaping Main Street").
    (re.compile(r"\bmain\s+st(?:reet)?\b\.?", re.IGNORECASE), "Zhengjie"),
    # A 民族乡 named with its peoples: "Xiaobi Buyei and Miao Ethnic Township" is 小碧乡.
    (
        re.compile(r"\b([a-z']+)(?:\s+[a-z]+){1,4}?\s+ethnic\s+(township|town)\b", re.IGNORECASE),
        r"\1 \2",
    ),
    (re.compile(r"\bpeople'?s\s+republic\s+of\s+china\b", re.IGNORECASE), "China"),
    (re.compile(r"\bp\.?\s*r\.?\s*(?:of\s+)?china\b", re.IGNORECASE), "China"),
    (re.compile(r"\bp\.\s*r\.\s*c\b\.?|\bprc\b", re.IGNORECASE), "China"),
)
_COUNTRIES = frozenset({"china", "zhongguo", "chn"})
# Cities and regions whose English names are not their pinyin: read as the pinyin they stand for.
_EXONYMS = {
    "harbin": "haerbin",
    "urumqi": "wulumuqi",
    "hohhot": "huhehaote",
    "lhasa": "lasa",
    "kashgar": "kashi",
    "tibet": "xizang",
    "innermongolia": "neimenggu",
    "hongkong": "xianggang",
    "macau": "aomen",
    "macao": "aomen",
}


def _exonym(base: str) -> str:
    """A name whose first word is an exonym in its pinyin: Hong Kong Middle (Road) is
    xianggangzhong (香港中路)."""
    for english, pinyin in _EXONYMS.items():
        if base.startswith(english):
            return pinyin + base[len(english) :]
    return base


# The English word of a part, and the Chinese words it may stand for. A word written in pinyin
# (Lu, Jie, Cun, Zhen, Xiang, Qu, Shi) needs no entry: the name is found with it.
_PART_WORDS = {
    "road": ("路", "大道"),
    "rd": ("路",),
    "avenue": ("大道", "大街", "路"),
    "ave": ("大道", "大街", "路"),
    "boulevard": ("大道",),
    "blvd": ("大道",),
    "street": ("街", "大街", "路"),
    "st": ("街", "大街"),
    "lane": ("巷", "弄", "里"),
    "highway": ("公路",),
    "hwy": ("公路",),
    "alley": ("巷", "胡同"),
    "hutong": ("胡同",),
    "village": ("村",),
    # A 自然村 is written after its 行政村 in many ways: 塔头社 (闽南), 刘家屯, 上庄 组.
    "hamlet": ("社", "屯", "庄", "自然村", "村"),
    "town": ("镇",),
    "township": ("乡",),
    "subdistrict": ("街道",),
    "community": ("社区", "小区"),
    "neighborhood": ("社区",),
    "neighbourhood": ("社区",),
    "garden": ("花园",),
    "gardens": ("花园",),
    "plaza": ("广场",),
    "square": ("广场",),
    "mansion": ("大厦",),
    # 大院: a work unit's compound (广州's 省建大院 is "Shengjian Compound").
    "compound": ("大院", "院", "小区"),
    "apartments": ("公寓",),
    # Landmarks by the word their name ends in (滕王阁 is "Tengwang Pavilion").
    "pavilion": ("阁", "亭"),
    "temple": ("寺", "庙"),
    "park": ("公园",),
    "bridge": ("桥", "大桥"),
    "district": ("区",),
    "dist": ("区",),
    "county": ("县",),
    "city": ("市", "城"),  # 兴华城, a compound, is "Xinghua City" too
    "province": ("省",),
    "prov": ("省",),
}
# What a word stands for when no name of its first meaning reads so: "Luanzhen Street" is the
# 滦镇街道 of a data without a 滦镇街 (a 街道 is often called a street in English).
# 天津's 道 and 北京's 街 are "Road" on their own signs (马场道 Machang Road): read so only when
# no 路 of the name exists.
_PART_FALLBACKS = {
    "street": ("街道",),
    "st": ("街道",),
    "road": ("道", "街", "大街"),
    "rd": ("道", "大道", "街"),
}
# A place named without its word ("Dongcheng, Beijing", "Feidong", "Dianbu Town" as "Dianbu"),
# the larger units first.
_PLACE_SUFFIXES = ("区", "市", "县", "省", "镇", "乡")
# Directions inside a name are written in English ("Jianshe West Road" is 建设西路).
_DIRECTIONS = {
    "north": "bei",
    "south": "nan",
    "east": "dong",
    "west": "xi",
    "middle": "zhong",
    "central": "zhong",
}
# The country's provincial-level names: national, not data of any district (a province the
# data does not name is still read, and the resolver decides whether it contradicts the data,
# as for one written in Chinese).
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆",
)  # fmt: skip
# The longest run of words read as names of one part each (a segment between commas).
_MAX_RUN = 10
_MAX_NAME_WORDS = 6


def looks_english(text: str) -> bool:
    """Whether ``text`` is an address written in Latin letters (not a Chinese address with a
    building letter in it)."""
    if _CJK_RE.search(text) or len(_SPACED_RE.split(text.strip())) < 2:
        return False  # Chinese, or one token (a code, a stray string): not words in order
    return len(_LETTERS_RE.findall(text)) >= 4


def in_chinese_order(text: str, names: Callable[[], PinyinNames]) -> str | None:
    """``text`` as the resolvers read it: an English-order address in Latin letters translated
    (None when it is not one of ours), Chinese in English order reordered, any other text as
    it is. ``names`` is called only for Latin text: building them is not free."""
    if looks_english(text):
        return to_chinese(text, names())
    return reordered_chinese(text) or text


def _key(words: Iterable[str]) -> str:
    return "".join(w.lower().replace("'", "").rstrip(".") for w in words)


def _plain(text: str) -> str:
    """Latin text without tone marks: "Qīngdǎo Lù" is "Qingdao Lu", "Lǚ" is "Lv" (ü is v in
    the keys), full-width letters and digits as ASCII."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[üǖǘǚǜ]", "v", text)
    text = re.sub("[ÜǕǗǙǛ]", "V", text)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Where a stored front ("湖北路建业桂园", "店埠镇和平村") joins two names: the words a road, a
# village or a town ends with. English names them apart ("Jianye Guiyuan, Hubei Road").
_FRONT_SPLIT_RE = re.compile(r"(?<=..)(?:大街|大道|胡同|路|街|巷|村|镇|乡)(?=..)")


def _pieces(name: str) -> list[str]:
    """The name and, when it is two or more names in a row, each of them."""
    ends = [match.end() for match in _FRONT_SPLIT_RE.finditer(name)]
    if not ends:
        return [name]
    bounds = [0, *ends, len(name)]
    return [name, *(name[a:b] for a, b in pairwise(bounds))]


# A number and the unit words around it, between the names of an address's rest.
_NUMBERED_RUN_RE = re.compile(r"[0-9A-Z]+(?:[-号弄巷附支栋幢单元室楼层座院之甲乙丙丁][0-9A-Z]*)*")
_NAME_CHARS_RE = re.compile(r"[\u3400-\u9fff]{2,}")


def rest_names(rest: str) -> list[str]:
    """The names in an address's part after its place names, as English may write them: the
    road before the first number and a compound after one (西郊路91号西郊花园3栋 holds 西郊路
    and 西郊花园: "Building 3, Xijiao Garden, No. 91 Xijiao Road")."""
    return [
        piece
        for piece in _NUMBERED_RUN_RE.split(rest)
        if _NAME_CHARS_RE.fullmatch(piece) is not None
    ]


_UNIT_WORDS = ("街道办事处", "街道办", "街道", "办事处", "镇", "乡")


def unit_stems(names: Iterable[str]) -> set[str]:
    """The names of 街道, 镇 and 乡 without their level word (鼓浪屿 of 鼓浪屿街道), as they are
    said in front of a road."""
    return {
        name[: -len(word)]
        for name in names
        for word in _UNIT_WORDS
        if name.endswith(word) and len(name) - len(word) >= 2
    }


def english_names(place_names: Iterable[str], rests: Iterable[str]) -> set[str]:
    """The names an address in English is translated with: the place names, each stored
    address's names after them (`rest_names`), and a road said after a 街道 or 镇 by its name
    alone (鼓浪屿龙头路: "Longtou Road, Gulangyu"), the name and the road each on its own."""
    names = set(place_names)
    stems = unit_stems(names)
    names.update(stems)
    for rest in rests:
        for name in rest_names(rest):
            names.add(name)
            names.update(
                name[len(stem) :]
                for stem in stems
                if name.startswith(stem) and len(name) - len(stem) >= 2
            )
    return names


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
            for piece in _pieces(name):
                # Every reading of every character (长 is chang and zhang), a few dozen at most:
                # the phrase's own first (民乐 as a word is mínyuè, folk music), then each
                # character's alone (the village 民乐村 is Minle).
                readings = pinyin(piece, style=Style.NORMAL, heteronym=True)
                if len(readings) == len(piece):
                    readings = [
                        [*found, *(r for r in _char_readings(ch) if r not in found)]
                        for found, ch in zip(readings, piece, strict=True)
                    ]
                for key in islice(map("".join, product(*readings)), _MAX_READINGS):
                    key = key.replace("ü", "v")
                    if key.isascii() and key.isalpha():
                        self._by_key.setdefault(key, set()).add(piece)
                        if "v" in key:  # ü is often written u (Lvshun as Lushun)
                            self._by_key.setdefault(key.replace("v", "u"), set()).add(piece)

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

    def has(self, name: str) -> bool:
        """Whether the data has this name."""
        return name in self._names

    def matches(self, key: str) -> frozenset[str]:
        """Every name read so."""
        return frozenset(self._by_key.get(key, ()))

    def find(self, key: str) -> str | None:
        found = self._by_key.get(key)
        return next(iter(found)) if found is not None and len(found) == 1 else None


@lru_cache(maxsize=8192)
def _char_readings(ch: str) -> tuple[str, ...]:
    """Every reading of one character on its own, as pypinyin knows them."""
    from wangge.core.pinyin import Style, pinyin

    return tuple(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


@lru_cache(maxsize=1)
def _province_keys() -> dict[str, str]:
    """Each province's pinyin → its name ("henan" → 河南, "henansheng" → 河南省)."""
    from wangge.core.pinyin import Style, pinyin

    keys: dict[str, str] = {"shaanxi": "陕西", "shaanxisheng": "陕西省"}
    for name in _PROVINCES:
        key = "".join(s[0] for s in pinyin(name, style=Style.NORMAL))
        if name == "陕西":
            continue  # shanxi is 山西; 陕西 is written Shaanxi
        keys[key] = name
        keys[key + "sheng"] = name + "省"
    return keys


@lru_cache(maxsize=64)
def _tail(suffix: str) -> str:
    from wangge.core.pinyin import Style, pinyin

    if suffix == "弄":
        return "long"  # 弄 of a lane is lòng; pypinyin reads it nòng
    return "".join(s[0] for s in pinyin(suffix, style=Style.NORMAL))


_AMBIGUOUS = "\0"  # a span two names of the data read as: never guessed


def _span_name(words: list[str], names: PinyinNames, *, rural: bool = False) -> str | None:
    """The Chinese name ``words`` write, "" for the country, `_AMBIGUOUS`, or None. After a
    village or a group (``rural``) a street is the 街道 the village is in, not a road."""
    key = _key(words)
    if key in _COUNTRIES:
        return ""
    last = words[-1].lower().rstrip(".")
    found: set[str] = set()
    province = None
    if last in _PART_WORDS and len(words) > 1:
        base = "".join(_DIRECTIONS.get(_key([w]), _key([w])) for w in words[:-1])
        base = _exonym(base)
        first, then = _PART_WORDS[last], _PART_FALLBACKS.get(last, ())
        if rural and then:
            first, then = then, first
        for suffix in first:
            found |= names.matches(base + _tail(suffix))
        for suffix in () if found else then:
            # In order, the first that names something: 马场道 before 马场街(道).
            found |= names.matches(base + _tail(suffix))
            if found:
                break
        if not found:
            found |= names.matches(base)  # "Nanluoguxiang Lane": the word written twice
        if last in ("province", "prov"):
            province = _province_keys().get(base + "sheng")
    else:
        base = "".join(_DIRECTIONS.get(_key([w]), _key([w])) for w in words)
        base = _exonym(base)
        found |= names.matches(base)
        for suffix in () if found else _PLACE_SUFFIXES:
            # The largest unit read so first: "Jiading, Shanghai" is 嘉定区, not the 嘉定镇
            # (街道) inside it; the rest of the address still narrows it.
            found = set(names.matches(base + _tail(suffix)))
            if found:
                break
        province = _province_keys().get(base)
    if len(found) > 1:
        return _AMBIGUOUS
    if found:
        return next(iter(found))
    return province


def _run_name(words: list[str], names: PinyinNames, *, rural: bool = False) -> list[str] | None:
    """The names a run of words writes, in their order, split where the fewest names read
    them all: None when none do, or when two readings of as few names differ."""
    count = len(words)
    if count > _MAX_RUN:
        return None
    # best[i]: the fewest names words[i:] read as, and the readings with that many.
    best: list[tuple[int, set[tuple[str, ...]]] | None] = [None] * (count + 1)
    best[count] = (0, {()})
    for start in range(count - 1, -1, -1):
        for end in range(start + 1, min(count, start + _MAX_NAME_WORDS) + 1):
            rest = best[end]
            if rest is None:
                continue
            name = _span_name(words[start:end], names, rural=rural)
            if name is None:
                continue
            size = rest[0] + 1
            readings = {(name, *reading) for reading in rest[1]}
            known = best[start]
            if known is None or size < known[0]:
                best[start] = (size, readings)
            elif size == known[0]:
                known[1].update(readings)
    found = best[0]
    if found is None or len(found[1]) != 1:
        return None
    (reading,) = found[1]
    if _AMBIGUOUS in reading:
        return None
    return [name for name in reading if name]


# A lettered block beside a numbered building is the compound's 区 the building stands in.
_BLOCK_RE = re.compile(r"\bblock\s+([a-z])\b", re.IGNORECASE)
_BUILDING_WORD_RE = re.compile(r"\b(?:building|bldg|tower)\b", re.IGNORECASE)


def to_chinese(text: str, names: PinyinNames) -> str | None:
    """The English-order address in Chinese order, or None when it is not one of ours."""
    text = _plain(text)
    for regex, word in _PHRASES:
        text = regex.sub(word, text)
    if _BUILDING_WORD_RE.search(text):
        text = _BLOCK_RE.sub(r"Zone \1", text)
    text = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", text)  # "Jian-she" is one name
    # Each part as (rank or None for a name, Chinese); a name's words until they are read.
    items: list[tuple[float | None, str | list[str]]] = []
    run: list[str] = []
    words_in_segment = False
    seen: set[str] = set()

    def flush() -> None:
        if run:
            items.append((None, list(run)))
            run.clear()

    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind == "sep":
            flush()
            words_in_segment = False
            continue
        if kind == "word":
            run.append(match.group())
            words_in_segment = True
            continue
        if kind == "floor":
            flush()  # a floor does not tell the building
            continue
        if kind in ("door", "bare"):
            number = match.group(f"{kind}_n")
            if kind == "bare" and len(number) >= _POSTCODE_DIGITS:
                flush()  # a postal code ("Shanghai 200050")
                continue
            stem = _STEMS.get((match.group(f"{kind}_stem") or "").lower(), "")
            sub = match.group(f"{kind}_sub")
            side = match.group("door_side") if kind == "door" else None
            side_cn = _SIDES[side.lower()] if side else ""
            chinese = side_cn + number + stem + (f"附{sub}" if sub else "") + "号"
            rank = _DOOR_RANK
            kind = "door"
        else:
            assert kind is not None
            suffix, rank = _NUMBERED[kind]
            value = match.group(f"{kind}_n")
            if kind == "annex":
                chinese = f"附{value}号"
            elif kind == "building" and value.isalpha():
                chinese = value.upper() + "座"  # Block A is A座
            elif value.isalpha():
                chinese = value.upper() + suffix
            else:
                chinese = value + suffix
        if kind in seen or (kind in ("alley", "branch") and seen & {"alley", "branch"}):
            return None  # two doors, two lanes: not one address
        seen.add(kind)
        if match.lastgroup == "bare" and words_in_segment and run:
            # "Dongsi Shitiao 22": the number of the name before it, as if written first.
            items.append((rank, chinese))
            flush()
            continue
        flush()
        items.append((rank, chinese))
    flush()
    if "alley" in seen and "lane" in seen:
        items = [
            (_NUMBERED["branch"][1], item[:-1] + _NUMBERED["branch"][0])
            if isinstance(item, str) and size == _NUMBERED["alley"][1] and item.endswith("巷")
            else (size, item)
            for size, item in items
        ]
    parts: list[tuple[float | None, str]] = []
    rural = False  # a village or a group read before: what follows is larger
    for size, item in items:
        if isinstance(item, str):
            parts.append((size, item))
            rural = rural or item.endswith("组")
            continue
        found = _run_name(item, names, rural=rural)
        if found is None:
            return None  # a name the data does not have: not an address of ours
        parts.extend((None, name) for name in found)
        rural = rural or any(name.endswith(("村", "组")) for name in found)
    if "lane" in seen and "alley" not in seen:
        parts = _lane_as_the_data_writes_it(parts, names)
    if not any(size is None for size, _ in parts):
        return None  # numbers only: nothing to find them on
    if not (parts[0][0] is None and parts[-1][0] is not None):
        parts.reverse()  # English order, smallest first (unless written as Chinese writes)
    # Numbers written together in either order ("No. 3 Lane 1088"), the larger first.
    ordered: list[tuple[float | None, str]] = []
    for size, piece in parts:
        at = len(ordered)
        while size is not None and at > 0:
            before = ordered[at - 1][0]
            if before is None or before >= size:
                break
            at -= 1
        ordered.insert(at, (size, piece))
    return "".join(piece for _, piece in ordered)


def _lane_as_the_data_writes_it(
    parts: list[tuple[float | None, str]], names: PinyinNames
) -> list[tuple[float | None, str]]:
    """A numbered lane is 上海's 弄 ("Lane 1088, Changning Road"), unless the data numbers a
    street's lanes as 巷 (广州's 高第街三巷 is "Lane 3, Gaodi Street")."""
    lane = next((piece for size, piece in parts if size is not None and piece.endswith("弄")), "")
    number = lane[:-1]
    if not number.isdigit() or not 0 < int(number) < 1000:
        return parts  # a street's lanes are few; 1088 is a 弄
    xiang = f"{spelt_number(int(number))}巷"
    if not any(size is None and names.has(piece + xiang) for size, piece in parts):
        return parts
    return [(size, f"{number}巷" if piece == lane else piece) for size, piece in parts]


# -- Chinese text in English order -------------------------------------------------------

_CN_SEPARATORS_RE = re.compile(r"[,，、;；\s]+")
_CN_NUMBER = r"(?:[甲乙丙丁]?[0-9一二三四五六七八九十百千零〇两]+[甲乙丙丁]?|[A-Za-z])"
_CN_UNITS = {
    "室": 1.0,
    "户": 1.0,
    "单元": 2.0,
    "门": 2.0,  # 天津's 单元: 5号楼2门301
    "号楼": 3.0,
    "栋": 3.0,
    "幢": 3.0,
    "座": 3.0,
    "号院": 4.0,
    "号": 4.0,
    "支弄": 4.5,
    "组": 5.0,
    "社": 5.0,  # a 村民小组 in 四川 and 重庆
    "弄": 5.0,
}
_CN_UNIT_WORDS = "|".join(sorted(_CN_UNITS, key=lambda unit: -len(unit)))
# A door with its annex (12号附3号) is one part.
_CN_UNIT_RE = re.compile(rf"{_CN_NUMBER}(?:号附{_CN_NUMBER}号|{_CN_UNIT_WORDS})")
_CN_NUMBERS_RE = re.compile(rf"(?:{_CN_UNIT_RE.pattern})+")
_CN_TRAILING_NUMBERS_RE = re.compile(rf"(?:{_CN_UNIT_RE.pattern})+$")
# How a named part ends, and how large it is (a door is 4, a lane 5): compounds, villages,
# roads, communities, streets, towns, districts, cities, provinces.
_CN_NAMED = (
    ("特别行政区", 12.0), ("自治区", 12.0), ("省", 12.0),
    ("自治州", 11.0), ("地区", 11.0), ("盟", 11.0), ("市", 11.0),
    ("街道办事处", 8.5), ("街道办", 8.5), ("街道", 8.5), ("办事处", 8.5),
    ("社区", 8.0), ("居委会", 8.0), ("村委会", 8.0), ("居民区", 8.0),
    ("小区", 6.0), ("园区", 6.0), ("校区", 6.0), ("县", 10.0), ("旗", 10.0), ("区", 10.0),
    ("镇", 9.0), ("乡", 9.0),
    ("新村", 6.0), ("村", 6.5),
    ("胡同", 7.0), ("大街", 7.0), ("大道", 7.0), ("路", 7.0), ("街", 7.0), ("巷", 7.0),
    ("弄", 7.0),  # a lane named so (柳条弄); a numbered one (268弄) is a number part
    ("条", 7.0), ("道", 7.0),  # 天津's 马场道 (街道 is read above)
    ("花园", 6.0), ("家园", 6.0), ("公寓", 6.0), ("大厦", 6.0), ("广场", 6.0), ("别墅", 6.0),
    ("苑", 6.0), ("园", 6.0), ("院", 6.0), ("城", 6.0), ("庭", 6.0), ("坊", 6.0), ("里", 6.0),
    # 自然村 inside a 行政村: 王家屯, 刘家窝堡, 张郢.
    ("屯", 6.2), ("窝棚", 6.2), ("庄", 6.2), ("堡", 6.2), ("围子", 6.2), ("营子", 6.2), ("营", 6.2),
    ("寨", 6.2), ("湾", 6.2), ("郢", 6.2), ("岗", 6.2), ("沟", 6.2), ("家子", 6.2),
    ("塆", 6.2), ("冲", 6.2), ("垸", 6.2), ("坪", 6.2), ("畈", 6.2),
    # 闽南's 社: a 自然村 (曾厝垵村西边社); a 社区 ends above.
    ("社", 6.2),
)  # fmt: skip
_CN_NUMBERED_AREA_RE = re.compile(r"[0-9一二三四五六七八九十]+区$")  # 和平里七区: a compound's
_CN_MAX_TEXT = 64
_CN_MAX_PARTS = 8
_CN_NAME_RE = re.compile(r"[\u3400-\u9fff]{2,}")


def _numbers_part(part: str) -> list[tuple[float, str]] | None:
    """A part of numbered units only ("12号", "3单元2号楼"): each unit with its rank."""
    if not _CN_NUMBERS_RE.fullmatch(part):
        return None
    units = []
    for match in _CN_UNIT_RE.finditer(part):
        unit = next(u for u in sorted(_CN_UNITS, key=len, reverse=True) if match[0].endswith(u))
        units.append((_CN_UNITS[unit], match[0]))
    if len({rank for rank, _ in units}) != len(units):
        return None  # "3号楼4号楼": two of a kind
    return units


def _named_rank(part: str) -> float | None:
    """How large a named part is, by how its name ends (its own numbers after it aside)."""
    name = _CN_TRAILING_NUMBERS_RE.sub("", part)
    if not _CN_NAME_RE.fullmatch(name):
        return None
    if _CN_NUMBERED_AREA_RE.search(name):
        return 6.0
    return next((rank for end, rank in _CN_NAMED if name.endswith(end)), None)


def reordered_chinese(text: str) -> str | None:
    """Chinese written in English order, smallest part first, in Chinese order; None when the
    text is not that (its own order, a sentence, one part)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if len(text) > _CN_MAX_TEXT or not _CN_SEPARATORS_RE.search(text):
        return None
    parts = [part for part in _CN_SEPARATORS_RE.split(text) if part]
    if not 2 <= len(parts) <= _CN_MAX_PARTS:
        return None
    first = _numbers_part(parts[0])
    if first is None:
        return None  # a door, building or room part first, or not English order
    chinese = ["".join(unit for _, unit in sorted(first, key=lambda u: -u[0]))]
    rank = max(r for r, _ in first)
    named = False
    for at, part in enumerate(parts[1:], start=1):
        units = _numbers_part(part)
        if units is not None:
            size = max(r for r, _ in units)
            part = "".join(unit for _, unit in sorted(units, key=lambda u: -u[0]))
        elif at == len(parts) - 1 and named and divisions.national().knows(part + "市"):
            chinese.append(part)  # "…，桥西区，石家庄": the city without its 市 (庄 is no 村)
            break
        else:
            found = _named_rank(part)
            if found is None:
                if at == len(parts) - 1 and named and _CN_NAME_RE.fullmatch(part):
                    chinese.append(part)  # "…，长宁区，上海": the city without its 市
                    break
                return None
            size, named = found, True
        if size <= rank:
            return None  # not each part larger than the one before: not a chain
        rank = size
        chinese.append(part)
    if not named:
        return None
    return "".join(reversed(chinese))
