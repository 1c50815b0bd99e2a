"""Demo party organisations for the 中原区 demo district (sample data, like the grids).

Every street gets its 党工委 and every community its 社区党委; the demo community's grids each get
a 网格党支部 with a 楼栋党小组, and two workplace units (a district bureau and a hospital) have
their own organisations. Members live in the demo community: most verified and registered with
posts claimed, one waiting for the branch to verify. The demo 党员 蒋文博 is one of them.
"""

import math
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.accounts.services import role_grant, user_create
from wangge.core.calendar import midnight
from wangge.demo.cast import demo_nodes
from wangge.demo.hours import _happened
from wangge.grids.models import GridLevel, GridNode
from wangge.party import hours
from wangge.party.models import (
    EvidenceKind,
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrg,
    Post,
    PostCategory,
    PostClaim,
    Registration,
    StarCriterion,
)
from wangge.party.selectors import members_of, star_criteria
from wangge.party.services import (
    org_create,
    star_evidence_attach,
    stars_assess,
    stars_confirm,
)
from wangge.party.stars import default_criteria_load
from wangge.points.services import points_budget
from wangge.volunteering.models import SignUp, Task
from wangge.volunteering.services import (
    TaskInput,
    hours_decide,
    task_create,
    task_grab,
    task_publish,
)

POSTS = [
    (PostCategory.POLICY, "政策宣传员", "在楼院宣传栏和居民群里讲解惠民政策，每月至少一次。"),
    (PostCategory.ENVIRONMENT, "楼院环境监督岗", "巡看楼道堆物、飞线充电，发现问题随手拍上报。"),
    (PostCategory.MEDIATION, "邻里矛盾调解员", "协助社区调解邻里、物业纠纷。"),
    (PostCategory.HEALTH, "健康讲堂志愿者", "协助社区卫生服务站开展义诊和健康讲座。"),
    (PostCategory.CARE, "独居老人结对帮扶", "每周探望结对的独居老人，了解需求。"),
    (PostCategory.SAFETY, "平安巡防队员", "夜间配合网格员巡防。"),
]
COMMITMENTS = [
    "带头清理楼道杂物，做文明楼院的表率。",
    "每周探望一次结对老人，有事第一时间报社区。",
    "邻里有矛盾，我先去说和。",
    "发挥医务专长，为居民量血压、讲健康。",
]
MEMBERS = [
    # name, unit or "" (a retired member of the community), verified
    ("张建华", "市场监管局第一党支部", True),
    ("刘丽娟", "市场监管局第二党支部", True),
    ("陈志刚", "", True),
    ("杨秀英", "", True),
    ("黄海燕", "医院内科党支部", True),
    ("周国强", "", True),
    ("吴红梅", "医院内科党支部", True),
    ("徐伟", "", False),
]


def _org(
    name: str, kind: str, node: GridNode, parent: PartyOrg | None, is_unit: bool = False
) -> PartyOrg:
    return org_create(name=name, kind=kind, grid_node=node, parent=parent, is_unit=is_unit)


