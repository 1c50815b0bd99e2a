"""The volunteer task loop as its people live it: publish, approve, grab, wait, check in and
out, and the organiser certifying hours that pay 活力值 once."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from tests.conftest import COMMUNITY, MICRO_A1
from tests.volunteering.conftest import PLACE_LAT, PLACE_LON, at
from wangge.accounts.models import Role, User
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.grids.models import GridNode
from wangge.notifications.models import Notification
from wangge.points.models import Account
from wangge.points.services import points_budget, wallet_for
from wangge.volunteering import checkin_codes, presence, selectors, services
from wangge.volunteering.models import CheckIn, HoursDecision, SignUp, Task

BEFORE = at(24, 12)  # the day before the task (25th, 09:00–11:00)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


def task_input(**overrides: object) -> services.TaskInput:
    values: dict[str, object] = {
        "kind": "task",
        "publisher_kind": "social_org",
        "publisher_name": "碧沙岗社区志愿者协会",
        "title": "碧沙岗公园周边环境整治",
        "place": "碧沙岗公园北门",
        "lon": PLACE_LON,
        "lat": PLACE_LAT,
        "starts_at": at(25, 9),
        "ends_at": at(25, 11),
        "slots": 2,
        "category": "environment",
        "checkin_method": "either",
        "geofence_m": 100,
    }
    values.update(overrides)
    return services.TaskInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def published(cast: dict[str, User], clock: time_machine.Traveller) -> Callable[..., Task]:
    def make(**overrides: object) -> Task:
        task = services.task_create(organiser=cast["community"], data=task_input(**overrides))
        task = services.task_publish(task_id=task.pk, actor=cast["community"])
        assert task.issuer is not None
        points_budget(issuer=task.issuer, amount=1000, key=f"budget-{task.pk}")
        return task

    return make


def test_an_organisations_task_is_placed_in_its_micro_grid_and_published(
    published: Callable[..., Task], tree: dict[str, GridNode]
) -> None:
    task = published()
    assert task.status == Task.Status.PUBLISHED
    assert task.grid == tree[MICRO_A1]
    assert task.issuer is not None and task.issuer.kind == Account.Kind.ISSUER
    assert [e.action for e in task.events.all()] == ["create", "publish"]


def test_a_place_outside_every_grid_is_refused(
    cast: dict[str, User], clock: time_machine.Traveller
) -> None:
    with pytest.raises(ValidationFailed, match="不在本区网格内"):
        services.task_create(organiser=cast["community"], data=task_input(lon=120.0, lat=30.0))


def test_a_resident_may_not_publish_in_an_organisations_name(
    cast: dict[str, User], clock: time_machine.Traveller
) -> None:
    with pytest.raises(PermissionDenied):
        services.task_create(organiser=cast["resident"], data=task_input())


def test_an_individuals_task_waits_for_community_staff(
    cast: dict[str, User], clock: time_machine.Traveller
) -> None:
    task = services.task_create(
        organiser=cast["resident"],
        data=task_input(publisher_kind="individual", publisher_name=""),
    )
    assert task.publisher_name == "王秀兰"
    task = services.task_publish(task_id=task.pk, actor=cast["resident"])
    assert task.status == Task.Status.PENDING
    assert Notification.objects.filter(
        recipient=cast["community"], title__contains="待审核"
    ).exists()
    # Not visible to other residents, and no one can grab it yet.
    with pytest.raises(NotFound):
        selectors.access_task(cast["outsider"], task.pk)
    with pytest.raises(NotFound):
        services.task_grab(task_id=task.pk, user=cast["outsider"])
    # A grid worker is staff but not an approver; an outsider is nobody here.
    for who in ("worker_a", "outsider"):
        with pytest.raises(NotFound):
            services.task_review(task_id=task.pk, actor=cast[who], approve=True)
    with pytest.raises(ValidationFailed, match="原因"):
        services.task_review(task_id=task.pk, actor=cast["community"], approve=False)
    task = services.task_review(task_id=task.pk, actor=cast["community"], approve=True)
    assert task.status == Task.Status.PUBLISHED
    assert task.approved_by == cast["community"]
    assert task.issuer is not None and task.issuer.name == "碧沙岗社区志愿服务"


def test_grab_until_full_then_waitlist(
    published: Callable[..., Task], make_user: Callable[..., User]
) -> None:
    task = published(slots=2)
    a, b, c = (make_user(name=n) for n in ("甲", "乙", "丙"))
    first, created = services.task_grab(task_id=task.pk, user=a)
    assert created and first.status == SignUp.Status.SIGNED
    again, created = services.task_grab(task_id=task.pk, user=a)
    assert (again.pk, created) == (first.pk, False)
    services.task_grab(task_id=task.pk, user=b)
    with pytest.raises(Conflict, match="名额已满"):
        services.task_grab(task_id=task.pk, user=c)
    waiting, created = services.task_grab(task_id=task.pk, user=c, waitlist=True)
    assert created and waiting.status == SignUp.Status.WAITLISTED
    assert selectors.waitlist_position(waiting) == 1
    task.refresh_from_db()
    assert (task.taken, task.free_slots) == (2, 0)

    # b withdraws before the start: c is promoted and told.
    services.signup_cancel(task_id=task.pk, user=b)
    waiting.refresh_from_db()
    task.refresh_from_db()
    assert waiting.status == SignUp.Status.SIGNED
    assert task.taken == 2
    assert Notification.objects.filter(recipient=c, title__startswith="候补成功").exists()


def test_overlapping_tasks_cannot_both_be_grabbed(
    published: Callable[..., Task], make_user: Callable[..., User]
) -> None:
    morning = published(title="早市秩序维护")
    overlapping = published(title="义诊引导", starts_at=at(25, 10), ends_at=at(25, 12))
    afternoon = published(title="下午巡逻", starts_at=at(25, 11), ends_at=at(25, 12))
    person = make_user(name="甲")
    services.task_grab(task_id=morning.pk, user=person)
    with pytest.raises(Conflict, match="早市秩序维护"):
        services.task_grab(task_id=overlapping.pk, user=person)
    services.task_grab(task_id=afternoon.pk, user=person)  # touching, not overlapping


def test_closed_tasks_refuse_grabs(
    published: Callable[..., Task],
    make_user: Callable[..., User],
    cast: dict[str, User],
    clock: time_machine.Traveller,
) -> None:
    task = published()
    services.task_cancel(task_id=task.pk, actor=cast["community"], reason="暴雨预警")
    with pytest.raises(Conflict, match="截止"):
        services.task_grab(task_id=task.pk, user=make_user())
    late = published(title="晚到的任务")
    clock.move_to(at(25, 11, 30))
    with pytest.raises(Conflict, match="截止"):
        services.task_grab(task_id=late.pk, user=make_user())


def test_cancelling_a_task_tells_everyone_signed_up(
    published: Callable[..., Task], make_user: Callable[..., User], cast: dict[str, User]
) -> None:
    task = published(slots=1)
    a, b = make_user(name="甲"), make_user(name="乙")
    services.task_grab(task_id=task.pk, user=a)
    services.task_grab(task_id=task.pk, user=b, waitlist=True)
    with pytest.raises(NotFound):
        services.task_cancel(task_id=task.pk, actor=cast["worker_b"], reason="不相干的人")
    services.task_cancel(task_id=task.pk, actor=cast["community"], reason="暴雨预警")
    for person in (a, b):
        n = Notification.objects.get(recipient=person)
        assert "已取消" in n.title and "暴雨预警" in n.body
    assert not SignUp.objects.filter(task=task).exclude(status="cancelled").exists()


def test_withdrawing_after_the_start_is_refused(
    published: Callable[..., Task], make_user: Callable[..., User], clock: time_machine.Traveller
) -> None:
    task = published()
    person = make_user()
    services.task_grab(task_id=task.pk, user=person)
    clock.move_to(at(25, 9, 5))
    with pytest.raises(Conflict, match="已开始"):
        services.signup_cancel(task_id=task.pk, user=person)


def test_check_in_by_the_rotating_code_or_inside_the_fence(
    published: Callable[..., Task], make_user: Callable[..., User], clock: time_machine.Traveller
) -> None:
    task = published()
    person = make_user()
    services.task_grab(task_id=task.pk, user=person)
    clock.move_to(at(25, 8))
    code = checkin_codes.current_code(task)
    with pytest.raises(Conflict, match="签到时间"):
        presence.checkin(task_id=task.pk, user=person, code=code)
    clock.move_to(at(25, 9, 0))
    code = checkin_codes.current_code(task)
    clock.move_to(at(25, 9, 1))  # one step later the previous code still works
    first = presence.checkin(task_id=task.pk, user=person, code=code)
    assert first.method == CheckIn.Method.QR
    with pytest.raises(Conflict, match="签退"):
        presence.checkin(task_id=task.pk, user=person, code=checkin_codes.current_code(task))
    clock.move_to(at(25, 9, 3))  # two steps later it does not
    with pytest.raises(ValidationFailed, match="过期"):
        presence.checkout(task_id=task.pk, user=person, code=code)
    # 500 m away is outside a 100 m fence; at the place it is inside.
    with pytest.raises(ValidationFailed, match="米以内"):
        presence.checkout(task_id=task.pk, user=person, lon=PLACE_LON + 0.0055, lat=PLACE_LAT)
    clock.move_to(at(25, 10))
    presence.checkout(task_id=task.pk, user=person, lon=PLACE_LON, lat=PLACE_LAT)
    signup = SignUp.objects.get(task=task, user=person)
    assert signup.recorded_hours == Decimal("0.98")  # 09:01–10:00


def test_at_most_three_check_ins_a_day(
    published: Callable[..., Task], make_user: Callable[..., User], clock: time_machine.Traveller
) -> None:
    task = published(checkin_method="geofence")
    person = make_user()
    services.task_grab(task_id=task.pk, user=person)
    here = {"lon": PLACE_LON, "lat": PLACE_LAT}
    for minute in (0, 10, 20):
        clock.move_to(at(25, 9, minute))
        presence.checkin(task_id=task.pk, user=person, **here)
        clock.move_to(at(25, 9, minute + 5))
        presence.checkout(task_id=task.pk, user=person, **here)
    clock.move_to(at(25, 9, 40))
    with pytest.raises(Conflict, match="最多签到 3 次"):
        presence.checkin(task_id=task.pk, user=person, **here)
    with pytest.raises(ValidationFailed, match="位置"):
        presence.checkin(task_id=task.pk, user=person)


def test_missing_check_out_is_closed_at_the_end_with_a_flag(
    published: Callable[..., Task],
    make_user: Callable[..., User],
    cast: dict[str, User],
    clock: time_machine.Traveller,
) -> None:
    task = published()
    person = make_user()
    services.task_grab(task_id=task.pk, user=person)
    clock.move_to(at(25, 9, 30))
    assert services.tasks_sweep() == {"started": 1, "finished": 0}
    presence.checkin(task_id=task.pk, user=person, lon=PLACE_LON, lat=PLACE_LAT)
    clock.move_to(at(25, 11, 1))
    assert services.tasks_sweep() == {"started": 0, "finished": 1}
    assert services.tasks_sweep() == {"started": 0, "finished": 0}  # once only
    c = CheckIn.objects.get()
    assert c.auto_closed and c.checked_out_at == at(25, 11)
    signup = SignUp.objects.get(task=task, user=person)
    assert signup.recorded_hours == Decimal("1.50")
    task.refresh_from_db()
    assert task.status == Task.Status.FINISHED
    assert Notification.objects.filter(
        recipient=cast["community"], title__startswith="请确认志愿时长"
    ).exists()


def _served(task: Task, person: User, clock: time_machine.Traveller) -> SignUp:
    services.task_grab(task_id=task.pk, user=person)
    clock.move_to(at(25, 9))
    presence.checkin(task_id=task.pk, user=person, lon=PLACE_LON, lat=PLACE_LAT)
    clock.move_to(at(25, 10, 30))
    presence.checkout(task_id=task.pk, user=person, lon=PLACE_LON, lat=PLACE_LAT)
    return SignUp.objects.get(task=task, user=person)


def test_confirming_hours_pays_once(
    published: Callable[..., Task],
    make_user: Callable[..., User],
    cast: dict[str, User],
    clock: time_machine.Traveller,
) -> None:
    task = published()
    person = make_user(name="甲")
    signup = _served(task, person, clock)
    with pytest.raises(NotFound):
        services.hours_decide(signup_id=signup.pk, actor=cast["worker_b"], decision="confirmed")
    with pytest.raises(NotFound):
        services.hours_decide(signup_id=signup.pk, actor=person, decision="confirmed")
    for _ in range(2):
        signup = services.hours_decide(
            signup_id=signup.pk, actor=cast["community"], decision="confirmed"
        )
    assert (signup.hours, signup.points) == (Decimal("1.50"), 15)
    assert wallet_for(person).balance == 15
    assert HoursDecision.objects.filter(signup=signup).count() == 1
    with pytest.raises(Conflict, match="不能更改"):
        services.hours_decide(
            signup_id=signup.pk,
            actor=cast["community"],
            decision="adjusted",
            hours=Decimal(2),
            note="多算",
        )
    assert wallet_for(person).balance == 15
    assert Notification.objects.filter(recipient=person, title__contains="获得活力值 15").exists()


def test_adjusting_and_declining_need_a_reason_and_keep_who_and_why(
    published: Callable[..., Task],
    make_user: Callable[..., User],
    cast: dict[str, User],
    clock: time_machine.Traveller,
) -> None:
    task = published(slots=3)
    a, b = make_user(name="甲"), make_user(name="乙")
    sa, sb = _served(task, a, clock), None
    clock.move_to(BEFORE)
    sb = _served(task, b, clock)
    boss = cast["community"]
    with pytest.raises(ValidationFailed, match="原因"):
        services.hours_decide(signup_id=sa.pk, actor=boss, decision="adjusted", hours=Decimal(2))
    with pytest.raises(ValidationFailed, match="不超过"):
        services.hours_decide(
            signup_id=sa.pk, actor=boss, decision="adjusted", hours=Decimal(3), note="x"
        )
    services.hours_decide(
        signup_id=sa.pk, actor=boss, decision="adjusted", hours=Decimal(2), note="提前到场布置"
    )
    with pytest.raises(ValidationFailed, match="原因"):
        services.hours_decide(signup_id=sb.pk, actor=boss, decision="declined")
    services.hours_decide(signup_id=sb.pk, actor=boss, decision="declined", note="未实际参与")
    rows = {
        d.signup.user.name: (d.decision, d.recorded_hours, d.hours, d.note, d.decided_by)
        for d in HoursDecision.objects.select_related("signup__user")
    }
    assert rows == {
        "甲": ("adjusted", Decimal("1.50"), Decimal("2.00"), "提前到场布置", boss),
        "乙": ("declined", Decimal("1.50"), Decimal("0.00"), "未实际参与", boss),
    }
    assert (wallet_for(a).balance, wallet_for(b).balance) == (20, 0)
    clock.move_to(at(25, 11, 5))
    services.tasks_sweep()
    task.refresh_from_db()
    assert task.status == Task.Status.SETTLED  # everyone decided


def test_an_empty_budget_refuses_the_decision_and_keeps_it_pending(
    cast: dict[str, User], make_user: Callable[..., User], clock: time_machine.Traveller
) -> None:
    task = services.task_create(
        organiser=cast["community"], data=task_input(publisher_name="没有预算的协会")
    )
    task = services.task_publish(task_id=task.pk, actor=cast["community"])
    person = make_user()
    signup = _served(task, person, clock)
    with pytest.raises(Conflict, match="预算不足"):
        services.hours_decide(signup_id=signup.pk, actor=cast["community"], decision="confirmed")
    signup.refresh_from_db()
    assert signup.hours_status == SignUp.Hours.PENDING
    assert not HoursDecision.objects.exists()


def test_an_activity_records_attendance_with_a_fixed_award(
    cast: dict[str, User], make_user: Callable[..., User], clock: time_machine.Traveller
) -> None:
    task = services.task_create(
        organiser=cast["community"],
        data=task_input(
            kind="activity",
            title="邻居节",
            category="culture",
            points_rule="fixed",
            slots=50,
        ),
    )
    task = services.task_publish(task_id=task.pk, actor=cast["community"])
    assert task.issuer is not None
    points_budget(issuer=task.issuer, amount=100, key="b")
    signup = _served(task, make_user(), clock)
    signup = services.hours_decide(
        signup_id=signup.pk, actor=cast["community"], decision="confirmed"
    )
    assert (signup.hours, signup.points) == (None, 5)
    # Attendance is not service hours.
    assert selectors.confirmed_hours(start=at(1, 0), end=at(30, 0)) == {}


def test_per_hour_activity_is_refused(cast: dict[str, User], clock: time_machine.Traveller) -> None:
    with pytest.raises(ValidationFailed, match="不计时长"):
        services.task_create(organiser=cast["community"], data=task_input(kind="activity"))


def test_certified_hours_reach_the_contract(
    published: Callable[..., Task],
    make_user: Callable[..., User],
    cast: dict[str, User],
    clock: time_machine.Traveller,
) -> None:
    person = make_user()
    signup = _served(published(), person, clock)
    services.hours_decide(signup_id=signup.pk, actor=cast["community"], decision="confirmed")
    assert selectors.confirmed_hours(start=at(25, 0), end=at(26, 0)) == {person.pk: Decimal("1.50")}
    (row,) = selectors.service_records(start=at(25, 0), end=at(26, 0), user_ids=[person.pk])
    assert (row.task_title, row.category, row.hours) == (
        "碧沙岗公园周边环境整治",
        "environment",
        Decimal("1.50"),
    )


def test_staff_of_another_grid_see_no_drafts(
    cast: dict[str, User],
    make_user: Callable[..., User],
    tree: dict[str, GridNode],
    clock: time_machine.Traveller,
) -> None:
    task = services.task_create(organiser=cast["community"], data=task_input())
    assert list(selectors.tasks_managed(cast["worker_a"])) == [task]
    assert list(selectors.tasks_managed(cast["worker_b"])) == []
    with pytest.raises(NotFound):
        selectors.access_task(cast["worker_b"], task.pk)
    assert selectors.access_task(cast["worker_a"], task.pk) == task
    other_staff = make_user(Role.COMMUNITY_STAFF, tree[COMMUNITY])
    assert list(selectors.tasks_to_approve(other_staff)) == []
    assert timedelta(0) < task.ends_at - task.starts_at


@pytest.mark.parametrize(
    ("status", "edit", "cancel", "decide"),
    [
        (Task.Status.DRAFT, True, True, False),
        (Task.Status.PENDING, True, True, False),
        (Task.Status.PUBLISHED, True, True, True),
        (Task.Status.ONGOING, False, True, True),
        (Task.Status.FINISHED, False, False, True),
        (Task.Status.SETTLED, False, False, False),
        (Task.Status.CANCELLED, False, False, False),
    ],
)
def test_the_organisers_buttons_follow_the_task_status(
    cast: dict[str, User],
    make_task: Callable[..., Task],
    status: str,
    edit: bool,
    cancel: bool,
    decide: bool,
) -> None:
    task = make_task(cast["community"], status=status, starts_at=at(20, 9))
    with time_machine.travel(at(20, 10), tick=False):
        organiser = cast["community"]
        assert services.can_edit(organiser, task) is edit
        assert services.can_cancel(organiser, task) is cancel
        assert services.can_decide_hours(organiser, task) is decide
        other = cast["worker_b"]  # staff of another grid manage nothing here
        assert not services.can_edit(other, task)
        assert not services.can_cancel(other, task)
        assert not services.can_decide_hours(other, task)
    with time_machine.travel(at(20, 8), tick=False):
        assert not services.can_decide_hours(cast["community"], task)  # not begun yet
