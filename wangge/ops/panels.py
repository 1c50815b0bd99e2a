"""Reads for the dashboard's panels beyond the case figures: departments summoned by the whistle,
the six elements, and points and wish activity. Each takes the acting user and keeps to the
user's scope under the unit shown."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import RoleGrant, User
from wangge.cases.calendar import DurationUnit as CalUnit
from wangge.cases.models import Assistance, Status
from wangge.cases.selectors import cases_visible
from wangge.cases.sla import DEFAULT_SIGN, calendar
from wangge.core.calendar import midnight, week_bounds
from wangge.core.scope import in_scope
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.ledgers.models import FacilityStatus
from wangge.ledgers.selectors import facilities_visible, organisation_counts
from wangge.patrols.models import Finding
from wangge.points.models import Account, Entry, Transfer
from wangge.residents.models import OPEN_DISPUTE_STATUSES, GroupTag, WishStatus
from wangge.residents.selectors import (
    disputes_visible,
    households_visible,
    persons_visible,
    wishes_visible,
)
from wangge.volunteering.models import SignUp, Task, TaskEvent
from wangge.volunteering.selectors import CERTIFIED

# --- 吹哨报到: department performance ------------------------------------------------------


@dataclass
class DepartmentRow:
    code: str
    name: str
    whistled: int = 0
    lead: int = 0
    signed_on_time: int = 0
    reported_on_time: int = 0
    reported: int = 0
    report_hours_total: float = 0.0
    overdue: int = 0

    @property
    def avg_report_hours(self) -> float | None:
        return round(self.report_hours_total / self.reported, 1) if self.reported else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "whistled": self.whistled,
            "lead": self.lead,
            "signed_on_time": self.signed_on_time,
            "reported_on_time": self.reported_on_time,
            "reported": self.reported,
            "avg_report_hours": self.avg_report_hours,
            "overdue": self.overdue,
        }


def department_performance(
    *, user: User, node: GridNode, start: datetime, end: datetime, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Per department summoned in [start, end) to cases under `node` the user may see, lead and
    assisting units alike (each signs and reports for itself):

    - whistled: times summoned; lead: of which as 主办;
    - signed on time: reported in (签到) within the sign allowance (2 working hours) of the
      whistle, on the working calendar;
    - reported on time: its report (反馈) came before the case's resolve deadline;
    - average time to report: whistle to report, in hours, over the reports made;
    - overdue: no report yet and the case's deadline has passed (as of `now`, at most `end`).
    """
    now = min(now or timezone.now(), end)
    cal = calendar()
    allowance, unit = DEFAULT_SIGN
    cases = cases_visible(user).filter(grid_path__startswith=node.path)
    rows = (
        Assistance.objects.filter(case__in=cases.values("pk"))
        .filter(summoned_at__gte=start, summoned_at__lt=end)
        .exclude(case__status__in=[Status.VOIDED, Status.MERGED])
        .select_related("department")
        .values_list(
            "department__code",
            "department__name",
            "role",
            "summoned_at",
            "signed_at",
            "reported_at",
            "case__due_at",
        )
    )
    by_dept: dict[str, DepartmentRow] = {}
    for code, name, role, summoned, signed, reported, due in rows:
        r = by_dept.setdefault(code, DepartmentRow(code=code, name=name))
        r.whistled += 1
        r.lead += role == Assistance.Role.LEAD
        if signed is not None and signed <= cal.add(summoned, allowance, CalUnit(unit)):
            r.signed_on_time += 1
        if reported is not None:
            r.reported += 1
            r.report_hours_total += (reported - summoned).total_seconds() / 3600
            if due is None or reported <= due:
                r.reported_on_time += 1
        elif due is not None and due < now:
            r.overdue += 1
    ranked = sorted(by_dept.values(), key=lambda r: (-r.whistled, r.code))
    return [r.as_dict() for r in ranked]


# --- 六要素 -------------------------------------------------------------------------------


