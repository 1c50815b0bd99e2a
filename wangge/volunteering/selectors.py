"""Reads of 志愿服务.

`confirmed_hours` and `service_records` are the public contract other apps (party statements,
honour lists) read hours through: only hours an organiser certified count, and a sign-up belongs
to the period its service happened in (`served_at`, half-open [start, end)).
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope, path_in_scope
from wangge.grids.coords import distance_m
from wangge.grids.selectors import nearness
from wangge.points.models import EarningRule
from wangge.points.selectors import hourly_rule_code
from wangge.volunteering.models import SignUp, Task

CERTIFIED = (SignUp.Hours.CONFIRMED, SignUp.Hours.ADJUSTED)


class ServiceRecord(NamedTuple):
    user_id: int
    task_id: int
    task_title: str
    category: str
    hours: Decimal
    confirmed_at: datetime


def _certified(start: datetime, end: datetime, user_ids: Iterable[int] | None) -> QuerySet[SignUp]:
    qs = SignUp.objects.filter(
        hours_status__in=CERTIFIED,
        hours__gt=0,
        served_at__gte=start,
        served_at__lt=end,
    ).exclude(status=SignUp.Status.CANCELLED)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return qs


def confirmed_hours(
    *, start: datetime, end: datetime, user_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """Organiser-certified hours per person for service in [start, end); people without any
    are absent from the result."""
    rows = (
        _certified(start, end, user_ids)
        .values("user_id")
        .annotate(total=Sum("hours"))
        .values_list("user_id", "total")
    )
    return {uid: Decimal(total) for uid, total in rows}


def service_records(
    *, start: datetime, end: datetime, user_ids: Iterable[int] | None = None
) -> list[ServiceRecord]:
    """Each certified piece of service in [start, end), oldest service first."""
    rows = (
        _certified(start, end, user_ids)
        .order_by("served_at", "id")
        .values_list("user_id", "task_id", "task__title", "task__category", "hours", "confirmed_at")
    )
    return [
        ServiceRecord(uid, tid, title, category, hours or Decimal(0), confirmed_at or end)
        for uid, tid, title, category, hours, confirmed_at in rows
    ]


# Tasks a resident may see and grab.
OPEN_STATUSES = (Task.Status.PUBLISHED, Task.Status.ONGOING)
# A person's sign-up that still holds (or waits for) a place.
OPEN_SIGNUP = (SignUp.Status.SIGNED, SignUp.Status.WAITLISTED)


def party_activities_held(
    *, publisher_name: str, path_prefix: str, start: datetime, end: datetime
) -> int:
    """How many tasks and activities a party organisation published under its own name held in
    [start, end) within `path_prefix` of the grid tree: begun and not cancelled (the 五星支部
    rating counts them)."""
    return Task.objects.filter(
        publisher_kind=Task.PublisherKind.PARTY_ORG,
        publisher_name=publisher_name,
        grid_path__startswith=path_prefix,
        status__in=(Task.Status.ONGOING, Task.Status.FINISHED, Task.Status.SETTLED),
        starts_at__gte=start,
        starts_at__lt=end,
    ).count()


def open_signup(task_id: int, user: User) -> SignUp | None:
    return SignUp.objects.filter(task_id=task_id, user=user, status__in=OPEN_SIGNUP).first()


# Only table names from the models are formatted in; every value is a parameter. The EXISTS is
# `open_signup` in SQL: the two must agree.
_OPEN_SIGNUP_MARKS = ", ".join(["%s"] * len(OPEN_SIGNUP))
FULL_TASK_SQL = (
    f"SELECT t.status, t.taken, t.slots, EXISTS (SELECT 1 FROM {SignUp._meta.db_table} s"  # noqa: S608
    f" WHERE s.task_id = t.id AND s.user_id = %s AND s.status IN ({_OPEN_SIGNUP_MARKS}))"
    f" FROM {Task._meta.db_table} t WHERE t.id = %s"
)


def seen_full(task_id: int, user_id: int) -> bool:
    """Whether the task is open, full, and not already the person's: a late grab's answer in
    one read. Plain SQL, because building this query through the ORM costs twice what running
    it does, and this is the hottest path of the platform."""
    with connection.cursor() as cur:
        cur.execute(FULL_TASK_SQL, [user_id, *OPEN_SIGNUP, task_id])
        row = cur.fetchone()
    if row is None:
        return False
    status, taken, slots, mine = row
    return status in OPEN_STATUSES and taken >= slots and not mine


VISIBLE_STATUSES = (
    Task.Status.PUBLISHED,
    Task.Status.ONGOING,
    Task.Status.FINISHED,
    Task.Status.SETTLED,
)


def open_tasks(*, kind: str = "", near: tuple[float, float] | None = None) -> QuerySet[Task]:
    """Published and ongoing tasks that have not ended: nearest first when a point is given,
    else soonest first. The order is the database's, so a page of the list is one query."""
    qs = Task.objects.filter(status__in=OPEN_STATUSES, ends_at__gt=timezone.now())
    if kind:
        qs = qs.filter(kind=kind)
    if near is None:
        return qs.order_by("starts_at", "id")
    return qs.annotate(nearness=nearness(*near)).order_by("nearness", "starts_at", "id")


