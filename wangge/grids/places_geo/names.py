"""The one form names and text are compared in, and the names a building's lane, 组 or 自然村
goes by.

Apart because the data's side (`index`) and the reading of a text (`reader`) must put both
in the same form: 第三村民小组 and 三组 are 3组, 黄巷一弄 is 黄巷1弄, 杨家围子自然村 is 杨家围子.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from wangge.grids.addresses.placetext import landmark_words, normalize
from wangge.grids.addresses.text import cn_numeral_value

# Chinese numerals before 组 / 队 and the 第 / 村民小组 forms: 第三村民小组 → 3组.
_GROUP_RE = re.compile(
    # 社: a 村民小组 in 四川 and 重庆 (龙井村五社), never a 社区; 广州's 经济(合作)社.
    r"第?([零〇一二两三四五六七八九十]+|[0-9]+)"
    r"(?:村民小组|村民组|居民小组|小组|组|生产队|队|经济合作社|经济社|社(?!区))"
)
# 杨家围子自然村 is 杨家围子: the word says what it is, not its name. So is 村小组 after a
# 自然村's name (喻家村小组, the 村民小组 the hamlet is), but not a 村小组长.
_NATURAL_VILLAGE_RE = re.compile(r"(?<=[\u3400-\u9fff]{2})(?:自然村|自然屯|村小组(?!长))")
# 黄巷一弄: a lane's 弄 numbered as the addresses' reading numbers it (黄巷1弄).
_LANE_ORDINAL_RE = re.compile(r"(?<=[\u3400-\u9fff])([零〇一二两三四五六七八九十]+)(?=弄|支弄)")


def canonical(text: str) -> str:
    """The form names and text are compared in: normalized, 组 and 弄 numbers as digits."""
    text = _NATURAL_VILLAGE_RE.sub("", normalize(text))
    text = _LANE_ORDINAL_RE.sub(lambda m: _group_number(m.group(1)), text)
    return _GROUP_RE.sub(lambda m: _group_number(m.group(1)) + "组", text)


def _group_number(word: str) -> str:
    return str(int(word)) if word.isdigit() else (cn_numeral_value(word) or word)


# What a lane's or a hamlet's name ends in (a 小区 is not one): named alone they are places.
# 社: a 自然村 of 闽南 (曾厝垵村西边社), named; a numbered 社 is a 组 (`_GROUP_RE`).
_HAMLET_ENDS = (
    "屯|庄|堡|窝堡|窝棚|围子|营子|营|寨|沟|岗|湾|塆|冲|垸|坪|畈|坳|咀|嘴|郢|坨|铺|厝|家子|社"
)
# A lane off a road by its name's last word (埕: a lane or the open ground its houses face, in
# 闽南 towns); not 里 or 坊, which name as many 小区 of 号楼 (伊河路百花里5号楼) as lanes.
_LANE_WORD_RE = re.compile(r"(?:巷|胡同|弄|条|埕)$")
# 坡, 梯道 and 梯坎: 重庆's streets of steps up a hill (黄泥坡1号), as short as lanes.
_LANE_END_RE = re.compile(f"(?:巷|胡同|里|弄|条|坊|埕|坡|梯道|梯坎|{_HAMLET_ENDS}|村)$")
# A 自然村 after the 组 it lies in, before the house: 三组|刘家湾|12号.
_HAMLET_AFTER_GROUP_RE = re.compile(f"^([\u3400-\u9fff]{{1,5}}?(?:{_HAMLET_ENDS}|村))(?=[0-9])")
# A 行政村 followed by its 自然村 in one compound: 永安村刘家窝堡.
_VILLAGE_HAMLET_RE = re.compile(r"^(.+?村)(.{2,5})$")
# A 组 and the 自然村 in it, as the parser joins them: 3组刘家湾.
_GROUP_AND_HAMLET_RE = re.compile(r"^([0-9]+组)(.{2,5})$")
# A group named by its number alone: 6组 is in every village.
GROUP_ONLY_RE = re.compile(r"^[0-9]+组$")


def ways_of(road: str | None, compound: str | None, rest: str = "") -> list[str]:
    """The names a building's lane, 组 or 自然村 is called by: 刷绒胡同; 八里庙村1组, 八里庙1组
    and 1组; 永安村刘家窝堡 and 刘家窝堡; 邹岗村3组刘家湾 gives 3组, 邹岗村3组, 刘家湾 and
    邹岗村刘家湾."""
    ways: list[str] = []
    village = canonical(compound) if compound else ""
    if road:
        key = canonical(road)
        ways.append(key)
        group = _GROUP_AND_HAMLET_RE.match(key)
        hamlet = ""
        if group:
            ways.append(group.group(1))
            hamlet = group.group(2)
        elif GROUP_ONLY_RE.match(key):
            after = _HAMLET_AFTER_GROUP_RE.match(rest)
            hamlet = canonical(after.group(1)) if after else ""
        number = group.group(1) if group else key if GROUP_ONLY_RE.match(key) else ""
        if number and village:
            ways.append(village + number)
            # 桃园6组: the 组 with its village written without 村, as people say it.
            ways.extend(_without_cun(village, number))
        if hamlet:
            ways.append(hamlet)
            if village:
                ways.append(village + hamlet)
                ways.extend(_without_cun(village, hamlet))
        elif village.endswith("村") and not number and not _LANE_WORD_RE.search(village):
            # 西三教村赵家屯3号: the 自然村 of a 行政村, called with its village too (a
            # micro-grid named 西三教村赵家屯 is where some of its houses are, not all).
            ways.append(village + key)
            ways.extend(_without_cun(village, key))
        elif village and not number and _LANE_WORD_RE.search(village):
            # 中山中路胭脂巷3号: a lane off the road, called by itself and with its road. A
            # lane word alone is no name (铁路胡同4号 read as 铁路 and 胡同: 铁路胡同 only).
            if _LANE_WORD_RE.fullmatch(village):
                ways.append(key + village)
            else:
                ways.extend((village, key + village))
    elif compound:
        key = canonical(compound)
        if _LANE_END_RE.search(key) and not _LANE_END_RE.fullmatch(key):
            ways.append(key)
            split = _VILLAGE_HAMLET_RE.match(key)
            if split and _LANE_END_RE.search(split.group(2)):
                ways.append(split.group(2))
                ways.extend(_without_cun(split.group(1), split.group(2)))
    return ways


def said_for_several(keys: Iterable[str], villages: Iterable[str]) -> set[str]:
    """The names among `keys` that give a village without its 村 (麦岛2组, 曾厝垵前厝社) where
    another village's name holds that stem too (徐家麦岛村, 小麦岛村): 麦岛2组 is said of each
    of them, so it names no one place. `villages` are the villages' names, with 村."""
    holding: dict[str, int] = defaultdict(int)
    for village in set(villages):
        name = village.removesuffix("村")
        for sub in {name[i:j] for i in range(len(name)) for j in range(i + 2, len(name) + 1)}:
            holding[sub] += 1
    shared = {stem for stem, count in holding.items() if count > 1}
    found = set()
    keys = set(keys)
    for key in keys:
        for end in range(2, len(key) - 1):
            stem, rest = key[:end], key[end:]
            said_without_cun = not rest.startswith("村") and (
                GROUP_ONLY_RE.match(rest) is not None or rest in keys
            )
            if stem in shared and said_without_cun:
                found.add(key)
                break
    return found


def _without_cun(village: str, part: str) -> list[str]:
    """A 自然村 or a 组 called with its 行政村 written without 村 (曾厝垵前厝社, 桃园6组), as
    people say it: the village's stem must be a name of its own (two characters or more)."""
    stem = village.removesuffix("村")
    return [stem + part] if stem != village and len(stem) >= 2 else []


def front_of(text: str, phrase: str) -> str:
    """The clause of `text` that holds `phrase`, from its start (after the sentence's lead-in:
    市民反映 …): where the names of the place's city, district or town are said."""
    t = canonical(text)
    at = t.find(phrase[:4]) if phrase else -1
    if at < 0:
        return ""
    start = max((t.rfind(mark, 0, at) for mark in "，。；;！!？?,"), default=-1) + 1
    return landmark_words(t[start : at + len(phrase)]) if start < at else t[at : at + len(phrase)]