# Buildings change with an import or an admin's edit, not by the minute; counting a city's
# million of them on every load of its dashboard cost a third of a second.
BUILDING_COUNT_SECONDS = 300


def _building_count(prefix: str) -> int:
    """The buildings under a path, kept a few minutes. The newest building's id is in the key,
    so a building added shows at once; a move or a removal shows within the few minutes."""
    newest = Building.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    counted = cache.get_or_set(
        f"ops:buildings:{prefix}:{newest}",
        lambda: Building.objects.filter(micro_grid__path__startswith=prefix).count(),
        BUILDING_COUNT_SECONDS,
    )
    return int(counted or 0)


def six_element_totals(
    *, user: User, node: GridNode, open_cases: int, overdue: int, open_needs: int
) -> list[dict[str, Any]]:
    """Totals of the six elements (六要素) under `node`, on the definitions of the residents'
    六要素 page: 人 persons present and people in special groups; 情 open needs raised by
    residents, disputes not yet cleared and wishes not yet fulfilled; 地 households, buildings and
    micro-grids; 事 open and overdue cases (the dashboard's figures, passed in); 物 safety hazards
    recorded on patrol, with the registered facilities; 组织 the register's organisations with the
    party organisations, enterprises and alliance merchants their own apps keep."""
    prefix = node.path
    persons = persons_visible(user).filter(grid_path__startswith=prefix, is_present=True)

    groups = (
        in_scope(user, GroupTag.objects.all(), "grid_path")
        .filter(grid_path__startswith=prefix, is_active=True, person__is_present=True)
        .values("person_id")
        .distinct()
        .count()
    )
    needs = open_needs
    disputes = (
        disputes_visible(user)
        .filter(grid_path__startswith=prefix, status__in=OPEN_DISPUTE_STATUSES)
        .count()
    )
    wishes = (
        wishes_visible(user)
        .filter(grid_path__startswith=prefix)
        .exclude(status__in=[WishStatus.FULFILLED, WishStatus.THANKED])
        .count()
    )
    households = households_visible(user).filter(grid_path__startswith=prefix).count()
    buildings = _building_count(prefix)
    micro = GridNode.objects.filter(path__startswith=prefix, level=GridLevel.MICRO).count()
    # Joined on the case's path (indexed) rather than through the list of the street's cases.
    hazards = (
        in_scope(user, Finding.objects.all(), "case__grid_path")
        .filter(case__grid_path__startswith=prefix)
        .count()
    )
    facilities = (
        facilities_visible(user)
        .filter(grid_path__startswith=prefix)
        .exclude(status=FacilityStatus.RETIRED)
        .count()
    )
    organisations = organisation_counts(user, node)
    return [
        {
            "key": "people",
            "label": _("人"),
            "value": persons.count(),
            "unit": _("实有人口"),
            "detail": _("特殊人群 %(n)s 人") % {"n": groups},
        },
        {
            "key": "situation",
            "label": _("情"),
            "value": needs,
            "unit": _("在办居民诉求"),
            "detail": _("未清零纠纷 %(d)s 件，待实现心愿 %(w)s 个") % {"d": disputes, "w": wishes},
        },
        {
            "key": "place",
            "label": _("地"),
            "value": households,
            "unit": _("户"),
            "detail": _("楼栋 %(b)s 栋，微网格 %(m)s 个") % {"b": buildings, "m": micro},
        },
        {
            "key": "event",
            "label": _("事"),
            "value": open_cases,
            "unit": _("在办事件"),
            "detail": _("超期 %(n)s 件") % {"n": overdue},
        },
        {
            "key": "thing",
            "label": _("物"),
            "value": hazards,
            "unit": _("巡查发现隐患"),
            "detail": _("登记设施 %(n)s 处") % {"n": facilities},
        },
        {
            "key": "organisation",
            "label": _("组织"),
            "value": sum(o.n for o in organisations),
            "unit": _("个"),
            "detail": "，".join(f"{o.label} {o.n}" for o in organisations[:4]),
        },
    ]


# --- 活力值 and 微心愿 activity ------------------------------------------------------------


