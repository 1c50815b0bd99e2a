"""Where a problem is, as people say it without a building: the words of a place description.

12345 records and residents rarely name a building. They say where:

* a crossing — ``建设路与桐柏路交叉口东北角``, ``X路Y路口``, ``A路/B路``;
* a landmark and an offset — ``伊河路百花里向北200米路西``, ``学校往东走100多米``;
* near a landmark — ``菜市场对面``, ``幸福小区北门旁边``.

This module reads only the words (directions, distances and their tolerance, junction and
corner words, near words); which roads and landmarks exist, and where, is the data's
(``grids.places_geo``). No name of any place is written here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from wangge.grids.addresses.text import CN_DIGITS, CN_UNITS, cn_numeral_value, to_simplified

# Bearings in degrees clockwise from north, for the eight directions people give.
BEARINGS = {
    "北": 0.0,
    "东北": 45.0,
    "东": 90.0,
    "东南": 135.0,
    "南": 180.0,
    "西南": 225.0,
    "西": 270.0,
    "西北": 315.0,
}
_DIRECTION = "东北|东南|西北|西南|东|西|南|北"
DIRECTION_WORDS = _DIRECTION

# Words that end a crossing's name: 交叉口, 路口 …; 口 alone only right after a road word.
JUNCTION_WORDS = (
    "十字路口",
    "丁字路口",
    "十字口",
    "交叉路口",
    "交叉口",
    "交汇处",
    "交汇口",
    "交界处",
    "交界",
    "交口",
    "路口",
    # A roundabout where the two roads meet.
    "转盘",
    "环岛",
    # 广州's 转角 (the corner where they meet) and 天桥底 (under the footbridge over it);
    # 南京's 转弯 (where one turns into the other) and 红绿灯 (the lights where they cross).
    "转角",
    "转弯",
    # 拐弯 / 拐角: the north's 转弯 and 转角.
    "拐弯",
    "拐角",
    # 贵州's 转拐 (where it turns).
    "转拐",
    "红绿灯",
    "天桥底",
    "天桥下",
    # 天津's 把角儿: the corner where they meet, which corner unsaid — around the crossing.
    "把角儿",
    "把角",
)
# 西北方言 and many records say 十字 alone for a crossing (X路与Y路十字): a junction only
# right after a road's name (十字街 is a street; 十字路灯 is the crossing's street lamp).
JUNCTION_RE = re.compile("|".join(JUNCTION_WORDS) + "|十字(?!街|路(?!灯)|巷|村|架|坡)")
# Between two road names: 与 / 和 / 、 / "/" (a hotline's shorthand, which needs no 口), and
# 近 (上海's 长宁路近江苏路: on the first road where the second meets it; no 口 either).
CONNECTORS = ("与", "和", "跟", "同", "及", "、", "/", "交", "近", "靠近")
SLASH_CONNECTOR = "/"
# The connectors that make a crossing without a junction word after the second road.
CROSSING_ALONE = (SLASH_CONNECTOR, "近", "靠近")

# A corner or side of a crossing: 东北角, 西南侧, 北侧, 东口.
CORNER_RE = re.compile(f"(?:的)?({_DIRECTION})(?:角|侧|边|面|方向|口|处)")

# Near words after a landmark. Each answers only where a circle around the landmark lies in
# one micro-grid (ADDRESS_NEAR_RADIUS_M): the place meant is beside it, which side unknown.
NEAR_WORDS = (
    "斜对面",
    "正对面",
    "对面",
    # 南京's 对过 (across the way) and 那块 (around there).
    "斜对过",
    "对过",
    "那一块",
    "这一块",
    "那块",
    # 西北's 那搭 / 那达 (that spot), as roughly as 那块.
    "那搭",
    "那达",
    # 晋语's 那疙瘩 and 东北's 那嘎达 / 那旮沓 / 那旮旯 (that spot), as roughly as 那块.
    "那疙瘩",
    "那嘎达",
    "那旮沓",
    "那旮旯",
    # …and 这嘎达 (this spot, said on the spot or of the place just named), as 这一块.
    "这疙瘩",
    "这嘎达",
    "这旮沓",
    "这旮旯",
    "大门口",
    "旁边",
    "边上",
    # 闽南's 边仔: 旁边.
    "边仔",
    "隔壁",
    # Behind it (医院背后, 派出所后面): beside it as much as 旁边, which side as little said.
    # After a building's number (3号楼后面) it is that building's, as 楼下 is.
    # 天津's 后身儿 (the back of it) too.
    "(?<![0-9号栋幢座楼])(?:背后|后面|后边|后头|后尾|后身儿|后身)",
    # 对门: the door across the way (湖南, 湖北), as 对面; 咯里: "here" in 长沙, at the landmark.
    "(?<![0-9号栋幢座楼])对门",
    "咯里",
    # In front of it (盛京银行前边), as little said about how far as 后边.
    "(?<![0-9号栋幢座楼])(?:前边|前面|前头)",
    # Into a 小区 from its gate (雪松家园南门往里走): among its buildings. 里面 / 里头 after a
    # lane are the lane (安民巷里面), which the lane's own reading answers.
    "往里走",
    # 东北's 楼头 (the end of a block), after its number too: beside that block, not in it.
    "楼头",
    # 福州's 厝边 and 边仔 (next door, beside); 四川's 边边上.
    "厝边",
    "边仔",
    "边边上",
    # "Around there": 那边, 那里, 那儿, 四川's 那点; 济南's 那一片 / 那片儿, as rough as 那块.
    "那一片",
    "那片儿",
    "那片",
    "那边",
    "那里",
    "那儿",
    "那点",
    # 贵州's 哪点 / 哪里 after a place: "around there", not a question.
    "哪点",
    # 西南's 坎坎上 / 坎坎下 (on or below the kerb or the bank beside it).
    "坎坎上",
    "坎坎下",
    # 粤 words: 侧边 (beside), 隔离 (next door), 左近 (nearby), 对出 (just out in front of),
    # 嗰度 (there).
    "侧边",
    "隔离",
    "左近",
    "对出",
    "嗰度",
    "门口",
    "门前",
    # 楼下 of a 小区 or a landmark (兴华城楼下); after a building's number (3号楼下, 6栋楼下) it
    # is that building's, which the address resolver answers. 底下 (西北: 山底下, 楼底下) too.
    "(?<![0-9号栋幢座])楼底下",
    "(?<![0-9号栋幢座])楼下",
    "(?<![0-9号栋幢座楼])底下",
    "附近",
    # 挨着 (华北: right next to), said before the landmark (挨着和平医院有…) and read after it.
    "紧挨着",
    "挨着",
    "跟前",
    "周边",
    "周围",
    "一带",
)
# How far each near word reaches, read by the place reader (`places_geo`).
# 那块 ("that patch", 南京 and much of the Yangtze) says where only roughly: read as far as
# this, so that a place is answered only where all of that is one micro-grid.
VAGUE_WORDS = frozenset(
    {
        *("那块", "那一块", "这一块", "那疙瘩", "那嘎达", "那旮沓", "那旮旯", "那一片", "那片儿"),
        *("那片", "那搭", "那达", "这疙瘩", "这嘎达", "这旮沓", "这旮旯"),
    }
)
# 那块 and the like reach three times as far as 旁边 (ADDRESS_NEAR_RADIUS_M: 150 m of 50).
VAGUE_REACH = 3.0
# The near words that say "right beside it" and no more. Every other one (跟前, 边上, 后头, 侧边,
# 一带 …) is read as reaching twice as far, so that its place is the same whichever way a
# person meant it.
# 斜对面 is across and along: further than 对面.
PLAIN_NEAR_WORDS = frozenset(
    # 边仔 is 闽南 for 旁边.
    {"旁边", "边仔", "隔壁", "对面", "正对面", "门口", "大门口", "门前", "楼下", "楼底下", "附近"}
    | {"周边"}
)
LOOSE_REACH = 2.0
NEAR_RE = re.compile("|".join(NEAR_WORDS))

_NUM = r"[0-9.]+|几[十百]|百十|[零〇一二两三四五六七八九十百千]+"
# A distance: 200米, 约200米, 100多米, 一百五十米左右, 二三百米, 1.5公里, 0.5km.
_DISTANCE_RE = re.compile(
    r"(?P<about>约|大约|大概|差不多|将近|近)?"
    # 来 and 把 (百把米, 里把路: 湖南 and 湖北's "about") are both "roughly".
    rf"(?P<n>{_NUM})(?:(?P<more>多|余)|(?P<roughly>来|把))?"
    r"(?P<unit>米|公里|千米|KM|M)(?![A-Z])"
    r"(?P<around>左右|上下|开外)?"
)
# The same distance without its groups, for patterns elsewhere that hold one (barriers' 过了X桥
# 再走N米); read_distance reads what they find.
DISTANCE_WORDS = re.sub(r"\(\?P<\w+>", "(?:", _DISTANCE_RE.pattern)
# A direction then a distance, after a landmark: 向北200米, 往东走100多米, 以南约300米, 北侧50米,
# 向西100米路北, 东200米处.
OFFSET_RE = re.compile(
    r"(?:(?:的)?(?:正)?(?:向|往|朝|以|沿路向|沿街向|顺路往|顺着路往)?)"
    rf"(?P<dir>{_DIRECTION})"
    r"(?:方向|方|边|侧|面)?"
    # 走上个二三百米 (晋语: walk some two or three hundred metres).
    # 去 (江淮官话's 往北去个一百来米: go north some hundred metres).
    r"(?:直行|步行|走上|走|行|开|再走|过去|去)?"
    # 走了, and 长沙's 走个 (走个两三百米: a couple of hundred metres).
    r"(?:了|个)?"
    rf"(?P<dist>(?:约|大约|大概|差不多|将近|近)?(?:{_NUM})(?:多|余|来|把)?(?:米|公里|千米|KM|M)(?![A-Z])(?:左右|上下|开外)?"
    # No number: 往西不远, 往东一点儿 (a short way, as far as the words allow).
    r"|不远|一点儿|一点点|一点|点儿)"
    r"(?:处|的地方|位置|路段|远)?"
    r"(?:,?(?:的)?(?:道)?路(?P<side>东|西|南|北)(?:侧|边|面)?"
    r"|,?(?:的)?(?P<side2>东|西|南|北)侧"
    # 道西: 哈尔滨 and much of the north-east say 道 for the road (道北 is 路北).
    r"|,?(?:的)?道(?P<side3>东|西|南|北)(?:侧|边)?"
    r"|,?(?:的)?(?P<across>马路对面|路对面|街对面))?"
)
# On along the way, which way unsaid: 往前头走五十米 (四川), 往下走一百多米 (贵州, down the
# street or the hill), 再走两百来米. An offset, but one that says no direction.
_ALONG = r"(?:往前头|往前面|往前|向前|朝前|往下|往上|顺着路|顺着|接着|继续|再)"
ALONG_RE = re.compile(
    rf"{_ALONG}(?:直行|走|行|开)?(?:了|个)?"
    rf"(?P<dist>(?:约|大约|大概|差不多|将近|近)?(?:{_NUM})(?:多|余|来|把)?(?:米|公里|千米|KM|M)"
    r"(?![A-Z])(?:左右|上下|开外)?)"
    r"(?:处|的地方|位置|路段|远)?"
)
# Along one road, past where another crosses it, and on (沿胜利街往东走，过了三阳路的红绿灯往前
# 走一百来米): an offset from that crossing, the way said.
PAST_CROSSING_RE = re.compile(
    rf"(?:沿着|沿|顺着)(?P<a>[^，,。；;往向朝]{{2,12}}?)(?:一直)?(?:往|向|朝)(?P<dir>{_DIRECTION})"
    r"(?:边|面|方向)?(?:走|行|开)?[，,]?(?:过了|过)(?P<b>[^，,。；;]{2,12}?)的?"
    r"(?:红绿灯|十字路口|路口|十字)(?:以后|后)?[，,]?(?:再|往前头|往前|继续|接着)?(?:走|行|开)?(?:了|个)?"
    rf"(?P<dist>(?:约|大约|大概|差不多|将近|近)?(?:{_NUM})(?:多|余|来|把)?(?:米|公里|千米|KM|M)"
    r"(?![A-Z])(?:左右|上下|开外)?)"
)
# How far past the crossing such words reach: from half the distance said to half again, from
# where the crossing ends (people count from the lights, or from where they stopped at them).
PAST_SHARE_LOW, PAST_SHARE_HIGH = 0.5, 1.5
# And the crossing's own width beyond that: the far side of the lights is where counting starts.
PAST_CROSSING_M = 30.0


def past_a_crossing(text: str) -> tuple[str, str, Offset] | None:
    """The two roads and the offset of 沿A往东，过了B的红绿灯往前走N米 in normalized ``text``."""
    found = PAST_CROSSING_RE.search(text)
    if found is None:
        return None
    said = read_distance(found.group("dist"))
    if said is None:
        return None
    far = max(said.high, said.nominal * PAST_SHARE_HIGH) + PAST_CROSSING_M
    reach = Distance(said.nominal * PAST_SHARE_LOW, far)
    offset = Offset(BEARINGS[found.group("dir")], reach, None, found.start(), found.end())
    return found.group("a"), found.group("b"), offset


# 挨着和平医院有个报刊亭: the near word before the landmark, moved after it (和平医院挨着).
_BESIDE_FIRST_RE = re.compile(
    r"(紧挨着|挨着|紧靠着|紧靠|靠着)([^，,。；;！!？?]{2,16}?)(?=有|在|被|，|,|。|$)"
)


def beside_first(text: str) -> str:
    """Normalized text with a near word said before its landmark put after it."""
    return _BESIDE_FIRST_RE.sub(lambda m: m.group(2) + "挨着", text)


# Past a crossing or a landmark with no way said (拐过去, 过去一点): somewhere beyond it.
TURNED_PAST_RE = re.compile(r"(?:的)?(?:拐过去|转过去|拐进去|拐弯过去|过去一点儿?|过去点儿|过去)")


# A building's (or a 组's) number anywhere but in a way's name: the text asks for something
# more precise than the ways the data knows.
BUILDING_NUMBER_RE = re.compile(
    r"[0-9]+[甲乙丙丁]?(?:号|栋|幢|座|单元|室|弄|支|楼|组|队|-)|[甲乙丙丁][0-9]+|[0-9]+[甲乙丙丁附之]"
    # 塔巷二十号: a door in words.
    r"|[零〇一二两三四五六七八九十百]+(?:号|栋|幢|座|单元|室)"
)
# A crossing's shape whatever the names: two road words joined and a junction word.
UNKNOWN_CROSSING_RE = re.compile(
    r"[^，。；、与和/0-9]{1,10}?(?:路|街|大道|大街)(?:与|和|、|/)"
    r"[^，。；、与和/0-9]{1,10}?(?:路|街|大道|大街)(?:交叉口|交叉路口|十字路口|丁字路口|交汇处|交口|路口|十字|口)"
)

# What people put before where a place starts; cut off the landmark.
_LEAD_INS = re.compile(
    r"^.*?(?:来电反映|来电称|来电说|[人民众]说|反映|投诉|举报|称|位于|地点|地址|在|于)"
)


# Any word a crossing, an offset or a near phrase needs: without one, a text is read as an
# address (or a lane named alone) and never costs the place reader anything.
_CUE_RE = re.compile(
    "|".join((*JUNCTION_WORDS, *NEAR_WORDS))
    # A direction with a distance a few words on: 往北走了三百来米, 东边大概100多米.
    + f"|(?:{_DIRECTION})[^0-9零〇一二两三四五六七八九十百千,，。；;]{{0,6}}"
    + rf"(?:{_NUM})[多余来把]?(?:米|公里|千米|KM|M)"
    + r"|(?:路|街|道)(?:口|十字|靠近|近)|/"
    + f"|(?:{_DIRECTION})(?:边|面|方向)?(?:直行|走|行)?(?:了|个)?(?:不远|一点)"
    + f"|{_ALONG}(?:直行|走|行|开)?(?:了|个)?[约大概差不多将近]{{0,3}}(?:{_NUM})[多余来把]?"
    + "(?:米|公里|千米|KM|M)"
)


# A direction with a distance a few words on (往西走上个二三百米), or a distance on along the
# way (往下走一百多米), or past a bridge, a crossing or a road (过了南河道桥那边): an offset,
# read or not — somewhere beyond what it names, never that.
_OFFSET_WORDS_RE = re.compile(
    f"(?:{_DIRECTION}|{_ALONG})[^0-9零〇一二两三四五六七八九十百千,，。；;]{{0,6}}"
    + rf"(?:{_NUM})[多余来把]?(?:米|公里|千米|KM|M)"
    + r"|(?:过了|穿过|越过)[^0-9,，。；;]{1,12}?"
    + r"(?:桥|路口|十字|红绿灯|大道|路|街|巷|隧道|河|铁道|铁路)"
    + r"|拐过去|转过去|拐进去"
)


def says_an_offset(text: str) -> bool:
    """Whether `text` gives a direction and a distance (so it is not at a building it names)."""
    return _OFFSET_WORDS_RE.search(normalize(text)) is not None


def may_describe_a_place(text: str) -> bool:
    """Whether `text` holds a junction, offset or near word (a cheap test before the reader)."""
    return _CUE_RE.search(normalize(text)) is not None


def normalize(text: str) -> str:
    """NFKC, simplified, upper case, spaces out: what every pattern here reads."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).upper()
    return re.sub(r"\s+", "", text).replace("／", "/")


