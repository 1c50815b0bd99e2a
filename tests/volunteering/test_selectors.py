"""The hours contract other apps read: only what an organiser certified, by when it happened."""

from collections.abc import Callable
from decimal import Decimal

from tests.volunteering.conftest import at
from wangge.accounts.models import User
from wangge.volunteering.models import SignUp, Task
from wangge.volunteering.selectors import confirmed_hours, service_records


def _signup(task: Task, user: User, status: str, hours: str | None, day: int) -> SignUp:
    return SignUp.objects.create(
        task=task,
        user=user,
        hours_status=status,
        hours=Decimal(hours) if hours is not None else None,
        served_at=at(day, 9),
        confirmed_at=at(day, 12) if status != "pending" else None,
    )


def test_only_certified_hours_in_the_period_count(
    cast: dict[str, User], make_user: Callable[..., User], make_task: Callable[..., Task]
) -> None:
    organiser, alice, bob = cast["community"], cast["resident"], make_user(name="李四")
    clean_up = make_task(organiser, title="清理楼道", category="environment")
    visit = make_task(organiser, title="探望独居老人", category="care")
    _signup(clean_up, alice, "confirmed", "2.00", day=3)
    _signup(visit, alice, "adjusted", "1.50", day=10)
    _signup(clean_up, bob, "declined", "0", day=3)  # refused: no hours
    _signup(visit, bob, "pending", None, day=10)  # not yet certified
    _signup(make_task(organiser, title="十二月巡逻"), bob, "confirmed", "3.00", day=30)

    november_first_half = {"start": at(1, 0), "end": at(16, 0)}
    assert confirmed_hours(**november_first_half) == {alice.pk: Decimal("3.50")}
    assert confirmed_hours(**november_first_half, user_ids=[bob.pk]) == {}
    # The end is exclusive, the start inclusive.
    assert confirmed_hours(start=at(10, 9), end=at(30, 9)) == {alice.pk: Decimal("1.50")}

    rows = service_records(**november_first_half)
    assert [(r.user_id, r.task_title, r.category, r.hours) for r in rows] == [
        (alice.pk, "清理楼道", "environment", Decimal("2.00")),
        (alice.pk, "探望独居老人", "care", Decimal("1.50")),
    ]
    assert rows[0].task_id == clean_up.pk
    assert rows[0].confirmed_at == at(3, 12)


def test_a_cancelled_signup_never_counts(
    cast: dict[str, User], make_task: Callable[..., Task]
) -> None:
    task = make_task(cast["community"])
    s = _signup(task, cast["resident"], "confirmed", "2.00", day=5)
    SignUp.objects.filter(pk=s.pk).update(status=SignUp.Status.CANCELLED)
    assert confirmed_hours(start=at(1, 0), end=at(30, 0)) == {}
