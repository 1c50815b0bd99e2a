"""Demo cases: realistic reports at real demo buildings, moved along the loop to various stages,
so the desk, the queues, the supervision board and the KPI page have something to show."""

import json
import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F

from wangge.accounts.models import Role, User
from wangge.cases import sla
from wangge.cases.categories import CATALOGUE
from wangge.cases.models import Case, CaseEvent, Channel, Department
from wangge.cases.services import CaseInput, case_act, case_intake, department_member_add
from wangge.grids.models import Building, GridNode

CALLERS = ["张先生", "李女士", "王大爷", "刘阿姨", "陈先生", "赵女士", "孙师傅", "周老师"]


def _examples() -> list[tuple[str, str]]:
    data: dict[str, Any] = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return [(text, c["code"]) for c in data["categories"] for text in c.get("examples", [])]


def _people(street: GridNode) -> dict[str, User]:
    def holder(role: str, **kw: Any) -> User | None:
        return User.objects.filter(grants__role=role, **kw).order_by("pk").first()

    found = {
        "dispatcher": holder(Role.STREET_DISPATCHER, grants__node=street),
        "resident": holder(Role.RESIDENT),
    }
    return {k: v for k, v in found.items() if v is not None}


def _reporters(street: GridNode) -> list[User]:
    """The street's residents with accounts, in a fixed order: the demo's cases are theirs, a
    few each, as in a real street (not all one person's)."""
    return list(
        User.objects.filter(grants__role=Role.RESIDENT, grants__node__path__startswith=street.path)
        .distinct()
        .order_by("phone")
    )


@transaction.atomic
def seed_cases(*, rng: random.Random, per_street_grid: int = 120, spread: int = 80) -> int:
    """`per_street_grid` cases in the demo users' street (so they see a working desk), and
    `spread` more over the rest of the district."""
    street = GridNode.objects.filter(level="street").order_by("code").first()
    if street is None:
        return 0
    people = _people(street)
    reporters = _reporters(street) or [u for u in [people.get("resident")] if u is not None]
    examples = _examples()
    home = list(
        Building.objects.filter(micro_grid__path__startswith=street.path).values_list(
            "lon", "lat", "address"
        )[:3000]
    )
    elsewhere = list(
        Building.objects.exclude(micro_grid__path__startswith=street.path).values_list(
            "lon", "lat", "address"
        )[:20000]
    )
    made: list[Case] = []
    for i in range(per_street_grid + spread):
        lon, lat, address = rng.choice(home if i < per_street_grid else elsewhere)
        text, code = rng.choice(examples)
        hotline = rng.random() < 0.4
        case, _created = case_intake(
            data=CaseInput(
                description=text,
                category_code=code if rng.random() < 0.7 else "",
                lon=None if hotline else lon,
                lat=None if hotline else lat,
                address=address.removeprefix("中原区") if hotline else "",
                channel=Channel.HOTLINE if hotline else Channel.RESIDENT,
                external_id=f"DEMO-{i:05d}" if hotline else "",
                reporter_name=rng.choice(CALLERS) if hotline else "",
                reporter_phone=f"139{rng.randint(10000000, 99999999)}" if hotline else "",
                request_type=rng.choice(["求助", "投诉", "建议"]) if hotline else "",
                # Half the residents' reports are on 身边事 (no draw from rng: the rest of the
                # sample stays as it was).
                public=not hotline and i % 2 == 0,
            ),
            actor=None if hotline or not reporters else reporters[i % len(reporters)],
            # Some of the street's cases wait at the desk, so the dispatcher has work to accept.
            auto_dispatch=not (i < per_street_grid and rng.random() < 0.12),
        )
        made.append(case)
    dispatcher = people.get("dispatcher")
    for case in made:
        _advance(case, rng, dispatcher, street.pk)
    if dispatcher is not None:
        whistle_demo_cases(made, dispatcher, street)
    _age(rng, [c for c in made if c.street_id == street.pk])
    return len(made)


