"""红色厨房 on the test tree: a kitchen of 碧沙岗社区, the register's 张桂芳 (born 1940, 独居,
in A1) enrolled, and a deliverer signed up to the day's lunch in 第1网格."""

import types
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tests.cases.conftest import catalogue, people  # noqa: F401  (shared fixtures)
from tests.conftest import COMMUNITY
from tests.residents.conftest import make_id, register  # noqa: F401  (the fixture)
from wangge.accounts.models import User
from wangge.grids.models import GridNode
from wangge.kitchen.models import Delivery, Kitchen, MealPlan, Payment
from wangge.kitchen.services import EnrolmentInput, PlanInput, enrol, plan_day
from wangge.notifications.sms import MemoryBackend
from wangge.residents.models import ResidenceKind, SpecialGroup
from wangge.residents.services import group_tag_set, person_register
from wangge.volunteering.services import task_grab


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The text messages sent. They go out once the action's transaction commits, which never
    comes inside a test's transaction: here they are sent at once."""
    shim = types.SimpleNamespace(atomic=transaction.atomic, on_commit=lambda f, **kw: f())
    monkeypatch.setattr("wangge.notifications.services.transaction", shim)
    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


@pytest.fixture
def kitchen(register: dict[str, Any]) -> Kitchen:  # noqa: F811
    community = GridNode.objects.get(code=COMMUNITY)
    return Kitchen.objects.create(
        name="碧沙岗社区红色厨房",
        node=community,
        address="伊河路百花里3号楼底商",
        phone="0371-67890000",
        lon=113.6008,
        lat=34.7508,
        grid_path=community.path,
    )


def enrol_elder(actor: User, person: Any, kitchen: Kitchen, **kw: Any) -> Any:
    data = {
        "kitchen_id": kitchen.pk,
        "contact_name": "张建军",
        "contact_relation": "儿子",
        "contact_phone": "13911112222",
        "payment": Payment.SHARED,
        "resident_pays": Decimal("5.00"),
        "subsidy": Decimal("10.00"),
        "diet": "少盐，软烂",
    }
    data.update(kw)
    return enrol(actor=actor, person=person, data=EnrolmentInput(**data))


def lunch_window(minutes_from_now: int = 60, length: int = 90) -> tuple[time, time, Any]:
    """A window starting this many minutes from now (within today where the clock allows)."""
    start = timezone.localtime() + timedelta(minutes=minutes_from_now)
    end = start + timedelta(minutes=length)
    return (
        start.time().replace(second=0, microsecond=0),
        end.time().replace(second=0, microsecond=0),
        start.date(),
    )


@pytest.fixture
def lunch(
    kitchen: Kitchen,
    register: dict[str, Any],  # noqa: F811
    people: dict[str, User],  # noqa: F811
) -> dict[str, Any]:
    """Today's lunch for 第1网格 with 张桂芳 enrolled and 王秀兰 signed up to deliver it. The
    window is set on the plan itself and runs to the day's last instant: a suite that reaches the
    fixture in the day's last minute still plans a meal that is not over."""
    community = people["community"]
    enrolment = enrol_elder(community, register["elder"], kitchen)
    day = timezone.localdate()
    [plan] = plan_day(
        actor=community,
        data=PlanInput(
            kitchen_id=kitchen.pk,
            day=day,
            meal="lunch",
            window_start=time(0, 0),
            window_end=time(23, 59, 59, 999_999),
            menu="西红柿炒蛋、清炒油麦菜、米饭",
            deliverers=2,
        ),
    )
    start = timezone.now() - timedelta(minutes=30)
    MealPlan.objects.filter(pk=plan.pk).update(
        window_start=start, window_end=start + timedelta(hours=2)
    )
    plan.refresh_from_db()
    deliverer = people["resident"]
    task_grab(task_id=plan.task_id, user=deliverer)
    return {
        "plan": plan,
        "enrolment": enrolment,
        "delivery": plan.deliveries.get(),
        "deliverer": deliverer,
        "elder": register["elder"],
    }


def at(moment: datetime) -> str:
    return moment.isoformat()


def two_more_households(
    people: dict[str, Any],  # noqa: F811
    register: dict[str, Any],  # noqa: F811
    kitchen: Kitchen,
    lunch: dict[str, Any],
) -> list[Any]:
    """李淑芬 and 赵德明, 独居 in the same home as 张桂芳, enrolled and planned into the lunch
    round: its three deliveries, in the order they were made."""
    community = people["community"]
    for name, birth, seq in (("李淑芬", "19410302", "022"), ("赵德明", "19390719", "031")):
        elder = person_register(
            actor=community,
            household=register["home_a"],
            name=name,
            id_number=make_id(birth, seq),
            phone="",
            relation="other",
            residence=ResidenceKind.HUJI,
        )
        group_tag_set(
            actor=community,
            person=elder,
            group=SpecialGroup.LIVING_ALONE,
            care_plan="每周电话问候",
            visit_every_days=30,
        )
        enrol_elder(community, elder, kitchen)
    plan = lunch["plan"]
    plan_day(
        actor=community,
        data=PlanInput(
            kitchen_id=kitchen.pk,
            day=plan.day,
            meal="lunch",
            window_start=time(0, 0),
            window_end=time(23, 59, 59, 999_999),
        ),
    )
    return list(Delivery.objects.filter(plan=plan).order_by("pk"))
