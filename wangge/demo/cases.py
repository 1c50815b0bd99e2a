"""Demo cases: realistic reports at real demo buildings, moved along the loop to various stages,
so the desk, the queues, the supervision board and the KPI page have something to show."""

import json
import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.cases import sla
from wangge.cases.actions import Action
from wangge.cases.categories import CATALOGUE
from wangge.cases.models import Assistance, Case, CaseEvent, Channel, Department
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
    _spread(rng, made)
    return len(made)


# How long ago the demo's cases came in, by where they are in the loop: (share, shortest,
# longest) in hours. Those still at the desk came in over the last day and a half, most of
# them this morning; those being handled over the past two weeks; those closed over three.
# Some open ones are old enough for the SLA sweep's yellow and red cards.
WAITING_AGES = ((0.45, 0.1, 1.5), (0.4, 1.5, 9.0), (0.15, 9.0, 40.0))
OPEN_AGES = ((0.45, 1.0, 24.0), (0.4, 24.0, 96.0), (0.15, 96.0, 330.0))
DONE_AGES = ((1.0, 24.0, 500.0),)
AT_DESK = ("pending", "returned")
DONE = ("resolved", "verified", "closed", "voided", "merged")
# Hours of the day (local) people report in: a case drawn in the small hours is drawn again.
WAKING = range(7, 23)
# The deadlines intake sets, computed again from the new intake time.
DEADLINES = ("sign_due_at", "contact_due_at", "due_at", "warn_at")
# Which event set each of a case's own times (the last such event): by the status it led to,
# or by its action.
STAGE_TIMES: dict[str, tuple[str, str]] = {
    "dispatched_at": ("to", "dispatched"),
    "signed_at": ("to", "signed"),
    "contacted_at": ("action", "contact"),
    "resolved_at": ("to", "resolved"),
    "verified_at": ("to", "verified"),
    "closed_at": ("to", "closed"),
    "followup_at": ("action", "follow_up"),
    "suspended_at": ("to", "suspended"),
}
ASSISTANCE_TIMES = {
    "summoned_at": "whistle",
    "signed_at": "dept_sign",
    "reported_at": "dept_report",
}


def _age_of(rng: random.Random, status: str) -> timedelta:
    bands = WAITING_AGES if status in AT_DESK else DONE_AGES if status in DONE else OPEN_AGES
    pick, total = rng.random(), 0.0
    band = bands[-1]
    for band in bands:  # the band the pick falls in is used after the loop
        total += band[0]
        if pick <= total:
            break
    _share, low, high = band
    return timedelta(hours=rng.uniform(low, high))


def _spread(rng: random.Random, cases: list[Case]) -> None:
    """The cases came in over the past days and hours, not all in the minute the seed ran:
    each case's intake moves back by its own age, its later steps (signing, contacting,
    resolving, follow-up, whistles) fall in order between then and now, its deadlines are
    computed again from its new intake time by the SLA's own calendar, and whether it was
    closed on time is judged against them. The SLA sweep then gives the late ones their
    cards, as the worker would have."""
    now = timezone.now()
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]).select_related("category"):
        for _try in range(5):
            created = now - _age_of(rng, case.status)
            if timezone.localtime(created).hour in WAKING:
                break
        events = list(CaseEvent.objects.filter(case=case).order_by("created_at", "pk"))
        moved = _moments(rng, case.created_at, [e.created_at for e in events], created, now)
        stamps = list(zip(events, moved, strict=True))
        for event, when in stamps:
            CaseEvent.objects.filter(pk=event.pk).update(created_at=when)
        fields: dict[str, Any] = {"created_at": created}
        for name, (kind, value) in STAGE_TIMES.items():
            if getattr(case, name) is not None:
                fields[name] = _last_moment(stamps, kind, value) or created
        if case.due_at is not None:
            d = sla.compute(created, case.category, case.urgency, case.grid_path)
            deadlines = (d.sign_due_at, d.contact_due_at, d.due_at, d.warn_at)
            fields.update(zip(DEADLINES, deadlines, strict=True))
            resolved = fields.get("resolved_at")
            if resolved is not None:
                fields["closed_on_time"] = resolved <= d.due_at
            fields["was_overdue"] = (resolved or now) > d.due_at
        Case.objects.filter(pk=case.pk).update(**fields)
        for assistance in Assistance.objects.filter(case=case):
            times = {
                name: _last_moment(stamps, "action", action) or created
                for name, action in ASSISTANCE_TIMES.items()
                if getattr(assistance, name) is not None
            }
            Assistance.objects.filter(pk=assistance.pk).update(**times)
    sla.sweep()