# 几十米 ("some tens of metres") and 几百米: as wide as the words are.
# 百十 (华北: "a hundred or so"): from a little under a hundred to half again.
_SOME = {"几十": (10.0, 90.0), "几百": (100.0, 900.0), "百十": (80.0, 150.0)}


def _number(word: str) -> tuple[float, float] | None:
    """A written number as (low, high): 200 → (200, 200), 二三百 → (200, 300), 一百五 → 150."""
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", word):
        return float(word), float(word)
    if word in _SOME:
        return _SOME[word]
    if not re.fullmatch(r"[零〇一二两三四五六七八九十百千]+", word):
        return None
    # Two digits side by side before a unit give a range: 二三百 = 200–300, 三五十 = 30–50.
    pair = re.fullmatch(r"([一二两三四五六七八九])([一二两三四五六七八九])([十百千])", word)
    if pair:
        unit = CN_UNITS[pair.group(3)]
        return CN_DIGITS[pair.group(1)] * unit, CN_DIGITS[pair.group(2)] * unit
    digits = cn_numeral_value(word)  # 一百五 is 150, as the address parser reads it
    return (float(digits), float(digits)) if digits else None


@dataclass(frozen=True, slots=True)
class Distance:
    """How far, with the tolerance its words allow, in metres."""

    low: float
    high: float

    @property
    def nominal(self) -> float:
        return (self.low + self.high) / 2


