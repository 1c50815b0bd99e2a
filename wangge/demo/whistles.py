"""A few of the demo street's cases whistled to departments (吹哨报到), so the dashboard's
department table and the departments' inboxes have something: each goes the way a real one
does, through `case_act` — the grid worker passes it up to the community, the community to the
street, the street signs and whistles the category's department (as lead)."""

import random

from django.db import transaction

from wangge.accounts.models import Role, User
from wangge.cases.models import Case, Department, HandlingLevel, Status
from wangge.cases.services import case_act
from wangge.grids.models import GridNode

WHISTLED = 4
REASONS = [
    ("涉及多个产权单位，需社区协调", "需职能部门现场执法"),
    ("网格内无法解决，请社区协调物业", "物业拒不整改，需部门介入"),
]


def _pass_up(case: Case, note: str, fallback: User) -> Case:
    actor = case.assignee or fallback
    case_act(case_id=case.pk, actor=actor, action="escalate", note=note)
    case.refresh_from_db()
    case_act(case_id=case.pk, actor=case.assignee or fallback, action="sign")
    case.refresh_from_db()
    return case


@transaction.atomic
def seed_whistles(*, rng: random.Random) -> int:
    """Returns how many cases were whistled."""
    street = GridNode.objects.filter(level="street").order_by("code").first()
    if street is None:
        return 0
    dispatcher = (
        User.objects.filter(grants__role=Role.STREET_DISPATCHER, grants__node=street)
        .order_by("pk")
        .first()
    )
    staff = (
        User.objects.filter(
            grants__role=Role.COMMUNITY_STAFF, grants__node__path__startswith=street.path
        )
        .order_by("pk")
        .first()
    )
    if dispatcher is None or staff is None:
        return 0
    candidates = list(
        Case.objects.filter(
            status__in=(Status.DISPATCHED, Status.SIGNED),
            handling_level=HandlingLevel.GRID,
            community__grants__role=Role.COMMUNITY_STAFF,
            grid_path__startswith=street.path,
            category__department__isnull=False,
        )
        .distinct()
        .order_by("pk")
    )
    fallback = Department.objects.order_by("code").first()
    made = 0
    for case in rng.sample(candidates, k=min(WHISTLED, len(candidates))):
        to_community, to_street = REASONS[made % len(REASONS)]
        case = _pass_up(case, to_community, staff)
        case = _pass_up(case, to_street, dispatcher)
        lead = case.category.department if case.category else fallback
        if lead is None:
            continue
        case_act(
            case_id=case.pk,
            actor=dispatcher,
            action="whistle",
            params={"lead": lead.code},
            note="请派员到场联合处置",
        )
        made += 1
    return made
