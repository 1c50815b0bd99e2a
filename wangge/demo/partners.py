"""The demo street's 共建单位 and 民生服务项目: a school and a property company of the demo
community, a company and a social organisation of the street, each with what it offers; needs
drawn from a 微心愿, a 议事厅 topic and a case of the community, and one entered by staff; a
finished project from the wish paid by the school and the company (两方筹资), one from the topic
under way paid by the community and the property company; and 红色物业: the property company
manages the micro-grids of grid A, its manager serving there as 微网格长, its figures those of
the demo's cases in them."""

from datetime import timedelta

from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.accounts.services import user_create
from wangge.cases.models import Case, Status
from wangge.demo.cast import demo_nodes, demo_password_hash
from wangge.grids.models import GridLevel, GridNode
from wangge.ledgers.models import Topic
from wangge.partners.models import (
    Need,
    NeedSource,
    PartnerUnit,
    Project,
    UnitKind,
)
from wangge.partners.services import (
    NeedInput,
    ProjectInput,
    ShareInput,
    UnitInput,
    compound_add,
    need_create,
    project_advance,
    project_create,
    project_note,
    property_staff_add,
    resource_add,
    unit_create,
)
from wangge.residents.models import Wish

PROPERTY_STAFF_PHONE = "13800040001"


def _holder(role: str, node: GridNode) -> User | None:
    return (
        User.objects.filter(grants__role=role, grants__node=node, is_active=True)
        .order_by("phone")
        .first()
    )


def _unit(
    actor: User,
    node: GridNode,
    name: str,
    kind: str,
    contact: str,
    phone: str,
    note: str,
    resources: list[tuple[str, str, str]],
) -> PartnerUnit:
    unit = unit_create(
        actor=actor,
        data=UnitInput(
            name=name,
            kind=kind,
            node_id=node.pk,
            contact_name=contact,
            contact_phone=phone,
            note=note,
        ),
    )
    for kind_, description, capacity in resources:
        resource_add(
            actor=actor, unit_id=unit.pk, kind=kind_, description=description, capacity=capacity
        )
    return unit