# The tolerance of a plain number (200米): people pace or guess; ±10 %, never under 20 m.
EXACT_SHARE, EXACT_MIN_M = 0.10, 20.0
# 约 / 左右, and 来 after a number (三百来米: 表示概数, a little under or over): ±20 %.
ABOUT_SHARE = 0.20
# 多 / 余: "more than": up to half again.
MORE_SHARE = 0.50


# A short way with no number (往西不远, 往东一点儿): anywhere from a few metres to a street's
# block.
_SHORT_WAY = frozenset({"不远", "一点儿", "一点点", "一点", "点儿"})
SHORT_WAY_M = (10.0, 150.0)


def read_distance(words: str) -> Distance | None:
    if words in _SHORT_WAY:
        return Distance(*SHORT_WAY_M)
    found = _DISTANCE_RE.search(words)
    if found is None:
        return None
    number = _number(found.group("n"))
    if number is None:
        return None
    low, high = number
    scale = 1000.0 if found.group("unit") in ("公里", "千米", "KM") else 1.0
    low, high = low * scale, high * scale
    if found.group("more"):
        return Distance(low, high + max(high * MORE_SHARE, EXACT_MIN_M))
    # Two numbers side by side (两三百米) are themselves an estimate (相邻数字连用表概数), as
    # 约 or 来 makes one: the same tolerance.
    ranged = high > low and found.group("n") not in _SOME
    if found.group("about") or found.group("around") or found.group("roughly") or ranged:
        return Distance(
            low - max(low * ABOUT_SHARE, EXACT_MIN_M), high + max(high * ABOUT_SHARE, EXACT_MIN_M)
        )
    return Distance(
        max(0.0, low - max(low * EXACT_SHARE, EXACT_MIN_M)),
        high + max(high * EXACT_SHARE, EXACT_MIN_M),
    )


