"""活力值 for verified reports: a resident's or a micro-grid leader's report that the street
verifies pays its rule once per case, within the rule's daily cap, from the community budget,
and shows in the person's 活力值 history."""

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.conftest import COMMUNITY, MICRO_A1
from wangge.accounts.models import Role, User
from wangge.cases.models import Case, Channel, Status
from wangge.cases.services import case_act
from wangge.grids.models import GridNode
from wangge.points.models import Earning, EarningRule
from wangge.points.receivers import MICRO_RULE, RESIDENT_RULE
from wangge.points.services import community_issuer, points_budget, wallet_for


def act(case: Case, who: User, action: str, note: str = "", **params: Any) -> Case:
    return case_act(case_id=case.pk, actor=who, action=action, note=note, params=params)


def fund(amount: int = 1000) -> None:
    issuer = community_issuer(GridNode.objects.get(code=COMMUNITY))
    points_budget(issuer=issuer, amount=amount, key=f"test-budget:{amount}")


def verify(case: Case, people: dict[str, Any]) -> Case:
    case = act(case, people["worker_a"], "sign")
    case = act(case, people["worker_a"], "resolve", result="已劝离摊贩，恢复通行")
    return act(case, people["dispatcher"], "verify_pass")


def balance(user: User) -> int:
    return wallet_for(user).balance


@pytest.fixture
def micro_leader(make_user: Callable[..., User], tree: dict[str, GridNode]) -> User:
    return make_user(Role.MICRO_GRID_LEADER, tree[MICRO_A1], name="郑桂芳")


def test_a_residents_verified_report_pays_once_and_shows_in_the_history(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    fund()
    resident = people["resident"]
    case = verify(report(), people)
    assert case.status == Status.VERIFIED
    points = EarningRule.objects.get(code=RESIDENT_RULE).points
    assert balance(resident) == points
    (earning,) = Earning.objects.filter(owner=resident)
    assert (earning.rule.code, earning.granted) == (RESIDENT_RULE, points)
    c = Client()
    c.force_login(resident)
    history = c.get("/points/history/").content.decode()
    assert f"有效上报：{case.title}（{case.number}）" in history
    assert f"+{points}" in history


def test_verified_again_after_a_reopen_is_not_paid_twice(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    fund()
    case = verify(report(), people)
    case = act(
        case,
        people["dispatcher"],
        "follow_up",
        reached=True,
        contacted=True,
        solved=False,
        satisfaction="dissatisfied",
    )
    case = act(case, people["resident"], "reopen", "摊贩又回来了")
    case = verify(case, people)
    assert case.status == Status.VERIFIED and case.reopen_count == 1
    assert balance(people["resident"]) == EarningRule.objects.get(code=RESIDENT_RULE).points
    assert Earning.objects.filter(owner=people["resident"]).count() == 1


def test_a_micro_grid_leaders_report_pays_the_micro_rule(
    people: dict[str, Any], report: Callable[..., Case], micro_leader: User
) -> None:
    fund()
    verify(report("楼道里堆满杂物，有火灾隐患", actor=micro_leader, channel=Channel.PATROL), people)
    (earning,) = Earning.objects.filter(owner=micro_leader)
    assert earning.rule.code == MICRO_RULE
    assert balance(micro_leader) == EarningRule.objects.get(code=MICRO_RULE).points == 5


def test_the_daily_cap_holds(people: dict[str, Any], report: Callable[..., Case]) -> None:
    fund()
    rule = EarningRule.objects.get(code=RESIDENT_RULE)
    assert (rule.points, rule.daily_cap) == (3, 9)
    for n in range(4):
        verify(report(f"小区门口有人摆摊占道，第{n + 1}次反映"), people)
    earnings = Earning.objects.filter(owner=people["resident"]).order_by("id")
    assert [e.granted for e in earnings] == [3, 3, 3, 0]
    assert earnings.last().outcome == Earning.Outcome.CAPPED  # type: ignore[union-attr]
    assert balance(people["resident"]) == 9


def test_an_invalid_report_pays_nothing(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    fund()
    # Unplaceable and found to be no real problem: 作废.
    voided = act(
        report(at=None, address="火星路1号"), people["admin"], "void", "重复反映，非有效诉求"
    )
    assert voided.status == Status.VOIDED
    # Resolved but the check fails: not verified, so nothing yet.
    failed = report()
    act(failed, people["worker_a"], "sign")
    act(failed, people["worker_a"], "resolve", result="已处理")
    act(failed, people["community"], "verify_fail", "现场仍有摊位")
    assert not Earning.objects.exists()
    assert balance(people["resident"]) == 0


def test_staff_reporting_at_work_earn_nothing(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    fund()
    verify(report(actor=people["worker_a"], channel=Channel.PATROL), people)
    assert not Earning.objects.exists()


def test_an_empty_budget_does_not_hold_up_the_verification(
    people: dict[str, Any], report: Callable[..., Case], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="wangge.points.receivers"):
        case = verify(report(), people)
    assert case.status == Status.VERIFIED
    assert not Earning.objects.exists()
    assert f"report reward for case {case.number} not paid: budget exhausted" in caplog.text


def test_a_district_without_the_rule_still_verifies(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    fund()
    EarningRule.objects.filter(code=RESIDENT_RULE).delete()
    case = verify(report(), people)
    assert case.status == Status.VERIFIED
    assert not Earning.objects.exists()