def week_range(now: datetime) -> tuple[datetime, datetime]:
    monday, next_monday = week_bounds(timezone.localdate(now))
    return midnight(monday), midnight(next_monday)


def points_activity(*, user: User, node: GridNode, start: datetime, end: datetime) -> dict:
    """活力值 issued to (奖励) and spent by (兑换) the wallets of people who hold a role under
    `node` (a resident's grant on their micro-grid), in [start, end), from the ledger."""
    holders = (
        in_scope(user, RoleGrant.objects.all(), "node__path")
        .filter(node__path__startswith=node.path)
        .values("user_id")
    )
    entries = Entry.objects.filter(
        account__kind=Account.Kind.WALLET,
        account__owner_id__in=holders,
        created_at__gte=start,
        created_at__lt=end,
    )
    sums = entries.aggregate(
        issued=Sum("amount", filter=Q(transfer__kind=Transfer.Kind.AWARD)),
        spent=Sum("amount", filter=Q(transfer__kind=Transfer.Kind.CAPTURE)),
        people=Count(
            "account__owner_id", filter=Q(transfer__kind=Transfer.Kind.AWARD), distinct=True
        ),
    )
    return {
        "issued": sums["issued"] or 0,
        "spent": -(sums["spent"] or 0),
        "people": sums["people"],
    }


def wish_activity(*, user: User, node: GridNode, start: datetime, end: datetime) -> dict:
    """微心愿 raised, claimed and fulfilled in [start, end) under `node` (the 心愿台账)."""
    return (
        wishes_visible(user)
        .filter(grid_path__startswith=node.path)
        .aggregate(
            raised=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
            claimed=Count("id", filter=Q(claimed_at__gte=start, claimed_at__lt=end)),
            fulfilled=Count("id", filter=Q(fulfilled_at__gte=start, fulfilled_at__lt=end)),
        )
    )


def volunteer_activity(*, user: User, node: GridNode, start: datetime, end: datetime) -> dict:
    """志愿服务 under `node` in [start, end): tasks published (a transition to 报名中), sign-ups
    made (not cancelled), and hours the organisers certified for service in the period (the
    volunteering app's contract: confirmed or adjusted, by `served_at`)."""
    tasks = in_scope(user, Task.objects.all(), "grid_path").filter(grid_path__startswith=node.path)
    published = (
        TaskEvent.objects.filter(task__in=tasks.values("pk"), to_status=Task.Status.PUBLISHED)
        .filter(created_at__gte=start, created_at__lt=end)
        .values("task_id")
        .distinct()
        .count()
    )
    signups = SignUp.objects.filter(task__in=tasks.values("pk"))
    counts = signups.aggregate(
        signups=Count(
            "id",
            filter=Q(created_at__gte=start, created_at__lt=end)
            & ~Q(status=SignUp.Status.CANCELLED),
        ),
        hours=Sum(
            "hours",
            filter=Q(hours_status__in=CERTIFIED, served_at__gte=start, served_at__lt=end)
            & ~Q(status=SignUp.Status.CANCELLED),
        ),
    )
    return {
        "published": published,
        "signups": counts["signups"],
        "hours": float(counts["hours"] or 0),
    }


def panels(
    *,
    user: User,
    node: GridNode,
    now: datetime,
    open_cases: int,
    overdue: int,
    open_needs: int,
    month_start: date,
) -> dict[str, Any]:
    w0, w1 = week_range(now)
    return {
        "departments": department_performance(
            user=user, node=node, start=midnight(month_start), end=now, now=now
        ),
        "elements": six_element_totals(
            user=user, node=node, open_cases=open_cases, overdue=overdue, open_needs=open_needs
        ),
        "points": points_activity(user=user, node=node, start=w0, end=w1),
        "wishes": wish_activity(user=user, node=node, start=w0, end=w1),
        "volunteering": volunteer_activity(user=user, node=node, start=w0, end=w1),
        "week_start": timezone.localdate(w0),
    }
