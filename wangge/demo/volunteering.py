"""Demo 志愿服务 for the 中原区 demo district: a week of tasks and community activities around the
demo community, one finished task waiting for its organiser to confirm hours, and one
individual's task waiting for the community's approval. Dates are relative to today."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.demo.cast import demo_nodes
from wangge.grids.models import GridLevel, GridNode
from wangge.points.services import points_budget
from wangge.volunteering.models import CheckIn, HoursDecision, SignUp, Task, TaskEvent
from wangge.volunteering.services import TaskInput, task_create, task_grab, task_publish

# (kind, publisher kind, publisher, title, category, place, days ahead, start hour, hours,
#  slots, points rule, check-in, skills, description)
TASKS = [
    (
        "task",
        "party_org",
        "社区党委",
        "楼院环境大扫除",
        "environment",
        "3号楼前空地",
        1,
        9,
        2,
        12,
        "per_hour",
        "either",
        "",
        "清理楼道杂物和绿化带垃圾，工具由社区提供。",
    ),
    (
        "task",
        "mass_org",
        "社区妇联",
        "独居老人上门探访",
        "care",
        "社区党群服务中心集合",
        2,
        14,
        2,
        6,
        "per_hour",
        "qr",
        "有耐心，会用智能手机",
        "两人一组探访独居老人，帮忙检查水电燃气安全。",
    ),
    (
        "task",
        "social_org",
        "中原区青年志愿者协会",
        "反诈宣传进楼院",
        "policy",
        "小区南门",
        3,
        15,
        2,
        8,
        "per_hour",
        "qr",
        "",
        "发放反诈宣传册，指导居民安装国家反诈中心App。",
    ),
    (
        "task",
        "party_org",
        "网格党支部",
        "文明养犬劝导",
        "environment",
        "小区中心花园",
        4,
        19,
        1,
        10,
        "per_hour",
        "geofence",
        "",
        "晚间巡走中心花园，劝导牵绳遛狗、及时清理。",
    ),
    (
        "activity",
        "party_org",
        "社区党委",
        "邻居节·百家宴",
        "culture",
        "社区广场",
        5,
        17,
        3,
        80,
        "fixed",
        "qr",
        "",
        "各家带一道拿手菜，认识新邻居。现场签到可得活力值。",
    ),
    (
        "activity",
        "social_org",
        "中原区人民医院志愿服务队",
        "健康义诊",
        "health",
        "社区党群服务中心",
        6,
        9,
        3,
        60,
        "fixed",
        "qr",
        "",
        "测血压血糖、中医问诊，请携带医保卡。",
    ),
    (
        "activity",
        "mass_org",
        "社区团委",
        "防汛安全讲座",
        "safety",
        "社区活动室",
        7,
        10,
        1,
        40,
        "none",
        "qr",
        "",
        "讲解汛期自救和应急包准备。",
    ),
]


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _spot(micro: GridNode) -> tuple[float, float]:
    assert micro.centroid_lon is not None and micro.centroid_lat is not None
    return micro.centroid_lon, micro.centroid_lat


def _fund(task: Task) -> None:
    assert task.issuer is not None
    points_budget(
        issuer=task.issuer, amount=20_000, key=f"demo-volunteering-budget:{task.issuer.name}"
    )


@transaction.atomic
def seed_volunteering(
    *, community: GridNode, organiser: User, staff: User, residents: list[User]
) -> int:
    """Returns how many tasks were made."""
    micros = list(
        GridNode.objects.filter(level=GridLevel.MICRO, path__startswith=community.path)
        .exclude(centroid_lon=None)
        .order_by("code")[:8]
    )
    short = community.name
    made: list[Task] = []
    for i, row in enumerate(TASKS):
        (kind, pkind, pname, title, category, place, days, hour, hours) = row[:9]
        (slots, rule, method, skills, text) = row[9:]
        lon, lat = _spot(micros[i % len(micros)])
        task = task_create(
            organiser=organiser if pkind != "party_org" else staff,
            data=TaskInput(
                kind=kind,
                publisher_kind=pkind,
                publisher_name=pname if "区" in pname else f"{short}{pname}",
                title=title,
                description=text,
                category=category,
                place=place,
                lon=lon,
                lat=lat,
                starts_at=_at(days, hour),
                ends_at=_at(days, hour + hours),
                slots=slots,
                skills=skills,
                circle_tag="志愿圈",
                points_rule=rule,
                checkin_method=method,
            ),
        )
        task = task_publish(task_id=task.pk, actor=task.organiser)
        _fund(task)
        made.append(task)
    for person in residents:
        task_grab(task_id=made[0].pk, user=person)
        task_grab(task_id=made[4].pk, user=person)

    # Yesterday's clean-up: done, checked in and out, waiting for the organiser to confirm.
    lon, lat = _spot(micros[0])
    done = task_create(
        organiser=staff,
        data=TaskInput(
            kind="task",
            publisher_kind="party_org",
            publisher_name=f"{short}社区党委",
            title="小广告清理",
            description="清理楼道和单元门上的小广告。",
            category="environment",
            place="1号楼至6号楼",
            lon=lon,
            lat=lat,
            starts_at=_at(9, 9),  # moved to yesterday below, once signed up
            ends_at=_at(9, 11),
            slots=6,
            circle_tag="志愿圈",
        ),
    )
    done = task_publish(task_id=done.pk, actor=staff)
    _fund(done)
    for person in residents:
        task_grab(task_id=done.pk, user=person)
    # Moved into the past as if the morning had happened: the rows a finished task has.
    start, end = _at(-1, 9), _at(-1, 11)
    Task.objects.filter(pk=done.pk).update(
        starts_at=start, ends_at=end, status=Task.Status.FINISHED
    )
    TaskEvent.objects.create(
        task=done, action=TaskEvent.Action.FINISH, from_status="published", to_status="finished"
    )
    for n, signup in enumerate(SignUp.objects.filter(task=done).order_by("id")):
        arrived = start + timedelta(minutes=5 + 10 * n)
        CheckIn.objects.create(
            signup=signup,
            day=timezone.localdate(arrived),
            checked_in_at=arrived,
            method=CheckIn.Method.QR,
            checked_out_at=end,
            auto_closed=not n,  # the first forgot to check out: closed at the end, flagged
        )
        recorded = Decimal((end - arrived).total_seconds() / 3600).quantize(Decimal("0.01"))
        SignUp.objects.filter(pk=signup.pk).update(recorded_hours=recorded, served_at=arrived)

    # An individual's offer, waiting for the community's approval.
    lon, lat = _spot(micros[-1])
    mine = task_create(
        organiser=residents[0],
        data=TaskInput(
            kind="task",
            publisher_kind="individual",
            publisher_name="",
            title="周末教老人用手机挂号",
            description="我在家附近，可以教邻居老人用手机挂号、视频通话。",
            category="care",
            place="5号楼一单元门口",
            lon=lon,
            lat=lat,
            starts_at=_at(6, 15),
            ends_at=_at(6, 17),
            slots=4,
        ),
    )
    task_publish(task_id=mine.pk, actor=residents[0])
    return len(made) + 2


def reset_volunteering() -> None:
    """Remove the demo tasks (those in sample grids) before the demo district is rebuilt."""
    tasks = Task.objects.filter(grid__is_sample=True)
    CheckIn.objects.filter(signup__task__in=tasks).delete()
    HoursDecision.objects.filter(signup__task__in=tasks).delete()
    SignUp.objects.filter(task__in=tasks).delete()
    tasks.delete()


def seed_demo_volunteering() -> int:
    """The one entry point the demo seed calls: demo people resolved by their phones."""
    phones = {u.phone: u for u in User.objects.filter(phone__startswith="138000000")}
    return seed_volunteering(
        community=demo_nodes()["community"],
        organiser=phones["13800000012"],
        staff=phones["13800000003"],
        residents=[phones["13800000014"], phones["13800000013"]],
    )
