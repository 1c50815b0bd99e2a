"""Certified volunteer hours this month for the demo community's party members and residents, so
the party organisations' honour list (certified hours per member) and the dashboard's volunteer
panel have figures for the current week, month and year.

Tasks are published and grabbed through the volunteering services; the morning then "happens"
(times moved back, check-ins written as the scanner would, as `volunteering.demo` does for its
finished task), and the organiser certifies each person's hours with `hours_decide`, the one
path that pays and that the honour lists read."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.demo.cast import demo_nodes
from wangge.grids.models import GridLevel, GridNode
from wangge.party.models import MemberStatus, PartyMember
from wangge.points.services import points_budget
from wangge.volunteering.models import CheckIn, SignUp, Task, TaskEvent
from wangge.volunteering.services import (
    TaskInput,
    hours_decide,
    task_create,
    task_grab,
    task_publish,
)

# title, category, place, hours, description, certify as adjusted (hours) or None
SERVICES = [
    ("敬老院陪伴老人", "care", "中原区社会福利院", 3, "陪老人聊天、读报、做手工。", None),
    ("夜间平安巡逻", "safety", "社区各楼院及周边道路", 2, "检查消防通道，提醒居民关好门窗。", None),
    ("社区环境整治", "environment", "社区各楼院", 2, "清理卫生死角和楼道杂物。", Decimal("1.5")),
]


@dataclass
class HoursReport:
    tasks: int = 0
    certified: int = 0


def _window(days_back: int, length_h: int) -> tuple[datetime, datetime]:
    """A morning earlier this month (today's, if the month has just begun), ending at least
    an hour ago. Seeded in the first hours of the 1st, that is still last month's evening: the
    month's board fills with the next service certified."""
    now = timezone.localtime()
    back = min(days_back, now.day - 1)
    end = (now - timedelta(days=back)).replace(hour=11, minute=0, second=0, microsecond=0)
    end = min(end, now - timedelta(hours=1))
    return end - timedelta(hours=length_h), end


# The shortest service since midnight worth showing this week: seeded in the first minutes of
# a Monday (or of the 1st), the service is last week's instead.
_SHORTEST = timedelta(minutes=15)


def _this_week_window(length_h: int) -> tuple[datetime, datetime]:
    """A service that began this week and this month and is over: the dashboard's weekly panel
    and the month's boards both show hours whatever day the demo is seeded. Early on a Monday
    (or the 1st) it is a short one since midnight; in the first minutes, last week's."""
    now = timezone.localtime()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    floor = max(today - timedelta(days=now.weekday()), today.replace(day=1))
    end = now - timedelta(hours=1)
    start = end - timedelta(hours=length_h)
    if start < floor and now - floor >= _SHORTEST:
        start = floor + timedelta(minutes=1)
        end = max(min(start + timedelta(hours=length_h), now - timedelta(minutes=1)), start)
    return start, end


def _volunteers(community: GridNode) -> list[User]:
    """Verified party members registered with the community, then its residents with accounts."""
    members = list(
        User.objects.filter(
            party_member__status=MemberStatus.VERIFIED,
            grants__node__path__startswith=community.path,
        )
        .distinct()
        .order_by("phone")
    )
    residents = list(
        User.objects.filter(
            grants__role=Role.RESIDENT, grants__node__path__startswith=community.path
        )
        .exclude(pk__in=[m.pk for m in members])
        .distinct()
        .order_by("phone")[:6]
    )
    return members + residents


def _happened(task: Task, start: datetime, end: datetime) -> None:
    """The task took place in [start, end): finished, everyone checked in and out by QR."""
    Task.objects.filter(pk=task.pk).update(
        starts_at=start, ends_at=end, status=Task.Status.FINISHED
    )
    TaskEvent.objects.create(
        task=task, action=TaskEvent.Action.FINISH, from_status="published", to_status="finished"
    )
    signups = list(SignUp.objects.filter(task=task).order_by("id"))
    # Arrivals three minutes apart and departures two, squeezed into a short window (a
    # service since midnight) so that everyone is in before anyone leaves.
    squeeze = min(1.0, (end - start) / (timedelta(minutes=6) * (len(signups) + 1)))
    for n, signup in enumerate(signups):
        arrived = start + timedelta(minutes=3 * n) * squeeze
        CheckIn.objects.create(
            signup=signup,
            day=timezone.localdate(arrived),
            checked_in_at=arrived,
            method=CheckIn.Method.QR,
            checked_out_at=end - timedelta(minutes=2 * n) * squeeze,
        )


@transaction.atomic
def seed_hours() -> HoursReport:
    nodes = demo_nodes()
    community = nodes["community"]
    staff = User.objects.filter(grants__role=Role.COMMUNITY_STAFF, grants__node=community).first()
    micro = (
        GridNode.objects.filter(level=GridLevel.MICRO, path__startswith=community.path)
        .exclude(centroid_lon=None)
        .order_by("code")
        .first()
    )
    report = HoursReport()
    people = _volunteers(community)
    if staff is None or micro is None or not people:
        return report
    assert micro.centroid_lon is not None and micro.centroid_lat is not None
    for i, (title, category, place, length, text, adjusted) in enumerate(SERVICES):
        # Published for a future morning so people can sign up, then moved back below.
        later = timezone.now() + timedelta(days=20 + i)
        task = task_create(
            organiser=staff,
            data=TaskInput(
                kind=Task.Kind.TASK,
                publisher_kind=Task.PublisherKind.PARTY_ORG,
                publisher_name=f"{community.name}党委",
                title=title,
                description=text,
                category=category,
                place=place,
                lon=micro.centroid_lon,
                lat=micro.centroid_lat,
                starts_at=later,
                ends_at=later + timedelta(hours=length),
                slots=len(people),
                circle_tag="志愿圈",
            ),
        )
        task = task_publish(task_id=task.pk, actor=staff)
        assert task.issuer is not None
        points_budget(
            issuer=task.issuer, amount=20_000, key=f"demo-hours-budget:{task.issuer.name}"
        )
        report.tasks += 1
        # Each service drew a different part of the group, as real mornings do.
        takers = [p for n, p in enumerate(people) if (n + i) % 3 != 2]
        for person in takers:
            task_grab(task_id=task.pk, user=person)
        if i == 0:
            start, end = _this_week_window(length)
        else:
            start, end = _window(days_back=2 + 3 * i, length_h=length)
        _happened(task, start, end)
        for signup in SignUp.objects.filter(task=task).order_by("id"):
            hours_decide(
                signup_id=signup.pk,
                actor=staff,
                decision=SignUp.Hours.ADJUSTED if adjusted else SignUp.Hours.CONFIRMED,
                hours=adjusted,
                note="提前结束，按实际时长认定" if adjusted else "",
            )
            report.certified += 1
    return report


def seeded_members() -> int:
    """How many verified party members have certified hours (for the seed's report)."""
    return (
        PartyMember.objects.filter(
            status=MemberStatus.VERIFIED, user__signups__hours_status__in=["confirmed", "adjusted"]
        )
        .distinct()
        .count()
    )