def with_distance(
    tasks: Iterable[Task], near: tuple[float, float] | None
) -> list[tuple[Task, float | None]]:
    """Each task with its distance in metres from `near` (None without a point)."""
    if near is None:
        return [(t, None) for t in tasks]
    return [(t, distance_m(near[0], near[1], t.lon, t.lat)) for t in tasks]


def access_task(user: User, task_id: int) -> Task:
    """A task anyone signed in may read once it is public; drafts and pending ones only for
    their organiser and the staff whose subtree holds them."""
    task = Task.objects.select_related("organiser", "grid").filter(pk=task_id).first()
    if task is None:
        raise NotFound("该任务不存在")
    if task.status in VISIBLE_STATUSES or task.status == Task.Status.CANCELLED:
        return task
    if can_manage(user, task):
        return task
    raise NotFound("该任务不存在")


def can_manage(user: User, task: Task) -> bool:
    """The organiser, and staff (community staff, org admins …) whose subtree holds the task."""
    if not user.is_authenticated:
        return False
    if task.organiser_id == user.pk:
        return True
    return user.is_grid_staff and path_in_scope(user, task.grid_path)


def tasks_managed(user: User) -> QuerySet[Task]:
    """Tasks a person organises, plus those in their subtree if they are staff."""
    q = Q(organiser=user)
    if user.is_grid_staff:
        scoped = in_scope(user, Task.objects.all(), "grid_path")
        q |= Q(pk__in=scoped.values("pk"))
    return Task.objects.filter(q).select_related("organiser").order_by("-starts_at", "-id")


def tasks_to_approve(user: User) -> QuerySet[Task]:
    if not user.is_grid_staff:
        return Task.objects.none()
    return (
        in_scope(user, Task.objects.filter(status=Task.Status.PENDING), "grid_path")
        .select_related("organiser")
        .order_by("starts_at", "id")
    )


def rule_code_for(task: Task, rules: dict[str, EarningRule] | None = None) -> str | None:
    """The earning rule that pays this task's volunteers, or None when it pays nothing."""
    if task.points_rule == Task.PointsRule.NONE:
        return None
    if task.points_rule == Task.PointsRule.FIXED:
        return "activity_join" if task.is_activity else "volunteer_task"
    return hourly_rule_code(
        str(task.get_category_display()), None if rules is None else rules.values()
    )


def earning_rules() -> dict[str, EarningRule]:
    """Every rule by code, in the model's order: read once for a list of tasks."""
    return {r.code: r for r in EarningRule.objects.all()}


def earning_rule_for(task: Task, rules: dict[str, EarningRule] | None = None) -> EarningRule | None:
    code = rule_code_for(task, rules)
    if code is None:
        return None
    if rules is not None:
        return rules.get(code)
    return EarningRule.objects.filter(code=code).first()


def my_signups(user: User) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(user=user).select_related("task").order_by("-task__starts_at", "-id")
    )


def my_open_signup(user: User, task: Task) -> SignUp | None:
    if not user.is_authenticated:
        return None
    return (
        SignUp.objects.filter(task=task, user=user, status__in=OPEN_SIGNUP)
        .prefetch_related("checkins")
        .first()
    )


def waitlist_position(signup: SignUp) -> int:
    return (
        SignUp.objects.filter(
            task_id=signup.task_id,
            status=SignUp.Status.WAITLISTED,
            created_at__lte=signup.created_at,
        )
        .filter(Q(created_at__lt=signup.created_at) | Q(pk__lte=signup.pk))
        .count()
    )


def roster(task: Task) -> QuerySet[SignUp]:
    return (
        task.signups.exclude(status=SignUp.Status.CANCELLED)
        .select_related("user", "hours_by")
        .prefetch_related("checkins")
        .order_by("status", "created_at", "id")
    )