def seed_partners() -> int:
    """Returns how many projects were made."""
    nodes = demo_nodes()
    street, community, grid_a = nodes["street"], nodes["community"], nodes["grid_a"]
    staff = _holder(Role.COMMUNITY_STAFF, community)
    dispatcher = _holder(Role.STREET_DISPATCHER, street)
    if staff is None or dispatcher is None:
        return 0
    school = _unit(
        staff,
        community,
        "伊河路小学",
        UnitKind.SCHOOL,
        "王校长",
        "13837100101",
        "校社共建：周末开放场地，师生志愿服务",
        [
            ("venue", "操场和多功能礼堂，周末对社区开放", "周六、周日 8:00—17:00，礼堂 200 座"),
            ("volunteers", "师生志愿服务队", "每月 2 次，每次约 30 人"),
        ],
    )
    company = _unit(
        dispatcher,
        street,
        "郑州华信科技有限公司",
        UnitKind.ENTERPRISE,
        "李经理",
        "13837100102",
        "企业共建：公益资金和电工维修",
        [
            ("funds", "企业公益金，用于老旧小区适老化改造", "每年 5 万元"),
            ("service", "电工、网络维修志愿服务", "每季度 1 次"),
        ],
    )
    estate = _unit(
        staff,
        community,
        "百花物业服务有限公司",
        UnitKind.PROPERTY,
        "陈经理",
        "13837100103",
        "红色物业：党建引领物业服务，物业人员担任微网格长",
        [("service", "公共设施维修", "24 小时报修"), ("goods", "清运车辆和工具", "按需")],
    )
    _unit(
        dispatcher,
        street,
        "益邻社会工作服务中心",
        UnitKind.SOCIAL,
        "赵社工",
        "13837100104",
        "社工站：老年人关爱、儿童四点半课堂",
        [("service", "专业社工个案服务", "每周 3 个半天")],
    )

    # 红色物业: the property company manages grid A's micro-grids; its manager serves there.
    micro = list(GridNode.objects.filter(parent=grid_a, level=GridLevel.MICRO).order_by("code"))
    since = timezone.localdate() - timedelta(days=400)
    compounds = [
        compound_add(actor=staff, unit_id=estate.pk, node_id=n.pk, since=since) for n in micro
    ]
    if compounds:
        manager = User.objects.filter(phone=PROPERTY_STAFF_PHONE).first() or user_create(
            phone=PROPERTY_STAFF_PHONE,
            name="陈刚",
            password_hash=demo_password_hash(),
            is_demo=True,
        )
        property_staff_add(
            actor=staff, compound_id=compounds[0].pk, phone=manager.phone, post="物业管家"
        )

    made = 0
    today = timezone.localdate()
    wish = Wish.objects.filter(grid_path__startswith=community.path).order_by("created_at").first()
    if wish is not None:
        need = need_create(
            actor=staff,
            data=NeedInput(source=NeedSource.WISH, source_id=wish.pk, title="老楼楼道加装扶手"),
        )
        project = project_create(
            actor=staff,
            data=ProjectInput(
                need_id=need.pk,
                title="老楼楼道扶手进万家",
                total_fen=1_860_000,
                shares=(
                    ShareInput(amount_fen=600_000, unit_id=school.pk),
                    ShareInput(amount_fen=1_260_000, unit_id=company.pk),
                ),
                resource_ids=tuple(company.resources.values_list("pk", flat=True)),
                residents_served=60,
            ),
        )
        project_advance(
            actor=staff,
            project_id=project.pk,
            to_status="in_progress",
            note="华信公司电工志愿者和伊河路小学师生进场，先装 3 号楼",
            on=today - timedelta(days=20),
        )
        project_note(
            actor=staff,
            project_id=project.pk,
            note="3 号楼、5 号楼扶手安装完毕",
            on=today - timedelta(days=10),
            residents_served=40,
        )
        project_advance(
            actor=staff,
            project_id=project.pk,
            to_status="completed",
            note="6 栋老楼楼道扶手全部安装并验收",
            on=today - timedelta(days=3),
            residents_served=86,
            households_served=42,
        )
        made += 1
    topic = Topic.objects.filter(grid_path__startswith=community.path).order_by("pk").first()
    if topic is not None:
        need = need_create(actor=staff, data=NeedInput(source=NeedSource.TOPIC, source_id=topic.pk))
        project = project_create(
            actor=staff,
            data=ProjectInput(
                need_id=need.pk,
                title=f"{topic.title}：议事落地",
                total_fen=4_800_000,
                shares=(
                    ShareInput(amount_fen=1_800_000, node_id=community.pk),
                    ShareInput(amount_fen=3_000_000, unit_id=estate.pk),
                ),
                resource_ids=tuple(estate.resources.values_list("pk", flat=True)),
                residents_served=300,
                households_served=120,
            ),
        )
        project_advance(
            actor=staff,
            project_id=project.pk,
            to_status="in_progress",
            note="物业完成选址和线路勘察，社区公示方案",
            on=today - timedelta(days=7),
        )
        made += 1
    case = (
        Case.objects.filter(grid_path__startswith=community.path)
        .exclude(status__in=[Status.VOIDED, Status.MERGED])
        .order_by("pk")
        .first()
    )
    if case is not None:
        need_create(
            actor=staff,
            data=NeedInput(source=NeedSource.CASE, source_id=case.pk, title="健身器材更新"),
        )
    need_create(
        actor=staff,
        data=NeedInput(
            source=NeedSource.STAFF,
            node_id=community.pk,
            title="双职工家庭孩子放学后无人照看",
            detail="可与益邻社工、伊河路小学对接四点半课堂",
        ),
    )
    return made


def reset_partners() -> None:
    """The demo's projects, needs and units go before the sample grids, wishes, cases and
    people they point to (shares, notes, resources, compounds and staff go with them)."""
    Project.objects.filter(node__is_sample=True).delete()
    Need.objects.filter(node__is_sample=True).delete()
    PartnerUnit.objects.filter(node__is_sample=True).delete()