@transaction.atomic
def seed_party(*, password: str, seed_value: int = 410102) -> int:
    """Returns the number of organisations made. Fast: organisations in bulk per level, a few
    accounts."""
    rng = random.Random(seed_value)
    district = GridNode.objects.filter(parent__isnull=True).order_by("code").first()
    assert district is not None
    streets = list(GridNode.objects.filter(level=GridLevel.STREET).order_by("code"))
    street_orgs = {
        s.pk: _org(f"{s.name}党工委", OrgKind.WORKING_COMMITTEE, s, None) for s in streets
    }
    communities = list(GridNode.objects.filter(level=GridLevel.COMMUNITY).order_by("code"))
    made = len(street_orgs)
    community_orgs: dict[int, PartyOrg] = {}
    for c in communities:
        assert c.parent_id is not None
        # Large communities have a 党委, smaller ones a 党总支 (as in the district's lists).
        kind = OrgKind.COMMITTEE if rng.random() < 0.6 else OrgKind.GENERAL_BRANCH
        label = "党委" if kind == OrgKind.COMMITTEE else "党总支"
        community_orgs[c.pk] = _org(f"{c.name}{label}", kind, c, street_orgs[c.parent_id])
        made += 1
    demo_street = streets[0]
    demo_community = (
        GridNode.objects.filter(parent=demo_street, level=GridLevel.COMMUNITY)
        .order_by("code")
        .first()
    )
    assert demo_community is not None
    branches: list[PartyOrg] = []
    groups: dict[int, PartyOrg] = {}
    for grid in GridNode.objects.filter(parent=demo_community, level=GridLevel.GRID).order_by(
        "code"
    ):
        branch = _org(f"{grid.name}党支部", OrgKind.BRANCH, grid, community_orgs[demo_community.pk])
        branches.append(branch)
        micro = GridNode.objects.filter(parent=grid, level=GridLevel.MICRO).order_by("code").first()
        if micro is not None:
            groups[branch.pk] = _org(f"{micro.name}党小组", OrgKind.GROUP, micro, branch)
            made += 1
        made += 1
    bureau = _org("中原区市场监督管理局机关党委", OrgKind.COMMITTEE, district, None, True)
    hospital_node = (
        GridNode.objects.filter(level=GridLevel.EXCLUSIVE, path__startswith=demo_street.path)
        .order_by("code")
        .first()
        or demo_community
    )
    hospital = _org("郑州市中原区人民医院党委", OrgKind.COMMITTEE, hospital_node, None, True)
    unit_branches = {
        "市场监管局第一党支部": _org(
            "市场监管局第一党支部", OrgKind.BRANCH, district, bureau, True
        ),
        "市场监管局第二党支部": _org(
            "市场监管局第二党支部", OrgKind.BRANCH, district, bureau, True
        ),
        "医院内科党支部": _org("医院内科党支部", OrgKind.BRANCH, hospital_node, hospital, True),
    }
    made += 2 + len(unit_branches)

    posts = [
        Post.objects.create(
            community=demo_community, category=cat, title=title, description=text, slots=5
        )
        for cat, title, text in POSTS
    ]
    admin = User.objects.filter(is_demo=True, is_superuser=True).first()
    micros = list(
        GridNode.objects.filter(
            level=GridLevel.MICRO, path__startswith=demo_community.path
        ).order_by("code")[:12]
    )
    people: list[tuple[User, str, bool]] = []
    jiang = User.objects.filter(phone="13800000013").first()
    if jiang is not None:
        people.append((jiang, "", True))
    for i, (name, unit, verified) in enumerate(MEMBERS):
        user = User.objects.filter(phone=f"1380002{i:04d}").first() or user_create(
            phone=f"1380002{i:04d}", name=name, password=password, is_demo=True
        )
        role_grant(user=user, role=Role.RESIDENT, node=micros[i % len(micros)])
        people.append((user, unit, verified))
    now = timezone.now()
    for i, (user, unit, verified) in enumerate(people):
        org = unit_branches[unit] if unit else branches[i % len(branches)]
        if not unit and org.pk in groups and i % 2:
            org = groups[org.pk]
        member = PartyMember.objects.create(
            user=user,
            org=org,
            status=MemberStatus.VERIFIED if verified else MemberStatus.PENDING,
            joined_on=date(1985 + rng.randrange(35), rng.randrange(1, 13), 1),
            commitment=COMMITMENTS[i % len(COMMITMENTS)] if verified else "",
            decided_by=admin if verified else None,
            decided_at=now - timedelta(days=30) if verified else None,
        )
        if not verified:
            continue
        if user != jiang:
            role_grant(user=user, role=Role.PARTY_MEMBER, node=micros[i % len(micros)])
        Registration.objects.create(
            member=member, kind=Registration.Kind.RESIDENCE, community=demo_community
        )
        if unit:
            Registration.objects.create(
                member=member, kind=Registration.Kind.WORKPLACE, unit=org.parent
            )
        PostClaim.objects.create(post=posts[i % len(posts)], member=member)
    return made


# 五星支部 -------------------------------------------------------------------------------------

# What the demo street's branches did this year, as their secretaries would record it.
MATERIALS = {
    "组织建设": "全年“三会一课”记录 12 次，组织生活会和民主评议党员材料齐全",
    "作用发挥": "支部书记获评区级优秀党务工作者，楼院“红色议事会”调处纠纷 9 起",
}
LAST_YEAR_MATERIALS = "上年度组织生活会、主题党日记录及换届选举材料"
ACTIVITIES = [
    "主题党日：重温入党誓词",
    "党员先锋岗进楼院",
    "“七一”党课",
    "红色观影",
    "政策宣讲进楼栋",
]
SERVICE_LENGTH_H = 4


def _moment(days_back: int, length_h: int) -> tuple[datetime, datetime]:
    """A morning `days_back` days ago, over at least an hour ago, and inside this year."""
    now = timezone.localtime()
    end = (now - timedelta(days=days_back)).replace(hour=12, minute=0, second=0, microsecond=0)
    end = min(end, now - timedelta(hours=1))
    start = max(end - timedelta(hours=length_h), midnight(date(now.year, 1, 1)))
    return start, max(end, start + timedelta(minutes=1))


