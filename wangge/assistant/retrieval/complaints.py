"""Telling a problem to fix (漏水了, 灯坏了没人修, 太吵了) from a question about a service
that uses the same words (公租房维修怎么申请)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

# Complaint and repair words: the resident needs someone to act, not a service guide.
_COMPLAINT_TEXT: Final = """
投诉 举报 曝光 报修 维修 修一下 没人修 没人管 没人清 没人处理 不管 不作为 噪音 噪声 太吵 吵得
扰民 漏水 渗水 跑水 坏了 不亮 堵了 堵塞 爆了 爆管 停水了 停电了 臭 油烟 乱停 乱收费 态度差
态度恶劣 态度太差 态度不好 缺斤短两 占道 摆摊 飞线 私搭乱建 违章建筑 违建 乱扔 不拴绳 井盖 大坑
塌了 裂了 掉下来 冒水 施工 装修 杂物
"""
# How a problem is stated in general, whatever the service: something is too much (太吵了,
# 太脏了, 吵死了), broken or blocked (坏了, 堵了, 不亮了), left undone (没人管, 没人清), or
# done anyhow (乱扔, 乱停). Only a statement: the same words in a how-to question are not one.
_PROBLEM: Final = re.compile(
    r"太[\u4e00-\u9fff]{1,3}了|[\u4e00-\u9fff]死了|(?:坏|破|堵|漏|脏|烂|断|塌)了|"
    r"不(?:亮|通|转|响|开|来|出水|来电|来水|回复)了|没人(?:管|修|清|理|处理|回|来|接)|"
    r"乱(?:扔|丢|倒|停|放|贴|画|收|搭|建|堆|排|摆)"
)
COMPLAINT_WORDS: Final = tuple(sorted(set(_COMPLAINT_TEXT.split()), key=len, reverse=True))

# A how-to question: it asks for a procedure, a place, a time or a yes/no on a rule. A complaint
# word inside one (公租房维修怎么申请, 楼上漏水损失谁来赔) names the service, not a problem to fix.
_QUESTION_FORM: Final = re.compile(
    r"怎么|怎样|如何|哪里|哪儿|在哪|去哪|哪个|哪些|什么|多少|多久|几天|吗|么|呢|能否|是否|"
    r"可以|能不能|要不要|需不需要|用不用|有没有|谁来|找谁|由谁|手续|流程|条件|材料|审批|"
    r"许可|申请|办理|登记|预约|报名|索赔|赔偿|责任|(.)不\1|不$|没有$"
)
# How long a problem has lasted (好几天没人管, 十几天了) is part of the complaint, not a question.
_DURATION: Final = re.compile(r"好几天|好多天|几天了|十几天|这几天|几天都|几天没")
# A problem stated, not a service named: a change of state or a complaint about someone.
_STATES_PROBLEM: Final = re.compile(r"了|没人|没有|不|太|又|还|总|老是|一直|天天|乱")
# The resident's plan or what they heard (想装个电梯, 打算, 听说有一种…); not a wish that
# someone else act (想让他们停下, 想请人来修), which is how a complaint asks.
_WISH: Final = re.compile(r"(?<!不)想(?!让|叫|请)|打算|准备|商量|听说")
# Something is too much (太难了, 太贵了, 太高了): a reason for a plan as often as a fault.
_TOO_MUCH: Final = re.compile(r"太[\u4e00-\u9fff]{1,3}了")
# A keyword string this short names a service (公租房 维修, 化粪池 清掏) rather than describes a
# problem; longer text without a question form is read as a statement.
_TERSE: Final = 10


def mentions_complaint(normalized: str) -> bool:
    return any(word in normalized for word in COMPLAINT_WORDS) or bool(_PROBLEM.search(normalized))


def asks_how(normalized: str) -> bool:
    return _QUESTION_FORM.search(_DURATION.sub("", normalized)) is not None


def names_service(normalized: str, service_words: frozenset[str]) -> bool:
    """A terse keyword string (公租房维修, 化粪池清掏) whose complaint words are all words the
    base's own questions use for a service: it names that service, it does not report a
    problem. Anything that states a problem (漏水了, 没人修, 不亮) is not one."""
    if len(normalized) > _TERSE or _STATES_PROBLEM.search(normalized):
        return False
    found = [w for w in COMPLAINT_WORDS if w in normalized]
    return bool(found) and all(w in service_words for w in found)


def ends_in_wish(parts: Sequence[str]) -> bool:
    """A story whose last clause says what the resident plans or heard of, and whose only
    problem words are that something is too much (老人上下楼太难了，楼里几户商量想装个电梯;
    商品房太贵了，听说有一种…的房子): the question is read, not handed off. A fault before
    the plan (漏水了，想找人修) or a wish that names a complaint (我想投诉) is still one."""
    if len(parts) < 2:
        return False
    last = parts[-1]
    if _WISH.search(last) is None or mentions_complaint(last):
        return False
    return not any(mentions_complaint(_TOO_MUCH.sub("", part)) for part in parts[:-1])


def is_complaint(normalized: str) -> bool:
    """A problem stated for someone to fix (漏水了, 灯坏了没人修, 我要投诉物业), not a question
    about a service that happens to use the same words."""
    return mentions_complaint(normalized) and not asks_how(normalized)
