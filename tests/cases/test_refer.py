"""The ways a case leaves the loop besides 结案: 非网格事项转出 by the desk, 撤单 by its sender; and
the loop's rules that a sender's wishes change (no follow-up wanted, a confidential caller)."""

from collections.abc import Callable
from typing import Any

import pytest

from wangge.accounts.models import User
from wangge.cases.models import Case, Channel, Status
from wangge.cases.selectors import access_case, worker_queue
from wangge.cases.services import closing
from wangge.cases.services.gate import case_act
from wangge.cases.workflow import allowed_actions, caller_visible
from wangge.core.errors import ValidationFailed
from wangge.notifications.models import Notification


def act(case: Case, who: User, action: str, note: str = "", **params: Any) -> Case:
    return case_act(case_id=case.pk, actor=who, action=action, note=note, params=params)


def titles(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_the_desk_refers_a_returned_case_out_of_the_loop(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    case = act(case, people["worker_a"], "return", "属于法院执行事项")
    assert "refer" in allowed_actions(case, people["dispatcher"])
    assert "refer" not in allowed_actions(case, people["worker_a"])
    with pytest.raises(ValidationFailed):
        act(case, people["dispatcher"], "refer")  # a reason is required
    case = act(case, people["dispatcher"], "refer", "法院执行事项", unit="区人民法院")
    assert case.status == Status.REFERRED
    assert (case.handling_node, case.assignee, case.due_at, case.warn_at) == (None,) * 4
    row = case.events.get(action="refer")
    assert (row.note, row.data["unit"], row.data["returned_by"]) == (
        "法院执行事项",
        "区人民法院",
        "碧沙岗第1网格",
    )
    assert not worker_queue(people["worker_a"]).filter(pk=case.pk).exists()
    assert allowed_actions(case, people["dispatcher"]) == []


def test_a_case_in_a_grid_s_hands_is_not_referred_from_there(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    assert case.status == Status.DISPATCHED
    assert "refer" not in allowed_actions(case, people["dispatcher"])


def test_a_sender_s_withdrawal_voids_a_case_in_hand_and_tells_its_handler(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report(channel=Channel.HIGHER)
    act(case, people["worker_a"], "sign")
    case = act(case, people["dispatcher"], "withdraw", "上级已撤回交办")
    assert case.status == Status.VOIDED
    assert case.events.get(action="withdraw").from_status == Status.SIGNED
    assert "已撤单，请停止办理：" + case.title in titles(people["worker_a"])


def test_a_resident_s_report_is_not_withdrawn_by_the_desk(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    assert "withdraw" not in allowed_actions(case, people["dispatcher"])
    assert "progress" not in allowed_actions(case, people["worker_a"])


def test_a_progress_reply_is_offered_on_a_hotline_case(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report(channel=Channel.HOTLINE, external_id="ZZ-P1", actor=people["admin"])
    assert "progress" in allowed_actions(case, people["worker_a"])
    act(case, people["worker_a"], "sign")
    with pytest.raises(ValidationFailed):
        act(case, people["worker_a"], "progress")
    case = act(case, people["worker_a"], "progress", "已约物业明日处理")
    assert case.status == Status.SIGNED
    assert case.events.get(action="progress").note == "已约物业明日处理"


def test_a_sender_who_wants_no_call_back_has_the_case_closed_at_verification(
    people: dict[str, User], report: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = report(channel=Channel.HIGHER, reporter_phone="13937112345")
    monkeypatch.setattr(
        closing, "_followup_waivers", [lambda c: "来件方无需回访" if c.pk == case.pk else ""]
    )
    act(case, people["worker_a"], "sign")
    act(case, people["worker_a"], "resolve", result="已处理")
    case = act(case, people["dispatcher"], "verify_pass")
    assert case.status == Status.CLOSED
    assert case.events.get(action="verify_pass").data["followup_waived"] == "来件方无需回访"


def test_a_confidential_caller_is_the_desk_s_alone(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report(
        channel=Channel.HOTLINE,
        external_id="ZZ-S1",
        reporter_name="李桂兰",
        reporter_phone="13937112345",
        actor=people["admin"],
    )
    Case.objects.filter(pk=case.pk).update(is_confidential=True)
    case.refresh_from_db()
    assert caller_visible(case, people["dispatcher"]) and caller_visible(case, people["admin"])
    for who in ("worker_a", "community", "grid_leader_a"):
        assert not caller_visible(case, people[who])
        shown = access_case(people[who], case.pk)
        assert (shown.reporter_name, shown.reporter_phone_masked, shown.reporter_phone) == (
            "",
            "",
            "",
        )
        assert not shown.has_reporter_phone
    seen = access_case(people["dispatcher"], case.pk)
    assert (seen.reporter_name, seen.reporter_phone_masked) == ("李桂兰", "139****2345")
    # The worker's action answers a blank copy, but the row keeps the caller.
    answered = act(case, people["worker_a"], "sign")
    assert answered.reporter_name == ""
    case.refresh_from_db()
    assert case.reporter_name == "李桂兰" and case.status == Status.SIGNED


def test_the_api_refers_with_the_receiving_unit(
    people: dict[str, User], report: Callable[..., Case], client: Any
) -> None:
    case = act(report(), people["worker_a"], "return", "属于法院执行事项")
    client.force_login(people["dispatcher"])
    resp = client.post(
        f"/api/v1/cases/{case.pk}/actions",
        {"action": "refer", "note": "法院执行事项", "unit": "区人民法院"},
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] == Status.REFERRED
    assert case.events.get(action="refer").data["unit"] == "区人民法院"
