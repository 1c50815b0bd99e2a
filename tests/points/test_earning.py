"""Earning rules as data: points from the rule, the daily cap per person, idempotency."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.concurrency import POSTGRES_ONLY, run_parallel
from wangge.core.errors import ValidationFailed
from wangge.points.models import Account, Earning, EarningRule, Transfer
from wangge.points.selectors import hourly_rule_code
from wangge.points.services import BudgetExhausted, earn, points_budget, wallet_for

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=SH)


@pytest.fixture
def issuer(db: Any) -> Account:
    account = Account.objects.create(kind="issuer", name="碧沙岗社区志愿者协会")
    points_budget(issuer=account, amount=10_000, key="budget-1")
    return account


def test_seeded_rules_are_data_an_administrator_can_change(db: Any) -> None:
    codes = set(EarningRule.objects.values_list("code", flat=True))
    assert {
        "volunteer_hour",
        "activity_join",
        "micro_report_verified",
        "wish_fulfilled",
    } <= codes
    assert hourly_rule_code("关爱帮扶") == "volunteer_hour_care"
    assert hourly_rule_code("没有的类别") == "volunteer_hour"
    # Picked from rules already read, the answer is the same.
    rules = list(EarningRule.objects.all())
    assert hourly_rule_code("关爱帮扶", rules) == "volunteer_hour_care"
    assert hourly_rule_code("没有的类别", rules) == "volunteer_hour"
    EarningRule.objects.filter(code="volunteer_hour_care").update(active=False)
    rules = list(EarningRule.objects.all())
    assert hourly_rule_code("关爱帮扶", rules) == hourly_rule_code("关爱帮扶") == "volunteer_hour"


@pytest.mark.django_db
def test_hours_earn_points_per_hour_and_the_daily_cap_holds(
    cast: dict[str, Any], issuer: Account
) -> None:
    resident = cast["resident"]
    rule = EarningRule.objects.get(code="volunteer_hour")
    rule.points, rule.daily_cap = 10, 80
    rule.save()

    t1 = earn(
        rule_code="volunteer_hour",
        owner=resident,
        issuer_account=issuer,
        quantity=Decimal("2.5"),
        idempotency_key="signup-1",
        reason="清理楼道 2.5 小时",
        occurred_at=at(3, 10),
    )
    assert t1 is not None and t1.reason == "清理楼道 2.5 小时"
    assert wallet_for(resident).balance == 25
    # 6 more hours the same day: only 55 of the 60 fit under the cap of 80
    t2 = earn(
        rule_code="volunteer_hour",
        owner=resident,
        issuer_account=issuer,
        quantity=6,
        idempotency_key="signup-2",
        reason="助老服务",
        occurred_at=at(3, 15),
    )
    assert t2 is not None
    assert wallet_for(resident).balance == 80
    assert Earning.objects.get(idempotency_key="signup-2").outcome == "capped"
    # the cap is reached: nothing more today, and nothing is written to the ledger
    before = Transfer.objects.count()
    assert (
        earn(
            rule_code="volunteer_hour",
            owner=resident,
            issuer_account=issuer,
            quantity=1,
            idempotency_key="signup-3",
            reason="再服务 1 小时",
            occurred_at=at(3, 23),
        )
        is None
    )
    assert Transfer.objects.count() == before
    # 00:30 in Shanghai is the next day (16:30 UTC of the day before): the cap starts again
    t4 = earn(
        rule_code="volunteer_hour",
        owner=resident,
        issuer_account=issuer,
        quantity=1,
        idempotency_key="signup-4",
        reason="早间巡逻",
        occurred_at=datetime(2026, 11, 4, 0, 30, tzinfo=SH).astimezone(ZoneInfo("UTC")),
    )
    assert t4 is not None and wallet_for(resident).balance == 90
    # another person has a cap of their own
    assert (
        earn(
            rule_code="volunteer_hour",
            owner=cast["worker_a"],
            issuer_account=issuer,
            quantity=3,
            idempotency_key="signup-5",
            reason="服务",
            occurred_at=at(3, 10),
        )
        is not None
    )
    assert wallet_for(cast["worker_a"]).balance == 30


@pytest.mark.django_db
def test_repeating_a_key_returns_the_first_answer(cast: dict[str, Any], issuer: Account) -> None:
    kwargs: dict[str, Any] = {
        "rule_code": "wish_fulfilled",
        "owner": cast["resident"],
        "issuer_account": issuer,
        "idempotency_key": "wish-7",
        "reason": "帮张奶奶买菜",
        "occurred_at": at(5, 9),
    }
    first = earn(**kwargs)
    again = earn(**kwargs)
    assert first is not None and again is not None and first.pk == again.pk
    assert wallet_for(cast["resident"]).balance == 20
    assert Earning.objects.filter(idempotency_key="wish-7").count() == 1


@pytest.mark.django_db
def test_a_rule_switched_off_earns_nothing(cast: dict[str, Any], issuer: Account) -> None:
    EarningRule.objects.filter(code="activity_join").update(active=False)
    result = earn(
        rule_code="activity_join",
        owner=cast["resident"],
        issuer_account=issuer,
        idempotency_key="act-1",
        reason="邻居节",
        occurred_at=at(5, 9),
    )
    assert result is None
    assert Earning.objects.get(idempotency_key="act-1").outcome == "inactive"
    assert wallet_for(cast["resident"]).balance == 0


@pytest.mark.django_db
def test_an_empty_budget_refuses_and_writes_nothing(cast: dict[str, Any]) -> None:
    poor = Account.objects.create(kind="issuer", name="小协会")
    points_budget(issuer=poor, amount=10, key="b-small")
    with pytest.raises(BudgetExhausted, match="小协会 的活力值预算不足"):
        earn(
            rule_code="wish_fulfilled",
            owner=cast["resident"],
            issuer_account=poor,
            idempotency_key="wish-8",
            reason="微心愿",
            occurred_at=at(5, 9),
        )
    assert not Earning.objects.exists()
    assert wallet_for(cast["resident"]).balance == 0


@pytest.mark.django_db
def test_bad_input_is_refused_in_chinese(cast: dict[str, Any], issuer: Account) -> None:
    base: dict[str, Any] = {
        "owner": cast["resident"],
        "issuer_account": issuer,
        "idempotency_key": "x",
        "reason": "",
        "occurred_at": at(5, 9),
    }
    with pytest.raises(ValidationFailed, match="没有代码为 nope 的活力值规则"):
        earn(rule_code="nope", **base)
    with pytest.raises(ValidationFailed, match="数量须为正数"):
        earn(rule_code="volunteer_hour", quantity=0, **base)
    with pytest.raises(ValidationFailed, match="只能从发放账户发放"):
        earn(rule_code="volunteer_hour", **{**base, "issuer_account": wallet_for(cast["worker_a"])})


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_parallel_earnings_never_pass_the_daily_cap(tree: Any, make_user: Any) -> None:
    resident = make_user(name="王秀兰")
    issuer = Account.objects.create(kind="issuer", name="协会")
    points_budget(issuer=issuer, amount=10_000, key="b")
    EarningRule.objects.update_or_create(
        code="volunteer_hour",
        defaults={"name": "志愿服务每小时", "kind": "per_hour", "points": 10, "daily_cap": 80},
    )
    results = run_parallel(
        20,
        lambda n: earn(
            rule_code="volunteer_hour",
            owner=resident,
            issuer_account=issuer,
            quantity=1,
            idempotency_key=f"p-{n}",
            reason="服务",
            occurred_at=at(6, 10),
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert len([r for r in results if isinstance(r, Transfer)]) == 8
    assert wallet_for(resident).balance == 80
    same = run_parallel(
        20,
        lambda _n: earn(
            rule_code="volunteer_hour",
            owner=resident,
            issuer_account=issuer,
            quantity=1,
            idempotency_key="one-key",
            reason="服务",
            occurred_at=at(7, 10),
        ),
    )
    assert len({r.pk for r in same}) == 1
    assert Earning.objects.filter(idempotency_key="one-key").count() == 1
    assert wallet_for(resident).balance == 90