@dataclass(frozen=True, slots=True)
class Offset:
    """向北200米路西: a bearing, a distance, and the side of the road the place is on. No
    bearing (往前头走50米): the words say no direction."""

    bearing: float | None
    distance: Distance
    side: float | None  # the bearing of the side (路西 → 270), None when not said
    start: int  # where the offset's words begin in the normalized text
    end: int
    # 马路对面: across the landmark's road from the landmark (the side it is not on).
    across: bool = False


def find_offset(text: str) -> Offset | None:
    """The first direction-and-distance in normalized `text` that follows some words (the
    landmark): an offset at the very start has nothing to start from."""
    for found in OFFSET_RE.finditer(text):
        if found.start() == 0:
            continue
        distance = read_distance(found.group("dist"))
        if distance is None:
            continue
        side_word = found.group("side") or found.group("side2") or found.group("side3")
        return Offset(
            bearing=BEARINGS[found.group("dir")],
            distance=distance,
            side=BEARINGS[side_word] if side_word else None,
            start=found.start(),
            end=found.end(),
            across=found.group("across") is not None,
        )
    for found in ALONG_RE.finditer(text):
        distance = read_distance(found.group("dist")) if found.start() > 0 else None
        if distance is not None:
            return Offset(None, distance, None, found.start(), found.end())
    return None


