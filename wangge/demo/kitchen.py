"""The demo street's 红色厨房: a kitchen in the demo community, its elders enrolled from the
register (tagged 空巢, 独居 or 残疾 and of age), two weeks of lunches behind it, and today's
lunch under way: 王秀兰 delivering, most meals taken, one elder not at home, whose alert the
grid worker has already answered with a visit, and the last meal still on its way."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.demo.cast import demo_nodes
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.kitchen import selectors
from wangge.kitchen.models import Alert, Delivery, Enrolment, Kitchen, MealPlan, Outcome, Payment
from wangge.kitchen.services import EnrolmentInput, PlanInput, delivery_record, enrol, plan_day
from wangge.residents.services import visit_record
from wangge.volunteering.services import task_grab

ENROL = 8
HISTORY_DAYS = 14
DELIVERER_PHONE = "13800000014"  # 王秀兰 of the cast, a resident who volunteers
CONTACT_NAMES = ("张建军", "李红", "王磊", "刘芳", "陈刚", "赵敏", "孙伟", "周丽")
RELATIONS = ("儿子", "女儿", "侄子", "外甥女", "邻居", "女婿")
DIETS = ("", "少盐", "软烂、少油", "糖尿病：少糖", "不吃辣", "")
MENUS = ("西红柿炒蛋、清炒油麦菜、米饭", "红烧冬瓜、肉末豆腐、馒头", "清蒸鱼、炒青菜、小米粥")


def _holder(role: str, node: GridNode) -> User | None:
    return (
        User.objects.filter(grants__role=role, grants__node=node, is_active=True)
        .order_by("phone")
        .first()
    )


def seed_kitchen(*, rng: random.Random) -> int:
    """Returns how many elders were enrolled."""
    nodes = demo_nodes()
    community, grid_a = nodes["community"], nodes["grid_a"]
    staff = _holder(Role.COMMUNITY_STAFF, community)
    worker = _holder(Role.GRID_WORKER, grid_a)
    deliverer = User.objects.filter(phone=DELIVERER_PHONE).first()
    centre = (
        Building.objects.filter(micro_grid__path__startswith=grid_a.path).order_by("code").first()
    )
    if staff is None or deliverer is None or worker is None or centre is None:
        return 0
    kitchen = Kitchen.objects.create(
        name=f"{community.name}红色厨房",
        node=community,
        address=f"{centre.address}（党群服务中心一楼）",
        phone="0371-67180000",
        lon=centre.lon,
        lat=centre.lat,
        grid_path=community.path,
    )
    # Elders of grid A first, so the demo grid worker has meals to answer for.
    elders = sorted(
        selectors.candidates(staff),
        key=lambda p: (not p.grid_path.startswith(grid_a.path), p.grid_path, p.pk),
    )[:ENROL]
    today = timezone.localdate()
    for i, person in enumerate(elders):
        payment = (Payment.SHARED, Payment.FREE, Payment.SHARED, Payment.SELF)[i % 4]
        pays = {Payment.SHARED: "5", Payment.FREE: "0", Payment.SELF: "15"}[payment]
        enrol(
            actor=staff,
            person=person,
            data=EnrolmentInput(
                kitchen_id=kitchen.pk,
                contact_name=CONTACT_NAMES[i % len(CONTACT_NAMES)],
                contact_relation=rng.choice(RELATIONS),
                contact_is_guardian=i % 3 == 0,
                contact_phone=f"1390371{rng.randint(0, 9999):04d}",
                payment=payment,
                resident_pays=Decimal(pays),
                subsidy=Decimal(15) - Decimal(pays),
                subsidy_source="" if payment == Payment.SELF else "街道养老服务补贴",
                diet=DIETS[i % len(DIETS)],
                starts_on=today - timedelta(days=HISTORY_DAYS + 10),
            ),
        )
    if not elders:
        return 0
    _history(kitchen, staff, deliverer, worker, grid_a, rng)
    _today(kitchen, staff, deliverer, worker, grid_a)
    return len(elders)


def _grid_of(e: Enrolment) -> GridNode:
    micro = GridNode.objects.get(path=e.grid_path)
    return micro.parent if micro.level != GridLevel.GRID and micro.parent else micro


def _history(
    kitchen: Kitchen,
    staff: User,
    deliverer: User,
    worker: User,
    grid_a: GridNode,
    rng: random.Random,
) -> None:
    """Two weeks of lunches as they were recorded: nearly every meal taken; one refused in grid
    A, whose alert the grid worker visited the same afternoon."""
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    by_grid: dict[int, tuple[GridNode, list[Enrolment]]] = {}
    for e in kitchen.enrolments.filter(is_active=True).select_related("person").order_by("pk"):
        grid = _grid_of(e)
        by_grid.setdefault(grid.pk, (grid, []))[1].append(e)
    refused_day = today - timedelta(days=rng.randint(3, HISTORY_DAYS - 1))
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, time(11, 0), tzinfo=tz)
        for grid, members in by_grid.values():
            plan = MealPlan.objects.create(
                kitchen=kitchen,
                grid=grid,
                day=day,
                meal="lunch",
                window_start=start,
                window_end=start + timedelta(minutes=90),
                menu=MENUS[back % len(MENUS)],
                created_by=staff,
                grid_path=grid.path,
                closed_at=start + timedelta(minutes=91),
            )
            for n, e in enumerate(members):
                refused = day == refused_day and n == 0 and grid.pk == grid_a.pk
                at = start + timedelta(minutes=10 + 7 * n)
                d = Delivery.objects.create(
                    plan=plan,
                    enrolment=e,
                    outcome=Outcome.REFUSED if refused else Outcome.DELIVERED,
                    recorded_at=at,
                    received_at=at,
                    recorded_by=deliverer,
                    note="老人说身体不舒服，不想吃" if refused else "",
                    grid_path=e.grid_path,
                )
                if not refused:
                    continue
                Alert.objects.create(
                    delivery=d,
                    person=e.person,
                    reason=Outcome.REFUSED,
                    raised_at=at,
                    visit_due=datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz),
                    worker=worker,
                    contact_told_at=at,
                    grid_path=e.grid_path,
                )
                visit_record(
                    actor=worker,
                    person=e.person,
                    findings="老人感冒，已陪同到社区卫生服务站，晚饭由女儿送来",
                    visited_at=at + timedelta(hours=2),
                )


def _today(kitchen: Kitchen, staff: User, deliverer: User, worker: User, grid_a: GridNode) -> None:
    """Today's lunch: the deliverer took the task, most meals are recorded, one elder in grid A
    was not at home and the grid worker has been; the last meal of each grid is on its way."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - timedelta(minutes=45), midnight)
    end = min(now + timedelta(hours=2), midnight + timedelta(hours=23, minutes=59))
    if end - now < timedelta(minutes=5):
        return  # seeded in the day's last minutes: no lunch left to show under way
    plans = plan_day(
        actor=staff,
        data=PlanInput(
            kitchen_id=kitchen.pk,
            day=now.date(),
            meal="lunch",
            window_start=start.time().replace(second=0, microsecond=0),
            window_end=end.time().replace(second=0, microsecond=0),
            menu=MENUS[0],
            deliverers=2,
        ),
    )
    for plan in plans:
        assert plan.task_id is not None
        task_grab(task_id=plan.task_id, user=deliverer)
        meals = list(plan.deliveries.order_by("pk"))
        for n, d in enumerate(meals[:-1] if len(meals) > 1 else meals):
            at = min(timezone.now(), plan.window_start + timedelta(minutes=5 + 6 * n))
            if n == 0 and plan.grid_id == grid_a.pk:
                # The alert comes from the deliverer's record, as in the field.
                delivery_record(
                    actor=deliverer,
                    delivery_id=d.pk,
                    outcome=Outcome.NOT_HOME,
                    at=at,
                    note="敲门无人应答，电话未接",
                )
                visit_record(
                    actor=worker,
                    person=d.enrolment.person,
                    findings="老人在楼下小公园晒太阳，忘了时间；饭已帮忙热好送上楼",
                )
                continue
            delivery_record(actor=deliverer, delivery_id=d.pk, outcome=Outcome.DELIVERED, at=at)
