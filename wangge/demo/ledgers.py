"""Demo ledgers for the demo street's first community: facilities and organisations, hazard
checklists (one failed item reported as a case, one rectified), a 议事厅 topic with votes and
one decided, and a week of patrols with its 周报告. Called once from the demo seed."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.ledgers.checklists import checklists_load
from wangge.ledgers.models import (
    ChecklistTemplate,
    Facility,
    Inspection,
    Organisation,
    Survey,
    Topic,
    TopicComment,
    TopicVote,
)
from wangge.ledgers.services import (
    ItemCheck,
    facility_add,
    facility_set_status,
    inspection_result_rectify,
    inspection_submit,
    organisation_add,
    topic_comment,
    topic_create,
    topic_decide,
    topic_vote,
)
from wangge.ledgers.surveys import (
    EXAMPLE_QUESTIONS,
    survey_answer_door,
    survey_answer_online,
    survey_create,
)
from wangge.patrols.models import Patrol, PatrolReport
from wangge.patrols.services import (
    patrol_end,
    patrol_report_generate,
    patrol_start,
    patrol_track,
)

PROPERTY = ["百花里物业服务中心", "建业物业碧沙岗项目部", "正商物业服务有限公司"]
SOCIAL = ["夕阳红志愿服务队", "社区社工站", "邻里互助会"]
MERCHANTS = ["老街坊便民超市", "惠民早餐店", "康泰大药房", "诚信五金店"]


def _grant_holder(role: str, node: GridNode) -> User | None:
    return (
        User.objects.filter(is_demo=True, grants__role=role, grants__node=node)
        .order_by("pk")
        .first()
    )


def reset_ledgers() -> None:
    """Remove the ledgers of sample grids (before the demo district itself is removed)."""
    sample = list(GridNode.objects.filter(is_sample=True).values_list("path", flat=True))
    # Each row carries the path of the node it belongs to, so an exact match finds them all.
    for model in (Inspection, Facility, Organisation, Topic, Survey, PatrolReport):
        model.objects.filter(grid_path__in=sample).delete()
    demo = User.objects.filter(is_demo=True)
    TopicVote.objects.filter(voter__in=demo).delete()
    TopicComment.objects.filter(author__in=demo).delete()
    Patrol.objects.filter(worker__in=demo).delete()


@transaction.atomic
def seed_ledgers(*, rng: random.Random) -> int:
    """Returns how many ledger rows were made."""
    checklists_load()
    worker = (
        User.objects.filter(is_demo=True, grants__role=Role.GRID_WORKER).order_by("phone").first()
    )
    if worker is None:
        return 0
    grid = worker.grants.filter(role=Role.GRID_WORKER).select_related("node").first().node  # type: ignore[union-attr]
    community = grid.parent
    assert community is not None
    staff = _grant_holder(Role.COMMUNITY_STAFF, community) or worker
    made = 0

    # 物: facilities in every building of the worker's grid (a few, realistically uneven).
    buildings = list(
        Building.objects.filter(micro_grid__path__startswith=grid.path)
        .select_related("micro_grid")
        .order_by("code")[:24]
    )
    for b in buildings:
        for kind, name in (("hydrant", "东侧消防栓"), ("extinguisher", "各单元一层灭火器")):
            facility_add(
                actor=worker,
                kind=kind,
                name=name,
                building=b,
                checked_on=timezone.localdate() - timedelta(days=rng.randint(3, 80)),
            )
            made += 1
        if rng.random() < 0.4:
            lift = facility_add(actor=worker, kind="elevator", name="1 单元电梯", building=b)
            made += 1
            if rng.random() < 0.3:
                facility_set_status(actor=worker, facility=lift, status="faulty")
    for micro in GridNode.objects.filter(parent=grid, level=GridLevel.MICRO).order_by("code"):
        facility_add(actor=worker, kind="camera", name=f"{micro.name}出入口监控", node=micro)
        facility_add(actor=worker, kind="charger", name=f"{micro.name}电动车集中充电棚", node=micro)
        made += 2

    # 组织: property companies per grid, social organisations and merchants.
    grids = list(
        GridNode.objects.filter(parent=community, level=GridLevel.GRID).order_by("code")[:3]
    )
    for i, g in enumerate(grids):
        organisation_add(
            actor=staff,
            kind="property",
            name=PROPERTY[i % len(PROPERTY)],
            node=g,
            contact_name="马建军",
            contact_phone=f"1383712{4500 + i:04d}",
        )
        organisation_add(actor=staff, kind="owners", name=f"{g.name}业主委员会", node=g)
        made += 2
    for name in SOCIAL:
        organisation_add(actor=staff, kind="social", name=name, node=community)
        made += 1
    for name in MERCHANTS:
        organisation_add(
            actor=staff,
            kind="merchant",
            name=name,
            node=grid,
            address=f"{buildings[0].address}底商" if buildings else "",
        )
        made += 1

    # 安全隐患排查: an all-clear fire check, an e-bike check with a reported failure, and a gas
    # check whose failure was rectified on the spot.
    templates = {t.code: t for t in ChecklistTemplate.objects.prefetch_related("items")}

    def fill(code: str, building: Building, failed: dict[int, tuple[str, bool]]) -> Inspection:
        t = templates[code]
        return inspection_submit(
            actor=worker,
            template=t,
            checks=[
                ItemCheck(
                    item_id=item.pk,
                    passed=item.position not in failed,
                    note=failed.get(item.position, ("", False))[0],
                    report=failed.get(item.position, ("", False))[1],
                )
                for item in t.items.all()
            ],
            lon=building.lon,
            lat=building.lat,
            building=building,
        )

    if len(buildings) >= 3:
        fill("fire", buildings[0], {})
        fill(
            "ebike",
            buildings[1],
            {1: ("3 楼窗口垂下电线给电动车充电", True), 2: ("门厅停放 2 辆电动车", False)},
        )
        gas = fill("gas", buildings[2], {1: ("302 室燃气软管老化开裂", False)})
        inspection_result_rectify(
            actor=worker, result=gas.results.get(passed=False), note="已督促住户更换金属波纹管"
        )
        made += 3

    # 议事厅: one open topic with votes and comments, one decided.
    voters = list(
        User.objects.filter(
            is_demo=True,
            grants__role__in=(Role.RESIDENT, Role.PARTY_MEMBER, Role.MICRO_GRID_LEADER),
            grants__node__path__startswith=grid.path,
        ).distinct()
    )
    open_topic = topic_create(
        actor=worker,
        node=grid,
        title=f"{grid.name}是否加装电动车充电桩",
        body=(
            "拟在小区北侧空地建设 20 口电动车集中充电桩，费用由充电运营商承担，"
            "请大家发表意见并投票。"
        ),
    )
    decided = topic_create(
        actor=worker,
        node=grid,
        title="楼道堆物集中清理时间",
        body="拟于本月第三个周六上午集中清理楼道堆放物品，请提前自行清理。",
    )
    remarks = ["支持，楼道里终于不用停车了", "建议加装雨棚和监控", "充电收费标准要公示"]
    for i, voter in enumerate(voters):
        topic_vote(actor=voter, topic=open_topic, choice=("for", "for", "against")[i % 3])
        topic_comment(actor=voter, topic=open_topic, body=remarks[i % len(remarks)])
        topic_vote(actor=voter, topic=decided, choice="for")
        made += 3
    topic_decide(
        actor=worker,
        topic=decided,
        decision="定于本月第三个周六 9:00—11:00 集中清理，物业提供清运车辆。",
    )
    made += 2

    # 民意调查: a satisfaction survey answered online by the demo residents and at three doors.
    survey = survey_create(
        actor=worker,
        node=grid,
        title=f"{grid.name}居民满意度调查",
        intro="了解大家对小区环境和网格服务的意见，约 2 分钟。",
        questions=EXAMPLE_QUESTIONS,
    )
    qs = list(survey.questions.order_by("position"))
    for i, voter in enumerate(voters):
        survey_answer_online(
            actor=voter,
            survey=survey,
            answers={
                qs[0].pk: [str(i % 3)],
                qs[1].pk: [str(i % 4), str((i + 1) % 4)],
                qs[2].pk: [str(5 - i % 2)],
                qs[3].pk: [remarks[i % len(remarks)]],
            },
        )
        made += 1
    for i, b in enumerate(buildings[:3]):
        survey_answer_door(
            actor=worker,
            survey=survey,
            building=b,
            room=f"{i + 1}-{rng.randint(1, 6)}0{rng.randint(1, 2)}",
            answers={qs[0].pk: [str(rng.randint(0, 2))], qs[1].pk: ["0"], qs[2].pk: ["4"]},
        )
        made += 1

    # A patrol last week and its 周报告, so the report pages have something to show.
    if buildings:
        b = buildings[0]
        patrol = patrol_start(actor=worker)
        now = timezone.now()
        patrol_track(
            actor=worker,
            patrol=patrol,
            points=[
                (now + timedelta(seconds=i), b.lon + i * 0.0002, b.lat + (i % 3) * 0.0001)
                for i in range(12)
            ],
        )
        patrol_end(actor=worker, patrol=patrol, summary="重点查看电动车充电和消防通道，情况正常")
        patrol_report_generate(
            kind=PatrolReport.Kind.WEEKLY, node=community, day=timezone.localdate()
        )
        patrol_report_generate(
            kind=PatrolReport.Kind.MONTHLY, node=community, day=timezone.localdate()
        )
        made += 3
    return made
