"""Demo party organisations for the 中原区 demo district (sample data, like the grids).

Every street gets its 党工委 and every community its 社区党委; the demo community's grids each get
a 网格党支部 with a 楼栋党小组, and two workplace units (a district bureau and a hospital) have
their own organisations. Members live in the demo community: most verified and registered with
posts claimed, one waiting for the branch to verify. The demo 党员 蒋文博 is one of them.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.accounts.services import role_grant, user_create
from wangge.grids.models import GridLevel, GridNode
from wangge.party.models import (
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrg,
    Post,
    PostCategory,
    PostClaim,
    Registration,
)
from wangge.party.services import org_create

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