def _age(rng: random.Random, cases: list[Case]) -> None:
    """Some open cases were reported days ago: every time on them moves back together (the
    timeline too), and the real SLA sweep then gives them their yellow and red cards."""
    open_ids = [c.pk for c in cases if c.status in ("dispatched", "signed")]
    for pk in rng.sample(open_ids, k=len(open_ids) // 4):
        back = timedelta(days=rng.choice([6, 8, 10, 14]))
        shifted = {
            name: F(name) - back
            for name in (
                "created_at",
                "dispatched_at",
                "sign_due_at",
                "contact_due_at",
                "due_at",
                "warn_at",
                "signed_at",
            )
        }
        Case.objects.filter(pk=pk).update(**shifted)
        CaseEvent.objects.filter(case_id=pk).update(created_at=F("created_at") - back)
    sla.sweep()


def _advance(case: Case, rng: random.Random, dispatcher: User | None, street_id: int) -> None:
    """Move a case some way along the loop, as its handler and the street desk would."""
    if case.status != "dispatched" or case.assignee is None:
        return
    stage = rng.random()
    worker = case.assignee
    if stage < 0.25:
        return
    case_act(case_id=case.pk, actor=worker, action="sign")
    if stage < 0.45:
        return
    case_act(case_id=case.pk, actor=worker, action="contact", note="已电话联系诉求人")
    case_act(
        case_id=case.pk,
        actor=worker,
        action="resolve",
        params={"result": rng.choice(["已现场处置完毕", "已协调物业解决", "已联系相关单位维修"])},
    )
    if stage < 0.6 or dispatcher is None or case.street_id != street_id:
        return
    case_act(case_id=case.pk, actor=dispatcher, action="verify_pass")
    if stage < 0.7:
        return
    satisfaction = rng.choice(["satisfied", "satisfied", "satisfied", "basic", "dissatisfied"])
    case_act(
        case_id=case.pk,
        actor=dispatcher,
        action="follow_up",
        note="电话回访",
        params={
            "reached": True,
            "contacted": True,
            "solved": satisfaction != "dissatisfied",
            "satisfaction": satisfaction,
        },
    )


def whistle_demo_cases(cases: list[Case], dispatcher: User, street: GridNode) -> int:
    """吹哨报到 in the demo: the demo department handler (王海涛) answers for 城管局, and the
    street desk takes four of its dispatched cases over and whistles 城管局 to them. He has one
    to report in on, two to report back on, and one reported back: his 部门待办 and the
    dashboard's department table show each stage."""
    department = Department.objects.filter(name="城管局").first()
    handler = (
        User.objects.filter(is_demo=True, grants__role=Role.DEPARTMENT_HANDLER)
        .order_by("pk")
        .first()
    )
    if department is None or handler is None:
        return 0
    department_member_add(department=department, user=handler)
    # The cases moved on in _advance: their state is read again, not taken from the list.
    chosen = list(
        Case.objects.filter(
            pk__in=[c.pk for c in cases], street_id=street.pk, status="dispatched"
        ).order_by("pk")[:4]
    )
    for i, case in enumerate(chosen):
        case_act(
            case_id=case.pk,
            actor=dispatcher,
            action="transfer",
            note="需城管执法，由街道统筹",
            params={"node": street.code},
        )
        case_act(case_id=case.pk, actor=dispatcher, action="sign")
        case_act(
            case_id=case.pk,
            actor=dispatcher,
            action="whistle",
            note="请城管局到场处置",
            params={"lead": department.code},
        )
        if i == 0:
            continue
        case_act(case_id=case.pk, actor=handler, action="dept_sign")
        if i == 3:
            case_act(
                case_id=case.pk,
                actor=handler,
                action="dept_report",
                note="已到场执法，责令当事人整改",
            )
    return len(chosen)
