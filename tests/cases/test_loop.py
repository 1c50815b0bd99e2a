"""The closed loop, action by action, with who may act and the timeline it leaves."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.cases.conftest import IN_A1
from wangge.cases.models import Assistance, Case, Status
from wangge.cases.services import ActionNotAllowed, case_act
from wangge.cases.workflow import ACTORS, TRANSITIONS, Action, Actor, allowed_actions
from wangge.core.errors import NotFound, ValidationFailed
from wangge.notifications.models import Notification


def act(case: Case, who: Any, action: str, note: str = "", **params: Any) -> Case:
    return case_act(case_id=case.pk, actor=who, action=action, note=note, params=params)


def test_whole_loop_from_report_to_closure(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    resident, worker, dispatcher = people["resident"], people["worker_a"], people["dispatcher"]
    case = report()
    case = act(case, worker, "sign")
    assert case.status == Status.SIGNED and case.signed_at is not None
    case = act(case, worker, "contact", "已电话联系王阿姨")
    assert case.contacted_at is not None and case.status == Status.SIGNED
    case = act(case, worker, "resolve", result="已劝离摊贩，恢复通行")
    assert case.status == Status.RESOLVED and case.closed_on_time is True
    # The handler does not verify their own work.
    assert "verify_pass" not in allowed_actions(case, worker)
    case = act(case, dispatcher, "verify_pass")
    assert case.status == Status.VERIFIED
    case = act(
        case,
        dispatcher,
        "follow_up",
        "回访满意",
        reached=True,
        contacted=True,
        solved=True,
        satisfaction="satisfied",
    )
    assert case.status == Status.CLOSED and case.satisfaction == "satisfied"
    steps = list(case.events.values_list("action", "from_status", "to_status"))
    assert steps == [
        ("intake", "", "pending"),
        ("route", "pending", "dispatched"),
        ("sign", "dispatched", "signed"),
        ("contact", "signed", "signed"),
        ("resolve", "signed", "resolved"),
        ("verify_pass", "resolved", "verified"),
        ("follow_up", "verified", "closed"),
    ]
    # The resident saw each step in plain words.
    titles = list(
        Notification.objects.filter(recipient=resident)
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert titles[0].startswith("您反映的问题已受理")
    assert "碧沙岗第1网格已签收，正在处理" in titles
    assert titles[-1] == "已结案"
    assert Notification.objects.filter(recipient=worker, title__startswith="新派单").count() == 1


def test_unanswered_follow_up_keeps_the_case_waiting(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    for who, action, kw in (
        (people["worker_a"], "sign", {}),
        (people["worker_a"], "resolve", {"result": "好了"}),
        (people["dispatcher"], "verify_pass", {}),
    ):
        case = act(case, who, action, **kw)
    case = act(case, people["dispatcher"], "follow_up", "无人接听", reached=False)
    assert case.status == Status.VERIFIED and case.followup_at is None


# Every action from every state: allowed exactly where the table says, 409 elsewhere.
ACTOR_FOR = {
    Actor.DISPATCHER: "dispatcher",
    Actor.HANDLER: "worker_a",
    Actor.SUPERVISOR: "community",
    Actor.REPORTER: "resident",
    Actor.DEPARTMENT: "cgj",
}


@pytest.mark.parametrize("status", [s.value for s in Status])
def test_every_action_from_every_state(
    status: str, people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    parent = report() if status == Status.MERGED else None
    Case.objects.filter(pk=case.pk).update(status=status, parent=parent)
    case.refresh_from_db()
    for action, (sources, _target) in TRANSITIONS.items():
        if action in (
            Action.DEPT_SIGN,
            Action.DEPT_REPORT,
            Action.WHISTLE,
            Action.APPROVE_EXTENSION,
            Action.REJECT_EXTENSION,
            Action.WITHDRAW,
            Action.PROGRESS,
        ):
            # Need a whistle or a pending request first (tested on their own below), or an
            # order from a sender who withdraws or awaits replies (tests/cases/test_refer.py).
            continue
        who = people[ACTOR_FOR[sorted(ACTORS[action])[0]]]
        if action == Action.REOPEN:
            who = people["dispatcher"]
        allowed = allowed_actions(case, who)
        if status in sources:
            assert action in allowed, (action, status)
        else:
            assert action not in allowed, (action, status)
            with pytest.raises(ActionNotAllowed) as info:
                act(case, who, action, "说明", result="结果", node="410102001002001")
            assert info.value.status_code == 409
            assert info.value.allowed == allowed


def test_people_of_another_grid_cannot_see_or_act(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    with pytest.raises(NotFound):
        act(case, people["worker_b"], "sign")
    with pytest.raises(NotFound):
        act(case, people["outsider"], "sign")


def test_resident_cannot_act_as_staff(people: dict[str, Any], report: Callable[..., Case]) -> None:
    case = report()
    assert allowed_actions(case, people["resident"]) == []
    with pytest.raises(ActionNotAllowed):
        act(case, people["resident"], "sign")


def test_return_needs_a_reason_and_goes_back_to_the_desk(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    with pytest.raises(ValidationFailed, match="请填写退单原因"):
        act(case, people["worker_a"], "return")
    case = act(case, people["worker_a"], "return", "不属于本网格，应为B网格")
    assert case.status == Status.RETURNED and case.assignee is None
    assert Notification.objects.filter(
        recipient=people["dispatcher"], title__startswith="退单"
    ).exists()
    case = act(case, people["dispatcher"], "dispatch", node="410102001002002")
    assert case.status == Status.DISPATCHED and case.assignee == people["worker_b"]


def test_escalate_then_whistle_two_departments(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    case = act(case, people["worker_a"], "escalate", "涉及多户，网格无法解决")
    assert (case.handling_level, case.assignee) == ("community", people["community"])
    case = act(case, people["community"], "escalate", "需要部门联合执法")
    assert case.handling_level == "street" and case.tier == "difficult"
    case = act(case, people["dispatcher"], "sign")
    case = act(
        case, people["dispatcher"], "whistle", "请城管、住建报到", lead="CGJ", assist=["ZJJ"]
    )
    leads = dict(case.assistances.values_list("department__code", "role"))
    assert leads == {"CGJ": "lead", "ZJJ": "assist"}
    with pytest.raises(ValidationFailed, match="主办部门城管局尚未反馈"):
        act(case, people["dispatcher"], "resolve", result="已处理")
    act(case, people["zjj"], "dept_sign")
    act(case, people["zjj"], "dept_report", "已核查房屋结构安全")
    act(case, people["cgj"], "dept_sign")
    case = act(case, people["cgj"], "dept_report", "已拆除违建摊棚")
    assert set(case.assistances.values_list("state", flat=True)) == {Assistance.State.REPORTED}
    case = act(case, people["dispatcher"], "resolve", result="城管牵头、住建配合，已处理完毕")
    case = act(case, people["dispatcher"], "verify_pass")
    case = act(
        case,
        people["dispatcher"],
        "follow_up",
        reached=True,
        contacted=True,
        solved=True,
        satisfaction="basic",
    )
    assert case.status == Status.CLOSED


def test_verify_fail_sends_it_back_for_rework(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    act(case, people["worker_a"], "sign")
    act(case, people["worker_a"], "resolve", result="已处理")
    case = act(case, people["community"], "verify_fail", "现场仍有摊位")
    assert case.status == Status.SIGNED and case.rework_count == 1 and case.resolved_at is None


def test_reopen_by_the_reporter_only_within_seven_days(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    for who, action, kw in (
        (people["worker_a"], "sign", {}),
        (people["worker_a"], "resolve", {"result": "好了"}),
        (people["dispatcher"], "verify_pass", {}),
        (
            people["dispatcher"],
            "follow_up",
            {"reached": True, "contacted": True, "solved": False, "satisfaction": "dissatisfied"},
        ),
    ):
        case = act(case, who, action, **kw)
    assert allowed_actions(case, people["resident"]) == ["reopen"]
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=8))
    case.refresh_from_db()
    assert allowed_actions(case, people["resident"]) == []
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now())
    case = act(case, people["resident"], "reopen", "摊贩又回来了")
    assert case.status == Status.DISPATCHED and case.reopen_count == 1 and case.satisfaction == ""


def test_merge_duplicates_into_one_case(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    first = report()
    second = report("门口又有人摆摊", at=None, address="火星路1号")  # pending, unplaceable
    # Nowhere to place it: it waits in the district's queue, for district-level staff.
    assert act_allowed(second, people["dispatcher"]) is False
    merged = act(second, people["admin"], "merge", parent=first.number)
    assert merged.status == Status.MERGED and merged.parent == first
    assert first.events.filter(action="merged_in").exists()


def test_void_needs_a_reason(people: dict[str, Any], report: Callable[..., Case]) -> None:
    case = report(at=None, address="火星路1号")
    with pytest.raises(ValidationFailed):
        act(case, people["admin"], "void")
    assert act(case, people["admin"], "void", "重复来电").status == Status.VOIDED


def act_allowed(case: Case, who: Any) -> bool:
    try:
        return bool(allowed_actions(case, who)) and services_can_view(case, who)
    except NotFound:
        return False


def services_can_view(case: Case, who: Any) -> bool:
    from wangge.cases.workflow import can_view

    return can_view(case, who)


def test_supervise_and_urge_reach_the_handler(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    case = act(case, people["dispatcher"], "supervise", "请今日内处理")
    assert case.supervised
    act(case, people["community"], "urge", "居民再次来电")
    titles = set(
        Notification.objects.filter(recipient=people["worker_a"]).values_list("title", flat=True)
    )
    assert {f"督办：{case.title}", f"催办：{case.title}"} <= titles


def test_patrol_finding_closed_on_the_spot(people: dict[str, Any]) -> None:
    from wangge.cases.services import CaseInput, patrol_self_handle

    case = patrol_self_handle(
        data=CaseInput(description="巡查发现楼道堆放杂物", lon=IN_A1[0], lat=IN_A1[1]),
        actor=people["worker_a"],
        result="已当场清理",
    )
    assert case.status == Status.CLOSED and case.self_handled and case.channel == "patrol"
    from wangge.cases.services import CaseInput as CI

    with pytest.raises(ValidationFailed, match="不在您负责的网格内"):
        patrol_self_handle(
            data=CI(description="别的网格的问题", lon=113.607, lat=34.753),
            actor=people["worker_a"],
            result="已处理",
        )


def test_reporter_rates_the_result_in_the_app(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    for who, action, kw in (
        (people["worker_a"], "sign", {}),
        (people["worker_a"], "resolve", {"result": "已清理"}),
    ):
        case = act(case, who, action, **kw)
    assert "rate" not in allowed_actions(case, people["resident"])  # not before verification
    case = act(case, people["dispatcher"], "verify_pass")
    assert allowed_actions(case, people["resident"]) == ["rate"]
    assert "rate" not in allowed_actions(case, people["dispatcher"])  # the reporter's own voice
    case = act(
        case,
        people["resident"],
        "rate",
        "处理得很快，谢谢",
        contacted=True,
        solved=True,
        satisfaction="satisfied",
    )
    assert case.status == Status.CLOSED
    assert (case.followup_contacted, case.followup_solved, case.satisfaction) == (
        True,
        True,
        "satisfied",
    )
    assert case.followup_note == "处理得很快，谢谢"
