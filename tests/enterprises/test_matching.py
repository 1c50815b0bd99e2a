"""Golden tests for matching: for every criterion type, an enterprise that qualifies and one that
fails, with the reason the enterprise reads; missing facts are 待确认, never a failure."""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from tests.conftest import COMMUNITY, GRID_A, GRID_B, MICRO_A1, MICRO_B1, STREET
from wangge.core.errors import ValidationFailed
from wangge.enterprises import criteria as crit

PATH_A1 = f"410102/{STREET}/{COMMUNITY}/{GRID_A}/{MICRO_A1}/"
PATH_B1 = f"410102/{STREET}/{COMMUNITY}/{GRID_B}/{MICRO_B1}/"
REGIONS = {
    GRID_A: crit.Region(GRID_A, "碧沙岗第1网格", f"410102/{STREET}/{COMMUNITY}/{GRID_A}/"),
    COMMUNITY: crit.Region(COMMUNITY, "碧沙岗社区", f"410102/{STREET}/{COMMUNITY}/"),
}
QUESTION = "是否在中原区依法纳税"

BASE = crit.Profile(
    industry="C",
    size="small",
    founded_on=date(2020, 5, 1),
    revenue_band="500-2000",
    headcount=50,
    tags=frozenset({"高新技术企业"}),
    paths=(PATH_A1,),
    answers={QUESTION: True},
)

# (criteria, the change that makes the enterprise fail, reason when it passes, when it fails)
GOLDEN: dict[str, tuple[dict[str, Any], dict[str, Any], str, str]] = {
    "industries": (
        {"industries": ["C", "I"]},
        {"industry": "F"},
        "行业“制造业”在适用范围内",
        "行业“批发和零售业”不在适用行业（制造业、信息传输、软件和信息技术服务业）内",
    ),
    "sizes": (
        {"sizes": ["small", "micro"]},
        {"size": "medium"},
        "企业规模为小型",
        "企业规模为中型，政策仅面向小型、微型企业",
    ),
    "regions": (
        {"regions": [GRID_A]},
        {"paths": (PATH_B1,)},
        "位于碧沙岗第1网格范围内",
        "经营地点不在政策适用区域（碧沙岗第1网格）内",
    ),
    "founded_before": (
        {"founded_before": "2023-12-31"},
        {"founded_on": date(2024, 3, 1)},
        "成立日期 2020-05-01 不晚于 2023-12-31",
        "成立日期 2024-03-01 晚于要求的 2023-12-31 之前",
    ),
    "founded_after": (
        {"founded_after": "2019-01-01"},
        {"founded_on": date(2018, 6, 1)},
        "成立日期 2020-05-01 不早于 2019-01-01",
        "成立日期 2018-06-01 早于要求的 2019-01-01 之后",
    ),
    "revenue_min": (
        {"revenue_min": 500},
        {"revenue_band": "100-500"},
        "营业收入500–2000 万元，不低于 500 万元",
        "营业收入100–500 万元，低于要求的 500 万元",
    ),
    "revenue_max": (
        {"revenue_max": 2000},
        {"revenue_band": "1e4-4e4"},
        "营业收入500–2000 万元，不超过 2000 万元",
        "营业收入1–4 亿元，超过上限 2000 万元",
    ),
    "headcount_min": (
        {"headcount_min": 20},
        {"headcount": 8},
        "从业人数 50 人，不少于 20 人",
        "从业人数 8 人，少于要求的 20 人",
    ),
    "headcount_max": (
        {"headcount_max": 300},
        {"headcount": 320},
        "从业人数 50 人，不超过 300 人",
        "从业人数 320 人，超过上限 300 人",
    ),
    "tags_any": (
        {"tags_any": ["高新技术企业", "科技型中小企业"]},
        {"tags": frozenset({"个体工商户"})},
        "具有标签：高新技术企业",
        "不具有以下任一标签：高新技术企业、科技型中小企业",
    ),
    "tags_all": (
        {"tags_all": ["高新技术企业", "专精特新"]},
        {"tags": frozenset({"高新技术企业"})},
        "具有全部必需标签：高新技术企业、专精特新",
        "缺少必需的标签：专精特新",
    ),
    "question": (
        {"questions": [{"text": QUESTION, "expect": True}]},
        {"answers": {QUESTION: False}},
        "“是否在中原区依法纳税”回答为是",
        "“是否在中原区依法纳税”回答为否，政策要求为是",
    ),
}
# tags_all passes for a profile that has both tags.
PASSING_CHANGES = {"tags_all": {"tags": frozenset({"高新技术企业", "专精特新"})}}