def corner_after(text: str, pos: int) -> float | None:
    """The bearing of a corner or side named right after a crossing (东北角 → 45)."""
    found = CORNER_RE.match(text, pos)
    return BEARINGS[found.group(1)] if found else None


def junction_after(text: str, pos: int) -> int | None:
    """The end of a junction word at `pos` (交叉口, 路口, or 口 alone), else None."""
    found = JUNCTION_RE.match(text, pos)
    if found:
        return found.end()
    if text.startswith("口", pos):
        return pos + 1
    return None


def landmark_words(text: str) -> str:
    """The words before an offset or near word, without the sentence's lead-in: 市民反映在 |
    幸福小区北门 | 向北200米."""
    clause = re.split(r"[，。；;！!？?,]", text)[-1]
    cut = _LEAD_INS.sub("", clause)
    # 从吴家窑顺着珠江道 | 往东…: the landmark is where one starts; the road followed only
    # says which way, which the direction says too.
    along = _ALONG_TAIL_RE.search(cut)
    if along is not None and along.start() >= 2:
        cut = cut[: along.start()].removeprefix("从")
    # 过了十五里河桥再往北: the way on, not part of the landmark's name.
    cut = _THEN_TAIL_RE.sub("", cut)
    # 湖光路过了十五里河桥 | 往南100米: the bridge that road crosses is where one starts.
    past = _PAST_BRIDGE_RE.search(cut)
    if past is not None and past.start() >= 2:
        cut = cut[: past.start()] + cut[past.end() :]
    return cut or clause


_THEN_TAIL_RE = re.compile(r"(?<=.{2})(?:以后|之后)?(?:再|又)$")
_PAST_BRIDGE_RE = re.compile(r"(?:过了|穿过|越过)(?=[^，,。；;过]{1,12}桥$)")
_ALONG_TAIL_RE = re.compile(r"(?:一直)?(?:顺着|沿着)[^，,。；;]{2,12}$")


def unit_vector(bearing: float) -> tuple[float, float]:
    """East and north components of a bearing (clockwise from north)."""
    radians = math.radians(bearing)
    return math.sin(radians), math.cos(radians)