def _last_moment(
    stamps: list[tuple[CaseEvent, datetime]], kind: str, value: str
) -> datetime | None:
    """The new time of the last event that led to status `value` (kind "to") or was the
    action `value`."""
    found = [
        when
        for event, when in stamps
        if (event.to_status if kind == "to" else event.action) == value
    ]
    return found[-1] if found else None


def _moments(
    rng: random.Random,
    was: datetime,
    steps: list[datetime],
    created: datetime,
    now: datetime,
) -> list[datetime]:
    """New times for a case's events (`steps`, in order; the case came in at `was`): those of
    its intake (routing, an automatic dispatch, within seconds of it) keep their few seconds
    after the new intake time `created`; each later one comes some minutes to days after the
    one before, all of them before `now`."""
    span = (now - created) * rng.uniform(0.4, 0.95)
    later = [t for t in steps if (t - was).total_seconds() >= 2]
    marks = sorted(rng.uniform(0.05, 1.0) for _ in later)
    out, k = [], 0
    for t in steps:
        if (t - was).total_seconds() < 2:
            out.append(created + (t - was))
        else:
            out.append(created + span * marks[k])
            k += 1
    # Never before the step before (the order a timeline reads in).
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + timedelta(seconds=1))
    return out


def _advance(case: Case, rng: random.Random, dispatcher: User | None, street_id: int) -> None:
    """Move a case some way along the loop, as its handler and the street desk would."""
    if case.status != "dispatched" or case.assignee is None:
        return
    stage = rng.random()
    worker = case.assignee
    if stage < 0.25:
        return
    case_act(case_id=case.pk, actor=worker, action=Action.SIGN)
    if stage < 0.45:
        return
    case_act(case_id=case.pk, actor=worker, action=Action.CONTACT, note="已电话联系诉求人")
    case_act(
        case_id=case.pk,
        actor=worker,
        action=Action.RESOLVE,
        params={"result": rng.choice(["已现场处置完毕", "已协调物业解决", "已联系相关单位维修"])},
    )
    if stage < 0.6 or dispatcher is None or case.street_id != street_id:
        return
    case_act(case_id=case.pk, actor=dispatcher, action=Action.VERIFY_PASS)
    if stage < 0.7:
        return
    satisfaction = rng.choice(["satisfied", "satisfied", "satisfied", "basic", "dissatisfied"])
    case_act(
        case_id=case.pk,
        actor=dispatcher,
        action=Action.FOLLOW_UP,
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
            action=Action.TRANSFER,
            note="需城管执法，由街道统筹",
            params={"node": street.code},
        )
        case_act(case_id=case.pk, actor=dispatcher, action=Action.SIGN)
        case_act(
            case_id=case.pk,
            actor=dispatcher,
            action=Action.WHISTLE,
            note="请城管局到场处置",
            params={"lead": department.code},
        )
        if i == 0:
            continue
        case_act(case_id=case.pk, actor=handler, action=Action.DEPT_SIGN)
        if i == 3:
            case_act(
                case_id=case.pk,
                actor=handler,
                action=Action.DEPT_REPORT,
                note="已到场执法，责令当事人整改",
            )
    return len(chosen)