@pytest.mark.parametrize("kind", sorted(GOLDEN))
def test_each_criterion_qualifies_and_fails_with_its_reason(kind: str) -> None:
    raw, failing, pass_reason, fail_reason = GOLDEN[kind]
    criteria = crit.clean(raw, REGIONS)
    ok = crit.evaluate(criteria, replace(BASE, **PASSING_CHANGES.get(kind, {})), REGIONS)
    assert ok.status == crit.QUALIFIED
    assert [(c.status, c.reason) for c in ok.checks] == [(crit.PASS, pass_reason)]
    bad = crit.evaluate(criteria, replace(BASE, **failing), REGIONS)
    assert bad.status == crit.NOT_QUALIFIED
    assert [(c.status, c.reason) for c in bad.failures] == [(crit.FAIL, fail_reason)]


def test_every_criterion_type_has_a_golden_case() -> None:
    assert {k.replace("questions", "question") for k in crit.KEYS} == set(GOLDEN)


@pytest.mark.parametrize(
    ("raw", "missing", "reason"),
    [
        ({"founded_before": "2023-12-31"}, {"founded_on": None}, "待确认：企业未填写成立日期"),
        ({"revenue_min": 300}, {}, "待确认：营业收入500–2000 万元，无法判断是否达到 300 万元"),
        ({"revenue_min": 1000}, {}, "待确认：营业收入500–2000 万元，无法判断是否达到 1000 万元"),
        ({"revenue_max": 100}, {"revenue_band": ""}, "待确认：企业未填写营业收入"),
        # A band that reaches the ceiling exactly could still be within it.
        (
            {"revenue_max": 2000},
            {"revenue_band": "2000-1e4"},
            "待确认：营业收入2000 万–1 亿元，无法判断是否超过 2000 万元",
        ),
        ({"headcount_min": 10}, {"headcount": None}, "待确认：企业未填写从业人数"),
        ({"regions": [GRID_A]}, {"paths": ()}, "待确认：企业尚未标注经营位置"),
        (
            {"questions": ["是否有研发投入"]},
            {},
            "待确认：请回答“是否有研发投入”",
        ),
    ],
)
def test_unknown_facts_are_pending_not_failed(
    raw: dict[str, Any], missing: dict[str, Any], reason: str
) -> None:
    m = crit.evaluate(crit.clean(raw, REGIONS), replace(BASE, **missing), REGIONS)
    if raw == {"revenue_min": 300}:
        # 500–2000 is surely ≥ 300: this one is a pass, the band settles it.
        assert m.status == crit.QUALIFIED
        return
    assert m.status == crit.PENDING
    assert [c.reason for c in m.unknowns] == [reason]
    assert m.status_label == "待确认"


def test_a_failure_outweighs_unknowns_and_every_reason_is_listed() -> None:
    criteria = crit.clean(
        {"sizes": ["micro"], "headcount_min": 5, "questions": ["是否有研发投入"]}, REGIONS
    )
    m = crit.evaluate(criteria, replace(BASE, headcount=None), REGIONS)
    assert m.status == crit.NOT_QUALIFIED
    assert [c.status for c in m.checks] == [crit.FAIL, crit.UNKNOWN, crit.UNKNOWN]


def test_a_region_covers_its_whole_subtree() -> None:
    criteria = crit.clean({"regions": [COMMUNITY]}, REGIONS)
    assert crit.evaluate(criteria, replace(BASE, paths=(PATH_B1,)), REGIONS).status == (
        crit.QUALIFIED
    )


def test_a_policy_without_criteria_is_for_everyone() -> None:
    assert crit.evaluate({}, BASE).status == crit.QUALIFIED


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"industries": ["Z"]}, "行业中的“Z”无法识别"),
        ({"sizes": ["huge"]}, "企业规模中的“huge”无法识别"),
        ({"founded_before": "2023-13-01"}, "成立日期上限“2023-13-01”不是有效日期（YYYY-MM-DD）"),
        ({"revenue_min": "很多"}, "营业收入下限应为整数"),
        ({"headcount_min": 50, "headcount_max": 10}, "从业人数下限大于上限，没有企业能符合"),
        (
            {"founded_after": "2024-01-01", "founded_before": "2023-01-01"},
            "成立日期下限晚于上限，没有企业能符合",
        ),
        ({"regions": ["999999"]}, "区域编码不存在：999999"),
        ({"colour": "red"}, "未知的条件类型：colour"),
    ],
)
def test_bad_criteria_are_refused_in_chinese(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        crit.clean(raw, REGIONS)
    assert exc.value.message == message


def test_empty_form_fields_are_no_criteria() -> None:
    assert crit.clean({"industries": [], "revenue_min": "", "questions": []}) == {}


@pytest.mark.parametrize("kind", sorted(GOLDEN))
def test_verdicts_without_reasons_are_the_same_verdicts(kind: str) -> None:
    raw, failing, _pass, _fail = GOLDEN[kind]
    criteria = crit.clean(raw, REGIONS)
    for profile in (replace(BASE, **PASSING_CHANGES.get(kind, {})), replace(BASE, **failing)):
        full = crit.evaluate(criteria, profile, REGIONS)
        quick = crit.evaluate(criteria, profile, REGIONS, explain=False)
        assert [c.status for c in quick.checks] == [c.status for c in full.checks]
        assert quick.status == full.status
