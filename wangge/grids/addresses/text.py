"""Canonical text and the parts of an address: no place names, no index.

Residents and 12345-hotline operators write the same building in many ways: 号楼/栋/幢/号
interchangeably, Chinese or full-width numerals, unit and room numbers attached, punctuation and
spaces anywhere, traditional characters, "附近/门口" after it. ``normalize_text`` makes the text
canonical; ``parse_normalized`` splits what is left once the place names in front (province …
community, see ``places``) are gone into its named parts: the road with its numbered parts
(弄, 支弄, 条, 村民小组) or a natural village, the door (门牌号 with 附/之 and 甲乙丙), the compound
or 行政村, the building, unit and room. The registry goes through the same parser, so the parts
a district uses are those its own addresses carry.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import opencc

CJK = "\u3400-\u9fff"

# 繁 → 简 (觀音橋, 衚衕, 號) by OpenCC's phrase-aware converter, built on first use (its
# dictionaries load in a few milliseconds). Text that is all ASCII or already simplified passes
# through it unchanged.
_T2S: list[Callable[[str], str]] = []


def to_simplified(text: str) -> str:
    if text.isascii():
        return text
    if not _T2S:
        _T2S.append(opencc.OpenCC("t2s").convert)
    return _T2S[0](text)


# Everyday and financial (大写) numerals; 幺 is how 1 is read out in room numbers on the phone.
CN_DIGITS = {
    **{ch: value for value, ch in enumerate("零一二三四五六七八九")},
    **{ch: value for value, ch in enumerate("〇壹贰叁肆伍陆柒捌玖")},
    "幺": 1,
    "两": 2,
}
# The units between them: 一百五 is 150, 两千 2000.
CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)
_CN_RUN_RE = re.compile(f"[{_CN_NUMERAL_CHARS}]+")
# A numeral run is a number only in number position: right before a unit word (三号楼, 十二栋,
# 一期), or after one at the end of a room chain (二单元五零一). Elsewhere it is part of a name:
# 百花里, 十里铺, 五一路, 七里河 must survive.
_NUMERAL_FOLLOWERS = frozenset("号楼栋幢单室层座期户门排组队弄支附村-")
_NUMERAL_LEADERS = frozenset("元楼栋幢座号室门层附弄-")
# Other words for a part, written as the part's usual marker: 第四村民小组 is 4组, the old
# 生产队 (4队) is the same group, 村部 and 村委 are the 村委会.
_PART_SYNONYMS = (
    ("村民小组", "组"),
    ("村民组", "组"),
    # 第一生产队: the 生产队 a 村民小组 was before, numbered as its houses are (1队 is 1组).
    ("生产队", "队"),
    # A 社区's 居民小组 (a village turned 社区, 村改居, keeps its groups under this name).
    ("居民小组", "组"),
    ("村部", "村委会"),
    ("村委会", "村委会"),
    ("村委", "村委会"),
    # 街道办 is the 街道办事处 (the office, a building), not the 街道 (an area).
    ("街道办事处", "街道办事处"),
    ("街道办", "街道办事处"),
    # 88号大院 is the 88号院; 自编3栋 is building 3 as the 大院 numbered it itself.
    ("号大院", "号院"),
    ("自编", ""),
)
_PART_SYNONYM_RE = re.compile("|".join(old for old, _ in _PART_SYNONYMS))
_PART_SYNONYM = dict(_PART_SYNONYMS)
# 四川 and 重庆 call a 村民小组 a 社 (the old 生产社): 龙井村3社 is its 3组. Only after a number,
# never before 区 (3社区 is a community).
# 广州's 城中村 number theirs as 经济社 / 经济合作社 (松园村第三经济社, houses 松园村三社5号).
_GROUP_SHE_RE = re.compile(f"(?<=[0-9{_CN_NUMERAL_CHARS}])(?:经济合作社|经济社|社)(?!区)")
_NUMERAL_SEPARATOR_RE = re.compile(
    f"(?<=[0-9{_CN_NUMERAL_CHARS}])[\\s\\-_/\\\\.·~—–―‐‑‒−,，、]+(?=[0-9{_CN_NUMERAL_CHARS}])"
)
_BRACKETED_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|\{[^{}]*\}")
_BRACKET_CHARS_RE = re.compile(r"[()\[\]{}【】〔〕]")
_HASH_AFTER_NUMBER_RE = re.compile(f"(?<=[0-9A-Z{_CN_NUMERAL_CHARS}])#")
_DISALLOWED_RE = re.compile(f"[^0-9A-Z{CJK}\\-]+")
_STRAY_DASH_RE = re.compile(r"(?<![0-9])-+|-+(?![0-9])")
_ORDINAL_RE = re.compile(r"第(?=[0-9A-Z])")
# A road's 大道 / 大街 written with a character of the same sound (航天大到332号, 沈本大接8号),
# read so only before a door number, where nothing but a road's name can stand.
_SUFFIX_SOUNDALIKES = {"到": "道", "导": "道", "接": "街", "节": "街", "介": "街"}
_SUFFIX_SOUNDALIKE_RE = re.compile(r"(?<=[\u3400-\u9fff]{2}大)([到导接节介])(?=[0-9]+号(?!楼))")
# Digits inside a road's name, before the word that makes it a road (18甫北路, 第10甫路, 15甫3巷):
# names are written in Chinese numerals (十八甫北路, 第十甫路), so digits there are spelt back.
_NAME_DIGITS_RE = re.compile(r"(?<![0-9A-Z\-号附之])([0-9]{1,3})(?=[甫巷街路])")
_CN_SPELL = "零一二三四五六七八九"


def spelt_number(number: int) -> str:
    """1–999 as a name writes it: 十八, 二十, 一百零五."""
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_CN_SPELL[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _CN_SPELL[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    if ones or not out:
        out += _CN_SPELL[ones]
    return out


# 12-1号 is written for 12号之一 / 12号附1: a door and its annex (not 3-2-101, not 12-1号楼).
_DASHED_DOOR_RE = re.compile(r"(?<![0-9\-])([0-9]+)-([0-9]+)号(?![楼院])")

# 约: the 粤 lane of an old village inside a city (逢源正中约, 芳村大冲口约).
ROAD_SUFFIXES = ("大道", "大街", "胡同", "路", "街", "巷", "道", "约")
_ROAD_START_RE = re.compile("(?:" + "|".join(ROAD_SUFFIXES) + ")")
ADMIN_UNIT_RE = re.compile(f"[{CJK}]{{1,8}}?(?:街道办事处|街道办|街道|办事处)")
COMMUNITY_RE = re.compile(
    f"[{CJK}]{{1,8}}?(?:社区居民委员会|社区居委会|社区|居民委员会|居委会|村委会)"
)
LEADING_FILLERS = (
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
# Where something is *relative to* the place named: never the place itself.
RELATIVE_PHRASES = frozenset(
    {
        "对面",
        "旁边",
        "边上",
        "隔壁",
        "附近",
        "后面",
        "前面",
        "后边",
        "前边",
        "背后",
        "后头",
        "后尾",
        "对过",
        "侧边",
        "隔离",
        "左近",
        "对出",
        "东侧",
        "西侧",
        "南侧",
        "北侧",
        "东边",
        "西边",
        "南边",
        "北边",
        "一带",
        "周边",
        "周围",
    }
)
# fmt: off
_TRAILING_STRAYS = tuple(sorted(
    [
        "附近", "门口", "大门口", "对面", "旁边", "边上", "隔壁", "楼下", "楼上", "后面", "前面",
        "后边", "前边", "背后", "后头", "后尾", "侧边", "隔离", "左近", "对出", "嗰度",
        "对门", "咯里", "对过", "那块", "那疙瘩",
        "东侧", "西侧", "南侧", "北侧", "东边", "西边", "南边", "北边", "东门",
        "西门", "南门", "北门", "大门", "一带", "周边", "周围", "这边", "那边", "这里", "那里",
        "里面", "院内", "内", "处",
        # Floors and shop fronts (首层 = ground floor in 粤 usage): in the building, not a part.
        "首层商铺", "首层", "地铺", "商铺", "铺面", "档口", "底商", "门面",
    ],
    key=len,
    reverse=True,  # longest first, so 大门口 goes before 门口
))
# fmt: on

_BUILDING_MARKERS = "号楼|号|栋|幢|座|楼"
ROAD_RE = re.compile(r"[^0-9\-]+?(?:" + "|".join(ROAD_SUFFIXES) + ")")
# What may follow a road word and still end the same road's name (not 道: 某某街道 is a 街道).
_ROAD_AFTER_ROAD = ("大道", "大街", "路")
_JUNCTION_RE = re.compile(
    r"与[^0-9\-]{1,8}?(?:大道|路|街)(?:交叉口|交汇处|交口|路口|口)?(?:[东西南北]{1,2}[角侧]?)?"
)
_NUMBER_RE = re.compile(r"([0-9]+)(?:号院|号(?!楼)|院)")
# A letter directly followed by a building word is a building (A座), not part of the name.
_NAME_CHAR = f"(?:(?![A-Z](?:{_BUILDING_MARKERS}|单元))[^0-9\\-])"
# Numbers inside a name: 万科城1期, 正商城3区, and 建业1号城邦 (壹号) — "N号" followed by more
# name and then a real building number is part of the name, not the building.
_COMPOUND_RE = re.compile(
    f"{_NAME_CHAR}+(?:[0-9]+(?:期|区|组团|村){_NAME_CHAR}*"
    f"|[0-9]+号(?![楼栋幢座单元室层门户院]){_NAME_CHAR}+(?=[0-9A-Z]))*"
)
_COURTYARD_RE = re.compile(r"([0-9]+)号院")
# The numbered parts between a road (or a village) and the door: 弄 (lane), 支弄 (branch lane,
# also 12支), 组 / 队 (村民小组). Each is kept with its marker, so a lane number is never read
# as a door or a group number, and 12弄 is not 12支弄.
_STEMS = "甲乙丙丁"
# A numbered 胡同 of an old town: 东四十条 is 东四 + 10条, 草厂头条 is 草厂 + 1条. The numeral is
# read after a name of at least two characters (东四十四条 is 东四 + 14条, not 东 + 44条).
_TIAO_RE = re.compile(f"([^0-9\\-]{{2,6}}?)([0-9]+|头|[{_CN_NUMERAL_CHARS}]+)条")
_LANE_RE = re.compile(r"([0-9]+)(弄|支弄|支(?=[0-9])|组|队)(?![楼栋幢座单元室层户团])")
_LANE_MARKER = {"弄": "弄", "支弄": "支弄", "支": "支弄", "组": "组", "队": "组"}
# The door (门牌号) with its annex and stem: 30号附2号, 12号之3, 66甲号, 66号甲, 甲8号; 号院/院 as
# before. Written as one value, "30附2" / "66甲", compared whole: 30附2号 is not 30号.
_DOOR_RE = re.compile(
    f"(?P<pre>[{_STEMS}])?(?P<n>[0-9]+)"
    f"(?:(?P<post>[{_STEMS}])号|号院|号(?!楼)(?P<post2>[{_STEMS}](?![0-9]))?|院|(?=[附之][0-9]))"
    r"(?:[附之](?P<annex>[0-9]+)号?)?"
)
# A 行政村 followed by a natural village (自然村: 张郢, 王庄, 李家宅) and its house: 新丰村张郢9号.
_HAMLET_RE = re.compile(r"(.+?村)([^0-9\-]{2,3}?)村?$")
_HAMLET_AFTER_GROUP_RE = re.compile(r"([^0-9\-]{2,4}?)(?=[0-9]+号(?!楼))")
_NOT_HAMLET_ENDINGS = ("小区", "花园", "公寓", "大厦", "新村", "家园", "苑", "院", "委会", "小学")
_BUILDING_RE = re.compile(f"([0-9]+|[A-Z](?=(?:{_BUILDING_MARKERS})))({_BUILDING_MARKERS})?")
_UNIT_RE = re.compile(r"([0-9]+)(?:单元|单|门)")
_CHAINED_UNIT_RE = re.compile(r"([0-9]+)-(?=[0-9])")
_FLOOR_RE = re.compile(r"([0-9]+)(?:层|楼)")
_ROOM_RE = re.compile(r"([0-9]+)(室|号|户)?")
_NOT_A_BUILDING_NEXT = frozenset("单门层室户")
_CHAIN_OF_THREE_RE = re.compile(r"-[0-9]+-[0-9]+")
# A name going on to end in 村 right after a road word: the road word was part of the village's.
_VILLAGE_GOES_ON_RE = re.compile(r"[\u3400-\u9fff]{1,3}?村")
# A bare number or "N楼" may be a floor of an unnumbered office block (科技大厦15楼).
_LOOSE_MARKERS = frozenset({"", "楼"})

GENERIC_COMPOUND_SUFFIXES = ("小区", "社区")
_FILLER_COMPOUNDS = frozenset({"院", "内", "院内", "里面", "小区", "社区", "号", "楼"})


def cn_numeral_value(run: str) -> str | None:
    """Value of a Chinese numeral run as digits, or None if it is not a well-formed number.

    Runs without 十/百/千 are read digit by digit (五零一 → 501, as room numbers are spoken);
    otherwise positionally, including the colloquial elision 一百一 = 110, 两千五 = 2500.
    """
    if not any(ch in CN_UNITS for ch in run):
        return "".join(str(CN_DIGITS[ch]) for ch in run)
    total = 0
    pending: int | None = None
    previous_unit = 10_000
    zero_gap = False
    for ch in run:
        unit = CN_UNITS.get(ch)
        if unit is not None:
            if unit >= previous_unit:
                return None
            total += (1 if pending is None else pending) * unit
            pending, previous_unit, zero_gap = None, unit, False
            continue
        digit = CN_DIGITS[ch]
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
        if after == "期" and starts_like_road_suffix(text[match.end() + 1 :].lstrip("东南西北中")):
            # 二期北路 is a road (二七北路 typed by its sound), not a compound's phase.
            in_number_position = False
        if after in _STEMS and text[match.end() + 1 : match.end() + 2] == "号":
            in_number_position = True  # 六十六甲号
        behind = text[: match.start()].rstrip()
        if behind.endswith("之") and behind[:-1].rstrip()[-1:] in tuple("号0123456789"):
            in_number_position = True  # 12号之一, 500号 之 十二: the door's annex
        if after == "区" and (len(run) == 1 or any(ch in CN_UNITS for ch in run)):
            # 三区 / 十二区 are sub-areas; a digit-by-digit pair before 区 is a district name
            # (二七区), which must not become "27区".
            in_number_position = True
        if not in_number_position:
            return run
        value = cn_numeral_value(run)
        return run if value is None else value

    return _CN_RUN_RE.sub(replace, text)


def starts_like_road_suffix(text: str) -> bool:
    """True for "路…", "大街…": what follows a name that is the start of a road (郑州路)."""
    return _ROAD_START_RE.match(text) is not None


def _strip_trailing_strays(text: str) -> tuple[str, bool]:
    """The text without "附近/门口…" after it, and whether one of them placed the address
    relative to the place (对面, 旁边 …) rather than at it (门口, 楼下)."""
    if not text.endswith(_TRAILING_STRAYS):
        # Most texts end in none of them: one call instead of one per stray (the loop was over
        # a quarter of the time of normalizing a stored address).
        return text, False
    changed = True
    relative = False
    while changed:
        changed = False
        for stray in _TRAILING_STRAYS:
            if text.endswith(stray) and len(text) > len(stray):
                text, changed = text[: -len(stray)], True
                relative = relative or stray in RELATIVE_PHRASES
                break
    return text, relative


def normalize_text(text: str) -> str:
    """Canonical form of an address: NFKC, no spaces/punctuation, Chinese numerals in number
    position turned into digits, trailing "附近/门口…" dropped. Place names in front are kept:
    which of them are places, and which district they name, depends on the data
    (``places.Gazetteer``).

    ``-`` survives only between digits, where it separates building-unit-room (3-2-501).
    """
    return normalize_relative(text)[0]


# The last texts read and parsed, per process. The database engine indexes each query's
# candidates afresh, and a city's common addresses (a road's first buildings, the carriers of
# its names) come back in query after query: reading them again was a third of a resolve's
# CPU. Both functions depend on their text alone, and return what no caller changes.
_READ_CACHE = 4_096


@functools.lru_cache(maxsize=_READ_CACHE)
def normalize_relative(text: str) -> tuple[str, bool]:
    """``normalize_text``, and whether the text ended in a relative phrase (对面, 旁边, 附近 …):
    the address then names a landmark, not the place meant."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).upper()
    text = _PART_SYNONYM_RE.sub(lambda m: _PART_SYNONYM[m.group(0)], text)
    text = _GROUP_SHE_RE.sub("组", text)
    without_notes = _BRACKET_CHARS_RE.sub("", _BRACKETED_RE.sub(_drop_note, text))
    text = without_notes if without_notes.strip() else _BRACKET_CHARS_RE.sub("", text)
    text = _HASH_AFTER_NUMBER_RE.sub("号", text)
    text = _NAME_DIGITS_RE.sub(lambda m: spelt_number(int(m.group(1))), text)
    text = _NUMERAL_SEPARATOR_RE.sub("-", text)
    text = _convert_numerals(text)
    text = _DISALLOWED_RE.sub("", text)
    text = _STRAY_DASH_RE.sub("", text)
    text = _DASHED_DOOR_RE.sub(r"\1号附\2号", text)
    text = _ORDINAL_RE.sub("", text)
    text = _SUFFIX_SOUNDALIKE_RE.sub(lambda m: _SUFFIX_SOUNDALIKES[m.group(1)], text)
    return _strip_trailing_strays(text)