def _held(
    org: PartyOrg, staff: User, micro: GridNode, title: str, days_back: int, *, takers: list[User]
) -> Task:
    """A service or activity the branch held under its own name, done and (for a service) with
    every taker's hours certified by its organiser."""
    service = bool(takers)
    later = timezone.now() + timedelta(days=30)
    assert micro.centroid_lon is not None and micro.centroid_lat is not None
    task = task_create(
        organiser=staff,
        data=TaskInput(
            kind=Task.Kind.TASK if service else Task.Kind.ACTIVITY,
            publisher_kind=Task.PublisherKind.PARTY_ORG,
            publisher_name=org.name,
            title=title,
            description="支部党员带头，居民群众参与。",
            category="care" if service else "culture",
            place=f"{micro.name}党群服务点",
            lon=micro.centroid_lon,
            lat=micro.centroid_lat,
            starts_at=later,
            ends_at=later + timedelta(hours=SERVICE_LENGTH_H),
            slots=max(len(takers), 1) + 20,
            points_rule=Task.PointsRule.PER_HOUR if service else Task.PointsRule.NONE,
        ),
    )
    task = task_publish(task_id=task.pk, actor=staff)
    if service:
        assert task.issuer is not None
        points_budget(
            issuer=task.issuer, amount=20_000, key=f"demo-stars-budget:{task.issuer.name}"
        )
    for person in takers:
        task_grab(task_id=task.pk, user=person)
    start, end = _moment(days_back, SERVICE_LENGTH_H)
    _happened(task, start, end)
    for signup in SignUp.objects.filter(task=task).order_by("id"):
        window = Decimal((end - start).total_seconds() / 3600).quantize(Decimal("0.1"))
        hours_decide(
            signup_id=signup.pk,
            actor=staff,
            decision=SignUp.Hours.ADJUSTED,
            hours=max(window, Decimal("0.1")),
            note="按签到记录和现场照片认定",
        )
    return task


def _target(kind: str) -> Decimal:
    found = star_criteria().filter(kind=kind).order_by("order").first()
    return Decimal(found.target) if found else Decimal(0)


@transaction.atomic
def seed_stars() -> dict[str, int]:
    """The demo street's branches with what they did this year, against the criteria in force
    (read from the data, so the demo follows the 党工委's standards): the first branch holds
    its activities, its members' service and both materials, and last year is confirmed; the
    second holds its activities and one material; the others are measured as they are. Returns
    stars by branch name."""
    default_criteria_load()
    nodes = demo_nodes()
    community = nodes["community"]
    staff = User.objects.filter(grants__role=Role.COMMUNITY_STAFF, grants__node=community).first()
    admin = User.objects.filter(is_demo=True, is_superuser=True).first()
    branches = list(
        PartyOrg.objects.filter(
            kind=OrgKind.BRANCH, is_unit=False, grid_node__path__startswith=community.path
        ).order_by("path")
    )
    if staff is None or admin is None or len(branches) < 2:
        return {}
    year = timezone.localdate().year
    first, second = branches[0], branches[1]
    for n, org in enumerate((first, second)):
        micro = (
            GridNode.objects.filter(level=GridLevel.MICRO, path__startswith=org.grid_node.path)
            .exclude(centroid_lon=None)
            .order_by("code")
            .first()
        )
        if micro is None:
            continue
        services_held = 0
        if org == first:
            # Enough certified service for the per-member standard, 4 hours at a time.
            people = [m.user for m in members_of(org)]
            start = midnight(date(year, 1, 1))
            done = hours.confirmed_hours(
                start=start, end=timezone.now(), user_ids=[u.pk for u in people]
            )
            average = sum(done.values(), Decimal(0)) / len(people) if people else Decimal(0)
            short = _target(EvidenceKind.MEMBER_HOURS) - average
            services_held = math.ceil(short / SERVICE_LENGTH_H) if people and short > 0 else 0
            for i in range(services_held):
                _held(
                    org,
                    staff,
                    micro,
                    f"党员志愿服务日（第 {i + 1} 次）",
                    20 + 25 * i,
                    takers=people,
                )
        activities = max(math.ceil(_target(EvidenceKind.ACTIVITIES)) - services_held, 0)
        for i in range(activities):
            title = ACTIVITIES[i % len(ACTIVITIES)]
            _held(org, staff, micro, title, 10 + 17 * i + n, takers=[])
    for org, names in ((first, list(MATERIALS)), (second, list(MATERIALS)[:1])):
        for name in names:
            criterion = StarCriterion.objects.filter(name=name, is_active=True).first()
            if criterion is not None:
                star_evidence_attach(
                    actor=admin,
                    org_id=org.pk,
                    year=year,
                    criterion_id=criterion.pk,
                    note=MATERIALS[name],
                )
    # Last year, confirmed by the 党工委: frozen from now on.
    for criterion in star_criteria().filter(kind=EvidenceKind.MATERIALS):
        star_evidence_attach(
            actor=admin,
            org_id=first.pk,
            year=year - 1,
            criterion_id=criterion.pk,
            note=LAST_YEAR_MATERIALS,
        )
    stars_confirm(actor=admin, org_id=first.pk, year=year - 1)
    return {org.name: stars_assess(org=org, year=year).stars for org in branches}