def _drop_note(match: re.Match[str]) -> str:
    # Brackets usually hold a remark ("（东门）", "（近桐柏路）"); when they hold a number they
    # are part of the address ("百花里（3号楼）").
    inner = match.group(0)
    return inner if any(ch.isdigit() for ch in inner) else ""


# A 民族乡 / 民族镇 is written with its peoples (小碧布依族苗族乡) and said without them (小碧乡).
_ETHNIC_TOWN_RE = re.compile(r"^([\u3400-\u9fff]{2,}?)(?:[\u3400-\u9fff]{1,3}族)+(乡|镇)$")


def town_forms(name: str) -> list[str]:
    """The ways a 乡 or 镇 of the tree is written: its name, and for a 民族乡 its name without
    its peoples (小碧布依族苗族乡 is 小碧乡 too)."""
    found = _ETHNIC_TOWN_RE.match(name)
    return [name, found.group(1) + found.group(2)] if found else [name]


def canonical_compound(name: str | None) -> str | None:
    """Compound name without the generic 小区/社区 suffix, so 华山小区 = 华山社区 = 华山."""
    if not name:
        return None
    for suffix in GENERIC_COMPOUND_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def number_value(digits: str) -> str:
    return digits.lstrip("0") or "0"


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """An address split into parts, all in normalized form (digits, no punctuation).

    ``road``: 伊河路, with its numbered parts (长宁路1088弄12支弄, 东四10条), or a group or
    natural village of a village (4组, 张郢); ``road_number``: the 门牌号 or 号院 number with its
    annex and stem, "123" / "30附2" / "66甲"; ``compound``: the 小区/院/里/苑… name or the 行政村
    as written, "华山小区" / "和平村" (``key`` drops the generic 小区/社区);
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


@functools.lru_cache(maxsize=_READ_CACHE)
def parse_normalized(text: str) -> tuple[ParsedAddress, bool]:
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

    match = ROAD_RE.match(text)
    if match and _VILLAGE_GOES_ON_RE.match(text, match.end()) and match.group(0).endswith("道"):
        match = None  # 白道坪村3组: a village whose name holds 道, not the road 白道
    tiao = _tiao(text)
    if tiao and (match is None or tiao[0].startswith(match.group(0))):
        road, pos = tiao  # 长巷十条: the 条 of 长巷, not 长巷 and then a name
    elif match:
        road, pos = match.group(0), match.end()
        # A road whose name holds a shorter road word (杨巷路, 三街路): the whole name is the road.
        longer = next((w for w in _ROAD_AFTER_ROAD if text.startswith(w, pos)), "")
        if longer:
            road, pos = road + longer, pos + len(longer)
        junction = _JUNCTION_RE.match(text, pos)
        if junction:
            pos = junction.end()
    lanes, pos = _lanes(text, pos)

    number, pos = _door(text, pos)

    match = _COMPOUND_RE.match(text, pos)
    hamlet = ""
    if match:
        compound, pos = _clean_compound(match.group(0)), match.end()
        if compound is not None and number is None and text[pos : pos + 1].isdigit():
            split = _HAMLET_RE.match(compound)
            if split and not split.group(2).endswith(_NOT_HAMLET_ENDINGS):
                compound, hamlet = split.group(1), split.group(2)
        more, pos = _lanes(text, pos)
        lanes += more
        if more and not hamlet:
            # A 自然村 after its 组, before the house: 红星村3组|杨家塆|8号.
            after = _HAMLET_AFTER_GROUP_RE.match(text, pos)
            if after:
                hamlet_after, pos = after.group(1), after.end()
                lanes += hamlet_after
        if number is None and (hamlet or more):
            number, pos = _door(text, pos)
        if number is None:
            court = _COURTYARD_RE.match(text, pos)
            if court:
                number, pos = number_value(court.group(1)), court.end()
    if hamlet or lanes:
        road = (road or "") + hamlet + lanes

    match = _BUILDING_RE.match(text, pos)
    if match:
        marker = match.group(2) or ""
        next_char = text[match.end() : match.end() + 1]
        if marker or next_char not in _NOT_A_BUILDING_NEXT:
            value = match.group(1)
            building = number_value(value) if value.isdigit() else value
            # 3-2-501 after a 小区 is 楼-单元-室: a floor is never followed by a unit.
            loose_building = marker in _LOOSE_MARKERS and not _CHAIN_OF_THREE_RE.match(
                text, match.end()
            )
            pos = match.end()

    if text.startswith("-", pos):
        pos += 1
    match = _UNIT_RE.match(text, pos) or _CHAINED_UNIT_RE.match(text, pos)
    if match:
        unit, pos = number_value(match.group(1)), match.end()
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
            unit = number_value(digits)
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


def _lanes(text: str, pos: int) -> tuple[str, int]:
    """The numbered parts at ``pos`` (1088弄, 12支弄, 4组), canonical, and where they end."""
    found = ""
    while match := _LANE_RE.match(text, pos):
        found += number_value(match.group(1)) + _LANE_MARKER[match.group(2)]
        pos = match.end()
    return found, pos


def _tiao(text: str) -> tuple[str, int] | None:
    """A numbered 胡同 at the start (东四十条, 草厂头条, 东四10条) as name + N条, and its end."""
    match = _TIAO_RE.match(text)
    if not match:
        return None
    name, numeral = match.group(1), match.group(2)
    if any(ch in _NOT_IN_TIAO_NAME for ch in name):
        return None
    value = "1" if numeral == "头" else numeral if numeral.isdigit() else cn_numeral_value(numeral)
    if value is None:
        return None
    return f"{name}{number_value(value)}条", match.end()


_NOT_IN_TIAO_NAME = frozenset("路街道号楼院栋幢座村组弄")


def _door(text: str, pos: int) -> tuple[str | None, int]:
    """The door number at ``pos`` as one value (30附2, 66甲), or None, and where it ends."""
    match = _DOOR_RE.match(text, pos)
    if not match:
        return None, pos
    stem = match.group("pre") or match.group("post") or match.group("post2") or ""
    annex = match.group("annex")
    value = number_value(match.group("n")) + stem + (f"附{number_value(annex)}" if annex else "")
    return value, match.end()


def road_name_and_parts(road: str) -> tuple[str, str]:
    """A road split into its name and its numbered parts: 长宁路1088弄 → (长宁路, 1088弄)."""
    for i, ch in enumerate(road):
        if ch.isdigit():
            return road[:i], road[i:]
    return road, ""


def _clean_compound(name: str) -> str | None:
    if "社区" in name and not name.endswith("社区"):
        # "社区百花里" after a road: the community prefix could not be stripped earlier
        # because it carried the road name.
        name = name.rsplit("社区", 1)[1]
    return None if name in _FILLER_COMPOUNDS else name
